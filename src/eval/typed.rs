//! Typed access: a caller default, and `TYPE_MISMATCH` when the flag's declared
//! type is not the one asked for.

use super::{Detail, ErrorCode, Input};
use crate::compile::Snapshot;
use crate::model::FlagType;

/// A Rust type a flag value can be read as.
pub trait FlagValue: Sized {
    /// The flag type that maps to this Rust type.
    const TYPE: FlagType;
    /// Converts a variant value of [`Self::TYPE`].
    fn from_json(value: &serde_json::Value) -> Option<Self>;
}

impl FlagValue for bool {
    const TYPE: FlagType = FlagType::Boolean;
    fn from_json(value: &serde_json::Value) -> Option<Self> {
        value.as_bool()
    }
}

impl FlagValue for String {
    const TYPE: FlagType = FlagType::String;
    fn from_json(value: &serde_json::Value) -> Option<Self> {
        value.as_str().map(str::to_owned)
    }
}

impl FlagValue for f64 {
    const TYPE: FlagType = FlagType::Number;
    fn from_json(value: &serde_json::Value) -> Option<Self> {
        value.as_f64()
    }
}

impl FlagValue for serde_json::Map<String, serde_json::Value> {
    const TYPE: FlagType = FlagType::Object;
    fn from_json(value: &serde_json::Value) -> Option<Self> {
        value.as_object().cloned()
    }
}

/// A typed value with the detail that produced it.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved<'s, T> {
    /// The flag's value, or the caller's default on error.
    pub value: T,
    /// How it was decided.
    pub detail: Detail<'s>,
}

impl Snapshot {
    /// Evaluates a flag as `T`, falling back to `default` on any error.
    pub fn value<T: FlagValue>(&self, key: &str, default: T, input: &Input<'_>) -> Resolved<'_, T> {
        let Some(id) = self.flag_id(key) else {
            return Resolved { value: default, detail: Detail::error(ErrorCode::FlagNotFound) };
        };
        if self.flag_type(id) != Some(T::TYPE) {
            return Resolved { value: default, detail: Detail::error(ErrorCode::TypeMismatch) };
        }
        let detail = self.evaluate_id(id, input);
        match detail.value.and_then(T::from_json) {
            Some(value) => Resolved { value, detail },
            None => Resolved { value: default, detail },
        }
    }
}
