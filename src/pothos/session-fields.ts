import type { SchemaTypes } from '@pothos/core';
import { AuthenticationFailedError, messages } from '../errors.js';
import { familyIdOf } from '../sessions/family-claims.js';
import type { TokenSession } from '../sessions/session-service.js';
import type { SimpleJwt } from '../simple-jwt.js';
import type { SimpleJwtContext, SimpleJwtPluginOptions } from './types.js';

type Builder = PothosSchemaTypes.SchemaBuilder<SchemaTypes>;

interface SessionFieldNames {
  readonly tokenSessions: string | false;
  readonly tokenRevokeSession: string | false;
  readonly tokenRevokeAllSessions: string | false;
}

function namesOf(options: SimpleJwtPluginOptions): { jwt: SimpleJwt<object>; names: SessionFieldNames } {
  const jwt = 'jwt' in options ? options.jwt : options;
  const renamed = 'jwt' in options ? (options.mutations ?? {}) : {};
  return {
    jwt,
    names: {
      tokenSessions: renamed.tokenSessions ?? 'tokenSessions',
      tokenRevokeSession: renamed.tokenRevokeSession ?? 'tokenRevokeSession',
      tokenRevokeAllSessions: renamed.tokenRevokeAllSessions ?? 'tokenRevokeAllSessions',
    },
  };
}

/** The authenticated caller: the user document (database mode) and its id, or the token's user id. */
function callerOf(jwt: SimpleJwt<object>, context: unknown): { userId: string; user: object | null } {
  const { user, tokenUser } = (context ?? {}) as Partial<SimpleJwtContext>;
  if (user && jwt.users) return { userId: jwt.users.idOf(user), user };
  if (tokenUser) return { userId: tokenUser.id, user: null };
  throw new AuthenticationFailedError('UNAUTHENTICATED', messages.authenticationRequired);
}

function ensureRootType(builder: Builder, which: 'queryRef' | 'mutationRef'): void {
  // The refs are how Pothos itself finds the root types, whatever the user named them.
  const ref = (builder as unknown as Record<string, Parameters<Builder['configStore']['hasConfig']>[0]>)[
    which
  ];
  if (ref === undefined || builder.configStore.hasConfig(ref)) return;
  if (which === 'queryRef') builder.queryType({});
  else builder.mutationType({});
}

/**
 * Adds the session fields (`tokenSessions`, `tokenRevokeSession`, `tokenRevokeAllSessions`) when
 * the instance records token families; each requires an authenticated user and acts on that
 * user's sessions only.
 */
export function addSessionFields(builder: Builder, options: SimpleJwtPluginOptions): void {
  const { jwt, names } = namesOf(options);
  if (!jwt.families || Object.values(names).every((name) => name === false)) return;
  const session = builder.objectRef<TokenSession>('TokenSession').implement({
    description: 'A login and every token rotated from it (a token family).',
    fields: (t) => ({
      id: t.id({ nullable: false, resolve: (s) => s.id }),
      createdAt: t.string({
        nullable: false,
        description: 'When the login happened (ISO 8601).',
        resolve: (s) => s.createdAt.toISOString(),
      }),
      lastUsedAt: t.string({
        nullable: false,
        description: 'The last refresh, to the minute (ISO 8601).',
        resolve: (s) => s.lastUsedAt.toISOString(),
      }),
      userAgent: t.string({ nullable: true, resolve: (s) => s.userAgent }),
      current: t.boolean({
        nullable: false,
        description: 'Whether the request was made with a token of this session.',
        resolve: (s) => s.current,
      }),
    }),
  });
  const revoked = builder.objectRef<{ revoked: number }>('TokenRevokePayload').implement({
    description: 'How many sessions were revoked.',
    fields: (t) => ({ revoked: t.exposeInt('revoked', { nullable: false }) }),
  });
  const sessionsName = names.tokenSessions;
  if (sessionsName !== false) {
    ensureRootType(builder, 'queryRef');
    builder.queryFields((t) => ({
      [sessionsName]: t.field({
        type: [session],
        nullable: false,
        description: "The caller's live sessions, most recently used first.",
        resolve: async (_root, _args, context) => {
          const { userId, user } = callerOf(jwt, context);
          const token = (context as Partial<SimpleJwtContext>).token ?? null;
          return jwt.sessionsOf(user ?? userId, token);
        },
      }),
    }));
  }
  if (names.tokenRevokeSession === false && names.tokenRevokeAllSessions === false) return;
  ensureRootType(builder, 'mutationRef');
  builder.mutationFields((t) => {
    const fields: Record<string, ReturnType<typeof t.field>> = {};
    if (names.tokenRevokeSession !== false) {
      fields[names.tokenRevokeSession] = t.field({
        type: revoked,
        nullable: false,
        description: "Revokes one of the caller's sessions (another user's id is not found: revoked 0).",
        args: { id: t.arg.id({ required: true }) },
        resolve: async (_root, args, context) => {
          const { userId } = callerOf(jwt, context);
          const id = String(args['id']);
          const revokedCount = await jwt.revokeSession(id, { user: userId, reason: 'logout' });
          // The browser's own session ended: its refresh cookie is of no use any more.
          const token = (context as Partial<SimpleJwtContext>).token;
          if (revokedCount > 0 && token && familyIdOf(token, jwt.settings) === id)
            jwt.refreshCookie?.clear(context);
          return { revoked: revokedCount };
        },
      });
    }
    if (names.tokenRevokeAllSessions !== false) {
      fields[names.tokenRevokeAllSessions] = t.field({
        type: revoked,
        nullable: false,
        description: 'Logs the caller out everywhere: every session revoked, every token refused.',
        resolve: async (_root, _args, context) => {
          const { userId, user } = callerOf(jwt, context);
          const revokedCount = await jwt.revokeAllSessionsOf(user ?? userId, 'logout-all');
          jwt.refreshCookie?.clear(context);
          return { revoked: revokedCount };
        },
      });
    }
    return fields;
  });
}

/** The request's `User-Agent`: Yoga's `request` on the context, or Node's `req` (Apollo) when the context carries it. */
export function userAgentOf(context: unknown): string | null {
  const { request, req } = (context ?? {}) as {
    request?: { headers?: { get?(name: string): string | null } };
    req?: { headers?: Record<string, string | string[] | undefined> };
  };
  const fromRequest = request?.headers?.get?.('user-agent');
  const fromReq = req?.headers?.['user-agent'];
  const value = fromRequest ?? (Array.isArray(fromReq) ? fromReq[0] : fromReq);
  // Kept short: it is shown to the user, never parsed.
  return typeof value === 'string' && value !== '' ? value.slice(0, 512) : null;
}
