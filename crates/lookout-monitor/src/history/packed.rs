//! The rollup tiers' row format: the buckets of one block of time (fifteen 1-minute buckets,
//! or twenty-four 15-minute ones) packed in one row, so a year of rollups is a few bytes per
//! bucket rather than a row each.
//!
//! Each bucket present is a varint `offset << 3 | integral(min) << 2 | integral(max) << 1 |
//! integral(sum)`, a varint count, then min, max and sum as in [`super::codec`]: exact `f64`s,
//! whole numbers as zigzag varints.

use super::codec::{get_value, get_varint, is_integral, put_value, put_varint, Damaged};
use super::Bucket;

/// A tier's packing: how wide each bucket is and how many make a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Packing {
    pub bucket_ms: i64,
    pub per_row: i64,
}

impl Packing {
    /// The span one row covers.
    pub fn row_ms(self) -> i64 {
        self.bucket_ms * self.per_row
    }

    /// The start of the row that holds time `t`.
    pub fn row_start(self, t: i64) -> i64 {
        t.saturating_sub(t.rem_euclid(self.row_ms()))
    }
}

/// Encodes `buckets` (starts within one row beginning at `row`, increasing) into `out`.
pub fn encode(row: i64, packing: Packing, buckets: &[Bucket], out: &mut Vec<u8>) {
    for b in buckets {
        let offset = u64::try_from((b.t - row) / packing.bucket_ms.max(1)).unwrap_or(0);
        let flags = [b.min, b.max, b.sum].map(is_integral);
        let head =
            offset << 3 | u64::from(flags[0]) << 2 | u64::from(flags[1]) << 1 | u64::from(flags[2]);
        put_varint(out, head);
        put_varint(out, b.count);
        for (v, integral) in [b.min, b.max, b.sum].into_iter().zip(flags) {
            put_value(out, v, integral);
        }
    }
}

/// Decodes a row that starts at `row`, appending its buckets to `out`.
pub fn decode(
    row: i64,
    packing: Packing,
    data: &[u8],
    out: &mut Vec<Bucket>,
) -> Result<(), Damaged> {
    let mut at = 0;
    while at < data.len() {
        let head = get_varint(data, &mut at)?;
        let offset = i64::try_from(head >> 3).map_err(|_| Damaged { at })?;
        if offset >= packing.per_row {
            return Err(Damaged { at });
        }
        let count = get_varint(data, &mut at)?;
        let min = get_value(data, &mut at, head & 4 != 0)?;
        let max = get_value(data, &mut at, head & 2 != 0)?;
        let sum = get_value(data, &mut at, head & 1 != 0)?;
        out.push(Bucket {
            t: row + offset * packing.bucket_ms,
            min,
            max,
            sum,
            count,
        });
    }
    Ok(())
}

/// Merges `new` buckets into `row` (both ordered by start): a bucket in both takes in the
/// new readings.
pub fn merge(row: &mut Vec<Bucket>, new: &[Bucket]) {
    for b in new {
        match row.binary_search_by_key(&b.t, |r| r.t) {
            Ok(i) => row[i].merge(b),
            Err(i) => row.insert(i, *b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Packing = Packing {
        bucket_ms: 60_000,
        per_row: 15,
    };

    #[test]
    fn buckets_round_trip_exactly_and_merge() {
        let row = 900_000 * 1000;
        let buckets = vec![
            Bucket {
                t: row,
                min: 0.1,
                max: 68.7,
                sum: 120.25,
                count: 60,
            },
            Bucket {
                t: row + 14 * 60_000,
                min: 3.0,
                max: 9e15,
                sum: -0.0,
                count: 1,
            },
        ];
        let mut bytes = Vec::new();
        encode(row, MINUTE, &buckets, &mut bytes);
        let mut back = Vec::new();
        decode(row, MINUTE, &bytes, &mut back).expect("decodes");
        assert_eq!(back.len(), 2);
        for (a, b) in buckets.iter().zip(&back) {
            assert_eq!(a.t, b.t);
            assert_eq!(a.count, b.count);
            for (x, y) in [(a.min, b.min), (a.max, b.max), (a.sum, b.sum)] {
                assert_eq!(x.to_bits(), y.to_bits());
            }
        }
        let mut merged = back.clone();
        merge(
            &mut merged,
            &[Bucket::one(row + 60_000, 5.0), Bucket::one(row, 100.0)],
        );
        assert_eq!(merged.len(), 3);
        assert_eq!((merged[0].max, merged[0].count), (100.0, 61));
        assert_eq!(merged[1].t, row + 60_000);
    }

    #[test]
    fn an_offset_past_the_row_is_damage() {
        let mut bytes = Vec::new();
        encode(0, MINUTE, &[Bucket::one(15 * 60_000, 1.0)], &mut bytes);
        assert!(decode(0, MINUTE, &bytes, &mut Vec::new()).is_err());
        let mut short = Vec::new();
        encode(0, MINUTE, &[Bucket::one(0, 1.5)], &mut short);
        short.pop();
        assert!(decode(0, MINUTE, &short, &mut Vec::new()).is_err());
    }
}
