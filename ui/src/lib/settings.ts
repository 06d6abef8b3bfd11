// Pure helpers of the Settings view: reading a whole-number amount as typed (hours and days
// of history), and which typed amounts are not one.
import type { StorageConfig } from "./bindings/StorageConfig";

/** The history amounts the Settings view edits, in the order it shows them. */
export const HISTORY_AMOUNTS = ["raw_hours", "minute_days", "quarter_hour_days"] as const satisfies readonly (keyof StorageConfig)[];
export type HistoryAmount = (typeof HISTORY_AMOUNTS)[number];

/**
 * The whole number a field holds ("24", " 730 "), or null when it holds none: empty, a
 * fraction, a sign, an exponent, or too large to be exact. The range is Lookout's to judge.
 */
export function wholeNumber(text: string): number | null {
  const s = text.trim();
  if (!/^\d{1,15}$/.test(s)) return null;
  return Number(s);
}

/** How many of the typed amounts are not whole numbers. */
export function amountProblems(typed: Partial<Record<HistoryAmount, string>>): number {
  return HISTORY_AMOUNTS.filter((k) => typed[k] !== undefined && wholeNumber(typed[k]) === null).length;
}
