import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../codegen.js';

describe('generated client documents', () => {
  it('match schema.graphql and examples/operations (run `npm run codegen` after a change)', async () => {
    const outputs = await generate({ ...config, silent: true, verbose: false }, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const onDisk = readFileSync(new URL(`../../${output.filename}`, import.meta.url), 'utf8');
      expect(onDisk, output.filename).toBe(output.content);
    }
  }, 60_000);
});
