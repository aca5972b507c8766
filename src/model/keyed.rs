//! An insertion-ordered map with unique keys (the decoder refuses duplicates,
//! so a payload with two flags of one key is an error, not an overwrite).

use crate::key_hash::KeyHashing;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::collections::HashSet;

/// Entries in the order written; keys are unique.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyedMap<T>(pub Vec<(String, T)>);

impl<T> Default for KeyedMap<T> {
    fn default() -> Self {
        KeyedMap(Vec::new())
    }
}

impl<T> KeyedMap<T> {
    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &T)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The value under `key`, if any (linear: for building, not for evaluation).
    pub fn get(&self, key: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The position of `key`, if present.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.0.iter().position(|(k, _)| k == key)
    }
}

impl<T: Serialize> Serialize for KeyedMap<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Up to this many keys are checked for duplicates by scanning.
pub(crate) const SMALL_MAP: usize = 16;

/// Keys seen in one map or list, to refuse duplicates in linear time: the first
/// [`SMALL_MAP`] are scanned (no allocation), a larger map is hashed.
#[derive(Default)]
pub(crate) struct SeenKeys<'a> {
    few: [Cow<'a, str>; SMALL_MAP],
    count: usize,
    many: HashSet<Cow<'a, str>, KeyHashing>,
}

impl<'a> SeenKeys<'a> {
    /// Adds `key`; false when it was seen before.
    pub(crate) fn insert(&mut self, key: Cow<'a, str>) -> bool {
        if self.count < SMALL_MAP {
            if self.few[..self.count].contains(&key) {
                return false;
            }
            self.few[self.count] = key;
            self.count += 1;
            return true;
        }
        if self.many.is_empty() {
            self.many.extend(self.few.iter().cloned());
        }
        self.many.insert(key)
    }
}
