//! What a rule or a default serves: one variant, or a rollout splitting units
//! across variants with an exposure that may ramp over time.

use super::{Percent, Timestamp};
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A variant name (`serve: on`) or a rollout (`serve: {rollout: {...}}`).
#[derive(Debug, Clone, PartialEq)]
pub enum Serve {
    /// Serve this variant.
    Variant(String),
    /// Bucket the unit and serve the variant of its slot.
    Rollout(Rollout),
}

/// A percentage split of units across variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rollout {
    /// Re-randomises bucketing; defaults to the flag key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// The context attribute that identifies a unit; defaults to `targetingKey`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_by: Option<String>,
    /// Variants with weights summing to 100 %, in slot order.
    pub split: Vec<SplitSlot>,
    /// The share of units in the rollout at all; the rest fall through.
    #[serde(default = "full_exposure")]
    pub exposure: Exposure,
}

fn full_exposure() -> Exposure {
    Exposure::Fixed(Percent::FULL)
}

/// One variant's share of a split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitSlot {
    /// The variant name.
    pub variant: String,
    /// Its share, in percent.
    pub weight: Percent,
}

/// A fixed exposure, or a schedule evaluated at the evaluation's `now`.
#[derive(Debug, Clone, PartialEq)]
pub enum Exposure {
    /// Always this share.
    Fixed(Percent),
    /// The share of the last point at or before `now`.
    Steps(Vec<SchedulePoint>),
    /// Interpolated linearly between the points around `now`.
    Linear(Vec<SchedulePoint>),
}

/// A point of an exposure schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchedulePoint {
    /// When this share applies.
    pub at: Timestamp,
    /// The share, in percent.
    pub percent: Percent,
}

impl Serialize for Serve {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Serve::Variant(name) => serializer.serialize_str(name),
            Serve::Rollout(rollout) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("rollout", rollout)?;
                map.end()
            }
        }
    }
}

/// Reads a map holding exactly one of the named keys and passes it on.
fn single_key<'de, A: MapAccess<'de>>(map: &mut A, accepted: &'static [&'static str]) -> Result<String, A::Error> {
    let key = map
        .next_key::<String>()?
        .ok_or_else(|| de::Error::custom(format_args!("expected one of {accepted:?}")))?;
    if !accepted.contains(&key.as_str()) {
        return Err(de::Error::unknown_field(&key, accepted));
    }
    Ok(key)
}

fn no_more_keys<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    match map.next_key::<String>()? {
        Some(extra) => Err(de::Error::custom(format_args!("unexpected `{extra}`: give only one form"))),
        None => Ok(()),
    }
}

impl<'de> Deserialize<'de> for Serve {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ServeVisitor;
        impl<'de> Visitor<'de> for ServeVisitor {
            type Value = Serve;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a variant name or {rollout: {split: [...], exposure: ...}}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Serve, E> {
                Ok(Serve::Variant(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Serve, A::Error> {
                let serve = match single_key(&mut map, &["variant", "rollout"])?.as_str() {
                    "variant" => Serve::Variant(map.next_value()?),
                    _ => Serve::Rollout(map.next_value()?),
                };
                no_more_keys(&mut map)?;
                Ok(serve)
            }
        }
        deserializer.deserialize_any(ServeVisitor)
    }
}

impl Serialize for Exposure {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (key, points) = match self {
            Exposure::Fixed(percent) => return percent.serialize(serializer),
            Exposure::Steps(points) => ("steps", points),
            Exposure::Linear(points) => ("linear", points),
        };
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(key, points)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for Exposure {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ExposureVisitor;
        impl ExposureVisitor {
            fn fixed<E: de::Error>(percent: Result<Percent, serde_json::Error>) -> Result<Exposure, E> {
                percent.map(Exposure::Fixed).map_err(E::custom)
            }
        }
        impl<'de> Visitor<'de> for ExposureVisitor {
            type Value = Exposure;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a percentage, {steps: [{at, percent}, ...]} or {linear: [{at, percent}, ...]}")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Exposure, E> {
                Self::fixed(Percent::deserialize(serde_json::Value::from(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Exposure, E> {
                Self::fixed(Percent::deserialize(serde_json::Value::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Exposure, E> {
                Percent::from_percent(v).map(Exposure::Fixed).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Exposure, E> {
                Self::fixed(Percent::deserialize(serde_json::Value::from(v)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Exposure, A::Error> {
                let exposure = match single_key(&mut map, &["steps", "linear"])?.as_str() {
                    "steps" => Exposure::Steps(map.next_value()?),
                    _ => Exposure::Linear(map.next_value()?),
                };
                no_more_keys(&mut map)?;
                Ok(exposure)
            }
        }
        deserializer.deserialize_any(ExposureVisitor)
    }
}
