/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query TokenSessions {\n  tokenSessions {\n    id\n    createdAt\n    lastUsedAt\n    userAgent\n    current\n  }\n}\n\nmutation TokenRevokeSession($id: ID!) {\n  tokenRevokeSession(id: $id) {\n    revoked\n  }\n}\n\nmutation TokenRevokeAllSessions {\n  tokenRevokeAllSessions {\n    revoked\n  }\n}": typeof types.TokenSessionsDocument,
    "mutation TokenObtainPair($username: String!, $password: String!) {\n  tokenObtainPair(username: $username, password: $password) {\n    access\n    refresh\n  }\n}\n\nmutation TokenRefresh($refresh: String!) {\n  tokenRefresh(refresh: $refresh) {\n    access\n    refresh\n  }\n}\n\nmutation TokenVerify($token: String!) {\n  tokenVerify(token: $token) {\n    valid\n  }\n}\n\nmutation TokenBlacklist($refresh: String!) {\n  tokenBlacklist(refresh: $refresh) {\n    blacklisted\n  }\n}\n\nmutation TokenObtainSliding($username: String!, $password: String!) {\n  tokenObtainSliding(username: $username, password: $password) {\n    token\n  }\n}\n\nmutation TokenRefreshSliding($token: String!) {\n  tokenRefreshSliding(token: $token) {\n    token\n  }\n}": typeof types.TokenObtainPairDocument,
    "query Me {\n  me {\n    id\n    username\n    isStaff\n  }\n}\n\nquery Whoami {\n  whoami {\n    id\n    tokenType\n    claims {\n      name\n      value\n    }\n  }\n}": typeof types.MeDocument,
};
const documents: Documents = {
    "query TokenSessions {\n  tokenSessions {\n    id\n    createdAt\n    lastUsedAt\n    userAgent\n    current\n  }\n}\n\nmutation TokenRevokeSession($id: ID!) {\n  tokenRevokeSession(id: $id) {\n    revoked\n  }\n}\n\nmutation TokenRevokeAllSessions {\n  tokenRevokeAllSessions {\n    revoked\n  }\n}": types.TokenSessionsDocument,
    "mutation TokenObtainPair($username: String!, $password: String!) {\n  tokenObtainPair(username: $username, password: $password) {\n    access\n    refresh\n  }\n}\n\nmutation TokenRefresh($refresh: String!) {\n  tokenRefresh(refresh: $refresh) {\n    access\n    refresh\n  }\n}\n\nmutation TokenVerify($token: String!) {\n  tokenVerify(token: $token) {\n    valid\n  }\n}\n\nmutation TokenBlacklist($refresh: String!) {\n  tokenBlacklist(refresh: $refresh) {\n    blacklisted\n  }\n}\n\nmutation TokenObtainSliding($username: String!, $password: String!) {\n  tokenObtainSliding(username: $username, password: $password) {\n    token\n  }\n}\n\nmutation TokenRefreshSliding($token: String!) {\n  tokenRefreshSliding(token: $token) {\n    token\n  }\n}": types.TokenObtainPairDocument,
    "query Me {\n  me {\n    id\n    username\n    isStaff\n  }\n}\n\nquery Whoami {\n  whoami {\n    id\n    tokenType\n    claims {\n      name\n      value\n    }\n  }\n}": types.MeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TokenSessions {\n  tokenSessions {\n    id\n    createdAt\n    lastUsedAt\n    userAgent\n    current\n  }\n}\n\nmutation TokenRevokeSession($id: ID!) {\n  tokenRevokeSession(id: $id) {\n    revoked\n  }\n}\n\nmutation TokenRevokeAllSessions {\n  tokenRevokeAllSessions {\n    revoked\n  }\n}"): typeof import('./graphql.js').TokenSessionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation TokenObtainPair($username: String!, $password: String!) {\n  tokenObtainPair(username: $username, password: $password) {\n    access\n    refresh\n  }\n}\n\nmutation TokenRefresh($refresh: String!) {\n  tokenRefresh(refresh: $refresh) {\n    access\n    refresh\n  }\n}\n\nmutation TokenVerify($token: String!) {\n  tokenVerify(token: $token) {\n    valid\n  }\n}\n\nmutation TokenBlacklist($refresh: String!) {\n  tokenBlacklist(refresh: $refresh) {\n    blacklisted\n  }\n}\n\nmutation TokenObtainSliding($username: String!, $password: String!) {\n  tokenObtainSliding(username: $username, password: $password) {\n    token\n  }\n}\n\nmutation TokenRefreshSliding($token: String!) {\n  tokenRefreshSliding(token: $token) {\n    token\n  }\n}"): typeof import('./graphql.js').TokenObtainPairDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me {\n  me {\n    id\n    username\n    isStaff\n  }\n}\n\nquery Whoami {\n  whoami {\n    id\n    tokenType\n    claims {\n      name\n      value\n    }\n  }\n}"): typeof import('./graphql.js').MeDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
