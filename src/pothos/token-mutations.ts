import type { SchemaTypes } from '@pothos/core';
import { cookieTokenResolvers } from '../browser/cookie-token-resolvers.js';
import type { SimpleJwt } from '../simple-jwt.js';
import { userAgentOf } from './session-fields.js';
import type { SimpleJwtPluginOptions, TokenMutationNames } from './types.js';

type Builder = PothosSchemaTypes.SchemaBuilder<SchemaTypes>;

const defaultNames: Required<TokenMutationNames> = {
  tokenObtainPair: 'tokenObtainPair',
  tokenRefresh: 'tokenRefresh',
  tokenVerify: 'tokenVerify',
  tokenBlacklist: 'tokenBlacklist',
  tokenObtainSliding: 'tokenObtainSliding',
  tokenRefreshSliding: 'tokenRefreshSliding',
  tokenSessions: 'tokenSessions',
  tokenRevokeSession: 'tokenRevokeSession',
  tokenRevokeAllSessions: 'tokenRevokeAllSessions',
};

function normalize(options: SimpleJwtPluginOptions) {
  if ('jwt' in options)
    return {
      jwt: options.jwt,
      names: options.mutations ?? {},
      includeSliding: options.includeSliding ?? false,
    };
  return { jwt: options, names: {}, includeSliding: false };
}

/** `refresh` is null when the refresh cookie carries it. */
type PairBody = { access: string; refresh: string | null };

function payloadTypes(builder: Builder, refreshInBody: boolean) {
  const pair = builder.objectRef<PairBody>('TokenObtainPairPayload').implement({
    description: 'A new refresh token and its access token.',
    fields: (t) => ({
      access: t.exposeString('access', {
        nullable: false,
        description: 'Short-lived token for the Authorization header.',
      }),
      refresh: refreshInBody
        ? t.string({
            nullable: false,
            description: 'Long-lived token for tokenRefresh and tokenBlacklist.',
            resolve: (payload) => payload.refresh as string,
          })
        : t.string({
            nullable: true,
            description: 'Null: the refresh token is in the HttpOnly refresh cookie.',
            resolve: (payload) => payload.refresh,
          }),
    }),
  });
  const refreshed = builder.objectRef<{ access: string; refresh?: string }>('TokenRefreshPayload').implement({
    description: 'A new access token, and a new refresh token when refresh tokens rotate.',
    fields: (t) => ({
      access: t.exposeString('access', { nullable: false }),
      refresh: t.string({ nullable: true, resolve: (payload) => payload.refresh ?? null }),
    }),
  });
  const verified = builder.objectRef<{ valid: boolean }>('TokenVerifyPayload').implement({
    description: 'Always `valid: true`: an invalid token is an error with code TOKEN_NOT_VALID.',
    fields: (t) => ({ valid: t.exposeBoolean('valid', { nullable: false }) }),
  });
  const blacklisted = builder.objectRef<{ blacklisted: boolean }>('TokenBlacklistPayload').implement({
    fields: (t) => ({ blacklisted: t.exposeBoolean('blacklisted', { nullable: false }) }),
  });
  const slidingObtained = builder.objectRef<{ token: string }>('TokenObtainSlidingPayload').implement({
    fields: (t) => ({ token: t.exposeString('token', { nullable: false }) }),
  });
  const slidingRefreshed = builder.objectRef<{ token: string }>('TokenRefreshSlidingPayload').implement({
    fields: (t) => ({ token: t.exposeString('token', { nullable: false }) }),
  });
  return { pair, refreshed, verified, blacklisted, slidingObtained, slidingRefreshed };
}

function ensureMutationType(builder: Builder) {
  // `mutationRef` is how Pothos itself finds the Mutation type, whatever the user named it.
  const { mutationRef } = builder as unknown as {
    mutationRef: Parameters<Builder['configStore']['hasConfig']>[0];
  };
  if (!builder.configStore.hasConfig(mutationRef)) builder.mutationType({});
}

