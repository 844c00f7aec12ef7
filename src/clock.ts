/** The injectable clock: everything that needs "now" asks it, so tests control time without faking globals. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** Whole seconds since the epoch, floored (JWT NumericDate). */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
