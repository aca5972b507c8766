//! Scalars with a friendly input form and one canonical output form.

use crate::time::{parse_rfc3339, EpochMillis};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A percentage in units of 0.001 % (0..=100000), the bucketing resolution.
///
/// Written as a number of percent with up to three decimals (`12.5`), or as a
/// string with an optional `%` (`"12.5%"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Percent(pub u32);

impl Percent {
    /// 100 %, all units.
    pub const FULL: Percent = Percent(crate::bucket::BUCKETS);

    /// Parses a number of percent, refusing more than three decimals or a value outside 0..=100.
    pub fn from_percent(value: f64) -> Result<Percent, String> {
        if !value.is_finite() || !(0.0..=100.0).contains(&value) {
            return Err(format!("percentage {value} is not between 0 and 100"));
        }
        let units = (value * 1000.0).round();
        if (value * 1000.0 - units).abs() > 1e-6 {
            return Err(format!("percentage {value} has more than three decimals"));
        }
        Ok(Percent(units as u32))
    }

    /// The value in percent, for display.
    pub fn as_percent(self) -> f64 {
        f64::from(self.0) / 1000.0
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0 % 1000 == 0 {
            serializer.serialize_u32(self.0 / 1000)
        } else {
            serializer.serialize_f64(self.as_percent())
        }
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PercentVisitor;
        impl Visitor<'_> for PercentVisitor {
            type Value = Percent;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a percentage such as 12.5 or \"12.5%\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Percent, E> {
                if v > 100 {
                    return Err(E::custom(format_args!("percentage {v} is not between 0 and 100")));
                }
                Ok(Percent(v as u32 * 1000))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Percent, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Err(E::custom(format_args!("percentage {v} is not between 0 and 100"))),
                }
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Percent, E> {
                Percent::from_percent(v).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Percent, E> {
                let number = v.trim().trim_end_matches('%').trim_end();
                let value: f64 = number
                    .parse()
                    .map_err(|_| E::custom(format_args!("`{v}` is not a percentage")))?;
                self.visit_f64(value)
            }
        }
        deserializer.deserialize_any(PercentVisitor)
    }
}

/// An instant, written as RFC 3339 (`2026-12-01T09:00:00Z`, or a bare date for
/// midnight UTC) or as epoch milliseconds; serialised as epoch milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Timestamp(pub EpochMillis);

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimestampVisitor;
        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an RFC 3339 time such as 2026-12-01T09:00:00Z, or epoch milliseconds")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Ok(Timestamp(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                i64::try_from(v).map(Timestamp).map_err(|_| E::custom("timestamp out of range"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                parse_rfc3339(v)
                    .map(Timestamp)
                    .ok_or_else(|| E::custom(format_args!("`{v}` is not an RFC 3339 time")))
            }
        }
        deserializer.deserialize_any(TimestampVisitor)
    }
}

/// Clause values: one scalar or a list of them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Values(pub Vec<serde_json::Value>);

impl Serialize for Values {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Values {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Array(items) => Ok(Values(items)),
            single => Ok(Values(vec![single])),
        }
    }
}
