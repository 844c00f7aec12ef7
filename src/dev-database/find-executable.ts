import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `name` found on `PATH`, then in `extraDirectories`; `undefined` when there is none. */
export function findExecutable(name: string, extraDirectories: readonly string[] = []): string | undefined {
  const pathDirectories = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean);
  for (const directory of [...pathDirectories, ...extraDirectories]) {
    const candidate = join(directory, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** `$(go env GOPATH)/bin`, where `go install` and `npm run db:install` put FerretDB; empty without Go. */
export function goBinDirectories(): string[] {
  const directories: string[] = [];
  if (process.env['GOBIN']) directories.push(process.env['GOBIN']);
  if (process.env['GOPATH']) directories.push(join(process.env['GOPATH'], 'bin'));
  const go = findExecutable('go', ['/usr/local/go/bin']);
  if (go) {
    try {
      const gopath = execFileSync(go, ['env', 'GOPATH'], { encoding: 'utf8', timeout: 5000 }).trim();
      if (gopath) directories.push(join(gopath, 'bin'));
    } catch {
      // A broken Go install just means no FerretDB from GOPATH.
    }
  }
  if (process.env['HOME']) directories.push(join(process.env['HOME'], 'go', 'bin'));
  return [...new Set(directories)];
}
