import { describe, expect, it } from 'vitest';
import { listenAddress, serverUrl } from '../../examples/yoga/server-environment.js';

describe('listenAddress (PORT and HOST of both example servers)', () => {
  it('listens on 127.0.0.1 and the default port when neither is set, or HOST is empty', () => {
    expect(listenAddress({}, 4000)).toEqual({ port: 4000, host: '127.0.0.1' });
    expect(listenAddress({ HOST: '' }, 4001)).toEqual({ port: 4001, host: '127.0.0.1' });
  });

  it('takes HOST and PORT when set', () => {
    expect(listenAddress({ HOST: '0.0.0.0', PORT: '8080' }, 4000)).toEqual({ port: 8080, host: '0.0.0.0' });
    expect(listenAddress({ HOST: '::', PORT: '0' }, 4000)).toEqual({ port: 0, host: '::' });
  });
});

describe('serverUrl (the URL the Yoga server prints)', () => {
  it('names the address the server listens on', () => {
    expect(serverUrl({ address: '127.0.0.1', family: 'IPv4', port: 4000 }, '/graphql')).toBe(
      'http://127.0.0.1:4000/graphql',
    );
    expect(serverUrl({ address: '::1', family: 'IPv6', port: 4000 }, '/graphql')).toBe(
      'http://[::1]:4000/graphql',
    );
  });

  it('prints localhost for every interface', () => {
    expect(serverUrl({ address: '0.0.0.0', family: 'IPv4', port: 80 }, '/graphql')).toBe(
      'http://localhost:80/graphql',
    );
    expect(serverUrl({ address: '::', family: 'IPv6', port: 80 }, '/graphql')).toBe(
      'http://localhost:80/graphql',
    );
  });
});
