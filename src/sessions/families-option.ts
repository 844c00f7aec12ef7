import type { Connection } from 'mongoose';
import { ImproperlyConfiguredError } from '../errors.js';
import type { ResolvedSettings } from '../settings.js';
import { createMongoFamilyStore } from '../store/mongo-family-store.js';
import type { MongoTokenStoreOptions } from '../store/mongo-token-store-options.js';
import type { TokenStore } from '../store/token-store.js';
import type { TokenFamilyStore } from './family-store.js';

interface FamilyOptions {
  readonly connection?: Connection | undefined;
  readonly tokenStore?: MongoTokenStoreOptions | TokenStore | undefined;
  readonly familyStore?: TokenFamilyStore | false | undefined;
}

/**
 * The instance's family store: the given one; none with `familyStore: false`, `familyClaim: null`
 * or without a token store; else the MongoDB one beside the MongoDB token store.
 */
export function familiesFrom(
  options: FamilyOptions,
  settings: ResolvedSettings,
  store: TokenStore | null,
): TokenFamilyStore | null {
  if (options.familyStore === false || settings.familyClaim === null || store === null) return null;
  if (options.familyStore) return options.familyStore;
  const custom = options.tokenStore;
  if ((custom && 'isBlacklisted' in custom) || !options.connection) return null;
  return createMongoFamilyStore(options.connection, custom);
}

/**
 * `reuseDetection` resolved: `undefined` means on exactly when rotation, blacklist after rotation
 * and a family store are all there; `true` without a family store is a configuration error.
 */
export function reuseDetectionOf(settings: ResolvedSettings, families: TokenFamilyStore | null): boolean {
  if (settings.reuseDetection === true && families === null) {
    throw new ImproperlyConfiguredError(
      'reuseDetection',
      'needs a token store (a connection) with token families',
    );
  }
  if (settings.reuseDetection !== undefined) return settings.reuseDetection;
  return settings.rotateRefreshTokens && settings.blacklistAfterRotation && families !== null;
}
