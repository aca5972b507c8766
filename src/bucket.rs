//! Deterministic bucketing (DESIGN.md, normative): a unit's bucket in
//! [0, 100000) from XXH3-64 of `seed:unit`, fixed variant slots, and exposure
//! schedules evaluated in 128-bit integers.

use crate::time::EpochMillis;
use twox_hash::XxHash3_64;

/// The number of buckets: 100 % in units of 0.001 %.
pub const BUCKETS: u32 = 100_000;

/// Inputs up to this length start from a copy of their prefix's block: a
/// fixed-size copy this small is a few word moves, where wasm makes each copy
/// of a variable length (and a larger block's) a `memory.copy` call.
const BLOCK: usize = 64;

/// Longer inputs up to this length are assembled in a stack buffer, without allocating.
const STACK_INPUT: usize = 256;

/// `bucket(seed, unit) = floor(XXH3_64(seed ‖ ":" ‖ unit) × 100000 / 2^64)`.
pub fn bucket(seed: &str, unit: &str) -> u32 {
    SeedPrefix::new(seed).bucket(unit.as_bytes())
}

/// The `seed:` that starts every bucketing input of a rollout, prepared once.
#[derive(Debug, Clone)]
pub struct SeedPrefix {
    bytes: Box<[u8]>,
    /// `bytes` followed by zeros, when they fit.
    block: [u8; BLOCK],
}

impl SeedPrefix {
    /// The prefix of bucketing inputs with seed `seed`.
    pub fn new(seed: &str) -> SeedPrefix {
        let bytes: Box<[u8]> = [seed.as_bytes(), b":"].concat().into();
        let mut block = [0; BLOCK];
        if let Some(start) = block.get_mut(..bytes.len()) {
            start.copy_from_slice(&bytes);
        }
        SeedPrefix { bytes, block }
    }

    /// The bucket of `unit` (see [`bucket`]).
    pub fn bucket(&self, unit: &[u8]) -> u32 {
        let len = self.bytes.len() + unit.len();
        let hash = if len <= BLOCK {
            let mut input = self.block;
            input[self.bytes.len()..len].copy_from_slice(unit);
            XxHash3_64::oneshot(&input[..len])
        } else if len <= STACK_INPUT {
            let mut input = [0u8; STACK_INPUT];
            input[..self.bytes.len()].copy_from_slice(&self.bytes);
            input[self.bytes.len()..len].copy_from_slice(unit);
            XxHash3_64::oneshot(&input[..len])
        } else {
            XxHash3_64::oneshot(&[&self.bytes, unit].concat())
        };
        scale(hash)
    }
}

/// Maps a 64-bit hash onto [0, BUCKETS).
fn scale(hash: u64) -> u32 {
    ((u128::from(hash) * u128::from(BUCKETS)) >> 64) as u32
}

/// The variant slot a bucket falls into at an exposure, if any.
///
/// Slot i spans `[S_i, S_i + floor(w_i × e / 100000))` where `S_i` is the prefix
/// sum of the weights, so raising exposure only ever adds units to a slot.
pub fn slot_of<I>(weights: I, bucket: u32, exposure: u32) -> Option<usize>
where
    I: IntoIterator<Item = u32>,
{
    let mut start = 0u64;
    for (index, weight) in weights.into_iter().enumerate() {
        let exposed = u64::from(weight) * u64::from(exposure) / u64::from(BUCKETS);
        if (start..start + exposed).contains(&u64::from(bucket)) {
            return Some(index);
        }
        start += u64::from(weight);
    }
    None
}

/// How exposure between schedule points is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interpolation {
    /// The exposure of the last point at or before `now`.
    Step,
    /// Linear between the points around `now`, truncating toward zero.
    Linear,
}

