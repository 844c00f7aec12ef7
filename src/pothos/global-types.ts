import type { FieldNullability, InputFieldMap, SchemaTypes, TypeParam } from '@pothos/core';
import type { PothosSimpleJwtPlugin } from './plugin.js';
import type { SimpleJwtPluginOptions } from './types.js';

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      simpleJwt: PothosSimpleJwtPlugin<Types>;
    }

    export interface SchemaBuilderOptions<Types extends SchemaTypes> {
      /**
       * The `SimpleJwt` instance whose token mutations the plugin adds (see `createSimpleJwt`). Required
       * when the plugin is in `plugins` (checked at build time); optional in the type so that importing
       * the plugin does not force the option on every other SchemaBuilder of the program.
       */
      simpleJwt?: SimpleJwtPluginOptions;
    }

    export interface FieldOptions<
      Types extends SchemaTypes,
      ParentShape,
      Type extends TypeParam<Types>,
      Nullable extends FieldNullability<Type>,
      Args extends InputFieldMap,
      ResolveShape,
      ResolveReturnShape,
    > {
      /** Fail with `UNAUTHENTICATED` (401) when the request has no authenticated user. @default false */
      authRequired?: boolean;
    }
  }
}
