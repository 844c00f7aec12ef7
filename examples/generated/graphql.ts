/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type TokenSessionsQueryVariables = Exact<{ [key: string]: never; }>;


export type TokenSessionsQuery = { tokenSessions: Array<{ id: string, createdAt: string, lastUsedAt: string, userAgent: string | null, current: boolean }> };

export type TokenRevokeSessionMutationVariables = Exact<{
  id: string | number;
}>;


export type TokenRevokeSessionMutation = { tokenRevokeSession: { revoked: number } };

export type TokenRevokeAllSessionsMutationVariables = Exact<{ [key: string]: never; }>;


export type TokenRevokeAllSessionsMutation = { tokenRevokeAllSessions: { revoked: number } };

export type TokenObtainPairMutationVariables = Exact<{
  username: string;
  password: string;
}>;


export type TokenObtainPairMutation = { tokenObtainPair: { access: string, refresh: string } | null };

export type TokenRefreshMutationVariables = Exact<{
  refresh: string;
}>;


export type TokenRefreshMutation = { tokenRefresh: { access: string, refresh: string | null } | null };

export type TokenVerifyMutationVariables = Exact<{
  token: string;
}>;


export type TokenVerifyMutation = { tokenVerify: { valid: boolean } | null };

export type TokenBlacklistMutationVariables = Exact<{
  refresh: string;
}>;


export type TokenBlacklistMutation = { tokenBlacklist: { blacklisted: boolean } | null };

export type TokenObtainSlidingMutationVariables = Exact<{
  username: string;
  password: string;
}>;


export type TokenObtainSlidingMutation = { tokenObtainSliding: { token: string } | null };

export type TokenRefreshSlidingMutationVariables = Exact<{
  token: string;
}>;


export type TokenRefreshSlidingMutation = { tokenRefreshSliding: { token: string } | null };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, username: string, isStaff: boolean } | null };

export type WhoamiQueryVariables = Exact<{ [key: string]: never; }>;


export type WhoamiQuery = { whoami: { id: string, tokenType: string | null, claims: Array<{ name: string, value: string }> } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const TokenSessionsDocument = new TypedDocumentString(`
    query TokenSessions {
  tokenSessions {
    id
    createdAt
    lastUsedAt
    userAgent
    current
  }
}
    `) as unknown as TypedDocumentString<TokenSessionsQuery, TokenSessionsQueryVariables>;
export const TokenRevokeSessionDocument = new TypedDocumentString(`
    mutation TokenRevokeSession($id: ID!) {
  tokenRevokeSession(id: $id) {
    revoked
  }
}
    `) as unknown as TypedDocumentString<TokenRevokeSessionMutation, TokenRevokeSessionMutationVariables>;
export const TokenRevokeAllSessionsDocument = new TypedDocumentString(`
    mutation TokenRevokeAllSessions {
  tokenRevokeAllSessions {
    revoked
  }
}
    `) as unknown as TypedDocumentString<TokenRevokeAllSessionsMutation, TokenRevokeAllSessionsMutationVariables>;
export const TokenObtainPairDocument = new TypedDocumentString(`
    mutation TokenObtainPair($username: String!, $password: String!) {
  tokenObtainPair(username: $username, password: $password) {
    access
    refresh
  }
}
    `) as unknown as TypedDocumentString<TokenObtainPairMutation, TokenObtainPairMutationVariables>;
export const TokenRefreshDocument = new TypedDocumentString(`
    mutation TokenRefresh($refresh: String!) {
  tokenRefresh(refresh: $refresh) {
    access
    refresh
  }
}
    `) as unknown as TypedDocumentString<TokenRefreshMutation, TokenRefreshMutationVariables>;
export const TokenVerifyDocument = new TypedDocumentString(`
    mutation TokenVerify($token: String!) {
  tokenVerify(token: $token) {
    valid
  }
}
    `) as unknown as TypedDocumentString<TokenVerifyMutation, TokenVerifyMutationVariables>;
export const TokenBlacklistDocument = new TypedDocumentString(`
    mutation TokenBlacklist($refresh: String!) {
  tokenBlacklist(refresh: $refresh) {
    blacklisted
  }
}
    `) as unknown as TypedDocumentString<TokenBlacklistMutation, TokenBlacklistMutationVariables>;
export const TokenObtainSlidingDocument = new TypedDocumentString(`
    mutation TokenObtainSliding($username: String!, $password: String!) {
  tokenObtainSliding(username: $username, password: $password) {
    token
  }
}
    `) as unknown as TypedDocumentString<TokenObtainSlidingMutation, TokenObtainSlidingMutationVariables>;
export const TokenRefreshSlidingDocument = new TypedDocumentString(`
    mutation TokenRefreshSliding($token: String!) {
  tokenRefreshSliding(token: $token) {
    token
  }
}
    `) as unknown as TypedDocumentString<TokenRefreshSlidingMutation, TokenRefreshSlidingMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    id
    username
    isStaff
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const WhoamiDocument = new TypedDocumentString(`
    query Whoami {
  whoami {
    id
    tokenType
    claims {
      name
      value
    }
  }
}
    `) as unknown as TypedDocumentString<WhoamiQuery, WhoamiQueryVariables>;