//! What a rule or a default serves: one variant, or a rollout splitting units
//! across variants with an exposure that may ramp over time.

use super::{Percent, Timestamp};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// A variant name (`serve: on`) or a rollout (`serve: {rollout: {...}}`).
#[derive(Debug, Clone, PartialEq)]
pub enum Serve {
    /// Serve this variant.
    Variant(String),
    /// Bucket the unit and serve the variant of its slot.
    Rollout(Rollout),
}

/// A percentage split of units across variants.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rollout {
    /// Re-randomises bucketing; defaults to the flag key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// The context attribute that identifies a unit; defaults to `targetingKey`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket_by: Option<String>,
    /// Variants with weights summing to 100 %, in slot order.
    pub split: Vec<SplitSlot>,
    /// The share of units in the rollout at all; the rest fall through.
    pub exposure: Exposure,
}

/// One variant's share of a split.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
