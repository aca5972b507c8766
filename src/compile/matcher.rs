//! Clause matchers: operator values parsed once at load (regexes, semvers,
//! CIDR blocks, times), so evaluation compares without parsing the snapshot.

use super::error::CompileErrorKind;
use super::ip;
use super::limits::MAX_SEARCHED_BYTES;
use super::version::{OwnedVersion, Version};
use crate::case::lowercase;
use crate::eval::context::Value;
use crate::model::Operator;
use crate::regex::Regex;
use crate::time::{parse_rfc3339, EpochMillis};
use std::cmp::Ordering;

/// A compiled comparison of one attribute value.
#[derive(Debug)]
pub(crate) enum Matcher {
    /// Present and not null.
    Exists,
    /// Equal to one of the values.
    Equals(EqualitySet),
    /// A string test against needles.
    Text { test: TextTest, needles: Box<[Box<str>]>, ignore_case: bool },
    /// Matches one of the regular expressions.
    Regex(Box<[Regex]>),
    /// A numeric comparison.
    Number { want: Ordering, or_equal: bool, bound: f64 },
    /// A time comparison (before: Less, after: Greater).
    Time { want: Ordering, bound: EpochMillis },
    /// A semantic-version comparison against one or more versions.
    Semver { want: Ordering, or_equal: bool, bounds: Box<[OwnedVersion]> },
    /// Inside one of the networks.
    Cidr(Box<[Network]>),
}

/// The values of an `equals` / `in` clause, split by type.
#[derive(Debug, Default)]
pub(crate) struct EqualitySet {
    strings: Box<[Box<str>]>,
    numbers: Box<[f64]>,
    booleans: [bool; 2],
    ignore_case: bool,
}

/// Which string test a text matcher applies.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TextTest {
    Contains,
    StartsWith,
    EndsWith,
}

/// An IP network; IPv4 is held as IPv4-mapped IPv6.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Network {
    base: u128,
    prefix: u32,
}

/// The result of testing one attribute against a clause, before negation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClauseOutcome {
    /// The value matched.
    Match,
    /// The value did not match.
    NoMatch,
    /// The attribute is absent (never matches, even negated).
    Missing,
    /// The value has a type the operator cannot compare (counts as no match).
    TypeMismatch,
    /// The string is longer than `matches` searches (never matches, even negated).
    TooLong,
}

type CompileResult<T> = Result<T, CompileErrorKind>;

fn describe(value: &serde_json::Value) -> String {
    shorten(&crate::json::write::to_string(value))
}

/// `text`, cut to about 60 bytes for an error message.
fn shorten(text: &str) -> String {
    if text.len() > 60 {
        format!("{}…", &text[..text.floor_char_boundary_compat(60)])
    } else {
        text.to_owned()
    }
}

/// `str::floor_char_boundary` is unstable; this is the same for our use.
trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, index: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, mut index: usize) -> usize {
        while !self.is_char_boundary(index) {
            index -= 1;
        }
        index
    }
}

fn invalid(op: Operator, value: &serde_json::Value, expected: &'static str) -> CompileErrorKind {
    CompileErrorKind::InvalidValue { op: op.name(), value: describe(value), expected }
}

fn strings(op: Operator, values: Vec<serde_json::Value>, ignore_case: bool) -> CompileResult<Box<[Box<str>]>> {
    values
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) if ignore_case => Ok(lowercase(&s).into_boxed_str()),
            serde_json::Value::String(s) => Ok(s.into_boxed_str()),
            other => Err(invalid(op, &other, "strings")),
        })
        .collect()
}

fn exactly_one(op: Operator, values: &[serde_json::Value]) -> CompileResult<&serde_json::Value> {
    match values {
        [one] => Ok(one),
        _ => Err(CompileErrorKind::ValueCount { op: op.name(), expected: "exactly one value", found: values.len() }),
    }
}

/// Compiles every value with `compile`; the first that fails refuses the
/// clause. A plain loop: `collect` into a `Result` instantiated its adapters
/// once per item type, about 1 KB of the gzipped wasm module in all.
fn each<T>(values: &[serde_json::Value], compile: impl Fn(&serde_json::Value) -> CompileResult<T>) -> CompileResult<Box<[T]>> {
    let mut compiled = Vec::with_capacity(values.len());
    for value in values {
        compiled.push(compile(value)?);
    }
    Ok(compiled.into_boxed_slice())
}

fn at_least_one(op: Operator, values: &[serde_json::Value]) -> CompileResult<()> {
    if values.is_empty() {
        return Err(CompileErrorKind::ValueCount { op: op.name(), expected: "at least one value", found: 0 });
    }
    Ok(())
}

