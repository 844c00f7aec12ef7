import { randomBytes } from 'node:crypto';
import SchemaBuilder from '@pothos/core';
import { type GraphQLSchema, isObjectType, lexicographicSortSchema, printSchema } from 'graphql';
import { createYoga } from 'graphql-yoga';
import type { Connection } from 'mongoose';
import { TypedDocumentString } from '../../examples/generated/graphql.js';
import SimpleJwtPlugin, {
  type CreateSimpleJwtOptions,
  createScryptPasswordHasher,
  createSimpleJwt,
  createUserModel,
  insecureTestScryptOptions,
  type SimpleJwt,
  type SimpleJwtContext,
  type SimpleJwtPluginOptions,
  type UserDocument,
} from '../../src/index.js';
import { graphqlClient } from '../support/graphql-client.js';

export const passwordHasher = createScryptPasswordHasher(insecureTestScryptOptions);

/**
 * A SimpleJwt on the ready user model of `connection` (blacklist on), with cheap hashing. Token
 * families off unless overridden: these tests are about the token mutations; the session fields
 * are tested in test/sessions.
 */
export function readyModelJwt(
  connection: Connection,
  overrides: Partial<CreateSimpleJwtOptions<UserDocument>> = {},
): SimpleJwt<UserDocument> {
  return createSimpleJwt<UserDocument>({
    connection,
    userModel: createUserModel(connection),
    passwordHasher,
    familyStore: false,
    ...overrides,
    settings: { signingKey: randomBytes(64), ...overrides.settings },
  });
}

/** A fresh builder with the plugin; `simpleJwt` is the builder option under test. */
export function pluginBuilder(simpleJwt: SimpleJwtPluginOptions) {
  return new SchemaBuilder<{ Context: SimpleJwtContext<UserDocument> }>({
    plugins: [SimpleJwtPlugin],
    simpleJwt,
  });
}

/** The field names of a root or object type, sorted; `[]` when the type is absent. */
export function fieldNames(schema: GraphQLSchema, typeName: string): string[] {
  const type = schema.getType(typeName);
  return isObjectType(type) ? Object.keys(type.getFields()).sort() : [];
}

/** The argument names of `typeName.fieldName`, sorted. */
export function argumentNames(schema: GraphQLSchema, typeName: string, fieldName: string): string[] {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) return [];
  return (type.getFields()[fieldName]?.args ?? []).map((arg) => arg.name).sort();
}

export function printed(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema));
}

/**
 * Runs GraphQL text in-process through `yoga.fetch` (the whole Yoga pipeline: context factory,
 * validation, error masking, HTTP status), with an optional bearer token or raw Authorization header.
 */
export function yogaRunner<User extends object>(schema: GraphQLSchema, jwt: SimpleJwt<User>) {
  const yoga = createYoga({ schema, context: jwt.yogaContext, logging: false });
  const execute = graphqlClient(async (url, init) => yoga.fetch(url, init), 'http://yoga.test/graphql');
  return <TResult = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    auth: { token?: string; authorization?: string } = {},
  ) => execute(new TypedDocumentString<TResult, Record<string, unknown>>(query), variables, auth);
}
