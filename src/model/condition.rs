//! Conditions on the evaluation context: clauses combined by all / any / not,
//! and segment references.

use super::Values;
use serde::Serialize;

/// A boolean condition over the context.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Condition {
    /// Every inner condition holds (an empty list holds).
    All {
        /// The inner conditions.
        all: Vec<Condition>,
    },
    /// At least one inner condition holds (an empty list does not).
    Any {
        /// The inner conditions.
        any: Vec<Condition>,
    },
    /// The inner condition does not hold.
    Not {
        /// The negated condition.
        not: Box<Condition>,
    },
    /// The unit is in at least one of these segments.
    Segment {
        /// Segment keys.
        segment: Vec<String>,
    },
    /// One attribute compared with values.
    Clause(Clause),
}

/// `attribute op values`, optionally negated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clause {
    /// A dotted path into the context, e.g. `geo.country`.
    pub attribute: String,
    /// The comparison.
    pub op: Operator,
    /// What the attribute is compared with; the clause holds if any value matches.
    #[serde(skip_serializing_if = "is_empty_values")]
    pub values: Values,
    /// Inverts a match; a missing attribute still never matches.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub negate: bool,
    /// Compare strings case-insensitively (string operators only).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ignore_case: bool,
}

fn is_empty_values(values: &Values) -> bool {
    values.0.is_empty()
}

/// Clause operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    /// Equal to one of the values (strings, numbers, booleans).
    Equals,
    /// Same as `equals`; reads better with many values.
    In,
    /// String contains one of the values.
    Contains,
    /// String starts with one of the values.
    StartsWith,
    /// String ends with one of the values.
    EndsWith,
    /// String matches one of the regular expressions (linear-time engine).
    Matches,
    /// Number less than the value.
    Lt,
    /// Number less than or equal to the value.
    Le,
    /// Number greater than the value.
    Gt,
    /// Number greater than or equal to the value.
    Ge,
    /// Time (RFC 3339 or epoch ms) before the value.
    Before,
    /// Time (RFC 3339 or epoch ms) after the value.
    After,
    /// Semantic version equal to the value.
    SemverEq,
    /// Semantic version lower than the value.
    SemverLt,
    /// Semantic version lower than or equal to the value.
    SemverLe,
    /// Semantic version greater than the value.
    SemverGt,
    /// Semantic version greater than or equal to the value.
    SemverGe,
    /// The attribute is present (and not null).
    Exists,
    /// IP address inside one of the CIDR blocks.
    InCidr,
}

impl Operator {
    /// Every operator.
    pub const ALL: [Operator; 19] = [
        Operator::Equals,
        Operator::In,
        Operator::Contains,
        Operator::StartsWith,
        Operator::EndsWith,
        Operator::Matches,
        Operator::Lt,
        Operator::Le,
        Operator::Gt,
        Operator::Ge,
        Operator::Before,
        Operator::After,
        Operator::SemverEq,
        Operator::SemverLt,
        Operator::SemverLe,
        Operator::SemverGt,
        Operator::SemverGe,
        Operator::Exists,
        Operator::InCidr,
    ];

    /// The snake_case name used in the authoring format.
    pub fn name(self) -> &'static str {
        match self {
            Operator::Equals => "equals",
            Operator::In => "in",
            Operator::Contains => "contains",
            Operator::StartsWith => "starts_with",
            Operator::EndsWith => "ends_with",
            Operator::Matches => "matches",
            Operator::Lt => "lt",
            Operator::Le => "le",
            Operator::Gt => "gt",
            Operator::Ge => "ge",
            Operator::Before => "before",
            Operator::After => "after",
            Operator::SemverEq => "semver_eq",
            Operator::SemverLt => "semver_lt",
            Operator::SemverLe => "semver_le",
            Operator::SemverGt => "semver_gt",
            Operator::SemverGe => "semver_ge",
            Operator::Exists => "exists",
            Operator::InCidr => "in_cidr",
        }
    }
}
