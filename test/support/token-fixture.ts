import { createTokenBackend } from '../../src/backend/create-token-backend.js';
import type { TokenBackend } from '../../src/backend/token-backend.js';
import type { Clock } from '../../src/clock.js';
import { type ResolvedSettings, resolveSettings, type SimpleJwtSettings } from '../../src/settings.js';
import type { TokenStore } from '../../src/store/token-store.js';
import { type BoundTokenClasses, bindTokenClasses } from '../../src/tokens/bind-token-classes.js';
import { createRevokeHasher } from '../../src/tokens/revoke-hash.js';
import type { TokenContext, TokenUserReader } from '../../src/tokens/token-context.js';
import { hmacSecret } from './jwt-keys.js';

/** 2000-01-01T00:00:00Z, Simple JWT's test epoch, in seconds. */
export const y2k = 946_684_800;

/** A clock that stays where it is put; `set`/`advance` move it. */
export interface TestClock extends Clock {
  set(epochSeconds: number): void;
  advance(seconds: number): void;
  seconds(): number;
}

export function testClock(epochSeconds = y2k): TestClock {
  let ms = epochSeconds * 1000;
  const clock = (() => new Date(ms)) as TestClock;
  clock.set = (seconds) => {
    ms = seconds * 1000;
  };
  clock.advance = (seconds) => {
    ms += seconds * 1000;
  };
  clock.seconds = () => ms / 1000;
  return clock;
}

/** Resolved settings, with the test HMAC secret for HS* unless overridden. */
export function testSettings(overrides: SimpleJwtSettings = {}): ResolvedSettings {
  const hmac = (overrides.algorithm ?? 'HS256').startsWith('HS');
  return resolveSettings(hmac ? { signingKey: hmacSecret, ...overrides } : overrides);
}

export function testBackend(overrides: SimpleJwtSettings = {}, now: Clock = testClock()): TokenBackend {
  return createTokenBackend(testSettings(overrides), now);
}

/** The plain user objects token tests issue tokens for. */
export interface TestUser {
  readonly id: string;
  readonly username: string;
  readonly isActive?: boolean;
  readonly password?: string;
}

export const testUsers: TokenUserReader = {
  idOf: (user) => (user as TestUser).id,
  isActive: (user) => (user as TestUser).isActive !== false,
  passwordHashOf: (user) => (user as TestUser).password,
};

export interface TokenFixture {
  readonly settings: ResolvedSettings;
  readonly clock: TestClock;
  readonly context: TokenContext;
  readonly tokens: BoundTokenClasses;
  readonly warnings: string[];
}

/** Token classes bound to a context with a fixed clock, the test secret and (optionally) a store. */
export function tokenFixture(
  options: { settings?: SimpleJwtSettings; store?: TokenStore | null; clock?: TestClock } = {},
): TokenFixture {
  const settings = testSettings(options.settings);
  const clock = options.clock ?? testClock();
  const warnings: string[] = [];
  const context: TokenContext = {
    settings,
    backend: createTokenBackend(settings, clock),
    store: options.store ?? null,
    now: clock,
    users: testUsers,
    revokeHashOf: createRevokeHasher(settings),
    warn: (message) => warnings.push(message),
  };
  return { settings, clock, context, tokens: bindTokenClasses(context), warnings };
}
