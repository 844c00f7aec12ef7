import type { Connection, HydratedDocument } from 'mongoose';
import { Schema } from 'mongoose';
import { describe, expectTypeOf, it } from 'vitest';
import { type Authenticator, createAuthenticator } from '../../src/users/authenticate.js';
import {
  createMongooseUserAdapter,
  type MongooseUserAdapter,
} from '../../src/users/mongoose-user-adapter.js';
import { createScryptPasswordHasher } from '../../src/users/password-hasher.js';
import type { AuthenticateUser } from '../../src/users/user-adapter.js';
import { createUserModel, type UserDocument } from '../../src/users/user-model.js';

declare const connection: Connection;

describe('user types', () => {
  it('types the ready model adapter with the ready document type', () => {
    const users = createMongooseUserAdapter(createUserModel(connection));
    expectTypeOf(users).toEqualTypeOf<MongooseUserAdapter<UserDocument>>();
    expectTypeOf<UserDocument['lastLogin']>().toEqualTypeOf<Date | null>();
  });

  it("infers a custom model's document type", () => {
    interface Member {
      email: string;
      active: boolean;
    }
    const Member = connection.model<Member>('Member', new Schema<Member>({ email: String, active: Boolean }));
    const members = createMongooseUserAdapter(Member, { usernameField: 'email', isActiveField: 'active' });
    expectTypeOf(members.findByUsername).returns.resolves.toEqualTypeOf<HydratedDocument<Member> | null>();
  });

  it('gives an authenticator that fits the AuthenticateUser hook', () => {
    const users = createMongooseUserAdapter(createUserModel(connection));
    const authenticate = createAuthenticator({ ...users, hasher: createScryptPasswordHasher() });
    expectTypeOf(authenticate).toEqualTypeOf<Authenticator<UserDocument>>();
    expectTypeOf(authenticate).toExtend<AuthenticateUser<UserDocument>>();
  });
});
