import { describe, expect, it } from 'vitest';
import {
  createSimpleJwt,
  ImproperlyConfiguredError,
  resolveSettings,
  settingsFromEnv,
  socketPeerAddress,
} from '../../src/index.js';
import { hmacSecret } from '../support/jwt-keys.js';

function refusal(settings: Record<string, unknown>): string | undefined {
  try {
    resolveSettings({ signingKey: hmacSecret, ...settings });
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ImproperlyConfiguredError);
    return (error as ImproperlyConfiguredError).setting;
  }
}

describe('login throttling settings', () => {
  it('defaults to off, 5 per username, 20 per address, 1 minute doubling to 15, forgotten after 12 hours', () => {
    const settings = resolveSettings({ signingKey: hmacSecret });
    expect({
      loginThrottle: settings.loginThrottle,
      loginThrottleUsernameFailures: settings.loginThrottleUsernameFailures,
      loginThrottleAddressFailures: settings.loginThrottleAddressFailures,
      loginThrottleWait: settings.loginThrottleWait,
      loginThrottleMaxWait: settings.loginThrottleMaxWait,
      loginThrottleResetAfter: settings.loginThrottleResetAfter,
      loginThrottleCollection: settings.loginThrottleCollection,
    }).toEqual({
      loginThrottle: false,
      loginThrottleUsernameFailures: 5,
      loginThrottleAddressFailures: 20,
      loginThrottleWait: 60,
      loginThrottleMaxWait: 900,
      loginThrottleResetAfter: 43_200,
      loginThrottleCollection: 'login_attempts',
    });
    expect(settings.loginThrottleClientAddress).toBe(socketPeerAddress);
  });

  it.each([
    [{ loginThrottle: 'yes' }, 'loginThrottle'],
    [{ loginThrottleUsernameFailures: 0 }, 'loginThrottleUsernameFailures'],
    [{ loginThrottleAddressFailures: 2.5 }, 'loginThrottleAddressFailures'],
    [{ loginThrottleWait: '0s' }, 'loginThrottleWait'],
    [{ loginThrottleWait: '20m' }, 'loginThrottleMaxWait'],
    [{ loginThrottleResetAfter: '10m' }, 'loginThrottleResetAfter'],
    [{ loginThrottleCollection: 'a$b' }, 'loginThrottleCollection'],
    [{ loginThrottleClientAddress: 'x-forwarded-for' }, 'loginThrottleClientAddress'],
  ])('refuses %j at start-up, naming %s', (settings, setting) => {
    expect(refusal(settings)).toBe(setting);
  });

  it('reads every setting but the hook from SIMPLE_JWT_* variables', () => {
    const settings = settingsFromEnv({
      SIMPLE_JWT_LOGIN_THROTTLE: 'on',
      SIMPLE_JWT_LOGIN_THROTTLE_USERNAME_FAILURES: '3',
      SIMPLE_JWT_LOGIN_THROTTLE_ADDRESS_FAILURES: '100',
      SIMPLE_JWT_LOGIN_THROTTLE_WAIT: '30s',
      SIMPLE_JWT_LOGIN_THROTTLE_MAX_WAIT: '1h',
      SIMPLE_JWT_LOGIN_THROTTLE_RESET_AFTER: '1d',
      SIMPLE_JWT_LOGIN_THROTTLE_COLLECTION: 'attempts',
      SIMPLE_JWT_LOGIN_THROTTLE_CLIENT_ADDRESS: 'ignored',
    });
    expect(settings).toEqual({
      loginThrottle: true,
      loginThrottleUsernameFailures: 3,
      loginThrottleAddressFailures: 100,
      loginThrottleWait: '30s',
      loginThrottleMaxWait: '1h',
      loginThrottleResetAfter: '1d',
      loginThrottleCollection: 'attempts',
    });
    expect(resolveSettings({ signingKey: hmacSecret, ...settings }).loginThrottleMaxWait).toBe(3600);
  });

  it('needs a connection: the counters live in MongoDB', () => {
    expect(() => createSimpleJwt({ settings: { signingKey: hmacSecret, loginThrottle: true } })).toThrow(
      ImproperlyConfiguredError,
    );
  });
});

describe('socketPeerAddress', () => {
  it('reads the socket peer of the Node request Yoga puts on the context, never a forwarded header', () => {
    const request = new Request('http://localhost/graphql', {
      headers: { 'x-forwarded-for': '198.51.100.1' },
    });
    expect(socketPeerAddress({ request, req: { socket: { remoteAddress: '::ffff:127.0.0.1' } } })).toBe(
      '::ffff:127.0.0.1',
    );
    expect(socketPeerAddress({ request })).toBeNull();
    expect(socketPeerAddress(null)).toBeNull();
  });

  it('reads what jwt.apolloContext kept of the socket, also through a composed context', async () => {
    const { default: mongoose } = await import('mongoose');
    const jwt = createSimpleJwt({
      settings: { signingKey: hmacSecret, loginThrottle: true },
      connection: mongoose.createConnection(),
    });
    const context = await jwt.apolloContext({
      req: { headers: {}, socket: { remoteAddress: '203.0.113.9' } },
    });
    expect(socketPeerAddress({ ...context, dataSources: {} })).toBe('203.0.113.9');
    expect(context.user).toBeNull();
  });
});
