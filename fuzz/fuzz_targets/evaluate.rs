//! Arbitrary JSON contexts against the example snapshot (the golden vectors'
//! payload): evaluation must never panic and must serve every known flag, and
//! a context read into one used before (as the wasm bindings reuse theirs)
//! must equal one read fresh.
#![no_main]

use edgeflag::{Context, Input, Snapshot};
use libfuzzer_sys::fuzz_target;
use std::cell::RefCell;
use std::sync::OnceLock;

thread_local! {
    static REUSED: RefCell<Context> = RefCell::new(Context::new());
}

fn snapshot() -> &'static Snapshot {
    static SNAPSHOT: OnceLock<Snapshot> = OnceLock::new();
    SNAPSHOT.get_or_init(|| {
        let text = include_str!("../../tests/vectors/golden.json");
        let golden = edgeflag::json::parse(text).unwrap();
        let envelope = golden.get("envelope").and_then(|e| e.as_str()).unwrap();
        let payload = edgeflag::envelope::payload_unverified(envelope.as_bytes()).unwrap();
        let decoded = edgeflag::envelope::parse_payload(&payload).unwrap();
        Snapshot::compile(decoded.payload).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let fresh = Context::from_json(text);
    let reused = REUSED.with_borrow_mut(|reused| reused.read_json(text).map(|()| reused.clone()));
    assert_eq!(fresh, reused);
    let Ok(context) = fresh else { return };
    let now = 1_795_651_200_000 + i64::from(data.first().copied().unwrap_or(0)) * 86_400_000;
    for (_, detail) in snapshot().evaluate_all(&Input::new(&context, now)) {
        assert!(detail.value.is_some());
    }
});