/** Adds the six token mutations and their payload types to `builder`, under the configured names. */
export function addTokenMutations(builder: Builder, options: SimpleJwtPluginOptions): void {
  const { jwt, names: renamed, includeSliding } = normalize(options);
  const names = { ...defaultNames, ...renamed };
  const slidingOn = includeSliding || jwt.settings.authTokenClasses.includes('sliding');
  const enabled = {
    tokenObtainPair: names.tokenObtainPair,
    tokenRefresh: names.tokenRefresh,
    tokenVerify: names.tokenVerify,
    tokenBlacklist: jwt.store ? names.tokenBlacklist : false,
    tokenObtainSliding: slidingOn ? names.tokenObtainSliding : false,
    tokenRefreshSliding: slidingOn ? names.tokenRefreshSliding : false,
  };
  if (Object.values(enabled).every((name) => name === false)) return;
  const cookie = jwt.refreshCookie;
  const browser = cookie && cookieTokenResolvers(jwt, cookie);
  const types = payloadTypes(builder, !cookie || cookie.options.refreshInBody);
  const usernameArg = jwt.settings.usernameField;
  ensureMutationType(builder);
  builder.mutationFields((t) => {
    const credentials = {
      [usernameArg]: t.arg.string({ required: true }),
      password: t.arg.string({ required: true }),
    };
    // With the refresh cookie on, the token argument may be left out: the cookie is read instead.
    const tokenArg = () =>
      t.arg.string(
        browser ? { required: false, description: 'Left out: the refresh cookie.' } : { required: true },
      );
    const fields: Record<string, ReturnType<typeof t.field>> = {};
    const add = (name: string | false, field: () => ReturnType<typeof t.field>) => {
      if (name !== false) fields[name] = field();
    };
    add(enabled.tokenObtainPair, () =>
      t.field({
        type: types.pair,
        description:
          'Log in: credentials in, a refresh and an access token out (Simple JWT TokenObtainPairView).',
        args: credentials,
        resolve: (_root, args, context) =>
          browser
            ? browser.obtainPair(context, credentialsOf(args, usernameArg), loginOf(context))
            : jwt.obtainTokenPair(credentialsOf(args, usernameArg), loginOf(context)),
      }),
    );
    add(enabled.tokenRefresh, () =>
      t.field({
        type: types.refreshed,
        description: 'A new access token for a refresh token (Simple JWT TokenRefreshView).',
        args: { refresh: tokenArg() },
        resolve: (_root, args, context) =>
          browser ? browser.refresh(context, args.refresh) : jwt.refreshToken(args.refresh as string),
      }),
    );
    add(enabled.tokenVerify, () =>
      t.field({
        type: types.verified,
        description: 'Checks that a token of any type is valid (Simple JWT TokenVerifyView).',
        args: { token: t.arg.string({ required: true }) },
        resolve: (_root, args) => jwt.verifyToken(args.token as string),
      }),
    );
    add(enabled.tokenBlacklist, () =>
      t.field({
        type: types.blacklisted,
        description: 'Log out: blacklists a refresh token (Simple JWT TokenBlacklistView).',
        args: { refresh: tokenArg() },
        resolve: (_root, args, context) =>
          browser ? browser.blacklist(context, args.refresh) : jwt.blacklistToken(args.refresh as string),
      }),
    );
    add(enabled.tokenObtainSliding, () =>
      t.field({
        type: types.slidingObtained,
        description: 'Log in with a sliding token (Simple JWT TokenObtainSlidingView).',
        args: credentials,
        resolve: (_root, args, context) =>
          browser
            ? browser.obtainSliding(context, credentialsOf(args, usernameArg), loginOf(context))
            : jwt.obtainSlidingToken(credentialsOf(args, usernameArg), loginOf(context)),
      }),
    );
    add(enabled.tokenRefreshSliding, () =>
      t.field({
        type: types.slidingRefreshed,
        description:
          'Extends a sliding token before its refresh deadline (Simple JWT TokenRefreshSlidingView).',
        args: { token: tokenArg() },
        resolve: (_root, args, context) =>
          browser
            ? browser.refreshSliding(context, args.token)
            : jwt.refreshSlidingToken(args.token as string),
      }),
    );
    return fields;
  });
}

function credentialsOf(args: Record<string, unknown>, usernameArg: string) {
  return { username: args[usernameArg], password: args['password'] };
}

/** Where a login comes from: the context for the throttle's client address, the User-Agent for its session. */
function loginOf(context: unknown) {
  return { context, userAgent: userAgentOf(context) };
}

export type { SimpleJwt };
