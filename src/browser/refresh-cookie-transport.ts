import { type Clock, epochSeconds } from '../clock.js';
import { ImproperlyConfiguredError, TokenError } from '../errors.js';
import { isPreflightedRequest, readCookie, serializeRefreshCookie } from './cookie-header.js';
import type { ResolvedRefreshCookieOptions } from './refresh-cookie-options.js';

/** Where the context keeps the request's refresh cookie (a symbol: not part of the user's context type). */
export const refreshCookieJarKey: unique symbol = Symbol('simpleJwt.refreshCookie');

/** One request's refresh cookie: what came in and the `Set-Cookie` to send back. */
export interface RefreshCookieJar {
  /** The cookie, only when the request could not have been sent cross-site without a preflight. */
  readonly incoming: string | undefined;
  readonly host: string | undefined;
  /** Set by a mutation; the last one wins. */
  outgoing: string | undefined;
  /** True once the server's plugin will copy `outgoing` into the response. */
  attached: boolean;
}

interface FetchRequestLike {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: { get(name: string): string | null };
}
interface NodeRequestLike {
  readonly method?: string | undefined;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** The Yoga plugin (structurally a graphql-yoga `Plugin`): marks requests, then writes `Set-Cookie`. */
export interface YogaResponsePlugin {
  onRequest?(payload: { request: FetchRequestLike }): void;
  onResponse?(payload: {
    request: FetchRequestLike;
    response: { headers: { append(n: string, v: string): void } };
  }): void;
}

/** The Apollo Server plugin (structurally an `ApolloServerPlugin`): writes `Set-Cookie` in `willSendResponse`. */
export interface ApolloResponsePlugin {
  requestDidStart?(requestContext: { contextValue: unknown }): Promise<{
    willSendResponse?(requestContext: {
      contextValue: unknown;
      response: { http: { headers: { set(name: string, value: string): unknown } } };
    }): Promise<void>;
  }>;
}

const missingPlugin =
  'refreshCookie: the server does not write cookies. Add jwt.yogaPlugin to createYoga({ plugins }) or jwt.apolloPlugin to new ApolloServer({ plugins }), and use jwt.yogaContext / jwt.apolloContext.';
const noToken = 'No token was given: pass it as the argument, or send the refresh cookie';

function jarOf(context: unknown): RefreshCookieJar | undefined {
  return (context as { [refreshCookieJarKey]?: RefreshCookieJar } | null)?.[refreshCookieJarKey];
}

function claimOf(token: string, claim: string): number {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  const value = payload[claim];
  return typeof value === 'number' ? value : 0;
}

/** The refresh cookie of one `SimpleJwt` instance: request parsing, response writing, and the mutations' access. */
export function createRefreshCookieTransport(options: ResolvedRefreshCookieOptions, now: Clock) {
  const yogaJars = new WeakMap<object, RefreshCookieJar>();
  const yogaAttached = new WeakSet<object>();

  const jar = (
    method: string | undefined,
    header: (name: string) => string | null | undefined,
    attached: boolean,
    url?: string,
  ) => ({
    incoming: isPreflightedRequest(method, header) ? readCookie(header('cookie'), options.name) : undefined,
    host: header('host') ?? (url ? new URL(url).host : undefined),
    outgoing: undefined,
    attached,
  });

  const writeTo = (context: unknown, value: string, maxAgeSeconds: number) => {
    const target = jarOf(context);
    if (!target?.attached) throw new ImproperlyConfiguredError('refreshCookie', missingPlugin);
    target.outgoing = serializeRefreshCookie(options, value, maxAgeSeconds, target.host);
  };

  return Object.freeze({
    options,
    /** Adds the request's jar to a Yoga context (only over HTTP: graphql-ws has no cookies to set). */
    yogaJar(request: FetchRequestLike | undefined): RefreshCookieJar | undefined {
      if (!request) return undefined;
      // A batched request runs one context per operation: they share the request's one cookie.
      const existing = yogaJars.get(request);
      if (existing) return existing;
      const created = jar(
        request.method,
        (name) => request.headers.get(name),
        yogaAttached.has(request),
        request.url,
      );
      yogaJars.set(request, created);
      return created;
    },
    apolloJar(req: NodeRequestLike): RefreshCookieJar {
      const header = (name: string) => {
        const value = req.headers[name];
        return typeof value === 'string' ? value : value?.join('; ');
      };
      return jar(req.method, header, false);
    },
    yogaPlugin: {
      onRequest({ request }) {
        yogaAttached.add(request);
      },
      onResponse({ request, response }) {
        const outgoing = yogaJars.get(request)?.outgoing;
        if (outgoing) response.headers.append('set-cookie', outgoing);
      },
    } satisfies YogaResponsePlugin as YogaResponsePlugin,
    apolloPlugin: {
      async requestDidStart({ contextValue }) {
        const target = jarOf(contextValue);
        if (target) target.attached = true;
        return {
          async willSendResponse({ response }) {
            if (target?.outgoing) response.http.headers.set('set-cookie', target.outgoing);
          },
        };
      },
    } satisfies ApolloResponsePlugin as ApolloResponsePlugin,
    /** The token argument, else the cookie; `TOKEN_NOT_VALID` when there is neither. */
    tokenFrom(context: unknown, argument: string | null | undefined): { token: string; fromCookie: boolean } {
      if (typeof argument === 'string') return { token: argument, fromCookie: false };
      const incoming = jarOf(context)?.incoming;
      if (incoming === undefined) throw new TokenError(noToken);
      return { token: incoming, fromCookie: true };
    },
    /** Sets the cookie to `token` until its `lifetimeClaim` (`exp`, or a sliding token's refresh deadline). */
    issue(context: unknown, token: string, lifetimeClaim: string): void {
      writeTo(context, token, claimOf(token, lifetimeClaim) - epochSeconds(now()));
    },
    /** Deletes the cookie (`Max-Age=0`). */
    clear(context: unknown): void {
      writeTo(context, '', 0);
    },
  });
}

export type RefreshCookieTransport = ReturnType<typeof createRefreshCookieTransport>;
