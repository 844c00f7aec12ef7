import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed client documents for the tests and examples, generated from `schema.graphql` and the
 * operations in `examples/operations`. `npm run codegen` rewrites them; a test fails when they are stale.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/operations/*.graphql'],
  ignoreNoDocuments: false,
  // ESM with NodeNext resolution: generated imports need their .js extensions.
  emitLegacyCommonJSImports: false,
  generates: {
    'examples/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { documentMode: 'string', useTypeImports: true, enumsAsTypes: true },
    },
  },
};

export default config;
