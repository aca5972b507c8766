//! Hashing of snapshot keys (flag, segment and target keys, attribute paths)
//! for the maps that the decoder, the compiler and the engine keep.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A fast hasher for snapshot keys. The keys come from a verified snapshot, so
/// flooding resistance is not needed on this path.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    /// Eight bytes a word (little-endian), the last word zero-padded, without
    /// copying into a buffer (which cost a `memcpy` call per word in wasm).
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.write_u64(u64::from_le_bytes(word.try_into().unwrap_or_default()));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            self.write_u64(rest.iter().rev().fold(0, |word, &byte| word << 8 | u64::from(byte)));
        }
    }
    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Builds [`KeyHasher`]s, for maps and sets of keys in any form.
pub(crate) type KeyHashing = BuildHasherDefault<KeyHasher>;

/// A map from owned snapshot keys.
pub(crate) type KeyMap<V> = HashMap<Box<str>, V, KeyHashing>;

/// A set of owned snapshot keys.
pub(crate) type KeySet = HashSet<Box<str>, KeyHashing>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_hasher_reads_bytes_as_zero_padded_little_endian_words() {
        let bytes: Vec<u8> = (1..=20).collect();
        for len in 0..=bytes.len() {
            let mut hasher = KeyHasher::default();
            hasher.write(&bytes[..len]);
            let mut words = KeyHasher::default();
            for chunk in bytes[..len].chunks(8) {
                let mut word = [0u8; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                words.write_u64(u64::from_le_bytes(word));
            }
            assert_eq!(hasher.finish(), words.finish(), "{len} bytes");
        }
    }
}
