import type { AuthenticationResult } from '../authentication/authenticate-request.js';
import type { SimpleJwt } from '../simple-jwt.js';

/** The GraphQL names of the token mutations; `false` leaves one out of the schema. */
export interface TokenMutationNames {
  /** @default 'tokenObtainPair' */
  tokenObtainPair?: string | false;
  /** @default 'tokenRefresh' */
  tokenRefresh?: string | false;
  /** @default 'tokenVerify' */
  tokenVerify?: string | false;
  /** Absent when the instance has no token store (blacklist off). @default 'tokenBlacklist' */
  tokenBlacklist?: string | false;
  /** Absent unless `authTokenClasses` includes `'sliding'` or `includeSliding` is true. @default 'tokenObtainSliding' */
  tokenObtainSliding?: string | false;
  /** Same rule as `tokenObtainSliding`. @default 'tokenRefreshSliding' */
  tokenRefreshSliding?: string | false;
  /** A Query field: the caller's live sessions. Absent without token families. @default 'tokenSessions' */
  tokenSessions?: string | false;
  /** Revokes one session of the caller. Absent without token families. @default 'tokenRevokeSession' */
  tokenRevokeSession?: string | false;
  /** Revokes every session of the caller. Absent without token families. @default 'tokenRevokeAllSessions' */
  tokenRevokeAllSessions?: string | false;
}

/** The builder option `simpleJwt`: an instance, or an instance with schema options. */
export type SimpleJwtPluginOptions =
  | SimpleJwt<object>
  | {
      /** The instance made by `createSimpleJwt`. */
      jwt: SimpleJwt<object>;
      /** Rename or disable mutations. @default the names above */
      mutations?: TokenMutationNames;
      /** Add the sliding-token mutations even when `authTokenClasses` does not include `'sliding'`. @default false */
      includeSliding?: boolean;
    };

/**
 * The context resolvers see: `user` is the user document (database mode) or `null`, `tokenUser` the
 * stateless user from the token's claims, `token` the validated token.
 */
export type SimpleJwtContext<User = object> = AuthenticationResult<User>;
