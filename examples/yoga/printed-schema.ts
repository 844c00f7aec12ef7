import { randomBytes } from 'node:crypto';
import { lexicographicSortSchema, printSchema } from 'graphql';
import mongoose from 'mongoose';
import { createSimpleJwt, createUserModel, type UserDocument } from 'pothos-plugin-simple-jwt';
import { buildExampleSchema } from './schema.js';

/**
 * The example server's schema, sorted and printed: what `schema.graphql` must contain. Built with the
 * server's own settings (blacklist on, sliding tokens accepted) and no database connection.
 */
export function printExampleSchema(): string {
  const connection = mongoose.createConnection();
  const jwt = createSimpleJwt<UserDocument>({
    settings: { signingKey: randomBytes(64), authTokenClasses: ['access', 'sliding'] },
    connection,
    userModel: createUserModel(connection),
  });
  return `${printSchema(lexicographicSortSchema(buildExampleSchema(jwt)))}\n`;
}
