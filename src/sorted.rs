//! Look-ups in small string-keyed slices kept sorted by key.

/// Up to this many items are scanned rather than binary searched.
pub(crate) const SCANNED: usize = 8;

/// The item whose key is `key`, in `items` sorted by `key_of` with unique
/// keys (strings, or their bytes). A few items are scanned (equality compares
/// lengths first, which beats ordering), more are binary searched.
pub(crate) fn find<'a, 'k, T, K: Ord + ?Sized + 'k>(items: &'a [T], key: &K, key_of: impl Fn(&'a T) -> &'k K) -> Option<&'a T> {
    if items.len() <= SCANNED {
        return items.iter().find(|item| key_of(item) == key);
    }
    items.binary_search_by(|item| key_of(item).cmp(key)).ok().map(|i| &items[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_and_searches_find_the_same_items() {
        for len in [0, 1, 7, 8, 9, 40] {
            let keys: Vec<String> = (0..len).map(|i| format!("k{i:03}")).collect();
            for (i, key) in keys.iter().enumerate() {
                assert_eq!(find(&keys, key.as_str(), String::as_str), Some(&keys[i]));
            }
            assert_eq!(find(&keys, "k", String::as_str), None);
            assert_eq!(find(&keys, "zzz", String::as_str), None);
        }
    }
}
