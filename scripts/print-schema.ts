import { writeFileSync } from 'node:fs';
import { printExampleSchema } from '../examples/yoga/printed-schema.js';

// `npm run schema:print`: rewrites schema.graphql from the example server.
writeFileSync(new URL('../schema.graphql', import.meta.url), printExampleSchema());
console.log('schema.graphql written');
process.exit(0);
