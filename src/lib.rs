//! edgeflag: feature flags evaluated where the request is, from signed rule
//! snapshots.
//!
//! The pipeline is **model → compile → evaluate** for rules and
//! **envelope → verify** for trust:
//!
//! - [`model`]: the payload schema, shared by the YAML authoring format and
//!   the signed JSON payload.
//! - `authoring` (feature `authoring`): YAML source → payload, with errors
//!   that name the line and column.
//! - [`compile`]: payload → validated, indexed [`Snapshot`].
//!   Its regular expressions run on [`regex`], a linear-time engine of our own.
//! - [`eval`]: [`Snapshot`] + [`Context`] → [`Detail`], in DESIGN.md's order.
//! - [`bucket`]: the normative bucketing and exposure arithmetic.
//! - [`envelope`]: DSSE + Ed25519 signing and verification.
//! - [`Engine`]: the serving snapshot, replaced atomically by verified loads.
//! - The WebAssembly bindings (`wasm`, `contexts`: contexts held in the module
//!   and addressed by handle), compiled for wasm32 only.
//!
//! ```
//! use edgeflag::{Context, Engine, Input, Keyring, Policy, SigningKey};
//!
//! let key = SigningKey::from_seed([7; 32]);
//! let payload = br#"{"schema":1,"environment":"prod","version":1,"issued_at":0,"expires_at":4102444800000,
//!   "flags":{"banner":{"type":"boolean","variants":{"on":true,"off":false},"off_variant":"off","default":"on"}}}"#;
//! let envelope = edgeflag::envelope::sign(payload, &[key.clone()]);
//!
//! let keyring = Keyring::from_hex([key.public_key_hex()]).unwrap();
//! let mut engine = Engine::new(keyring, Policy::new("prod"));
//! let report = engine.load(envelope.as_bytes(), 1_000).unwrap();
//! assert_eq!(report.changed, ["banner"]);
//!
//! let context = Context::from_json(r#"{"targetingKey":"user-1"}"#).unwrap();
//! let snapshot = engine.snapshot().unwrap();
//! let banner = snapshot.value("banner", false, &Input::new(&context, 1_000));
//! assert!(banner.value);
//! ```

#![warn(missing_docs)]

#[cfg(feature = "authoring")]
pub mod authoring;
pub mod bucket;
mod case;
pub mod compile;
#[cfg(any(target_arch = "wasm32", test))]
mod contexts;
mod engine;
pub mod envelope;
pub mod eval;
mod hex;
pub mod json;
mod key_hash;
pub mod model;
mod number;
mod path;
pub mod regex;
mod sorted;
pub mod time;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use compile::{FlagId, Snapshot, SnapshotMeta, VariantId};
pub use engine::{Engine, LoadReport};
pub use envelope::{Keyring, Policy, SigningKey, SnapshotError};
pub use eval::{Assignment, Assignments, Context, Detail, ErrorCode, Input, Reason};