fn ordering_of(op: Operator) -> (Ordering, bool) {
    use Operator::*;
    match op {
        Lt | SemverLt | Before => (Ordering::Less, false),
        Le | SemverLe => (Ordering::Less, true),
        Gt | SemverGt | After => (Ordering::Greater, false),
        Ge | SemverGe => (Ordering::Greater, true),
        _ => (Ordering::Equal, true),
    }
}

/// A version as clauses read them, in bounds and contexts alike: SemVer with an optional `v` prefix.
#[inline(always)]
fn parse_version(text: &str) -> Option<Version<'_>> {
    Version::parse(text.strip_prefix('v').unwrap_or(text))
}

fn parse_time(value: Value<'_>) -> Option<EpochMillis> {
    match value {
        Value::Str(s) => parse_rfc3339(s),
        other => other.as_integer(),
    }
}

fn json_time(value: &serde_json::Value) -> Option<EpochMillis> {
    match value {
        serde_json::Value::String(s) => parse_rfc3339(s),
        other => other.as_i64(),
    }
}

impl Network {
    fn parse(text: &str) -> Option<Network> {
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix.parse::<u32>().ok()?)),
            None => (text, None),
        };
        let address = ip::parse(addr)?;
        let (width, offset) = if address.is_v4 { (32, 96) } else { (128, 0) };
        let prefix = prefix.unwrap_or(width);
        if prefix > width {
            return None;
        }
        let prefix = prefix + offset;
        Some(Network { base: address.bits & Network::mask(prefix), prefix })
    }

    fn mask(prefix: u32) -> u128 {
        if prefix == 0 {
            0
        } else {
            u128::MAX << (128 - prefix)
        }
    }

    fn contains(&self, ip: u128) -> bool {
        ip & Network::mask(self.prefix) == self.base
    }
}

impl Matcher {
    /// Compiles an operator and its values.
    pub(crate) fn compile(op: Operator, values: Vec<serde_json::Value>, ignore_case: bool) -> CompileResult<Matcher> {
        use Operator::*;
        let string_op = matches!(op, Equals | In | Contains | StartsWith | EndsWith | Matches);
        if ignore_case && !string_op {
            return Err(CompileErrorKind::IgnoreCaseUnsupported(op.name()));
        }
        Ok(match op {
            Exists if values.is_empty() => Matcher::Exists,
            Exists => return Err(CompileErrorKind::ValueCount { op: op.name(), expected: "no values", found: values.len() }),
            Equals | In => {
                at_least_one(op, &values)?;
                Matcher::Equals(EqualitySet::compile(op, values, ignore_case)?)
            }
            Contains | StartsWith | EndsWith => {
                at_least_one(op, &values)?;
                let test = match op {
                    Contains => TextTest::Contains,
                    StartsWith => TextTest::StartsWith,
                    _ => TextTest::EndsWith,
                };
                Matcher::Text { test, needles: strings(op, values, ignore_case)?, ignore_case }
            }
            Matches => {
                at_least_one(op, &values)?;
                Matcher::Regex(each(&values, |v| compile_regex(op, v, ignore_case))?)
            }
            Lt | Le | Gt | Ge => {
                let value = exactly_one(op, &values)?;
                let bound = value.as_f64().ok_or_else(|| invalid(op, value, "a number"))?;
                let (want, or_equal) = ordering_of(op);
                Matcher::Number { want, or_equal, bound }
            }
            Before | After => {
                let value = exactly_one(op, &values)?;
                let bound = json_time(value).ok_or_else(|| invalid(op, value, "an RFC 3339 time or epoch milliseconds"))?;
                Matcher::Time { want: ordering_of(op).0, bound }
            }
            SemverEq | SemverLt | SemverLe | SemverGt | SemverGe => {
                if op == SemverEq {
                    at_least_one(op, &values)?
                } else {
                    exactly_one(op, &values).map(|_| ())?
                }
                let bounds = each(&values, |v| {
                    v.as_str()
                        .and_then(parse_version)
                        .map(Version::into_owned)
                        .ok_or_else(|| invalid(op, v, "semantic versions such as 1.4.0"))
                })?;
                let (want, or_equal) = ordering_of(op);
                Matcher::Semver { want, or_equal, bounds }
            }
            InCidr => {
                at_least_one(op, &values)?;
                let networks =
                    each(&values, |v| v.as_str().and_then(Network::parse).ok_or_else(|| invalid(op, v, "CIDR blocks such as 10.0.0.0/8")))?;
                Matcher::Cidr(networks)
            }
        })
    }

