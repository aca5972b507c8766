//! The snapshot payload schema: what release engineers author (in YAML, see
//! `crate::authoring`) and what a signed snapshot carries (as JSON). One set of
//! types serves both, so the build and the load validate the same thing.
//!
//! Friendly scalars are accepted on input and written canonically on output:
//! percentages as numbers with up to three decimals, times as RFC 3339 or epoch
//! milliseconds (written as epoch milliseconds).

mod condition;
pub mod decode;
mod keyed;
mod scalar;
mod serve;

pub use condition::{Clause, Condition, Operator};
pub use keyed::KeyedMap;
pub(crate) use keyed::SeenKeys;
pub use scalar::{Percent, PercentError, Timestamp, Values};
pub use serve::{Exposure, Rollout, SchedulePoint, Serve, SplitSlot};

use serde::Serialize;

/// The payload schema version this crate reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The signed payload of a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Payload {
    /// Schema version; must equal [`SCHEMA_VERSION`].
    pub schema: u32,
    /// The environment this snapshot is for (`production`, `staging`, ...).
    pub environment: String,
    /// Monotonically increasing snapshot version, the anti-rollback counter.
    pub version: u64,
    /// When the snapshot was signed.
    pub issued_at: Timestamp,
    /// After this instant (plus the verifier's skew allowance) the snapshot is refused.
    pub expires_at: Timestamp,
    /// Reusable audiences, by key.
    #[serde(skip_serializing_if = "KeyedMap::is_empty")]
    pub segments: KeyedMap<Segment>,
    /// The flags, by key.
    pub flags: KeyedMap<Flag>,
}

impl Payload {
    /// Parses a payload from JSON text, reporting every problem.
    pub fn from_json(text: &str) -> Result<Payload, Vec<decode::DecodeError>> {
        decode::parse_payload(text).map(|decoded| decoded.payload)
    }
}

/// The type every variant value of a flag has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FlagType {
    /// `true` / `false`.
    Boolean,
    /// A UTF-8 string.
    String,
    /// A JSON number.
    Number,
    /// A JSON object.
    Object,
}

impl FlagType {
    /// Whether a variant value has this type.
    pub fn admits(self, value: &serde_json::Value) -> bool {
        match self {
            FlagType::Boolean => value.is_boolean(),
            FlagType::String => value.is_string(),
            FlagType::Number => value.is_number(),
            FlagType::Object => value.is_object(),
        }
    }

    /// The lowercase name used in the authoring format.
    pub fn name(self) -> &'static str {
        match self {
            FlagType::Boolean => "boolean",
            FlagType::String => "string",
            FlagType::Number => "number",
            FlagType::Object => "object",
        }
    }
}

/// What a flag is for; drives reporting and clean-up, never evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FlagKind {
    /// A release toggle, removed once the feature is fully out.
    Release,
    /// An experiment with variants to compare.
    Experiment,
    /// An operational switch (kill switch, circuit breaker).
    Ops,
    /// A long-lived entitlement.
    Permission,
}

/// One feature flag.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    /// The type of every variant value.
    #[serde(rename = "type")]
    pub value_type: FlagType,
    /// Taxonomy: what the flag is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<FlagKind>,
    /// Taxonomy: the team or person who owns the flag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Taxonomy: what the flag controls.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Taxonomy: after this instant the flag counts as stale (due for removal).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale_after: Option<Timestamp>,
    /// The kill switch: when false the flag serves its off variant.
    pub enabled: bool,
    /// Named values, in the order written.
    pub variants: KeyedMap<serde_json::Value>,
    /// The variant served when the flag is disabled or a prerequisite fails.
    pub off_variant: String,
    /// What is served when no target or rule decides.
    pub default: Serve,
    /// Flags that must land on given variants before this one is evaluated.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prerequisites: Vec<Prerequisite>,
    /// Sticky assignment: once a rollout assigns a unit, the host keeps it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sticky: Option<Sticky>,
    /// Individual targets: variant name → unit keys (targeting keys).
    #[serde(skip_serializing_if = "KeyedMap::is_empty")]
    pub targets: KeyedMap<Vec<String>>,
    /// Rules, tried in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
}

/// A requirement that another flag lands on one of some variants.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prerequisite {
    /// The key of the required flag.
    pub flag: String,
    /// The variants of that flag that satisfy the requirement.
    pub variants: Vec<String>,
}

/// Sticky-assignment settings of a flag.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sticky {
    /// Stored assignments with another version are ignored; bump it to re-assign everyone.
    pub version: u32,
}

/// A targeting rule: when the condition holds, serve a variant or a rollout.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// Reported in evaluation details; defaults to `rule-N` (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Free text for humans.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The condition on the context.
    pub when: Condition,
    /// What a matching unit gets.
    pub serve: Serve,
}

/// A reusable audience.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Segment {
    /// Free text for humans.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Targeting keys always in the segment.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub included: Vec<String>,
    /// Targeting keys never in the segment (wins over `included` and rules).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<String>,
    /// A unit matching any of these conditions is in the segment.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Condition>,
}
