import type { KeyObject } from 'node:crypto';
import { type Duration, describe, durationToSeconds } from './duration.js';
import { ImproperlyConfiguredError } from './errors.js';
import { type KeyEntry, type KeyList, keyListSetting } from './keys/key-list-setting.js';
import { resolveSessionSettings } from './sessions/session-settings.js';
import { type ClientAddressHook, socketPeerAddress } from './throttle/client-address.js';
import {
  type ResolvedLoginThrottleSettings,
  resolveLoginThrottleSettings,
} from './throttle/throttle-settings.js';

/** Algorithms a token backend accepts; anything else is refused at start-up. */
export const supportedAlgorithms = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
] as const;
export type Algorithm = (typeof supportedAlgorithms)[number];

/** Key material: a PEM/secret string, raw bytes, or a prepared `KeyObject`. */
export type KeyMaterial = string | Buffer | KeyObject;

/** The token types of the built-in token classes; `authTokenClasses` names them. */
export type BuiltInTokenType = 'access' | 'refresh' | 'sliding' | 'untyped';

/** What `userAuthenticationRule` sees of a user: only whether it is active. */
export interface RuleUser {
  readonly isActive?: boolean | undefined;
}

/** Decides whether a user may obtain or refresh tokens (Simple JWT's USER_AUTHENTICATION_RULE). */
export type UserAuthenticationRule = (user: RuleUser | null, settings: ResolvedSettings) => boolean;

/** `user != null && (!checkUserIsActive || user.isActive)`: Simple JWT's default rule. */
export const defaultUserAuthenticationRule: UserAuthenticationRule = (user, settings) =>
  user != null && (!settings.checkUserIsActive || user.isActive !== false);

/**
 * Every setting, under the camelCase name of its Simple JWT counterpart (the README maps them).
 * All are optional but `signingKey` (and `verifyingKey` for asymmetric verify-only services).
 */
