import { createRequire } from 'node:module';
import type jwksRsa from 'jwks-rsa';
import { ImproperlyConfiguredError } from '../errors.js';

/** The jwks-rsa module: an optional peer dependency, needed only by the `jwkUrl` setting. */
export type JwksRsaModule = typeof jwksRsa;

/**
 * Loads jwks-rsa synchronously, so a missing package fails when the instance is created, with the
 * command that fixes it, rather than at the first token.
 * @param from where the package is resolved from (a file URL or path); this package's own location
 *   by default, so it is found wherever the application installed it.
 * @throws ImproperlyConfiguredError (setting `jwkUrl`) when jwks-rsa is not installed.
 */
export function loadJwksRsa(from: string | URL = import.meta.url): JwksRsaModule {
  const require = createRequire(from);
  let path: string;
  try {
    path = require.resolve('jwks-rsa');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new ImproperlyConfiguredError(
      'jwkUrl',
      "needs the package 'jwks-rsa', which is not installed (an optional peer dependency); install it with: npm install jwks-rsa",
    );
  }
  // Resolved above: a failure from here on is a broken install, reported as it is.
  return require(path) as JwksRsaModule;
}
