//! Semantic versions (SemVer 2.0.0) for the `semver_*` clauses: read as the
//! `semver` crate reads them and ordered by precedence as it orders them (the
//! tests compare the two), in less code: that crate took 2.1 KB of the
//! gzipped wasm module, this reader 0.7 KB. A plain `MAJOR.MINOR.PATCH` is
//! read in one pass without allocating.

use std::cmp::Ordering;

/// A version's parts that decide precedence, borrowed from its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Version<'a> {
    /// Major, minor and patch.
    numbers: [u64; 3],
    /// The dot-separated pre-release identifiers; empty for a release.
    pre: &'a str,
}

/// A version a compiled clause holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OwnedVersion {
    numbers: [u64; 3],
    pre: Box<str>,
}

impl<'a> Version<'a> {
    /// Reads `MAJOR.MINOR.PATCH[-PRE][+BUILD]`: numbers without leading
    /// zeros that fit a u64, identifiers of `[0-9A-Za-z-]` that are not empty,
    /// numeric pre-release identifiers without leading zeros.
    /// Inlined: a call cost an evaluation of a SemVer clause 18 more instructions.
    #[inline(always)]
    pub(crate) fn parse(text: &'a str) -> Option<Version<'a>> {
        let bytes = text.as_bytes();
        let mut at = 0;
        let major = number(bytes, &mut at)?;
        let minor = dot(bytes, &mut at).and_then(|()| number(bytes, &mut at))?;
        let patch = dot(bytes, &mut at).and_then(|()| number(bytes, &mut at))?;
        let numbers = [major, minor, patch];
        // Most versions end here: no suffix to split and check.
        if at == bytes.len() {
            return Some(Version { numbers, pre: "" });
        }
        Some(Version { numbers, pre: pre_release(text.get(at..)?)? })
    }

    /// SemVer precedence: by the numbers, then a release above its
    /// pre-releases, then pre-release identifier by identifier (numeric ones
    /// by value and below alphanumeric ones, which compare as ASCII); the
    /// build is ignored.
    pub(crate) fn precedence(&self, other: &Version<'_>) -> Ordering {
        self.numbers.cmp(&other.numbers).then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => pre_release_precedence(self.pre, other.pre),
        })
    }

    /// The version, owning its pre-release text.
    pub(crate) fn into_owned(self) -> OwnedVersion {
        OwnedVersion { numbers: self.numbers, pre: self.pre.into() }
    }
}

impl OwnedVersion {
    /// The version, borrowed.
    pub(crate) fn borrowed(&self) -> Version<'_> {
        Version { numbers: self.numbers, pre: &self.pre }
    }
}

/// The number whose digits start at `at` (moved past them): at least one
/// digit, no leading zero, within a u64.
#[inline(always)]
fn number(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let start = *at;
    let mut value = 0u64;
    while let Some(digit) = bytes.get(*at).filter(|b| b.is_ascii_digit()) {
        value = value.checked_mul(10)?.checked_add(u64::from(digit - b'0'))?;
        *at += 1;
    }
    let leading_zero = *at - start > 1 && bytes[start] == b'0';
    (*at > start && !leading_zero).then_some(value)
}

/// Moves past the `.` at `at`, if one is there.
#[inline(always)]
fn dot(bytes: &[u8], at: &mut usize) -> Option<()> {
    (bytes.get(*at) == Some(&b'.')).then(|| *at += 1)
}

/// The pre-release in what follows a version's numbers: `-PRE`, `+BUILD`
/// or `-PRE+BUILD` (the build checked, then dropped).
fn pre_release(suffix: &str) -> Option<&str> {
    let (pre, build) = match suffix.split_once('+') {
        Some((pre, build)) => (pre, Some(build)),
        None => (suffix, None),
    };
    let (pre, valid_pre) = match pre.strip_prefix('-') {
        Some(pre) => (pre, identifiers(pre, false)),
        None => (pre, pre.is_empty()),
    };
    let valid = valid_pre && build.is_none_or(|build| identifiers(build, true));
    valid.then_some(pre)
}

/// Whether `text` is dot-separated identifiers of `[0-9A-Za-z-]`, none empty,
/// and (unless `zero_prefix`) no numeric one with a leading zero.
fn identifiers(text: &str, zero_prefix: bool) -> bool {
    text.split('.').all(|id| {
        let leading_zero = id.len() > 1 && id.starts_with('0') && is_numeric(id);
        !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') && (zero_prefix || !leading_zero)
    })
}

