//! The raw tier's chunk format: one metric's readings over a few ticks, packed small and kept
//! exact (every `f64` comes back bit for bit).
//!
//! Each reading is a varint of `(milliseconds since the previous reading << 1) | integral`,
//! then the value: a zigzag varint when it is a whole number below 2^53 (counts, bytes), else
//! its 8 bytes, little-endian. The first reading's time is the chunk's `t0`, its delta 0.

/// Whole numbers up to this magnitude are stored as integers (every one is an exact `f64`).
const MAX_EXACT_INT: f64 = 9_007_199_254_740_992.0;

/// A chunk that does not decode: the database was damaged or written by something else.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a history chunk is damaged at byte {at}")]
pub struct Damaged {
    pub at: usize,
}

/// Appends `readings` (times strictly increasing, values finite) to `out`; `t0` is the first
/// reading's time.
pub fn encode(readings: &[(i64, f64)], out: &mut Vec<u8>) {
    let mut prev = readings.first().map_or(0, |r| r.0);
    for &(t, v) in readings {
        let delta = u64::try_from(t.saturating_sub(prev)).unwrap_or(0);
        prev = t;
        let integral = is_integral(v);
        put_varint(out, delta << 1 | u64::from(integral));
        put_value(out, v, integral);
    }
}

/// Decodes a chunk that starts at `t0`, appending its readings to `out`.
pub fn decode(t0: i64, data: &[u8], out: &mut Vec<(i64, f64)>) -> Result<(), Damaged> {
    let mut at = 0;
    let mut t = t0;
    while at < data.len() {
        let head = get_varint(data, &mut at)?;
        let delta = i64::try_from(head >> 1).map_err(|_| Damaged { at })?;
        t = t.checked_add(delta).ok_or(Damaged { at })?;
        let value = get_value(data, &mut at, head & 1 == 1)?;
        out.push((t, value));
    }
    Ok(())
}

/// Whether `v` is stored as an integer: a whole number below 2^53, and not -0.
pub(super) fn is_integral(v: f64) -> bool {
    v.fract() == 0.0 && v.abs() < MAX_EXACT_INT && !is_negative_zero(v)
}

/// Appends `v`: a zigzag varint when `integral` (see [`is_integral`]), else its 8 bytes.
pub(super) fn put_value(out: &mut Vec<u8>, v: f64, integral: bool) {
    if integral {
        put_varint(out, zigzag(v as i64));
    } else {
        out.extend_from_slice(&v.to_le_bytes());
    }
}

/// Reads a value [`put_value`] wrote.
pub(super) fn get_value(data: &[u8], at: &mut usize, integral: bool) -> Result<f64, Damaged> {
    if integral {
        return Ok(unzigzag(get_varint(data, at)?) as f64);
    }
    let bytes: [u8; 8] = data
        .get(*at..*at + 8)
        .and_then(|b| b.try_into().ok())
        .ok_or(Damaged { at: *at })?;
    *at += 8;
    Ok(f64::from_le_bytes(bytes))
}

fn is_negative_zero(v: f64) -> bool {
    v == 0.0 && v.is_sign_negative()
}

fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

fn unzigzag(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

pub(super) fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

pub(super) fn get_varint(data: &[u8], at: &mut usize) -> Result<u64, Damaged> {
    let mut n: u64 = 0;
    for shift in (0..64).step_by(7) {
        let byte = *data.get(*at).ok_or(Damaged { at: *at })?;
        *at += 1;
        n |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(n);
        }
    }
    Err(Damaged { at: *at })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn round_trip(readings: &[(i64, f64)]) -> Vec<(i64, f64)> {
        let mut bytes = Vec::new();
        encode(readings, &mut bytes);
        let mut back = Vec::new();
        decode(readings[0].0, &bytes, &mut back).expect("decodes");
        back
    }

    #[test]
    fn whole_numbers_take_a_few_bytes_and_fractions_eight() {
        let mut bytes = Vec::new();
        encode(&[(1_000, 8_000_000_000.0), (2_000, 3.0)], &mut bytes);
        assert_eq!(bytes.len(), 1 + 5 + 2 + 1);
        let mut frac = Vec::new();
        encode(&[(1_000, 68.7)], &mut frac);
        assert_eq!(frac.len(), 1 + 8);
    }

    #[test]
    fn negative_zero_and_extremes_come_back_bit_for_bit() {
        let readings = [
            (5, -0.0),
            (6, f64::MAX),
            (7, -f64::MIN_POSITIVE),
            (8, -9_007_199_254_740_991.0),
            (9, 9_007_199_254_740_992.0),
        ];
        let back = round_trip(&readings);
        for (a, b) in readings.iter().zip(&back) {
            assert_eq!(a.0, b.0);
            assert_eq!(a.1.to_bits(), b.1.to_bits());
        }
    }

    #[test]
    fn a_truncated_chunk_is_damaged_not_a_panic() {
        let mut bytes = Vec::new();
        encode(&[(0, 1.5), (1000, 2.5)], &mut bytes);
        // The first reading takes 9 bytes: cut there, the chunk is one reading shorter.
        for cut in 1..bytes.len() {
            let mut out = Vec::new();
            let decoded = decode(0, &bytes[..cut], &mut out);
            if cut == 9 {
                assert_eq!(out, vec![(0, 1.5)]);
            } else {
                assert!(decoded.is_err(), "cut at {cut}");
            }
        }
    }

    proptest! {
        #[test]
        fn every_reading_round_trips(
            start in -1_000_000_000_000i64..4_000_000_000_000,
            steps in proptest::collection::vec((1i64..10_000_000, proptest::num::f64::NORMAL | proptest::num::f64::ZERO | proptest::num::f64::SUBNORMAL), 1..200),
        ) {
            let mut t = start;
            let readings: Vec<(i64, f64)> = steps.iter().map(|&(dt, v)| { t += dt; (t, v) }).collect();
            let back = round_trip(&readings);
            prop_assert_eq!(back.len(), readings.len());
            for (a, b) in readings.iter().zip(&back) {
                prop_assert_eq!(a.0, b.0);
                prop_assert_eq!(a.1.to_bits(), b.1.to_bits());
            }
        }

        #[test]
        fn any_bytes_decode_or_fail_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let mut out = Vec::new();
            let _ = decode(0, &bytes, &mut out);
        }
    }
}
