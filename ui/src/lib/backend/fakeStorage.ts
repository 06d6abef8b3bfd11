// The disk the fake backend says its database uses (get_storage_usage), made up from the
// synthetic history's extent: the fake pretends Lookout has recorded every metric it shows
// since RECORDING_DAYS before the fake started, each tier keeping what the saved config's
// `[storage]` says, at a plausible size per reading. None of this is Lookout's own arithmetic.
import type { StorageConfig } from "../bindings/StorageConfig";
import type { StorageUsage } from "../bindings/StorageUsage";
import type { Timestamp } from "../bindings/Timestamp";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How long before the fake started the pretend recording began. */
export const RECORDING_DAYS = 40;
/** Bytes per raw reading and per rollup (min, average, max, count), packed. */
const RAW_BYTES = 4;
const ROLLUP_BYTES = 14;
/** The rest of the database: its pages, the alert and delivery logs, the outbox. */
const BASE_BYTES = 196_608;
const BYTES_PER_LOG_ENTRY = 420;

export type StorageFacts = {
  storage: StorageConfig;
  /** Metrics recorded each tick. */
  metrics: number;
  /** The sampling interval, ms. */
  intervalMs: number;
  /** When the pretend recording began. */
  recordingSince: Timestamp;
  /** Entries in the alert log. */
  logEntries: number;
  now: Timestamp;
};

/** What get_storage_usage would answer; with history off, nothing is recorded. */
export function syntheticStorageUsage(f: StorageFacts): StorageUsage {
  const rest = BASE_BYTES + f.logEntries * BYTES_PER_LOG_ENTRY;
  if (!f.storage.history) return { database_bytes: rest, history_bytes: 0, history_since: null };
  const age = Math.max(0, f.now - f.recordingSince);
  const raw = Math.min(age, f.storage.raw_hours * HOUR);
  const minute = Math.min(age, f.storage.minute_days * DAY);
  const quarter = Math.min(age, f.storage.quarter_hour_days * DAY);
  const perMetric =
    Math.floor(raw / Math.max(1, f.intervalMs)) * RAW_BYTES +
    (Math.floor(minute / 60_000) + Math.floor(quarter / (15 * 60_000))) * ROLLUP_BYTES;
  const history = f.metrics * perMetric;
  const reach = Math.max(raw, minute, quarter);
  return { database_bytes: rest + history, history_bytes: history, history_since: reach > 0 ? f.now - reach : null };
}