export interface SimpleJwtSettings {
  /** ACCESS_TOKEN_LIFETIME: seconds or a duration string. @default '5m' */
  accessTokenLifetime?: Duration;
  /** REFRESH_TOKEN_LIFETIME. @default '1d' */
  refreshTokenLifetime?: Duration;
  /** ROTATE_REFRESH_TOKENS: `tokenRefresh` also returns a new refresh token. @default false */
  rotateRefreshTokens?: boolean;
  /** BLACKLIST_AFTER_ROTATION: the refresh token used for rotation is blacklisted, exactly once. @default false */
  blacklistAfterRotation?: boolean;
  /** UPDATE_LAST_LOGIN: obtaining tokens sets the user's `lastLogin`. @default false */
  updateLastLogin?: boolean;
  /** ALGORITHM: the one algorithm tokens are signed and verified with. @default 'HS256' */
  algorithm?: Algorithm;
  /** SIGNING_KEY: the HMAC secret (>= 32 bytes for HS256, 48 for HS384, 64 for HS512) or a private key PEM. */
  signingKey?: KeyMaterial | undefined;
  /** VERIFYING_KEY: public key for asymmetric algorithms (derived from `signingKey` when omitted); ignored for HS*. */
  verifyingKey?: KeyMaterial | undefined;
  /**
   * Several keys by `kid` instead of `signingKey`: the first signs (its `kid` goes into every token
   * header), all verify. Each is a key as for `signingKey`, or `{ key, kid }`; `kid` defaults to the
   * RFC 7638 thumbprint of the (public) key. Cannot be combined with `signingKey`, `verifyingKey` or `jwkUrl`.
   * @default undefined
   */
  signingKeys?: KeyList | undefined;
  /**
   * Keys that only verify, with `signingKeys`: public keys (secrets for HS*) of keys taken out of
   * signing, kept until the last token they signed has expired. Same forms as `signingKeys`.
   * @default undefined
   */
  retiredKeys?: KeyList | undefined;
  /** AUDIENCE: `aud` set on new tokens and required on verification. @default undefined */
  audience?: string | readonly string[] | undefined;
  /** ISSUER: `iss` set on new tokens and required on verification. @default undefined */
  issuer?: string | undefined;
  /** JWK_URL: a JWKS endpoint whose keys (selected by `kid`, cached) verify asymmetric tokens. @default undefined */
  jwkUrl?: string | undefined;
  /** LEEWAY: clock skew tolerated for `exp`, `nbf` and `iat`, in seconds or as a duration (at most 1 hour). @default 0 */
  leeway?: Duration;
  /** AUTH_HEADER_TYPES: accepted schemes, matched case-sensitively; the first is used in `WWW-Authenticate`. @default ['Bearer'] */
  authHeaderTypes?: string | readonly string[];
  /** AUTH_HEADER_NAME: the HTTP header carrying the token (case-insensitive). @default 'authorization' */
  authHeaderName?: string;
  /** USER_ID_FIELD: the user document field put into tokens and used for lookups (`id` means `_id`). @default 'id' */
  userIdField?: string;
  /** USER_ID_CLAIM: the claim holding the user id; written as a string, an integer (as Simple JWT writes integer keys) read as its decimal string. @default 'user_id' */
  userIdClaim?: string;
  /** USERNAME_FIELD (Django's): the login field and the name of the credential argument. @default 'username' */
  usernameField?: string;
  /** USER_AUTHENTICATION_RULE. @default defaultUserAuthenticationRule */
  userAuthenticationRule?: UserAuthenticationRule;
  /** AUTH_TOKEN_CLASSES: token types accepted in the `Authorization` header, tried in order. @default ['access'] */
  authTokenClasses?: readonly BuiltInTokenType[];
  /** TOKEN_TYPE_CLAIM; `null` disables the type claim and check. @default 'token_type' */
  tokenTypeClaim?: string | null;
  /** JTI_CLAIM; `null` disables the id claim (then tokens cannot be blacklisted). @default 'jti' */
  jtiClaim?: string | null;
  /** SLIDING_TOKEN_REFRESH_EXP_CLAIM. @default 'refresh_exp' */
  slidingTokenRefreshExpClaim?: string;
  /** SLIDING_TOKEN_LIFETIME. @default '5m' */
  slidingTokenLifetime?: Duration;
  /** SLIDING_TOKEN_REFRESH_LIFETIME. @default '1d' */
  slidingTokenRefreshLifetime?: Duration;
  /** CHECK_REVOKE_TOKEN: tokens carry a keyed hash of the password hash; a password change revokes them. @default false */
  checkRevokeToken?: boolean;
  /** REVOKE_TOKEN_CLAIM. @default 'hash_password' */
  revokeTokenClaim?: string;
  /** CHECK_USER_IS_ACTIVE: inactive users cannot authenticate. @default true */
  checkUserIsActive?: boolean;
  /** JSON_ENCODER's equivalent: a `JSON.stringify` replacer applied to claims when signing. @default undefined */
  claimsReplacer?: ((key: string, value: unknown) => unknown) | undefined;
  /** Tokens longer than this many characters are rejected before parsing. @default 8192 */
  maxTokenLength?: number;
  /** Treat an invalid token in the header as an anonymous request instead of rejecting it. @default false */
  anonymousOnInvalidToken?: boolean;
  /**
   * Count failed logins per username and per client address (in MongoDB: needs the `connection`);
   * past a limit `tokenObtainPair` and `tokenObtainSliding` answer TOO_MANY_ATTEMPTS (HTTP 429,
   * `Retry-After`) without checking the password. @default false
   */
  loginThrottle?: boolean;
  /** Failed logins for one username (case and white space folded) before it must wait. @default 5 */
  loginThrottleUsernameFailures?: number;
  /** Failed logins from one client address before it must wait. @default 20 */
  loginThrottleAddressFailures?: number;
  /** The wait after the limit is reached; each further failure doubles it. @default '1m' */
  loginThrottleWait?: Duration;
  /** The longest wait. @default '15m' */
  loginThrottleMaxWait?: Duration;
  /** Failures are forgotten this long after the last one (the counter's `expiresAt`). @default '12h' */
  loginThrottleResetAfter?: Duration;
  /** The collection of the counters. @default 'login_attempts' */
  loginThrottleCollection?: string;
  /**
   * The client's address from the GraphQL context; return `null` when unknown (only the username
   * is counted then). Trust a forwarded header here only behind a proxy you run. @default socketPeerAddress
   */
  loginThrottleClientAddress?: ClientAddressHook;
  /** The claim holding a login's token family id (sessions); `null` turns token families off. @default 'fam' */
  familyClaim?: string | null;
  /** The claim holding the login time, epoch seconds; `null` leaves it out (no absolute lifetime). @default 'auth_time' */
  authTimeClaim?: string | null;
  /**
   * A rotated-away refresh token presented again revokes its whole family. `undefined`: on when
   * `rotateRefreshTokens`, `blacklistAfterRotation` and a token store are all on.
   * @default undefined
   */
  reuseDetection?: boolean | undefined;
  /** Grace period: a token rotated less than this long ago is refused without revoking its family. @default 0 */
  reuseInterval?: Duration;
  /** No refresh succeeds after the login time plus this; `undefined` sets no limit. @default undefined */
  refreshTokenFamilyLifetime?: Duration | undefined;
  /** The user field "log out everywhere" sets; tokens issued before it are refused in database mode. `null`: none. @default 'tokensValidAfter' */
  tokensValidAfterField?: string | null;
}

