//! Why a snapshot was refused: one variant per check, in the order they run.

use crate::compile::CompileError;
use crate::model::decode::{write_separated, DecodeError};
use crate::time::{format_rfc3339, EpochMillis};
use std::fmt;
use std::str::Utf8Error;

/// A refused snapshot. The serving snapshot, if any, stays in place.
#[derive(Debug, Clone, PartialEq)]
pub enum SnapshotError {
    /// Larger than the size cap (checked before reading anything).
    TooLarge {
        /// The envelope's size in bytes.
        size: usize,
        /// The cap in bytes.
        limit: usize,
    },
    /// Not a DSSE envelope: not JSON, wrong fields, or bad base64.
    Envelope(EnvelopeError),
    /// The envelope carries another payload type.
    PayloadType(String),
    /// Fewer distinct trusted keys signed the exact payload bytes than required.
    Signature {
        /// Distinct trusted keys whose signature verified.
        valid: usize,
        /// The keyring's threshold.
        required: usize,
    },
    /// The signed payload is not a snapshot payload.
    Parse(PayloadError),
    /// Built for another environment.
    Environment {
        /// The evaluator's environment.
        expected: String,
        /// The snapshot's.
        found: String,
    },
    /// Past its expiry, beyond the skew allowance.
    Expired {
        /// When the snapshot expired.
        expires_at: EpochMillis,
        /// The time of the check.
        now: EpochMillis,
    },
    /// Issued in the future, beyond the skew allowance.
    NotYetValid {
        /// When the snapshot says it was issued.
        issued_at: EpochMillis,
        /// The time of the check.
        now: EpochMillis,
    },
    /// Older than the newest version this evaluator accepted.
    Rollback {
        /// The snapshot's version.
        version: u64,
        /// The newest version accepted so far.
        highest: u64,
    },
    /// Older than the floor the host requires.
    BelowFloor {
        /// The snapshot's version.
        version: u64,
        /// The lowest version the host accepts.
        floor: u64,
    },
    /// Signed, fresh and in order, but its rules do not compile.
    Compile(Vec<CompileError>),
}

impl SnapshotError {
    /// The name of the failed check: `size`, `envelope`, `payload_type`,
    /// `signature`, `parse`, `environment`, `expiry`, `rollback` or `compile`.
    pub fn check(&self) -> &'static str {
        match self {
            SnapshotError::TooLarge { .. } => "size",
            SnapshotError::Envelope(_) => "envelope",
            SnapshotError::PayloadType(_) => "payload_type",
            SnapshotError::Signature { .. } => "signature",
            SnapshotError::Parse(_) => "parse",
            SnapshotError::Environment { .. } => "environment",
            SnapshotError::Expired { .. } | SnapshotError::NotYetValid { .. } => "expiry",
            SnapshotError::Rollback { .. } | SnapshotError::BelowFloor { .. } => "rollback",
            SnapshotError::Compile(_) => "compile",
        }
    }
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} check failed: ", self.check())?;
        match self {
            SnapshotError::TooLarge { size, limit } => write!(f, "{size} bytes exceed the cap of {limit}"),
            SnapshotError::Envelope(problem) => write!(f, "not a DSSE envelope: {problem}"),
            SnapshotError::PayloadType(found) => write!(f, "payload type `{found}` is not `{}`", super::PAYLOAD_TYPE),
            SnapshotError::Signature { valid, required } => {
                write!(f, "{valid} valid signature(s) by trusted keys, {required} required")
            }
            SnapshotError::Parse(problem) => write!(f, "payload is not a snapshot: {problem}"),
            SnapshotError::Environment { expected, found } => write!(f, "snapshot is for `{found}`, expected `{expected}`"),
            SnapshotError::Expired { expires_at, now } => {
                write!(f, "expired at {}, now is {}", format_rfc3339(*expires_at), format_rfc3339(*now))
            }
            SnapshotError::NotYetValid { issued_at, now } => {
                write!(f, "issued at {}, in the future (now is {})", format_rfc3339(*issued_at), format_rfc3339(*now))
            }
            SnapshotError::Rollback { version, highest } => {
                write!(f, "version {version} is older than the accepted version {highest}")
            }
            SnapshotError::BelowFloor { version, floor } => write!(f, "version {version} is below the floor {floor}"),
            SnapshotError::Compile(errors) => {
                write!(f, "{} problem(s)", errors.len())?;
                errors.iter().take(5).try_for_each(|e| write!(f, "; {e}"))
            }
        }
    }
}

impl std::error::Error for SnapshotError {}

/// Why an envelope is not a DSSE envelope this verifier reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvelopeError {
    /// Its bytes are not UTF-8.
    NotUtf8(Utf8Error),
    /// Its text is not an envelope's JSON: the problems found.
    Shape(Vec<DecodeError>),
    /// Its payload is not base64.
    NotBase64,
    /// It carries more than [`super::MAX_SIGNATURES`] signatures.
    TooManySignatures,
}

impl fmt::Display for EnvelopeError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            EnvelopeError::NotUtf8(error) => write!(f, "not UTF-8: {error}"),
            EnvelopeError::Shape(errors) => write_some(f, errors),
            EnvelopeError::NotBase64 => f.write_str("payload is not base64"),
            EnvelopeError::TooManySignatures => write!(f, "more than {} signatures", super::MAX_SIGNATURES),
        }
    }
}

/// Why a signed payload is not a snapshot payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadError {
    /// Its bytes are not UTF-8.
    NotUtf8(Utf8Error),
    /// Its text is not a payload's JSON: the problems found.
    Decode(Vec<DecodeError>),
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            PayloadError::NotUtf8(error) => write!(f, "not UTF-8: {error}"),
            PayloadError::Decode(errors) => write_some(f, errors),
        }
    }
}

/// The first five decode errors, `; `-separated: enough to act on, and a
/// message of bounded length however broken the text.
fn write_some(f: &mut fmt::Formatter, errors: &[DecodeError]) -> fmt::Result {
    write_separated(f, errors.iter().take(5), "; ", |f, error| write!(f, "{error}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::decode::DecodeErrorKind;

    #[test]
    fn shows_the_first_five_decode_errors() {
        let error = |i: usize| DecodeError { path: format!("flags.f{i}"), kind: DecodeErrorKind::MissingField("type") };
        let shown = (0..5).map(|i| error(i).to_string()).collect::<Vec<_>>().join("; ");
        assert_eq!(PayloadError::Decode((0..7).map(error).collect()).to_string(), shown);
        assert_eq!(EnvelopeError::Shape(vec![error(0)]).to_string(), "flags.f0: missing field `type`");
    }
}
