/**
 * Where `jwt.apolloContext` keeps the socket peer address on the context it returns (Apollo's
 * resolvers see only that object; Yoga's also see the Node request as `req`).
 */
export const peerAddressKey: unique symbol = Symbol.for('pothos-plugin-simple-jwt.peerAddress');

/** Reads a client's address from the GraphQL context: `(context) => string | null | undefined`. */
export type ClientAddressHook = (context: unknown) => string | null | undefined;

interface ContextShape {
  readonly [peerAddressKey]?: string | undefined;
  readonly req?:
    | { readonly socket?: { readonly remoteAddress?: string | undefined } | undefined }
    | undefined;
}

/**
 * The default `loginThrottleClientAddress`: the TCP peer of the connection (Node's
 * `socket.remoteAddress`), from `jwt.apolloContext` under Apollo Server, from the Node request
 * (`req`) that graphql-yoga puts on the context when served by `node:http` (and by the documented
 * graphql-ws wiring). Never a forwarded header: behind a proxy every client has the proxy's address
 * until a hook that trusts the proxy says otherwise. `null` when unknown (e.g. `yoga.fetch`): then
 * only the username is counted.
 */
export const socketPeerAddress: ClientAddressHook = (context) => {
  if (context === null || typeof context !== 'object') return null;
  const shape = context as ContextShape;
  return shape[peerAddressKey] ?? shape.req?.socket?.remoteAddress ?? null;
};

/** IPv4 clients reached over an IPv6 socket (`::ffff:1.2.3.4`) count as their IPv4 address. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim().toLowerCase();
  return trimmed.startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice(7) : trimmed;
}