/** Settings after defaults, normalisation and validation: durations in seconds, frozen. */
export interface ResolvedSettings {
  readonly accessTokenLifetime: number;
  readonly refreshTokenLifetime: number;
  readonly rotateRefreshTokens: boolean;
  readonly blacklistAfterRotation: boolean;
  readonly updateLastLogin: boolean;
  readonly algorithm: Algorithm;
  readonly signingKey: KeyMaterial | undefined;
  readonly verifyingKey: KeyMaterial | undefined;
  readonly signingKeys: readonly KeyEntry[] | undefined;
  readonly retiredKeys: readonly KeyEntry[] | undefined;
  readonly audience: string | readonly string[] | undefined;
  readonly issuer: string | undefined;
  readonly jwkUrl: string | undefined;
  readonly leeway: number;
  readonly authHeaderTypes: readonly string[];
  readonly authHeaderName: string;
  readonly userIdField: string;
  readonly userIdClaim: string;
  readonly usernameField: string;
  readonly userAuthenticationRule: UserAuthenticationRule;
  readonly authTokenClasses: readonly BuiltInTokenType[];
  readonly tokenTypeClaim: string | null;
  readonly jtiClaim: string | null;
  readonly slidingTokenRefreshExpClaim: string;
  readonly slidingTokenLifetime: number;
  readonly slidingTokenRefreshLifetime: number;
  readonly checkRevokeToken: boolean;
  readonly revokeTokenClaim: string;
  readonly checkUserIsActive: boolean;
  readonly claimsReplacer: ((key: string, value: unknown) => unknown) | undefined;
  readonly maxTokenLength: number;
  readonly anonymousOnInvalidToken: boolean;
  readonly familyClaim: string | null;
  readonly authTimeClaim: string | null;
  readonly reuseDetection: boolean | undefined;
  readonly reuseInterval: number;
  readonly refreshTokenFamilyLifetime: number | undefined;
  readonly tokensValidAfterField: string | null;
}

/** Settings after defaults, normalisation and validation, login throttling included. */
export interface ResolvedSettings extends ResolvedLoginThrottleSettings {}

/** The one table of defaults. */
export const defaultSettings = {
  accessTokenLifetime: '5m',
  refreshTokenLifetime: '1d',
  rotateRefreshTokens: false,
  blacklistAfterRotation: false,
  updateLastLogin: false,
  algorithm: 'HS256',
  signingKey: undefined,
  verifyingKey: undefined,
  signingKeys: undefined,
  retiredKeys: undefined,
  audience: undefined,
  issuer: undefined,
  jwkUrl: undefined,
  leeway: 0,
  authHeaderTypes: ['Bearer'],
  authHeaderName: 'authorization',
  userIdField: 'id',
  userIdClaim: 'user_id',
  usernameField: 'username',
  userAuthenticationRule: defaultUserAuthenticationRule,
  authTokenClasses: ['access'],
  tokenTypeClaim: 'token_type',
  jtiClaim: 'jti',
  slidingTokenRefreshExpClaim: 'refresh_exp',
  slidingTokenLifetime: '5m',
  slidingTokenRefreshLifetime: '1d',
  checkRevokeToken: false,
  revokeTokenClaim: 'hash_password',
  checkUserIsActive: true,
  claimsReplacer: undefined,
  maxTokenLength: 8192,
  anonymousOnInvalidToken: false,
  loginThrottle: false,
  loginThrottleUsernameFailures: 5,
  loginThrottleAddressFailures: 20,
  loginThrottleWait: '1m',
  loginThrottleMaxWait: '15m',
  loginThrottleResetAfter: '12h',
  loginThrottleCollection: 'login_attempts',
  loginThrottleClientAddress: socketPeerAddress,
  familyClaim: 'fam',
  authTimeClaim: 'auth_time',
  reuseDetection: undefined,
  reuseInterval: 0,
  refreshTokenFamilyLifetime: undefined,
  tokensValidAfterField: 'tokensValidAfter',
} as const satisfies { [K in keyof Required<SimpleJwtSettings>]: SimpleJwtSettings[K] | undefined };

