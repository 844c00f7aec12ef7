import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printExampleSchema } from '../../examples/yoga/printed-schema.js';

describe('schema.graphql', () => {
  it('is the sorted printed schema of the example server (run `npm run schema:print` after a change)', () => {
    const committed = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(printExampleSchema()).toBe(committed);
  });
});
