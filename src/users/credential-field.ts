import { SimpleJwtError } from '../errors.js';

/** How one credential argument is checked: a port of DRF's `CharField` as Simple JWT declares it. */
export interface CredentialFieldRules {
  /** The argument's name, reported in `extensions.field`. */
  readonly field: string;
  /** Longest accepted value after trimming, in Unicode code points (Django counts characters). */
  readonly maxLength: number;
  /** Strip leading and trailing whitespace first (DRF's `trim_whitespace`). */
  readonly trim: boolean;
}

/** DRF's field error texts, which Simple JWT sends as is. */
export const fieldMessages = {
  required: 'This field is required.',
  null: 'This field may not be null.',
  invalid: 'Not a valid string.',
  blank: 'This field may not be blank.',
  maxLength: (max: number) => `Ensure this field has no more than ${max} characters.`,
  nullCharacters: 'Null characters are not allowed.',
} as const;

/** Python's `str.isspace()`: what `str.strip()`, and so DRF, trims (wider than ASCII, narrower than `String.prototype.trim`). */
function isPythonWhitespace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    (code >= 0x1c && code <= 0x20) ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** `str.strip()` as a linear scan (an anchored `/\s+$/` regex is quadratic on long whitespace runs). */
export function stripLikePython(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isPythonWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isPythonWhitespace(value.charCodeAt(end - 1))) end--;
  return value.slice(start, end);
}

/** Whether `value` has more than `max` code points, without walking a string that is obviously too long. */
function longerThan(value: string, max: number): boolean {
  if (value.length <= max) return false;
  // A code point is one or two UTF-16 units, so beyond 2·max units it cannot fit.
  if (value.length > 2 * max) return true;
  let count = 0;
  for (const _ of value) if (++count > max) return true;
  return false;
}

function fieldError(field: string, message: string): SimpleJwtError {
  return new SimpleJwtError('BAD_USER_INPUT', message, { extensions: { field } });
}

/**
 * Checks and cleans one credential, in DRF's order: present, not null, a string (numbers, objects and
 * arrays are refused, so operator objects such as `{ $ne: '' }` never reach a query), not blank, then
 * trimmed, not too long and without a NUL character (Django's `ProhibitNullCharactersValidator`: a
 * database such as PostgreSQL cannot store one, so it is refused as bad input, never a server error).
 * @throws SimpleJwtError `BAD_USER_INPUT` with DRF's message and `extensions.field`.
 */
export function cleanCredentialField(value: unknown, rules: CredentialFieldRules): string {
  if (value === undefined) throw fieldError(rules.field, fieldMessages.required);
  if (value === null) throw fieldError(rules.field, fieldMessages.null);
  if (typeof value !== 'string') throw fieldError(rules.field, fieldMessages.invalid);
  const cleaned = rules.trim ? stripLikePython(value) : value;
  if (cleaned === '') throw fieldError(rules.field, fieldMessages.blank);
  if (longerThan(cleaned, rules.maxLength))
    throw fieldError(rules.field, fieldMessages.maxLength(rules.maxLength));
  if (cleaned.includes('\0')) throw fieldError(rules.field, fieldMessages.nullCharacters);
  return cleaned;
}