/** Simple JWT settings that no longer exist, refused like Simple JWT refuses them. */
const removedSettings = ['authHeaderType', 'authTokenClass', 'secretKey', 'tokenBackendClass'];
const maxLeewaySeconds = 3600;
const builtInTokenTypes: readonly string[] = ['access', 'refresh', 'sliding', 'untyped'];

function booleanSetting(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw new ImproperlyConfiguredError(name, `expected true or false, got ${describe(value)}`);
  return value;
}

function nameSetting(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ImproperlyConfiguredError(name, `expected a non-empty string, got ${describe(value)}`);
  }
  return value;
}

function nullableNameSetting(name: string, value: unknown): string | null {
  return value === null ? null : nameSetting(name, value);
}

function optionalStringSetting(name: string, value: unknown): string | undefined {
  return value === undefined ? undefined : nameSetting(name, value);
}

function functionSetting<F>(name: string, value: unknown): F {
  if (typeof value !== 'function')
    throw new ImproperlyConfiguredError(name, `expected a function, got ${describe(value)}`);
  return value as F;
}

function stringListSetting(name: string, value: unknown): readonly string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw new ImproperlyConfiguredError(name, `expected a non-empty list of strings, got ${describe(value)}`);
  }
  return Object.freeze(list.map((item) => nameSetting(name, item)));
}

function audienceSetting(value: unknown): string | readonly string[] | undefined {
  if (value === undefined || typeof value === 'string') return optionalStringSetting('audience', value);
  return stringListSetting('audience', value);
}

function algorithmSetting(value: unknown): Algorithm {
  if (!(supportedAlgorithms as readonly unknown[]).includes(value)) {
    throw new ImproperlyConfiguredError('algorithm', `Unrecognized algorithm type ${describe(value)}`);
  }
  return value as Algorithm;
}

function keySetting(name: string, value: unknown): KeyMaterial | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value;
  if (typeof value === 'object' && typeof (value as KeyObject).type === 'string' && 'export' in value) {
    return value as KeyObject;
  }
  throw new ImproperlyConfiguredError(
    name,
    `expected a string, a Buffer or a KeyObject, got ${describe(value)}`,
  );
}

function leewaySetting(value: unknown): number {
  const seconds = durationToSeconds('leeway', value);
  if (seconds > maxLeewaySeconds) {
    throw new ImproperlyConfiguredError(
      'leeway',
      `at most ${maxLeewaySeconds} seconds, got ${describe(value)}`,
    );
  }
  return seconds;
}

function lifetimeSetting(name: string, value: unknown): number {
  const seconds = durationToSeconds(name, value);
  if (seconds <= 0)
    throw new ImproperlyConfiguredError(name, `must be longer than zero, got ${describe(value)}`);
  return seconds;
}

function maxTokenLengthSetting(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 128) {
    throw new ImproperlyConfiguredError(
      'maxTokenLength',
      `expected a whole number >= 128, got ${describe(value)}`,
    );
  }
  return value;
}

function authTokenClassesSetting(value: unknown): readonly BuiltInTokenType[] {
  const names = stringListSetting('authTokenClasses', value);
  for (const name of names) {
    if (!builtInTokenTypes.includes(name)) {
      throw new ImproperlyConfiguredError('authTokenClasses', `unknown token type ${describe(name)}`);
    }
  }
  return names as readonly BuiltInTokenType[];
}

