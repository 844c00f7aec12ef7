/** Small statistics helpers: medians of repetitions and paired ratios. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Paired ratios of an interleaved series `baseline[0], variant[0], baseline[1], variant[1], ...,
 * baseline[n]`: each variant run is divided by the mean of the baseline runs right before and after it
 * (or the one before when there is no after), so slow drift of a shared machine cancels out.
 */
export function pairedRatios(
  baselines: readonly number[],
  variants: readonly number[],
  pick: 'before-after' | 'before' = 'before-after',
): number[] {
  return variants.map((value, index) => {
    const before = baselines[index]!;
    const after = pick === 'before-after' ? baselines[index + 1] : undefined;
    return value / (after === undefined ? before : (before + after) / 2);
  });
}

/** A number rounded to `digits` significant decimals for tables and JSON. */
export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
