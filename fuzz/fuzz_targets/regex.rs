//! Arbitrary patterns and texts: compiling and matching must never panic,
//! and where regex-lite also accepts a pattern that cannot turn on
//! case-insensitivity (no `i` in it), both must agree on every text.
#![no_main]

use edgeflag::regex::Regex;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (pattern, haystack) = text.split_once('\u{0}').unwrap_or((text, "abc"));
    let Ok(ours) = Regex::new(pattern, false) else { return };
    let matched = ours.is_match(haystack);
    if pattern.contains('i') {
        return;
    }
    if let Ok(oracle) = regex_lite::Regex::new(pattern) {
        assert_eq!(matched, oracle.is_match(haystack), "{pattern:?} on {haystack:?}");
    }
});