/// Exposure of a schedule of `(at, exposure)` points, in increasing time, at `now`.
/// Before the first point: 0; at or after the last: its exposure.
#[inline]
pub fn scheduled_exposure(points: &[(EpochMillis, u32)], interpolation: Interpolation, now: EpochMillis) -> u32 {
    let after = points.partition_point(|&(at, _)| at <= now);
    let Some(&(t0, e0)) = after.checked_sub(1).and_then(|i| points.get(i)) else {
        return 0;
    };
    match (interpolation, points.get(after)) {
        (Interpolation::Linear, Some(&(t1, e1))) => {
            let delta = (i128::from(e1) - i128::from(e0)) * (i128::from(now) - i128::from(t0));
            let span = i128::from(t1) - i128::from(t0);
            (i128::from(e0) + delta / span) as u32
        }
        _ => e0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn design_test_vectors() {
        let vectors = [
            ("new-checkout", "user-123", 66314),
            ("new-checkout", "user-124", 29264),
            ("pricing-test", "alice", 92203),
            ("pricing-test", "bob", 68671),
            ("pricing-test", "", 86472),
            ("ünïcode-flag", "用户-42", 95219),
        ];
        for (seed, unit, expected) in vectors {
            assert_eq!(bucket(seed, unit), expected, "bucket({seed:?}, {unit:?})");
        }
    }

    #[test]
    fn inputs_of_every_length_hash_their_concatenation() {
        // Each side of the block and stack-buffer limits, and long seeds.
        for seed in ["seed", &"s".repeat(BLOCK - 1), &"s".repeat(BLOCK), &"s".repeat(STACK_INPUT)] {
            for unit_len in [0, 1, BLOCK - 6, BLOCK - 5, BLOCK - 4, STACK_INPUT - 5, STACK_INPUT - 4, 1000] {
                let unit = "u".repeat(unit_len);
                let expected = scale(XxHash3_64::oneshot(format!("{seed}:{unit}").as_bytes()));
                assert_eq!(bucket(seed, &unit), expected, "seed of {} bytes, unit of {unit_len}", seed.len());
            }
        }
    }

    #[test]
    fn slots_follow_prefix_sums_and_exposure() {
        let weights = [50_000, 30_000, 20_000];
        assert_eq!(slot_of(weights, 0, BUCKETS), Some(0));
        assert_eq!(slot_of(weights, 49_999, BUCKETS), Some(0));
        assert_eq!(slot_of(weights, 50_000, BUCKETS), Some(1));
        assert_eq!(slot_of(weights, 99_999, BUCKETS), Some(2));
        // At 10 % exposure each slot keeps its first tenth.
        assert_eq!(slot_of(weights, 4_999, 10_000), Some(0));
        assert_eq!(slot_of(weights, 5_000, 10_000), None);
        assert_eq!(slot_of(weights, 52_999, 10_000), Some(1));
        assert_eq!(slot_of(weights, 53_000, 10_000), None);
        assert_eq!(slot_of(weights, 0, 0), None);
    }

    #[test]
    fn schedules_step_and_interpolate() {
        let points = [(1_000, 10_000), (2_000, 50_000), (4_000, 100_000)];
        assert_eq!(scheduled_exposure(&points, Interpolation::Step, 999), 0);
        assert_eq!(scheduled_exposure(&points, Interpolation::Step, 1_000), 10_000);
        assert_eq!(scheduled_exposure(&points, Interpolation::Step, 1_999), 10_000);
        assert_eq!(scheduled_exposure(&points, Interpolation::Step, 5_000), 100_000);
        assert_eq!(scheduled_exposure(&points, Interpolation::Linear, 999), 0);
        assert_eq!(scheduled_exposure(&points, Interpolation::Linear, 1_500), 30_000);
        assert_eq!(scheduled_exposure(&points, Interpolation::Linear, 3_000), 75_000);
        assert_eq!(scheduled_exposure(&points, Interpolation::Linear, 1_001), 10_040);
        assert_eq!(scheduled_exposure(&points, Interpolation::Linear, 4_000), 100_000);
        let down = [(0, 100_000), (3, 0)];
        // 100000 - 100000*1/3 = 66666.67 → truncation toward zero of the delta gives 66667.
        assert_eq!(scheduled_exposure(&down, Interpolation::Linear, 1), 66_667);
        assert_eq!(scheduled_exposure(&[], Interpolation::Linear, 0), 0);
    }
}
