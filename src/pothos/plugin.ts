import SchemaBuilder, {
  BasePlugin,
  type PothosOutputFieldConfig,
  PothosSchemaError,
  type SchemaTypes,
} from '@pothos/core';
import { type GraphQLFieldResolver, responsePathAsArray } from 'graphql';
import { AuthenticationFailedError, messages } from '../errors.js';
import { addSessionFields } from './session-fields.js';
import { addTokenMutations } from './token-mutations.js';
import type { SimpleJwtContext } from './types.js';

export const pluginName = 'simpleJwt';

// Types and mutations are added once per builder, however often `toSchema()` runs.
const buildersWithMutations = new WeakSet<object>();

function hasAuthenticatedUser(context: unknown): boolean {
  const { user, tokenUser } = (context ?? {}) as Partial<SimpleJwtContext>;
  return Boolean(user ?? tokenUser);
}

/** `resolver` behind the `authRequired` check: UNAUTHENTICATED (401) without a user. */
function guarded<Context>(
  resolver: GraphQLFieldResolver<unknown, Context, object>,
): GraphQLFieldResolver<unknown, Context, object> {
  return (parent, args, context, info) => {
    if (!hasAuthenticatedUser(context)) {
      // Located here, so the executor does not wrap it in a second error (with a formatted stack).
      throw new AuthenticationFailedError('UNAUTHENTICATED', messages.authenticationRequired, {
        nodes: info.fieldNodes,
        path: responsePathAsArray(info.path),
      });
    }
    return resolver(parent, args, context, info);
  };
}

/** Adds the token mutations at build time and enforces the `authRequired` field option. */
export class PothosSimpleJwtPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override beforeBuild(): void {
    if (buildersWithMutations.has(this.builder)) return;
    buildersWithMutations.add(this.builder);
    const options = this.builder.options.simpleJwt;
    if (!options) {
      throw new PothosSchemaError(
        'SimpleJwtPlugin needs the builder option `simpleJwt`: new SchemaBuilder({ plugins: [SimpleJwtPlugin], simpleJwt: jwt })',
      );
    }
    // The mutations only use builder methods that do not depend on the user's schema types.
    addTokenMutations(this.builder as unknown as PothosSchemaTypes.SchemaBuilder<SchemaTypes>, options);
    addSessionFields(this.builder as unknown as PothosSchemaTypes.SchemaBuilder<SchemaTypes>, options);
  }

  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    // Fields without the option keep their resolver untouched: no cost on the hot path.
    if (!fieldConfig.pothosOptions.authRequired) return resolver;
    return guarded(resolver);
  }

  override wrapSubscribe(
    subscribe: GraphQLFieldResolver<unknown, Types['Context'], object> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> | undefined {
    // A protected subscription must fail before its event stream opens, not on each event.
    if (!subscribe || !fieldConfig.pothosOptions.authRequired) return subscribe;
    return guarded(subscribe);
  }
}

SchemaBuilder.registerPlugin(pluginName, PothosSimpleJwtPlugin);
