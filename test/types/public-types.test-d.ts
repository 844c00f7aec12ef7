import SchemaBuilder from '@pothos/core';
import type { Connection, HydratedDocument, Model } from 'mongoose';
import { Schema } from 'mongoose';
import SimpleJwtPlugin, {
  type AuthenticationResult,
  createSimpleJwt,
  createUserModel,
  type SimpleJwt,
  type SimpleJwtContext,
  type TokenUser,
  type UserDocument,
} from 'pothos-plugin-simple-jwt';
import { describe, expectTypeOf, it } from 'vitest';
import type { TokenInstance } from '../../src/tokens/bind-token-classes.js';

declare const connection: Connection;
const User = createUserModel(connection);

describe('SimpleJwtContext', () => {
  it('types ctx.user as the user document or null', () => {
    expectTypeOf<SimpleJwtContext<UserDocument>['user']>().toEqualTypeOf<UserDocument | null>();
    expectTypeOf<SimpleJwtContext<UserDocument>['user']>().not.toBeAny();
    expectTypeOf<SimpleJwtContext<UserDocument>['tokenUser']>().toEqualTypeOf<TokenUser | null>();
    expectTypeOf<SimpleJwtContext<UserDocument>['token']>().toEqualTypeOf<TokenInstance | null>();
    expectTypeOf<SimpleJwtContext<UserDocument>['token']>().not.toBeAny();
    expectTypeOf<SimpleJwtContext<UserDocument>>().toEqualTypeOf<AuthenticationResult<UserDocument>>();
  });

  it('narrows ctx.user inside a Pothos resolver', () => {
    const jwt = createSimpleJwt({ settings: {}, userModel: User });
    const builder = new SchemaBuilder<{ Context: SimpleJwtContext<UserDocument> }>({
      plugins: [SimpleJwtPlugin],
      simpleJwt: jwt,
    });
    builder.queryType({
      fields: (t) => ({
        username: t.string({
          nullable: true,
          resolve: (_root, _args, context) => {
            expectTypeOf(context.user).toEqualTypeOf<UserDocument | null>();
            expectTypeOf(context.user?.username).toEqualTypeOf<string | undefined>();
            expectTypeOf(context.user?.username).not.toBeAny();
            expectTypeOf(context.user?.isStaff).toEqualTypeOf<boolean | undefined>();
            expectTypeOf(context.tokenUser?.id).toEqualTypeOf<string | undefined>();
            return context.user?.username ?? null;
          },
        }),
      }),
    });
  });
});

describe('createSimpleJwt', () => {
  it('infers SimpleJwt<UserDocument> from the ready user model', () => {
    const jwt = createSimpleJwt({ settings: { signingKey: 'k' }, connection, userModel: User });
    expectTypeOf(jwt).toEqualTypeOf<SimpleJwt<UserDocument>>();
    expectTypeOf(jwt).not.toBeAny();
  });

  it("infers a custom model's hydrated document", () => {
    interface Member {
      email: string;
      password: string;
    }
    const Member: Model<Member> = connection.model<Member>('Member', new Schema<Member>({ email: String }));
    const jwt = createSimpleJwt({ settings: { usernameField: 'email' }, userModel: Member });
    expectTypeOf(jwt).toEqualTypeOf<SimpleJwt<HydratedDocument<Member>>>();
    expectTypeOf<Awaited<ReturnType<typeof jwt.yogaContext>>>().toEqualTypeOf<
      AuthenticationResult<HydratedDocument<Member>>
    >();
  });

  it('has no any in the public members', () => {
    const jwt = createSimpleJwt({ settings: {}, userModel: User });
    expectTypeOf<Awaited<ReturnType<typeof jwt.yogaContext>>>().toEqualTypeOf<
      SimpleJwtContext<UserDocument>
    >();
    expectTypeOf(jwt.apolloContext).returns.resolves.toEqualTypeOf<SimpleJwtContext<UserDocument>>();
    expectTypeOf(jwt.authenticate).returns.resolves.not.toBeAny();
    expectTypeOf(jwt.obtainTokenPair).returns.resolves.toEqualTypeOf<{
      readonly access: string;
      readonly refresh: string;
    }>();
    expectTypeOf(jwt.refreshToken).returns.resolves.toEqualTypeOf<{
      readonly access: string;
      readonly refresh?: string;
    }>();
    expectTypeOf(jwt.verifyToken).returns.resolves.toEqualTypeOf<{ valid: true }>();
    expectTypeOf(jwt.blacklistToken).returns.resolves.toEqualTypeOf<{ blacklisted: boolean }>();
    expectTypeOf(jwt.users).not.toBeAny();
    expectTypeOf(jwt.settings).not.toBeAny();
    expectTypeOf(jwt.tokens).not.toBeAny();
    expectTypeOf(jwt.blacklistAllTokensOf).parameter(0).toEqualTypeOf<UserDocument>();
  });

  it('refuses a user model that is not a mongoose model', () => {
    // @ts-expect-error userModel must be a mongoose Model
    createSimpleJwt({ settings: {}, userModel: { findOne: () => null } });
  });
});

describe('the authRequired field option', () => {
  it('is accepted on object, query and mutation fields, and only as a boolean', () => {
    const jwt = createSimpleJwt({ settings: {}, userModel: User });
    const builder = new SchemaBuilder<{ Context: SimpleJwtContext<UserDocument> }>({
      plugins: [SimpleJwtPlugin],
      simpleJwt: jwt,
    });
    builder.queryType({
      fields: (t) => ({
        secret: t.string({ authRequired: true, resolve: () => 'ok' }),
        open: t.string({ authRequired: false, resolve: () => 'ok' }),
        // @ts-expect-error authRequired is a boolean
        wrong: t.string({ authRequired: 'yes', resolve: () => 'ok' }),
      }),
    });
    builder.mutationType({
      fields: (t) => ({ touch: t.boolean({ authRequired: true, resolve: () => true }) }),
    });
    builder.objectRef<UserDocument>('Profile').implement({
      fields: (t) => ({ name: t.exposeString('username', { authRequired: true }) }),
    });
  });

  it('takes the plugin options object with mutation names', () => {
    const jwt = createSimpleJwt({ settings: {}, userModel: User });
    new SchemaBuilder<{ Context: SimpleJwtContext<UserDocument> }>({
      plugins: [SimpleJwtPlugin],
      simpleJwt: {
        jwt,
        mutations: { tokenRefresh: 'refreshToken', tokenVerify: false },
        includeSliding: true,
      },
    });
    new SchemaBuilder<{ Context: SimpleJwtContext<UserDocument> }>({
      plugins: [SimpleJwtPlugin],
      // @ts-expect-error a mutation is renamed with a string or disabled with false, never enabled with true
      simpleJwt: { jwt, mutations: { tokenVerify: true } },
    });
  });
});
