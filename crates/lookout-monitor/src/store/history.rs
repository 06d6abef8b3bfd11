//! The history tables: writing readings (raw chunks and both rollup tiers in one
//! transaction), reading one metric's range, and pruning each tier by its retention.

use super::{corrupt, Result, Store};
use crate::history::{codec, packed, Bucket, HistoryPolicy, Tier};
use lookout_core::time::duration_ms;
use lookout_core::Timestamp;
use rusqlite::{params, OptionalExtension};
use std::time::Duration;

/// No raw chunk spans more than this, so a range query knows how far back to look for chunks
/// that reach into it.
pub const MAX_CHUNK_SPAN_MS: i64 = 60_000;

fn table(tier: Tier) -> &'static str {
    match tier {
        Tier::Raw => "history_raw",
        Tier::Minute => "history_1m",
        Tier::QuarterHour => "history_15m",
    }
}

impl Store {
    /// The id of `metric` in the history, if it was ever recorded.
    pub fn metric_id(&self, metric: &str) -> Result<Option<i64>> {
        if let Some(&id) = self.metric_ids.get(metric) {
            return Ok(Some(id));
        }
        self.conn
            .prepare_cached("SELECT id FROM metric_ids WHERE key = ?1")
            .and_then(|mut s| s.query_row([metric], |r| r.get(0)).optional())
            .map_err(|e| self.sql_err(e))
    }

    /// Every metric the history holds, by name.
    pub fn history_metrics(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT key FROM metric_ids ORDER BY key")
            .map_err(|e| self.sql_err(e))?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>());
        rows.map_err(|e| self.sql_err(e))
    }

    fn ensure_metric_id(&mut self, metric: &str) -> Result<i64> {
        if let Some(&id) = self.metric_ids.get(metric) {
            return Ok(id);
        }
        let id: i64 = self
            .conn
            .prepare_cached(
                "INSERT INTO metric_ids (key) VALUES (?1) \
                 ON CONFLICT (key) DO UPDATE SET key = excluded.key RETURNING id",
            )
            .and_then(|mut s| s.query_row([metric], |r| r.get(0)))
            .map_err(|e| self.sql_err(e))?;
        self.metric_ids.insert(metric.to_owned(), id);
        Ok(id)
    }

    /// Writes each metric's readings (times increasing, values finite) as raw chunks and adds
    /// them to both rollup tiers, all in one transaction: a crash keeps all of it or none.
    /// Readings already stored (the same metric and first time) are not counted twice.
    pub fn write_history(&mut self, batch: &[(String, Vec<(i64, f64)>)]) -> Result<()> {
        let mut ids = Vec::with_capacity(batch.len());
        for (metric, _) in batch {
            ids.push(self.ensure_metric_id(metric)?);
        }
        let mut bytes = Vec::new();
        self.batch(|b| {
            let err = |e| b.sql_err(e);
            let mut raw = b
                .tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO history_raw (metric, t0, t1, data) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(err)?;
            for ((_, readings), &id) in batch.iter().zip(&ids) {
                for chunk in chunks(readings) {
                    let (Some(first), Some(last)) = (chunk.first(), chunk.last()) else {
                        continue;
                    };
                    bytes.clear();
                    codec::encode(chunk, &mut bytes);
                    if raw.execute(params![id, first.0, last.0, bytes]).map_err(err)? == 0 {
                        continue;
                    }
                    for tier in [Tier::Minute, Tier::QuarterHour] {
                        add_to_rollups(b, tier, id, chunk)?;
                    }
                }
            }
            Ok(())
        })
    }

    /// One metric's raw readings with `from <= t < to`, in time order.
    pub fn history_raw(&self, metric: &str, from: i64, to: i64) -> Result<Vec<(i64, f64)>> {
        let Some(id) = self.metric_id(metric)? else {
            return Ok(Vec::new());
        };
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT t0, data FROM history_raw \
                 WHERE metric = ?1 AND t0 >= ?2 AND t0 < ?3 AND t1 >= ?4 ORDER BY t0",
            )
            .map_err(|e| self.sql_err(e))?;
        let mut rows = stmt
            .query(params![
                id,
                from.saturating_sub(MAX_CHUNK_SPAN_MS),
                to,
                from
            ])
            .map_err(|e| self.sql_err(e))?;
        let mut out: Vec<(i64, f64)> = Vec::new();
        let mut chunk = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
            let t0: i64 = row.get(0).map_err(|e| self.sql_err(e))?;
            let data = row.get_ref(1).and_then(|v| v.as_blob().map_err(Into::into));
            let data = data.map_err(|e| self.sql_err(e))?;
            chunk.clear();
            codec::decode(t0, data, &mut chunk)
                .map_err(|e| corrupt(&self.path, "history chunk", e))?;
            out.extend(chunk.iter().filter(|(t, _)| (from..to).contains(t)));
        }
        // Chunks from before a clock step back may interleave: keep the result in order.
        if out.windows(2).any(|w| w[0].0 > w[1].0) {
            out.sort_by_key(|r| r.0);
        }
        Ok(out)
    }

    /// One metric's rollups of `tier` with `from <= t < to` (bucket starts), in time order.
    pub fn history_rollups(
        &self,
        tier: Tier,
        metric: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<Bucket>> {
        let (Some(packing), Some(id)) = (tier.packing(), self.metric_id(metric)?) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT t, data FROM {} WHERE metric = ?1 AND t >= ?2 AND t < ?3 ORDER BY t",
            table(tier)
        );
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(|e| self.sql_err(e))?;
        let mut rows = stmt
            .query(params![id, packing.row_start(from), to])
            .map_err(|e| self.sql_err(e))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.sql_err(e))? {
            let t: i64 = row.get(0).map_err(|e| self.sql_err(e))?;
            let data = row.get_ref(1).and_then(|v| v.as_blob().map_err(Into::into));
            let data = data.map_err(|e| self.sql_err(e))?;
            packed::decode(t, packing, data, &mut out)
                .map_err(|e| corrupt(&self.path, "history rollup", e))?;
        }
        out.retain(|b| (from..to).contains(&b.t));
        Ok(out)
    }

    /// The oldest and newest time `tier` holds for any metric.
    pub fn history_extent(&self, tier: Tier) -> Result<Option<(i64, i64)>> {
        let column = if tier == Tier::Raw { "t0" } else { "t" };
        let sql = format!("SELECT min({column}), max({column}) FROM {}", table(tier));
        self.conn
            .query_row(&sql, [], |r| {
                Ok(Option::zip(r.get::<_, Option<i64>>(0)?, r.get(1)?))
            })
            .map_err(|e| self.sql_err(e))
    }

    /// Deletes what each tier no longer keeps at `now`; returns the rows removed.
    pub fn prune_history(&mut self, policy: &HistoryPolicy, now: Timestamp) -> Result<usize> {
        let ids: Vec<i64> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM metric_ids")
                .map_err(|e| self.sql_err(e))?;
            let rows = stmt
                .query_map([], |r| r.get(0))
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<i64>>>());
            rows.map_err(|e| self.sql_err(e))?
        };
        let cutoff = |keep: Duration| now.as_millis().saturating_sub(duration_ms(keep));
        self.batch(|b| {
            let mut removed = 0;
            for tier in [Tier::Raw, Tier::Minute, Tier::QuarterHour] {
                // A raw chunk goes once its last reading is out of reach, a rollup row once
                // its last bucket is: whole rows only, so a tier keeps up to one row more.
                let (sql, before) = match tier.packing() {
                    None => (
                        "DELETE FROM history_raw WHERE metric = ?1 AND t0 < ?2 AND t1 < ?2"
                            .to_owned(),
                        cutoff(policy.keeps(tier)),
                    ),
                    Some(p) => (
                        format!("DELETE FROM {} WHERE metric = ?1 AND t <= ?2", table(tier)),
                        cutoff(policy.keeps(tier)).saturating_sub(p.row_ms()),
                    ),
                };
                let mut stmt = b.tx.prepare_cached(&sql).map_err(|e| b.sql_err(e))?;
                for &id in &ids {
                    removed += stmt
                        .execute(params![id, before])
                        .map_err(|e| b.sql_err(e))?;
                }
            }
            Ok(removed)
        })
    }
}