/**
 * Applies defaults and validates every setting once; the result is frozen. Key material is checked
 * against the algorithm by the token backend when the instance is created.
 * @throws ImproperlyConfiguredError naming the first bad setting.
 */
export function resolveSettings(input: SimpleJwtSettings = {}): ResolvedSettings {
  if (input === null || typeof input !== 'object')
    throw new ImproperlyConfiguredError('settings', 'expected an object');
  for (const removed of removedSettings) {
    if (removed in input) {
      throw new ImproperlyConfiguredError(
        removed,
        'this setting has been removed; see the settings table in the README',
      );
    }
  }
  for (const key of Object.keys(input)) {
    if (!(key in defaultSettings)) throw new ImproperlyConfiguredError(key, 'unknown setting');
  }
  const merged: Record<string, unknown> = { ...defaultSettings };
  for (const [key, value] of Object.entries(input)) if (value !== undefined) merged[key] = value;
  const m = merged as Required<SimpleJwtSettings>;
  const resolved: ResolvedSettings = {
    accessTokenLifetime: lifetimeSetting('accessTokenLifetime', m.accessTokenLifetime),
    refreshTokenLifetime: lifetimeSetting('refreshTokenLifetime', m.refreshTokenLifetime),
    rotateRefreshTokens: booleanSetting('rotateRefreshTokens', m.rotateRefreshTokens),
    blacklistAfterRotation: booleanSetting('blacklistAfterRotation', m.blacklistAfterRotation),
    updateLastLogin: booleanSetting('updateLastLogin', m.updateLastLogin),
    algorithm: algorithmSetting(m.algorithm),
    signingKey: keySetting('signingKey', m.signingKey),
    verifyingKey: keySetting('verifyingKey', m.verifyingKey),
    signingKeys: keyListSetting('signingKeys', m.signingKeys),
    retiredKeys: keyListSetting('retiredKeys', m.retiredKeys),
    audience: audienceSetting(m.audience),
    issuer: optionalStringSetting('issuer', m.issuer),
    jwkUrl: optionalStringSetting('jwkUrl', m.jwkUrl),
    leeway: leewaySetting(m.leeway),
    authHeaderTypes: stringListSetting('authHeaderTypes', m.authHeaderTypes),
    authHeaderName: nameSetting('authHeaderName', m.authHeaderName).toLowerCase(),
    userIdField: nameSetting('userIdField', m.userIdField),
    userIdClaim: nameSetting('userIdClaim', m.userIdClaim),
    usernameField: nameSetting('usernameField', m.usernameField),
    userAuthenticationRule: functionSetting('userAuthenticationRule', m.userAuthenticationRule),
    authTokenClasses: authTokenClassesSetting(m.authTokenClasses),
    tokenTypeClaim: nullableNameSetting('tokenTypeClaim', m.tokenTypeClaim),
    jtiClaim: nullableNameSetting('jtiClaim', m.jtiClaim),
    slidingTokenRefreshExpClaim: nameSetting('slidingTokenRefreshExpClaim', m.slidingTokenRefreshExpClaim),
    slidingTokenLifetime: lifetimeSetting('slidingTokenLifetime', m.slidingTokenLifetime),
    slidingTokenRefreshLifetime: lifetimeSetting(
      'slidingTokenRefreshLifetime',
      m.slidingTokenRefreshLifetime,
    ),
    checkRevokeToken: booleanSetting('checkRevokeToken', m.checkRevokeToken),
    revokeTokenClaim: nameSetting('revokeTokenClaim', m.revokeTokenClaim),
    checkUserIsActive: booleanSetting('checkUserIsActive', m.checkUserIsActive),
    claimsReplacer:
      m.claimsReplacer === undefined ? undefined : functionSetting('claimsReplacer', m.claimsReplacer),
    maxTokenLength: maxTokenLengthSetting(m.maxTokenLength),
    anonymousOnInvalidToken: booleanSetting('anonymousOnInvalidToken', m.anonymousOnInvalidToken),
    ...resolveLoginThrottleSettings(merged),
    ...resolveSessionSettings(m),
  };
  return Object.freeze(resolved);
}
