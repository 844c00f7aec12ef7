import './pothos/global-types.js';
import { PothosSimpleJwtPlugin, pluginName } from './pothos/plugin.js';

export default pluginName;
export { simpleJwtFormatError } from './adapters/apollo-format-error.js';
export * from './authentication/authenticate-request.js';
export { rawTokenFromHeader } from './authentication/raw-token-from-header.js';
export { createTokenBackend } from './backend/create-token-backend.js';
export type { JwksOptions } from './backend/jwks-keys.js';
export * from './backend/token-backend.js';
export { refreshCookieFromEnv } from './browser/refresh-cookie-from-env.js';
export type { RefreshCookieOptions, ResolvedRefreshCookieOptions } from './browser/refresh-cookie-options.js';
export type {
  ApolloResponsePlugin,
  RefreshCookieTransport,
  YogaResponsePlugin,
} from './browser/refresh-cookie-transport.js';
export * from './clock.js';
export type { Duration } from './duration.js';
export * from './errors.js';
export { type GeneratedSigningKey, generateSigningKey } from './keys/generate-signing-key.js';
export type { KeyEntry, KeyList } from './keys/key-list-setting.js';
export { type JsonWebKeySet, jwkThumbprint, type PublicJwk } from './keys/public-jwk.js';
export type { SimpleJwtContext, SimpleJwtPluginOptions, TokenMutationNames } from './pothos/types.js';
export type { LoginOptions, TokenPair } from './services/obtain-token-pair.js';
export type { RefreshResult } from './services/refresh-token.js';
export type { GetTokenHook, ServiceContext } from './services/service-context.js';
export * from './sessions/family-store.js';
export { type SessionFailureReason, sessionMessages } from './sessions/session-errors.js';
export type { TokenSession } from './sessions/session-service.js';
export * from './settings.js';
export { envNameOf, settingsFromEnv } from './settings-from-env.js';
export * from './simple-jwt.js';
export { type FlushExpiredTokensOptions, flushExpiredTokens } from './store/flush-expired-tokens.js';
export { createMongoFamilyStore, type MongoTokenFamilyStore } from './store/mongo-family-store.js';
export { createMongoTokenStore, type MongoTokenStore } from './store/mongo-token-store.js';
export type { MongoTokenStoreOptions } from './store/mongo-token-store-options.js';
export * from './store/token-store.js';
export { type ClientAddressHook, socketPeerAddress } from './throttle/client-address.js';
export type { LoginRequest } from './throttle/login-throttle.js';
export { TokenUser } from './token-user.js';
export * from './tokens/bind-token-classes.js';
export { type ForUserOptions, Token } from './tokens/token.js';
export type { TokenContext, TokenUserReader } from './tokens/token-context.js';
export { AccessToken, RefreshToken, SlidingToken, UntypedToken } from './tokens/token-types.js';
export * from './users/authenticate.js';
export * from './users/mongoose-user-adapter.js';
export * from './users/password-hasher.js';
export * from './users/user-adapter.js';
export * from './users/user-model.js';
export { PothosSimpleJwtPlugin, pluginName };
