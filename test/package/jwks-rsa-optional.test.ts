import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadJwksRsa } from '../../src/backend/load-jwks-rsa.js';
import { ImproperlyConfiguredError } from '../../src/errors.js';

// jwks-rsa is an optional peer dependency: only the `jwkUrl` setting loads it.
let empty = '';
beforeAll(async () => {
  empty = await mkdtemp(join(tmpdir(), 'no-jwks-rsa-'));
});
afterAll(async () => {
  await rm(empty, { recursive: true, force: true });
});

describe('loading the optional jwks-rsa', () => {
  it('loads the installed package from its own location', () => {
    expect(loadJwksRsa().JwksClient).toEqual(expect.any(Function));
  });

  it('names the package and its install command when it cannot be resolved', () => {
    // Resolved from a directory with no node_modules anywhere above it: Node's real "not found".
    const load = () => loadJwksRsa(pathToFileURL(join(empty, 'app.js')));
    expect(load).toThrow(ImproperlyConfiguredError);
    expect(load).toThrow(
      "Simple JWT setting 'jwkUrl': needs the package 'jwks-rsa', which is not installed (an optional peer dependency); install it with: npm install jwks-rsa",
    );
  });
});
