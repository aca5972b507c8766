//! Evaluation results: OpenFeature reasons and error codes, and the detail that
//! explains one decision.

use serde::{Serialize, Serializer};
use std::fmt;

/// Why a value was served (OpenFeature reasons, plus `PREREQUISITE_FAILED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// The flag has no targets or rules: its default was served.
    Static,
    /// No target or rule decided: the default was served.
    Default,
    /// An individual target or a rule serving a variant decided.
    TargetingMatch,
    /// A rollout (or a stored sticky assignment) decided.
    Split,
    /// The flag is switched off: its off variant was served.
    Disabled,
    /// The caller's default was served because of an error.
    Error,
    /// The serving snapshot has expired; the value is the last known good one.
    Stale,
    /// A prerequisite flag did not land on a required variant: the off variant was served.
    PrerequisiteFailed,
}

impl Reason {
    /// Every reason, in a fixed order that bindings may number them by.
    pub const ALL: [Reason; 8] = [
        Reason::Static,
        Reason::Default,
        Reason::TargetingMatch,
        Reason::Split,
        Reason::Disabled,
        Reason::Error,
        Reason::Stale,
        Reason::PrerequisiteFailed,
    ];

    /// The wire name, e.g. `TARGETING_MATCH`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Static => "STATIC",
            Reason::Default => "DEFAULT",
            Reason::TargetingMatch => "TARGETING_MATCH",
            Reason::Split => "SPLIT",
            Reason::Disabled => "DISABLED",
            Reason::Error => "ERROR",
            Reason::Stale => "STALE",
            Reason::PrerequisiteFailed => "PREREQUISITE_FAILED",
        }
    }
}

impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// OpenFeature error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// No flag with that key in the serving snapshot.
    FlagNotFound,
    /// The flag's type is not the one asked for.
    TypeMismatch,
    /// A snapshot or context could not be parsed.
    ParseError,
    /// A targeting key was required and missing.
    TargetingKeyMissing,
    /// The context was refused (too deep, too large, not an object).
    InvalidContext,
    /// Anything else, e.g. no snapshot loaded yet.
    General,
}

impl ErrorCode {
    /// Every error code, in a fixed order that bindings may number them by.
    pub const ALL: [ErrorCode; 6] = [
        ErrorCode::FlagNotFound,
        ErrorCode::TypeMismatch,
        ErrorCode::ParseError,
        ErrorCode::TargetingKeyMissing,
        ErrorCode::InvalidContext,
        ErrorCode::General,
    ];

    /// The wire name, e.g. `FLAG_NOT_FOUND`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::FlagNotFound => "FLAG_NOT_FOUND",
            ErrorCode::TypeMismatch => "TYPE_MISMATCH",
            ErrorCode::ParseError => "PARSE_ERROR",
            ErrorCode::TargetingKeyMissing => "TARGETING_KEY_MISSING",
            ErrorCode::InvalidContext => "INVALID_CONTEXT",
            ErrorCode::General => "GENERAL",
        }
    }

    /// A human message for the code.
    pub fn message(self) -> &'static str {
        match self {
            ErrorCode::FlagNotFound => "flag not found in the serving snapshot",
            ErrorCode::TypeMismatch => "flag type differs from the requested type",
            ErrorCode::ParseError => "input could not be parsed",
            ErrorCode::TargetingKeyMissing => "targeting key missing",
            ErrorCode::InvalidContext => "context refused",
            ErrorCode::General => "no snapshot is serving",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An assignment the host should persist for a sticky flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NewAssignment<'s> {
    /// The flag key.
    pub flag: &'s str,
    /// The assigned variant.
    pub variant: &'s str,
    /// The flag's sticky version at assignment.
    pub version: u32,
}

/// Everything about one evaluation. Serialises with camelCase keys (`ruleId`,
/// `errorCode`, ...), leaving out what does not apply.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Detail<'s> {
    /// The served value; `None` means the caller's default (see `error`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<&'s serde_json::Value>,
    /// The served variant's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<&'s str>,
    /// Why this value.
    pub reason: Reason,
    /// Set when `reason` is `ERROR`.
    #[serde(rename = "errorCode", skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorCode>,
    /// A human message for the error, when there is one.
    #[serde(rename = "errorMessage", skip_serializing_if = "Option::is_none")]
    pub error_message: Option<&'static str>,
    /// The rule that decided, if one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<&'s str>,
    /// The unit's bucket in the deciding rollout, in [0, 100000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket: Option<u32>,
    /// The exposure of that rollout at `now`, in [0, 100000].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposure: Option<u32>,
    /// The prerequisite flag that failed, with reason `PREREQUISITE_FAILED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_prerequisite: Option<&'s str>,
    /// Whether a stored sticky assignment was served.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sticky: bool,
    /// A rollout met a unit attribute that was missing or not a string or integer.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unit_missing: bool,
    /// An assignment to persist: a sticky flag assigned this unit just now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_assignment: Option<NewAssignment<'s>>,
    /// The served variant's position in the flag's variants (see `Snapshot::variant_values`).
    #[serde(skip)]
    pub variant_id: Option<crate::compile::VariantId>,
}

impl<'s> Detail<'s> {
    /// A detail that serves the caller's default because of `error`.
    pub fn error(error: ErrorCode) -> Detail<'s> {
        Detail { error: Some(error), error_message: Some(error.message()), ..Detail::bare(Reason::Error) }
    }

    /// A detail with only a reason: no value, no error, nothing decided yet.
    pub(crate) fn bare(reason: Reason) -> Detail<'s> {
        Detail {
            value: None,
            variant: None,
            reason,
            error: None,
            error_message: None,
            rule_id: None,
            bucket: None,
            exposure: None,
            failed_prerequisite: None,
            sticky: false,
            unit_missing: false,
            new_assignment: None,
            variant_id: None,
        }
    }
}
