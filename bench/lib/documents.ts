/** The GraphQL documents the request benchmarks send (examples/operations, plus a minimal whoami). */

export const meQuery = 'query Me { me { id username isStaff } }';
export const whoamiQuery = 'query Whoami { whoami { id tokenType claims { name value } } }';
export const whoamiIdQuery = 'query WhoamiId { whoami { id } }';
export const tokenObtainPair =
  'mutation TokenObtainPair($username: String!, $password: String!) { tokenObtainPair(username: $username, password: $password) { access refresh } }';
export const tokenRefresh =
  'mutation TokenRefresh($refresh: String!) { tokenRefresh(refresh: $refresh) { access refresh } }';
export const tokenVerify = 'mutation TokenVerify($token: String!) { tokenVerify(token: $token) { valid } }';
export const tokenBlacklist =
  'mutation TokenBlacklist($refresh: String!) { tokenBlacklist(refresh: $refresh) { blacklisted } }';

export function body(query: string, variables?: Record<string, unknown>): string {
  return JSON.stringify(variables ? { query, variables } : { query });
}