    /// Tests a present attribute value; a list matches when any element does.
    pub(crate) fn test(&self, value: Value<'_>) -> ClauseOutcome {
        if let (Value::List(items), false) = (value, matches!(self, Matcher::Exists)) {
            let mut outcome = ClauseOutcome::TypeMismatch;
            for item in items.values() {
                match self.test_scalar(item) {
                    ClauseOutcome::Match => return ClauseOutcome::Match,
                    ClauseOutcome::NoMatch => outcome = ClauseOutcome::NoMatch,
                    _ => {}
                }
            }
            return outcome;
        }
        self.test_scalar(value)
    }

    fn test_scalar(&self, value: Value<'_>) -> ClauseOutcome {
        let matched = match self {
            Matcher::Exists => Some(true),
            Matcher::Equals(set) => set.contains(value),
            Matcher::Text { test, needles, ignore_case } => value.as_str().map(|s| text_test(*test, needles, s, *ignore_case)),
            Matcher::Regex(patterns) => match value.as_str() {
                Some(text) if text.len() > MAX_SEARCHED_BYTES => return ClauseOutcome::TooLong,
                text => text.map(|s| patterns.iter().any(|re| re.is_match(s))),
            },
            Matcher::Number { want, or_equal, bound } => {
                value.as_f64().and_then(|n| n.partial_cmp(bound)).map(|ord| ord == *want || (*or_equal && ord.is_eq()))
            }
            Matcher::Time { want, bound } => parse_time(value).map(|t| t.cmp(bound) == *want),
            Matcher::Semver { want, or_equal, bounds } => value.as_str().and_then(parse_version).map(|version| {
                bounds.iter().any(|bound| {
                    let ord = version.precedence(&bound.borrowed());
                    ord == *want || (*or_equal && ord.is_eq())
                })
            }),
            Matcher::Cidr(networks) => value.as_str().and_then(ip::parse).map(|address| networks.iter().any(|n| n.contains(address.bits))),
        };
        match matched {
            Some(true) => ClauseOutcome::Match,
            Some(false) => ClauseOutcome::NoMatch,
            None => ClauseOutcome::TypeMismatch,
        }
    }
}

fn compile_regex(op: Operator, value: &serde_json::Value, ignore_case: bool) -> CompileResult<Regex> {
    let pattern = value.as_str().ok_or_else(|| invalid(op, value, "regular expressions as strings"))?;
    Regex::new(pattern, ignore_case).map_err(|reason| CompileErrorKind::InvalidRegex { pattern: shorten(pattern), reason })
}

fn text_test(test: TextTest, needles: &[Box<str>], haystack: &str, ignore_case: bool) -> bool {
    let lowered;
    let haystack = if ignore_case {
        lowered = lowercase(haystack);
        lowered.as_str()
    } else {
        haystack
    };
    needles.iter().any(|n| match test {
        TextTest::Contains => haystack.contains(n.as_ref()),
        TextTest::StartsWith => haystack.starts_with(n.as_ref()),
        TextTest::EndsWith => haystack.ends_with(n.as_ref()),
    })
}

impl EqualitySet {
    fn compile(op: Operator, values: Vec<serde_json::Value>, ignore_case: bool) -> CompileResult<EqualitySet> {
        let mut strings = Vec::new();
        let mut numbers = Vec::new();
        let mut booleans = [false; 2];
        for value in values {
            match value {
                serde_json::Value::String(s) if ignore_case => strings.push(lowercase(&s).into_boxed_str()),
                serde_json::Value::String(s) => strings.push(s.into_boxed_str()),
                ref number @ serde_json::Value::Number(_) => {
                    numbers.push(number.as_f64().ok_or_else(|| invalid(op, number, "finite numbers"))?)
                }
                serde_json::Value::Bool(b) => booleans[usize::from(b)] = true,
                other => return Err(invalid(op, &other, "strings, numbers or booleans")),
            }
        }
        crate::sorted::sort_by(&mut strings, |a, b| a < b);
        strings.dedup();
        Ok(EqualitySet { strings: strings.into(), numbers: numbers.into(), booleans, ignore_case })
    }

    fn contains(&self, value: Value<'_>) -> Option<bool> {
        match value {
            Value::Str(s) if self.ignore_case => Some(self.has_string(&lowercase(s))),
            Value::Str(s) => Some(self.has_string(s)),
            Value::Int(_) | Value::Float(_) => {
                let n = value.as_f64()?;
                Some(self.numbers.contains(&n))
            }
            Value::Bool(b) => Some(self.booleans[usize::from(b)]),
            _ => None,
        }
    }

    fn has_string(&self, s: &str) -> bool {
        crate::sorted::find(&self.strings, s, |probe| probe).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_may_carry_one_v_prefix() {
        for text in ["1.2.3", "1.2.3-rc.1+build", "0.0.0"] {
            assert!(parse_version(text).is_some());
            assert_eq!(parse_version(&format!("v{text}")), parse_version(text));
            assert_eq!(parse_version(&format!("vv{text}")), None);
        }
    }
}