/// Whether an identifier is all digits (a numeric one, in SemVer's terms).
fn is_numeric(identifier: &str) -> bool {
    identifier.bytes().all(|b| b.is_ascii_digit())
}

/// Precedence of two non-empty pre-releases; with equal identifiers as far
/// as both go, the one with fewer ranks lower.
fn pre_release_precedence(left: &str, right: &str) -> Ordering {
    let mut rights = right.split('.');
    for left in left.split('.') {
        let Some(right) = rights.next() else { return Ordering::Greater };
        let ordering = match (is_numeric(left), is_numeric(right)) {
            // Without leading zeros, the longer number is the larger.
            (true, true) => left.len().cmp(&right.len()).then_with(|| left.cmp(right)),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => left.cmp(right),
        };
        if ordering.is_ne() {
            return ordering;
        }
    }
    if rights.next().is_some() {
        Ordering::Less
    } else {
        Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the `semver` crate reads from `text`, in the same form.
    fn crate_parse(text: &str) -> Option<([u64; 3], String)> {
        let v = semver::Version::parse(text).ok()?;
        Some(([v.major, v.minor, v.patch], v.pre.as_str().to_owned()))
    }

    fn parse(text: &str) -> Option<([u64; 3], String)> {
        Version::parse(text).map(|v| (v.numbers, v.pre.to_owned()))
    }

    #[test]
    fn reads_what_the_semver_crate_reads() {
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
            "1.2.3-rc.1+build.007",
            "1.2.3-01",
            "1.2.3-0a",
            "1.2.3-0",
            "1.2.3-",
            "1.2.3+",
            "1.2.3-+b",
            "1.2.3-a..b",
            "1.2.3-a+b+c",
            "1.2.3-a_b",
            "1.2.3-ä",
            "1.2.3--",
            "1.2.3-a-",
            "",
            "1..3",
            "a.b.c",
            "18446744073709551615.0.0",
            "18446744073709551616.0.0",
            "99999999999999999999.0.0",
            " 1.2.3",
            "1.2.3 ",
            "1.2.",
            ".1.2",
            "1.2.3.",
            "1-2.3.4",
            "1.2-3.4",
            "1.2.3-99999999999999999999999",
        ];
        for text in cases {
            assert_eq!(parse(text), crate_parse(text), "{text:?}");
        }
    }

    /// Versions built from few parts, so that equal and near-equal ones meet.
    fn version_text() -> impl Strategy<Value = String> {
        let number = prop_oneof![Just("0"), Just("1"), Just("10"), Just("01"), Just("2")];
        let identifier = prop_oneof![Just("0"), Just("1"), Just("11"), Just("01"), Just("a"), Just("b"), Just("a-1"), Just("A"), Just("")];
        let identifiers = prop::collection::vec(identifier, 0..4).prop_map(|ids| ids.join("."));
        (number.clone(), number.clone(), number, identifiers.clone(), prop::option::of(identifiers), prop::bool::ANY).prop_map(
            |(major, minor, patch, pre, build, dash)| {
                let mut text = format!("{major}.{minor}.{patch}");
                if dash || !pre.is_empty() {
                    text += &format!("-{pre}");
                }
                if let Some(build) = build {
                    text += &format!("+{build}");
                }
                text
            },
        )
    }

    proptest! {
        #[test]
        fn agrees_with_the_semver_crate_on_reading(text in version_text()) {
            prop_assert_eq!(parse(&text), crate_parse(&text));
        }

        #[test]
        fn agrees_with_the_semver_crate_on_any_text(text in "[0-9a.+-]{0,16}") {
            prop_assert_eq!(parse(&text), crate_parse(&text));
        }

        #[test]
        fn orders_as_the_semver_crate_does(left in version_text(), right in version_text()) {
            if let (Some(a), Some(b)) = (Version::parse(&left), Version::parse(&right)) {
                let expected = semver::Version::parse(&left).unwrap().cmp_precedence(&semver::Version::parse(&right).unwrap());
                prop_assert_eq!(a.precedence(&b), expected, "{} against {}", left, right);
                prop_assert_eq!(a.into_owned().borrowed().precedence(&b), expected);
            }
        }
    }
}
