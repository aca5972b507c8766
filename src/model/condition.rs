//! Conditions on the evaluation context: clauses combined by all / any / not,
//! and segment references.

use super::Values;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

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
    #[serde(default, skip_serializing_if = "is_empty_values")]
    pub values: Values,
    /// Inverts a match; a missing attribute still never matches.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub negate: bool,
    /// Compare strings case-insensitively (string operators only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ignore_case: bool,
}

fn is_empty_values(values: &Values) -> bool {
    values.0.is_empty()
}

/// Clause operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

/// One segment key or a list of them.
struct SegmentKeys(Vec<String>);

impl<'de> Deserialize<'de> for SegmentKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged, expecting = "a segment key or a list of segment keys")]
        enum OneOrMany {
            One(String),
            Many(Vec<String>),
        }
        Ok(SegmentKeys(match OneOrMany::deserialize(deserializer)? {
            OneOrMany::One(key) => vec![key],
            OneOrMany::Many(keys) => keys,
        }))
    }
}

/// A condition's field name, read without allocating.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum ConditionKey {
    All,
    Any,
    Not,
    Segment,
    Attribute,
    Op,
    Values,
    Negate,
    IgnoreCase,
}

/// The fields of a condition as read, before deciding which form it is.
#[derive(Default)]
struct ConditionFields {
    all: Option<Vec<Condition>>,
    any: Option<Vec<Condition>>,
    not: Option<Box<Condition>>,
    segment: Option<Vec<String>>,
    attribute: Option<String>,
    op: Option<Operator>,
    values: Option<Values>,
    negate: Option<bool>,
    ignore_case: Option<bool>,
}

fn set_once<T, E: de::Error>(slot: &mut Option<T>, name: &'static str, value: T) -> Result<(), E> {
    if slot.replace(value).is_some() {
        return Err(E::duplicate_field(name));
    }
    Ok(())
}

impl ConditionFields {
    fn read<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut f = ConditionFields::default();
        while let Some(key) = map.next_key::<ConditionKey>()? {
            match key {
                ConditionKey::All => set_once(&mut f.all, "all", map.next_value()?)?,
                ConditionKey::Any => set_once(&mut f.any, "any", map.next_value()?)?,
                ConditionKey::Not => set_once(&mut f.not, "not", map.next_value()?)?,
                ConditionKey::Segment => set_once(&mut f.segment, "segment", map.next_value::<SegmentKeys>()?.0)?,
                ConditionKey::Attribute => set_once(&mut f.attribute, "attribute", map.next_value()?)?,
                ConditionKey::Op => set_once(&mut f.op, "op", map.next_value()?)?,
                ConditionKey::Values => set_once(&mut f.values, "values", map.next_value()?)?,
                ConditionKey::Negate => set_once(&mut f.negate, "negate", map.next_value()?)?,
                ConditionKey::IgnoreCase => set_once(&mut f.ignore_case, "ignore_case", map.next_value()?)?,
            }
        }
        Ok(f)
    }

    fn into_condition<E: de::Error>(self) -> Result<Condition, E> {
        let clause_given = self.attribute.is_some() || self.op.is_some();
        let forms = [self.all.is_some(), self.any.is_some(), self.not.is_some(), self.segment.is_some(), clause_given];
        if forms.iter().filter(|&&f| f).count() != 1 {
            return Err(E::custom(
                "a condition has exactly one of `all`, `any`, `not`, `segment`, or `attribute` with `op`",
            ));
        }
        let clause_only = self.values.is_some() || self.negate.is_some() || self.ignore_case.is_some();
        if clause_only && !clause_given {
            return Err(E::custom("`values`, `negate` and `ignore_case` belong to a clause with `attribute` and `op`"));
        }
        Ok(match self {
            ConditionFields { all: Some(all), .. } => Condition::All { all },
            ConditionFields { any: Some(any), .. } => Condition::Any { any },
            ConditionFields { not: Some(not), .. } => Condition::Not { not },
            ConditionFields { segment: Some(segment), .. } => Condition::Segment { segment },
            ConditionFields { attribute, op, values, negate, ignore_case, .. } => Condition::Clause(Clause {
                attribute: attribute.ok_or_else(|| E::missing_field("attribute"))?,
                op: op.ok_or_else(|| E::missing_field("op"))?,
                values: values.unwrap_or_default(),
                negate: negate.unwrap_or(false),
                ignore_case: ignore_case.unwrap_or(false),
            }),
        })
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ConditionVisitor;
        impl<'de> Visitor<'de> for ConditionVisitor {
            type Value = Condition;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a condition: {attribute, op, values}, {all: [...]}, {any: [...]}, {not: ...} or {segment: key}")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Condition, A::Error> {
                ConditionFields::read(map)?.into_condition()
            }
        }
        deserializer.deserialize_map(ConditionVisitor)
    }
}
