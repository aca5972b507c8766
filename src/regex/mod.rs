//! The `matches` operator's regular expressions: a small linear-time engine.
//!
//! Patterns use the common subset of Rust's `regex` syntax (see
//! docs/authoring.md): literals and escapes, `.`, classes with ranges,
//! negation, Perl classes (`\d \w \s`, ASCII) and POSIX classes
//! (`[[:alpha:]]`), anchors (`^ $ \A \z \b \B \< \>`), groups (plain, `(?:…)`,
//! named), alternation, greedy and lazy repetition, and the inline flags
//! `i`, `m`, `s`. A pattern is parsed into a tree (`parse`), compiled to a
//! Thompson NFA and run by simulating every thread at once (`program`), so
//! matching takes time linear in the text for a given pattern, whatever the
//! pattern.
//!
//! Case-insensitive matching (the `i` flag, or `ignore_case` on the clause)
//! compares characters by Unicode lower-casing, as the other string
//! operators do: a character matches when it or its lower-case form is in
//! the class, whose characters are lower-cased too.

mod parse;
mod program;
#[cfg(test)]
mod tests;

use crate::compile::limits::{MAX_PATTERN_BYTES, MAX_REGEX_INSTRUCTIONS};
use std::fmt;

/// A compiled pattern; [`Regex::is_match`] searches anywhere in a text.
#[derive(Debug, Clone)]
pub struct Regex(program::Program);

impl Regex {
    /// Parses and compiles `pattern`; `ignore_case` starts it with the `i`
    /// flag set.
    pub fn new(pattern: &str, ignore_case: bool) -> Result<Regex, RegexError> {
        if pattern.len() > MAX_PATTERN_BYTES {
            return Err(RegexError { at: MAX_PATTERN_BYTES, kind: RegexErrorKind::TooLong });
        }
        let tree = parse::parse(pattern, ignore_case)?;
        program::Program::compile(&tree).map(Regex).map_err(|kind| RegexError { at: pattern.len(), kind })
    }

    /// Whether the pattern matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.0.is_match(text)
    }
}

/// Why a pattern was refused, and the byte offset where it was noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegexError {
    /// Byte offset into the pattern.
    pub at: usize,
    /// What is wrong.
    pub kind: RegexErrorKind,
}

/// The kinds of pattern errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegexErrorKind {
    /// Longer than `MAX_PATTERN_BYTES`.
    TooLong,
    /// Compiles to more than `MAX_REGEX_INSTRUCTIONS` instructions.
    TooBig,
    /// Groups, or stacked repetitions, nested deeper than 64.
    TooDeep,
    /// A `(` without its `)`.
    UnclosedGroup,
    /// A `)` without its `(`.
    UnopenedGroup,
    /// A `[` without its `]`.
    UnclosedClass,
    /// A range whose end comes before its start, or whose ends are classes.
    InvalidRange,
    /// A `*`, `+`, `?` or `{…}` with nothing before it to repeat.
    RepetitionMissing,
    /// A `{…}` that is not `{n}`, `{n,}` or `{n,m}` with n ≤ m ≤ 1000.
    InvalidRepetition,
    /// An escape this engine does not know.
    InvalidEscape,
    /// A `\x` escape that is not a Unicode scalar value in hex.
    InvalidHex,
    /// An inline flag other than `i`, `m`, `s`, `U`, or a malformed flag group.
    InvalidFlag,
    /// A group name that is not a letter or `_` then letters, digits or `_`.
    InvalidGroupName,
    /// A POSIX class name this engine does not know.
    UnknownClass,
    /// Look-around, back-references, nested classes and class set
    /// operations (`&&`, `--`, `~~`) are not supported.
    Unsupported,
}

impl fmt::Display for RegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use RegexErrorKind::*;
        let what = match self.kind {
            TooLong => return write!(f, "pattern is longer than {MAX_PATTERN_BYTES} bytes"),
            TooBig => return write!(f, "pattern compiles to more than {MAX_REGEX_INSTRUCTIONS} instructions"),
            TooDeep => "groups are nested too deeply",
            UnclosedGroup => "unclosed group",
            UnopenedGroup => "`)` without a matching `(`",
            UnclosedClass => "unclosed character class",
            InvalidRange => "invalid character class range",
            RepetitionMissing => "repetition operator with nothing to repeat",
            InvalidRepetition => "invalid counted repetition (n ≤ m ≤ 1000)",
            InvalidEscape => "unknown escape sequence",
            InvalidHex => "invalid hexadecimal escape",
            InvalidFlag => "invalid inline flag (i, m, s and U are supported)",
            InvalidGroupName => "invalid group name",
            UnknownClass => "unknown POSIX character class",
            Unsupported => "look-around, back-references, nested classes and class set operations are not supported",
        };
        write!(f, "{what} at byte {}", self.at)
    }
}

impl std::error::Error for RegexError {}