/// Splits time-ordered readings into chunks that span at most [`MAX_CHUNK_SPAN_MS`].
fn chunks(readings: &[(i64, f64)]) -> impl Iterator<Item = &[(i64, f64)]> {
    let mut rest = readings;
    std::iter::from_fn(move || {
        let first = rest.first()?.0;
        let n = rest
            .iter()
            .position(|r| r.0 - first > MAX_CHUNK_SPAN_MS)
            .unwrap_or(rest.len());
        let (chunk, tail) = rest.split_at(n);
        rest = tail;
        Some(chunk)
    })
}

/// Folds `readings` into `tier`'s buckets, merging with what the rows already hold.
fn add_to_rollups(
    b: &super::Batch<'_>,
    tier: Tier,
    id: i64,
    readings: &[(i64, f64)],
) -> Result<()> {
    let Some(packing) = tier.packing() else {
        return Ok(());
    };
    let mut buckets: Vec<Bucket> = Vec::new();
    for &(t, v) in readings {
        let start = t.saturating_sub(t.rem_euclid(packing.bucket_ms));
        match buckets.last_mut() {
            Some(bucket) if bucket.t == start => bucket.merge(&Bucket::one(start, v)),
            _ => buckets.push(Bucket::one(start, v)),
        }
    }
    let read_sql = format!(
        "SELECT data FROM {} WHERE metric = ?1 AND t = ?2",
        table(tier)
    );
    let write_sql = format!(
        "INSERT OR REPLACE INTO {} (metric, t, data) VALUES (?1, ?2, ?3)",
        table(tier)
    );
    let mut read = b.tx.prepare_cached(&read_sql).map_err(|e| b.sql_err(e))?;
    let mut write = b.tx.prepare_cached(&write_sql).map_err(|e| b.sql_err(e))?;
    let mut rest = buckets.as_slice();
    while let Some(first) = rest.first() {
        let row = packing.row_start(first.t);
        let n = rest
            .iter()
            .position(|x| packing.row_start(x.t) != row)
            .unwrap_or(rest.len());
        let (these, tail) = rest.split_at(n);
        rest = tail;
        let mut held = Vec::new();
        let stored: Option<Vec<u8>> = read
            .query_row(params![id, row], |r| r.get(0))
            .optional()
            .map_err(|e| b.sql_err(e))?;
        if let Some(data) = stored {
            packed::decode(row, packing, &data, &mut held)
                .map_err(|e| corrupt(b.path, "history rollup", e))?;
        }
        packed::merge(&mut held, these);
        let mut bytes = Vec::new();
        packed::encode(row, packing, &held, &mut bytes);
        write
            .execute(params![id, row, bytes])
            .map_err(|e| b.sql_err(e))?;
    }
    Ok(())
}
