use super::{Regex, RegexErrorKind};
use proptest::prelude::*;

fn is_match(pattern: &str, text: &str) -> bool {
    Regex::new(pattern, false).unwrap_or_else(|e| panic!("{pattern}: {e}")).is_match(text)
}

#[test]
fn matches_what_flag_rules_use() {
    let cases = [
        (r"(?i)(iphone|android)", "Mozilla/5.0 (iPhone)", true),
        (r"(?i)(iphone|android)", "Mozilla/5.0 (Windows)", false),
        (r"^[a-z0-9._%+-]+@example\.com$", "jo.doe+x@example.com", true),
        (r"^[a-z0-9._%+-]+@example\.com$", "jo@example.com.evil", false),
        (r"^\d{3}-\d{4}$", "555-1234", true),
        (r"^\d{3}-\d{4}$", "5555-1234", false),
        (r"Chrome/(1[2-9]\d|[2-9]\d\d)\.", "Chrome/121.0", true),
        (r"Chrome/(1[2-9]\d|[2-9]\d\d)\.", "Chrome/99.0", false),
        (r"\bbeta\b", "the beta tester", true),
        (r"\bbeta\b", "alphabetarium", false),
        (r"go\>", "go!", true),
        (r"go\>", "gopher", false),
        (r"\<go", "ago", false),
        (r"\b{start}go\b{end-half}", "let's go", true),
        (r"(?m)^end$", "start\nend\nmore", true),
        (r"^end$", "start\nend\nmore", false),
        (r"a.c", "a\nc", false),
        (r"(?s)a.c", "a\nc", true),
        (r"[[:upper:]][[:digit:]]{2,}", "x A12", true),
        (r"\x{1F600}|\x41", "smile 😀", true),
        (r"用户-\d+", "用户-42", true),
        (r"", "", true),
        (r"(?:a|b)*c", "ababab", false),
        (r"(a*)*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", false),
    ];
    for (pattern, text, expected) in cases {
        assert_eq!(is_match(pattern, text), expected, "{pattern} on {text:?}");
    }
}

#[test]
fn ignore_case_lower_cases_both_sides_in_unicode() {
    let regex = Regex::new("münchen|[A-C]x", true).unwrap();
    assert!(regex.is_match("MÜNCHEN"));
    assert!(regex.is_match("bX"));
    assert!(!regex.is_match("dx"));
    assert!(Regex::new("(?i)[^a-z]", false).unwrap().is_match("1"));
    assert!(!Regex::new("(?i)[^a-z]", false).unwrap().is_match("Q"));
    assert!(!Regex::new("(?i)a(?-i)b", false).unwrap().is_match("AB"));
    assert!(Regex::new("(?i)a(?-i)b", false).unwrap().is_match("Ab"));
}

#[test]
fn refuses_bad_patterns_naming_what_and_where() {
    let cases = [
        ("(ab", RegexErrorKind::UnclosedGroup, 3),
        ("ab)", RegexErrorKind::UnopenedGroup, 2),
        ("[ab", RegexErrorKind::UnclosedClass, 3),
        ("[z-a]", RegexErrorKind::InvalidRange, 4),
        ("*a", RegexErrorKind::RepetitionMissing, 0),
        ("a{2,1}", RegexErrorKind::InvalidRepetition, 6),
        ("a{1001}", RegexErrorKind::InvalidRepetition, 6),
        (r"\q", RegexErrorKind::InvalidEscape, 2),
        (r"\x{110000}", RegexErrorKind::InvalidHex, 10),
        ("(?x)a", RegexErrorKind::InvalidFlag, 3),
        ("(?<1a>b)", RegexErrorKind::InvalidGroupName, 5),
        ("[[:nope:]]", RegexErrorKind::UnknownClass, 3),
        ("(?=a)", RegexErrorKind::Unsupported, 2),
        (r"(a)\1", RegexErrorKind::Unsupported, 5),
        ("[a&&b]", RegexErrorKind::Unsupported, 2),
        ("[[a]]", RegexErrorKind::Unsupported, 2),
        ("a{1000}{5}", RegexErrorKind::TooBig, 10),
    ];
    for (pattern, kind, at) in cases {
        let error = Regex::new(pattern, false).unwrap_err();
        assert_eq!((error.kind, error.at), (kind, at), "{pattern}: {error}");
    }
    let long = "a".repeat(super::MAX_PATTERN_BYTES + 1);
    let error = Regex::new(&long, false).unwrap_err();
    assert_eq!((error.kind, error.to_string()), (RegexErrorKind::TooLong, "pattern is longer than 1024 bytes".to_owned()));
    let depth = "(".repeat(100) + &")".repeat(100);
    assert_eq!(Regex::new(&depth, false).unwrap_err().kind, RegexErrorKind::TooDeep);
    let stacked = "a".to_owned() + &"*".repeat(100);
    assert_eq!(Regex::new(&stacked, false).unwrap_err().kind, RegexErrorKind::TooDeep);
    assert!(is_match(&("a".to_owned() + &"*".repeat(20)), ""));
}

#[test]
fn nested_empty_repetitions_compile_at_once() {
    let pattern = "(?:(?:(?:(?:){1000}){1000}){1000}){1000}x";
    assert!(is_match(pattern, "x"));
}

/// Patterns drawn from the syntax both engines share.
fn pattern() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(vec![
        "a",
        "b",
        "A",
        "1",
        " ",
        "_",
        ".",
        r"\d",
        r"\w",
        r"\s",
        r"\D",
        r"\W",
        r"\S",
        "[ab]",
        "[^a]",
        "[a-c]",
        "[A-Z_]",
        "[[:alpha:]]",
        "[^[:digit:]b]",
        "^",
        "$",
        r"\b",
        r"\B",
        r"\n",
        r"\A",
        r"\z",
        r"\x61",
        "[-a]",
        "[]a]",
        "[]-b]",
        "[^]-a]",
        r"\<",
        r"\>",
        r"\b{start-half}",
        r"\b{end}",
    ])
    .prop_map(str::to_owned);
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|items| items.concat()),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}|{b}")),
            (prop::sample::select(vec!["(", "(?:", "(?i:", "(?m:", "(?s:", "(?-i:", "(?i)("]), inner.clone())
                .prop_map(|(open, body)| format!("{open}{body})")),
            (inner, prop::sample::select(vec!["*", "+", "?", "{2}", "{1,3}", "{0,}", "*?", "+?"]))
                .prop_map(|(body, repeat)| format!("(?:{body}){repeat}")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn agrees_with_regex_lite(pattern in pattern(), texts in prop::collection::vec("[aAb1 _\\n-]{0,10}", 1..6), fold in any::<bool>()) {
        let ours = Regex::new(&pattern, fold);
        let oracle = regex_lite::RegexBuilder::new(&pattern).case_insensitive(fold).build();
        prop_assert_eq!(ours.is_ok(), oracle.is_ok(), "{} accepted differently: {:?}", pattern, ours.err());
        if let (Ok(ours), Ok(oracle)) = (ours, oracle) {
            for text in texts {
                prop_assert_eq!(ours.is_match(&text), oracle.is_match(&text), "{} on {:?}", pattern, text);
            }
        }
    }
}

#[test]
fn searches_reuse_their_buffers_whatever_ran_before() {
    let large = Regex::new("(?:a|b|c|d){0,40}z", false).unwrap();
    let small = Regex::new("^ab$", false).unwrap();
    for _ in 0..3 {
        assert!(large.is_match("abcdz"));
        assert!(!large.is_match("abcd"));
        assert!(small.is_match("ab"));
        assert!(!small.is_match("abc"));
    }
}
