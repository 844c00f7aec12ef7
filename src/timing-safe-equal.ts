import { createHash, timingSafeEqual } from 'node:crypto';

/** Constant-time string comparison: both sides are hashed first so unequal lengths leak nothing either. */
export function timingSafeEqualStrings(a: string, b: string): boolean {
  const digestA = createHash('sha256').update(a).digest();
  const digestB = createHash('sha256').update(b).digest();
  return timingSafeEqual(digestA, digestB) && a.length === b.length;
}
