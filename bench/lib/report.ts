/** What each benchmark section hands back: a Markdown part, raw data for the JSON file, target checks. */

export interface TargetCheck {
  readonly name: string;
  /** The target in words, e.g. ">= 0.60". */
  readonly target: string;
  /** The measured value in words. */
  readonly measured: string;
  readonly pass: boolean;
}

export interface SectionResult {
  readonly id: string;
  readonly title: string;
  readonly markdown: string;
  readonly data: unknown;
  readonly targets: readonly TargetCheck[];
}

/** A Markdown table; cells are printed as given. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Thousands separators, no decimals: 4,102. */
export function integer(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

/** Fixed decimals: 0.87. */
export function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}
