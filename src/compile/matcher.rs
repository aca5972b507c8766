//! Clause matchers: operator values parsed once at load (regexes, semvers,
//! CIDR blocks, times), so evaluation compares without parsing the snapshot.

use super::error::CompileErrorKind;
use super::limits::MAX_SEARCHED_BYTES;
use crate::case::lowercase;
use crate::eval::context::Value;
use crate::model::Operator;
use crate::regex::Regex;
use crate::time::{parse_rfc3339, EpochMillis};
use std::cmp::Ordering;
use std::net::IpAddr;

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
    Semver { want: Ordering, or_equal: bool, bounds: Box<[semver::Version]> },
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

/// A clause's bound, read as a context's version is (so both accept the same texts).
fn parse_semver(text: &str) -> Option<semver::Version> {
    ContextVersion::parse(text).map(ContextVersion::into_version)
}

/// A context's version, read once per clause. A plain one is kept as its
/// three numbers, without building (and, in wasm, dropping) a
/// `semver::Version`: that was a tenth of a nested rule's time in wasm.
enum ContextVersion {
    Plain([u64; 3]),
    Other(semver::Version),
}

impl ContextVersion {
    /// Inlined: out of line (it also reads clause bounds at compile time) a semver clause took 27 more instructions.
    #[inline(always)]
    fn parse(text: &str) -> Option<ContextVersion> {
        let text = text.strip_prefix('v').unwrap_or(text);
        plain_semver(text).map(ContextVersion::Plain).or_else(|| semver::Version::parse(text).ok().map(ContextVersion::Other))
    }

    /// The version as a `semver::Version`.
    fn into_version(self) -> semver::Version {
        match self {
            ContextVersion::Plain([major, minor, patch]) => semver::Version::new(major, minor, patch),
            ContextVersion::Other(version) => version,
        }
    }

    /// Semver precedence against `bound`.
    fn precedence(&self, bound: &semver::Version) -> Ordering {
        match self {
            ContextVersion::Plain(numbers) => plain_precedence(*numbers, bound),
            ContextVersion::Other(version) => version.cmp_precedence(bound),
        }
    }
}

/// Semver precedence of a plain version against `bound`: by the numbers,
/// then a release ranks above a pre-release of the same numbers.
fn plain_precedence(numbers: [u64; 3], bound: &semver::Version) -> Ordering {
    let release = if bound.pre.is_empty() { Ordering::Equal } else { Ordering::Greater };
    numbers.cmp(&[bound.major, bound.minor, bound.patch]).then(release)
}

/// Reads the common shape `MAJOR.MINOR.PATCH` (no pre-release, no build, no
/// leading zeros) without the general parser; anything else is left to it, so
/// both paths accept and order exactly the same versions.
fn plain_semver(text: &str) -> Option<[u64; 3]> {
    let mut numbers = [0u64; 3];
    let (mut part, mut digits) = (0, 0);
    for &byte in text.as_bytes() {
        match byte {
            // At most 19 digits always fit a u64; longer numbers go to the general parser.
            b'0'..=b'9' if digits < 19 && !(digits == 1 && numbers[part] == 0) => {
                numbers[part] = numbers[part] * 10 + u64::from(byte - b'0');
                digits += 1;
            }
            b'.' if part < 2 && digits > 0 => (part, digits) = (part + 1, 0),
            _ => return None,
        }
    }
    (part == 2 && digits > 0).then_some(numbers)
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

fn to_mapped(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(v4.to_ipv6_mapped()),
        IpAddr::V6(v6) => u128::from(v6.to_ipv4_mapped().map_or(v6, |v4| v4.to_ipv6_mapped())),
    }
}

impl Network {
    fn parse(text: &str) -> Option<Network> {
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix.parse::<u32>().ok()?)),
            None => (text, None),
        };
        let ip: IpAddr = addr.parse().ok()?;
        let (width, offset) = if ip.is_ipv4() { (32, 96) } else { (128, 0) };
        let prefix = prefix.unwrap_or(width);
        if prefix > width {
            return None;
        }
        let prefix = prefix + offset;
        Some(Network { base: to_mapped(ip) & Network::mask(prefix), prefix })
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
                Matcher::Regex(values.iter().map(|v| compile_regex(op, v, ignore_case)).collect::<CompileResult<_>>()?)
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
                let bounds = values
                    .iter()
                    .map(|v| v.as_str().and_then(parse_semver).ok_or_else(|| invalid(op, v, "semantic versions such as 1.4.0")))
                    .collect::<CompileResult<_>>()?;
                let (want, or_equal) = ordering_of(op);
                Matcher::Semver { want, or_equal, bounds }
            }
            InCidr => {
                at_least_one(op, &values)?;
                let networks = values
                    .iter()
                    .map(|v| v.as_str().and_then(Network::parse).ok_or_else(|| invalid(op, v, "CIDR blocks such as 10.0.0.0/8")))
                    .collect::<CompileResult<_>>()?;
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
            Matcher::Semver { want, or_equal, bounds } => value.as_str().and_then(ContextVersion::parse).map(|version| {
                bounds.iter().any(|bound| {
                    let ord = version.precedence(bound);
                    ord == *want || (*or_equal && ord.is_eq())
                })
            }),
            Matcher::Cidr(networks) => {
                value.as_str().and_then(|s| s.parse::<IpAddr>().ok()).map(|ip| networks.iter().any(|n| n.contains(to_mapped(ip))))
            }
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
    Regex::new(pattern, ignore_case)
        .map_err(|error| CompileErrorKind::InvalidRegex { pattern: shorten(pattern), reason: error.to_string() })
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
    fn the_plain_semver_path_agrees_with_the_general_parser() {
        let cases = [
            "1.4.0",
            "0.0.0",
            "10.20.30",
            "01.2.3",
            "1.02.3",
            "1.2",
            "1.2.3.4",
            "1.2.3-beta.1",
            "1.2.3+build",
            "",
            "1..3",
            "a.b.c",
            "18446744073709551615.0.0",
            "18446744073709551616.0.0",
            "9999999999999999999.1.1",
            " 1.2.3",
            "1.2.3 ",
            "1.0.10",
            "0.10.0",
            "00.1.1",
            "1.2.",
            ".1.2",
            "1.2.3.",
        ];
        for text in cases {
            assert_eq!(parse_semver(text), semver::Version::parse(text).ok(), "{text:?}");
            assert_eq!(parse_semver(&format!("v{text}")), semver::Version::parse(text).ok(), "v{text:?}");
        }
    }

    #[test]
    fn plain_versions_order_as_semver_precedence_says() {
        let versions = ["0.0.0", "1.2.3", "1.2.4", "1.3.0", "2.0.0", "1.2.3-alpha", "1.2.3-rc.1", "1.2.3+build", "1.2.4-0"];
        let versions: Vec<semver::Version> = versions.iter().map(|v| semver::Version::parse(v).unwrap()).collect();
        for value in versions.iter().filter(|v| v.pre.is_empty() && v.build.is_empty()) {
            for bound in &versions {
                let read = ContextVersion::parse(&value.to_string()).unwrap();
                assert!(matches!(read, ContextVersion::Plain(_)));
                assert_eq!(read.precedence(bound), value.cmp_precedence(bound), "{value} against {bound}");
            }
        }
    }
}
