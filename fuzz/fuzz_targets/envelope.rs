//! Arbitrary bytes as a signed envelope: every check must refuse or accept
//! without panicking, and a refusal must leave the serving snapshot in place.
#![no_main]

use edgeflag::{Engine, Keyring, Policy, SigningKey};
use libfuzzer_sys::fuzz_target;

const GOOD: &[u8] = br#"{"schema":1,"environment":"fuzz","version":5,"issued_at":0,"expires_at":4102444800000,
 "flags":{"f":{"type":"boolean","variants":{"on":true,"off":false},"off_variant":"off","default":"on"}}}"#;

fuzz_target!(|data: &[u8]| {
    let key = SigningKey::from_seed([9; 32]);
    let mut engine = Engine::new(Keyring::from_hex([key.public_key_hex()]).unwrap(), Policy::new("fuzz"));
    engine.load_unverified_payload(GOOD).unwrap();
    if engine.load(data, 1_000).is_err() {
        assert_eq!(engine.meta().map(|m| m.version), Some(5));
    }
});
