//! Sorting, and look-ups in small string-keyed slices kept sorted by key.

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

/// Up to this many items are sorted by insertion, more by a heap sort.
const INSERTED: usize = 16;

/// Sorts `items` in place so that no item is `less` than one before it, in
/// O(n log n), not stably: by insertion when few (most lists sorted here
/// are), else a heap sort. A few hundred bytes of wasm per element type,
/// where an instantiation of the standard library's sorts adds several KB.
pub(crate) fn sort_by<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    if items.len() <= INSERTED {
        for end in 1..items.len() {
            let mut at = end;
            while at > 0 && less(&items[at], &items[at - 1]) {
                items.swap(at, at - 1);
                at -= 1;
            }
        }
        return;
    }
    let sift_down = |items: &mut [T], mut root: usize| loop {
        let mut child = 2 * root + 1;
        if child >= items.len() {
            return;
        }
        if child + 1 < items.len() && less(&items[child], &items[child + 1]) {
            child += 1;
        }
        if !less(&items[root], &items[child]) {
            return;
        }
        items.swap(root, child);
        root = child;
    };
    for root in (0..items.len() / 2).rev() {
        sift_down(items, root);
    }
    for end in (1..items.len()).rev() {
        items.swap(0, end);
        sift_down(&mut items[..end], 0);
    }
}

/// Sorts `items` in place as [`sort_by`] does, but stably: equal items keep
/// their order. By insertion when few (shifting, not swapping: a context's
/// five keys sort as fast as with the standard library's stable sort), else
/// runs of [`INSERTED`] merged pairwise through a buffer. It replaced that
/// sort's instantiation for contexts: 4 KB of the gzipped wasm module.
pub(crate) fn stable_sort_by<T: Copy>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for run in items.chunks_mut(INSERTED) {
        insertion_sort(run, &less);
    }
    if items.len() <= INSERTED {
        return;
    }
    let mut merged = items.to_vec();
    let mut width = INSERTED;
    while width < items.len() {
        for (pair, out) in items.chunks(2 * width).zip(merged.chunks_mut(2 * width)) {
            let (left, right) = pair.split_at(width.min(pair.len()));
            merge(left, right, out, &less);
        }
        items.copy_from_slice(&merged);
        width *= 2;
    }
}

/// Stable insertion sort, shifting the greater items right. [`sort_by`]'s
/// insertion swaps instead, which any item type allows (clause strings are
/// not `Copy`); shifting is what keeps a context's sort as fast as the
/// standard library's.
fn insertion_sort<T: Copy>(items: &mut [T], less: &impl Fn(&T, &T) -> bool) {
    for end in 1..items.len() {
        let item = items[end];
        let mut at = end;
        while at > 0 && less(&item, &items[at - 1]) {
            items[at] = items[at - 1];
            at -= 1;
        }
        items[at] = item;
    }
}

/// Merges two sorted runs into `out`; of equal items, `left`'s come first.
fn merge<T: Copy>(left: &[T], right: &[T], out: &mut [T], less: &impl Fn(&T, &T) -> bool) {
    let (mut l, mut r) = (0, 0);
    for slot in out {
        let take_right = r < right.len() && (l == left.len() || less(&right[r], &left[l]));
        *slot = if take_right { right[r] } else { left[l] };
        if take_right {
            r += 1;
        } else {
            l += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_like_the_standard_sort(mut items in prop::collection::vec((any::<u8>(), any::<char>()), 0..200)) {
            let mut expected = items.clone();
            expected.sort_unstable();
            sort_by(&mut items, |a, b| a < b);
            prop_assert_eq!(items, expected);
        }
    }

    proptest! {
        #[test]
        fn sorts_stably_like_the_standard_stable_sort(mut items in prop::collection::vec((0u8..8, any::<u16>()), 0..300)) {
            let mut expected = items.clone();
            expected.sort_by_key(|(key, _)| *key);
            stable_sort_by(&mut items, |a, b| a.0 < b.0);
            prop_assert_eq!(items, expected);
        }
    }

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
