//! Compile errors: each names where in the payload it is and what is wrong.

use crate::regex::RegexError;
use std::fmt;

/// One problem found while compiling a payload, at a path such as
/// `flags.new-checkout.rules[1].when.all[0].values[2]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CompileError {
    /// Where the problem is, in the payload's structure.
    pub path: String,
    /// What is wrong.
    pub kind: CompileErrorKind,
}

/// What is wrong with a payload.
#[derive(Debug, Clone, PartialEq)]
pub enum CompileErrorKind {
    /// The payload's schema version is not one this crate reads.
    UnsupportedSchema(u32),
    /// More items than a documented limit allows.
    TooMany {
        /// What is counted, e.g. `rules`.
        what: &'static str,
        /// How many there are.
        count: usize,
        /// How many are allowed.
        limit: usize,
    },
    /// Nested or chained deeper than a documented limit.
    TooDeep {
        /// The deepest nesting allowed.
        limit: usize,
    },
    /// References that fan out to more evaluations than the limit.
    TooWide {
        /// The most evaluations one flag may fan out to.
        limit: u64,
    },
    /// A key is empty or longer than the limit.
    BadKey {
        /// The key as written.
        key: String,
    },
    /// A list that must not be empty is.
    Empty(&'static str),
    /// A variant name that the flag does not define.
    UnknownVariant(String),
    /// A segment key that the snapshot does not define.
    UnknownSegment(String),
    /// A flag key that the snapshot does not define.
    UnknownFlag(String),
    /// Prerequisites that form a cycle (the keys along it).
    PrerequisiteCycle(Vec<String>),
    /// Segments that refer to each other in a cycle.
    SegmentCycle(Vec<String>),
    /// A variant value that does not have the flag's type.
    VariantType {
        /// The variant's name.
        variant: String,
        /// The flag's type.
        expected: &'static str,
    },
    /// Split weights that do not add up to 100 %.
    WeightsSum {
        /// What the weights add up to, in thousandths of a percent.
        total: u32,
    },
    /// A variant listed twice in one split.
    DuplicateSplitVariant(String),
    /// A unit key targeted to two variants.
    DuplicateTarget(String),
    /// Two rules of one flag with the same id.
    DuplicateRuleId(String),
    /// Schedule points not in strictly increasing time.
    ScheduleOrder,
    /// A regular expression that does not compile.
    InvalidRegex {
        /// The pattern as written.
        pattern: String,
        /// Why it does not compile.
        reason: RegexError,
    },
    /// A clause value of the wrong kind for its operator.
    InvalidValue {
        /// The operator's name.
        op: &'static str,
        /// The value, shortened for the message.
        value: String,
        /// What the operator takes.
        expected: &'static str,
    },
    /// A clause with the wrong number of values for its operator.
    ValueCount {
        /// The operator's name.
        op: &'static str,
        /// How many values it takes, in words.
        expected: &'static str,
        /// How many were given.
        found: usize,
    },
    /// `ignore_case` on an operator that does not compare strings.
    IgnoreCaseUnsupported(&'static str),
}

impl fmt::Display for CompileErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        use CompileErrorKind::*;
        match self {
            UnsupportedSchema(v) => write!(f, "schema version {v} is not supported (expected {})", crate::model::SCHEMA_VERSION),
            TooMany { what, count, limit } => write!(f, "{count} {what} exceed the limit of {limit}"),
            TooDeep { limit } => write!(f, "nested deeper than the limit of {limit}"),
            TooWide { limit } => write!(f, "references fan out to more than {limit} evaluations"),
            BadKey { key } => write!(f, "key `{key}` must be 1 to {} bytes", super::limits::MAX_KEY_BYTES),
            Empty(what) => write!(f, "{what} must not be empty"),
            UnknownVariant(v) => write!(f, "unknown variant `{v}`"),
            UnknownSegment(s) => write!(f, "unknown segment `{s}`"),
            UnknownFlag(k) => write!(f, "unknown flag `{k}`"),
            PrerequisiteCycle(keys) => write!(f, "prerequisite cycle: {}", keys.join(" -> ")),
            SegmentCycle(keys) => write!(f, "segment cycle: {}", keys.join(" -> ")),
            VariantType { variant, expected } => write!(f, "variant `{variant}` is not a {expected}"),
            WeightsSum { total } => write!(f, "split weights add up to {}, not 100%", crate::model::Percent(*total)),
            DuplicateSplitVariant(v) => write!(f, "variant `{v}` appears twice in the split"),
            DuplicateTarget(k) => write!(f, "unit `{k}` is targeted to more than one variant"),
            DuplicateRuleId(id) => write!(f, "rule id `{id}` is used twice"),
            ScheduleOrder => f.write_str("schedule points must be in strictly increasing time"),
            InvalidRegex { pattern, reason } => write!(f, "invalid regular expression `{pattern}`: {reason}"),
            InvalidValue { op, value, expected } => write!(f, "`{op}` needs {expected}, got {value}"),
            ValueCount { op, expected, found } => write!(f, "`{op}` takes {expected}, got {found}"),
            IgnoreCaseUnsupported(op) => write!(f, "`ignore_case` does not apply to `{op}`"),
        }
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind)
    }
}

impl std::error::Error for CompileError {}
