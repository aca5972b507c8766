//! Arbitrary bytes as a (trusted) payload: parsing and compiling must never
//! panic, and whatever compiles must evaluate without panicking.
#![no_main]

use edgeflag::{Context, Engine, Input, Keyring, Policy, SigningKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = SigningKey::from_seed([9; 32]);
    let mut engine = Engine::new(Keyring::from_hex([key.public_key_hex()]).unwrap(), Policy::new("fuzz"));
    if engine.load_unverified_payload(data).is_ok() {
        let context = Context::from_json(r#"{"targetingKey":"u-1","geo":{"country":"DE"},"v":"1.2.3","ip":"10.0.0.1"}"#).unwrap();
        let _ = engine.snapshot().unwrap().evaluate_all(&Input::new(&context, 1_000));
    }
});
