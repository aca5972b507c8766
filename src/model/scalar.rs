//! Scalars with a friendly input form and one canonical output form.

use crate::time::EpochMillis;
use serde::{Serialize, Serializer};

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
    pub fn from_percent(value: f64) -> Result<Percent, PercentError> {
        if !value.is_finite() || !(0.0..=100.0).contains(&value) {
            return Err(PercentError::OutOfRange);
        }
        let units = (value * 1000.0).round();
        if (value * 1000.0 - units).abs() > 1e-6 {
            return Err(PercentError::TooPrecise);
        }
        Ok(Percent(units as u32))
    }

    /// The value in percent, for display.
    pub fn as_percent(self) -> f64 {
        f64::from(self.0) / 1000.0
    }
}

/// Why a number is not a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PercentError {
    /// Below 0, above 100, or not finite.
    OutOfRange,
    /// More than three decimals: finer than the bucketing resolution.
    TooPrecise,
}

impl std::fmt::Display for PercentError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(match self {
            PercentError::OutOfRange => "is not between 0 and 100",
            PercentError::TooPrecise => "has more than three decimals",
        })
    }
}

impl std::fmt::Display for Percent {
    /// Formats with integer arithmetic (`12.345%`), keeping float formatting out of the wasm build.
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let (whole, fraction) = (self.0 / 1000, self.0 % 1000);
        if fraction == 0 {
            write!(f, "{whole}%")
        } else {
            write!(f, "{whole}.{}%", format!("{fraction:03}").trim_end_matches('0'))
        }
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

/// An instant, written as RFC 3339 (`2026-12-01T09:00:00Z`, or a bare date for
/// midnight UTC) or as epoch milliseconds; serialised as epoch milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Timestamp(pub EpochMillis);

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
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
