//! Arbitrary text as a YAML flags file: the authoring reader must report
//! problems, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = edgeflag::authoring::read_source(text, "fuzz.yaml");
    }
});
