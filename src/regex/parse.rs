//! Pattern text → syntax tree, by recursive descent.

use super::{RegexError, RegexErrorKind};
use crate::case::lower;

/// Groups nested deeper than this are refused (the compiler recurses).
const MAX_DEPTH: usize = 64;
/// Largest count in `{n}`, `{n,}` and `{n,m}`.
const MAX_REPEAT: u32 = 1_000;
/// Ranges wider than this keep their characters when case-insensitive
/// instead of adding each one's lower-case form (they nearly always hold
/// both cases already; walking them would make compiling slow).
const MAX_FOLDED_RANGE: u32 = 0x3000;

/// One node of a pattern.
#[derive(Debug, Clone)]
pub(super) enum Node {
    /// Matches the empty string.
    Empty,
    /// One character from a set.
    Class(Class),
    /// A zero-width assertion.
    Look(Look),
    /// Each in turn.
    Concat(Vec<Node>),
    /// Any one of them.
    Alternate(Vec<Node>),
    /// `min` to `max` (unbounded when `None`) copies.
    Repeat { node: Box<Node>, min: u32, max: Option<u32> },
}

/// A set of characters as sorted, disjoint, inclusive ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Class {
    /// Sorted and merged.
    pub ranges: Box<[(char, char)]>,
    /// Matches the characters outside the ranges instead.
    pub negated: bool,
    /// Case-insensitive: a character also matches through its lower-case form.
    pub fold: bool,
}

/// Zero-width assertions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Look {
    /// `\A`, or `^` without the `m` flag.
    TextStart,
    /// `\z`, or `$` without the `m` flag.
    TextEnd,
    /// `^` with the `m` flag.
    LineStart,
    /// `$` with the `m` flag.
    LineEnd,
    /// `\b` (ASCII word characters).
    WordBoundary,
    /// `\B`.
    NotWordBoundary,
    /// `\<` or `\b{start}`: a word character follows, none precedes.
    WordStart,
    /// `\>` or `\b{end}`: a word character precedes, none follows.
    WordEnd,
    /// `\b{start-half}`: no word character precedes.
    WordStartHalf,
    /// `\b{end-half}`: no word character follows.
    WordEndHalf,
}

/// The inline flags in force.
#[derive(Debug, Clone, Copy)]
struct Flags {
    ignore_case: bool,
    multi_line: bool,
    dot_all: bool,
}

/// Parses a whole pattern.
pub(super) fn parse(pattern: &str, ignore_case: bool) -> Result<Node, RegexError> {
    let mut parser = Parser { pattern, at: 0 };
    let flags = Flags { ignore_case, multi_line: false, dot_all: false };
    let tree = parser.alternation(flags, 0)?;
    match parser.peek() {
        None => Ok(tree),
        Some(_) => Err(parser.error(RegexErrorKind::UnopenedGroup)),
    }
}

struct Parser<'p> {
    pattern: &'p str,
    at: usize,
}

impl Parser<'_> {
    fn error(&self, kind: RegexErrorKind) -> RegexError {
        RegexError { at: self.at, kind }
    }

    fn peek(&self) -> Option<char> {
        self.pattern[self.at..].chars().next()
    }

    fn peek_is(&self, text: &str) -> bool {
        self.pattern[self.at..].starts_with(text)
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.peek() == Some(c);
        if found {
            self.at += c.len_utf8();
        }
        found
    }

    fn expect_next(&mut self, missing: RegexErrorKind) -> Result<char, RegexError> {
        self.next().ok_or_else(|| self.error(missing))
    }

    /// Branches separated by `|`, up to a `)` or the end. Inline flags set
    /// in one branch stay set for the rest of the group.
    fn alternation(&mut self, mut flags: Flags, depth: usize) -> Result<Node, RegexError> {
        if depth > MAX_DEPTH {
            return Err(self.error(RegexErrorKind::TooDeep));
        }
        let mut branches = vec![self.concat(&mut flags, depth)?];
        while self.eat('|') {
            branches.push(self.concat(&mut flags, depth)?);
        }
        Ok(if branches.len() == 1 { branches.remove(0) } else { Node::Alternate(branches) })
    }

    fn concat(&mut self, flags: &mut Flags, depth: usize) -> Result<Node, RegexError> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                '|' | ')' => break,
                '*' | '+' | '?' | '{' => {
                    let node = items.pop().ok_or_else(|| self.error(RegexErrorKind::RepetitionMissing))?;
                    items.push(self.repetition(node, depth)?);
                }
                _ => {
                    self.at += c.len_utf8();
                    items.extend(self.atom(c, flags, depth)?);
                }
            }
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.remove(0),
            _ => Node::Concat(items),
        })
    }

    /// A repetition operator after `node`, with its optional lazy `?`
    /// (which cannot change whether a text matches). Stacked operators
    /// (`a**`) nest like groups and count towards the same depth limit.
    fn repetition(&mut self, node: Node, depth: usize) -> Result<Node, RegexError> {
        let mut stacked = &node;
        let mut nesting = depth + 1;
        while let Node::Repeat { node: inner, .. } = stacked {
            (stacked, nesting) = (inner, nesting + 1);
        }
        if nesting > MAX_DEPTH {
            return Err(self.error(RegexErrorKind::TooDeep));
        }
        let (min, max) = match self.next() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            _ => self.counted()?,
        };
        self.eat('?');
        Ok(Node::Repeat { node: Box::new(node), min, max })
    }

    /// The rest of `{n}`, `{n,}` or `{n,m}`.
    fn counted(&mut self) -> Result<(u32, Option<u32>), RegexError> {
        let invalid = |parser: &Self| parser.error(RegexErrorKind::InvalidRepetition);
        let min = self.count().ok_or_else(|| invalid(self))?;
        let max = if self.eat(',') {
            if self.peek() == Some('}') {
                None
            } else {
                Some(self.count().ok_or_else(|| invalid(self))?)
            }
        } else {
            Some(min)
        };
        if !self.eat('}') || max.is_some_and(|max| max < min) {
            return Err(invalid(self));
        }
        Ok((min, max))
    }

    fn count(&mut self) -> Option<u32> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        self.pattern[start..self.at].parse().ok().filter(|n| *n <= MAX_REPEAT)
    }

    /// One item of a concatenation; `None` for a group that only sets flags.
    fn atom(&mut self, c: char, flags: &mut Flags, depth: usize) -> Result<Option<Node>, RegexError> {
        Ok(Some(match c {
            '(' => return self.group(flags, depth),
            '[' => Node::Class(self.class(*flags)?),
            '.' if flags.dot_all => Node::Class(Class::new(vec![('\0', char::MAX)], false, false)),
            '.' => Node::Class(Class::new(vec![('\0', '\u{9}'), ('\u{b}', char::MAX)], false, false)),
            '^' => Node::Look(if flags.multi_line { Look::LineStart } else { Look::TextStart }),
            '$' => Node::Look(if flags.multi_line { Look::LineEnd } else { Look::TextEnd }),
            '\\' => self.escape(*flags)?,
            c => Node::Class(Class::new(vec![(c, c)], false, flags.ignore_case)),
        }))
    }

    /// After `(`: a group, or flags for the rest of the enclosing group.
    fn group(&mut self, flags: &mut Flags, depth: usize) -> Result<Option<Node>, RegexError> {
        let mut inner = *flags;
        if self.eat('?') {
            if self.eat('P') || self.peek_is("<") && !self.peek_is("<=") && !self.peek_is("<!") {
                self.group_name()?;
            } else if !self.flags(&mut inner)? {
                *flags = inner;
                return Ok(None);
            }
        }
        let node = self.alternation(inner, depth + 1)?;
        if !self.eat(')') {
            return Err(self.error(RegexErrorKind::UnclosedGroup));
        }
        Ok(Some(node))
    }

    /// `<name>` of a named group; the name is only checked.
    fn group_name(&mut self) -> Result<(), RegexError> {
        if !self.eat('<') {
            return Err(self.error(RegexErrorKind::InvalidGroupName));
        }
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            self.at += 1;
        }
        let starts_with_digit = self.pattern[start..].starts_with(|c: char| c.is_ascii_digit());
        if self.at == start || starts_with_digit || !self.eat('>') {
            return Err(self.error(RegexErrorKind::InvalidGroupName));
        }
        Ok(())
    }

    /// Flags after `(?`, up to `:` (true: a group follows) or `)` (false:
    /// they hold for the rest of the enclosing group).
    fn flags(&mut self, flags: &mut Flags) -> Result<bool, RegexError> {
        if ["=", "!", "<"].iter().any(|look_around| self.peek_is(look_around)) {
            return Err(self.error(RegexErrorKind::Unsupported));
        }
        let mut on = true;
        let mut after_flag = false;
        loop {
            match self.next() {
                Some(':') => return Ok(true),
                Some(')') if after_flag => return Ok(false),
                Some('-') if on => on = false,
                Some('i') => flags.ignore_case = on,
                Some('m') => flags.multi_line = on,
                Some('s') => flags.dot_all = on,
                Some('U') => {}
                _ => return Err(self.error(RegexErrorKind::InvalidFlag)),
            }
            after_flag = self.pattern[..self.at].ends_with(['i', 'm', 's', 'U']);
        }
    }

    /// After `\` outside a class.
    fn escape(&mut self, flags: Flags) -> Result<Node, RegexError> {
        let c = self.expect_next(RegexErrorKind::InvalidEscape)?;
        let look = match c {
            'A' => Look::TextStart,
            'z' => Look::TextEnd,
            'b' if self.peek() == Some('{') => self.special_word_boundary()?,
            'b' => Look::WordBoundary,
            'B' => Look::NotWordBoundary,
            '<' => Look::WordStart,
            '>' => Look::WordEnd,
            _ => {
                let (ranges, negated) = self.escaped_set(c)?;
                return Ok(Node::Class(Class::new(ranges, negated, flags.ignore_case)));
            }
        };
        Ok(Node::Look(look))
    }

    /// After `\b`: `{start}`, `{end}`, `{start-half}` or `{end-half}`.
    fn special_word_boundary(&mut self) -> Result<Look, RegexError> {
        let looks = [
            ("{start}", Look::WordStart),
            ("{end}", Look::WordEnd),
            ("{start-half}", Look::WordStartHalf),
            ("{end-half}", Look::WordEndHalf),
        ];
        let (text, look) =
            looks.into_iter().find(|(text, _)| self.peek_is(text)).ok_or_else(|| self.error(RegexErrorKind::InvalidEscape))?;
        self.at += text.len();
        Ok(look)
    }

    /// The characters an escape stands for (after its `\`), and whether
    /// they are negated (`\D \W \S`).
    fn escaped_set(&mut self, c: char) -> Result<(Vec<(char, char)>, bool), RegexError> {
        let perl = |ranges: &[(char, char)], negated| Ok((ranges.to_vec(), negated));
        match c {
            'd' | 'D' => perl(DIGIT, c == 'D'),
            'w' | 'W' => perl(WORD, c == 'W'),
            's' | 'S' => perl(SPACE, c == 'S'),
            _ => {
                let c = self.escaped_char(c)?;
                Ok((vec![(c, c)], false))
            }
        }
    }

    /// The single character an escape stands for.
    fn escaped_char(&mut self, c: char) -> Result<char, RegexError> {
        Ok(match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'f' => '\u{c}',
            'v' => '\u{b}',
            'a' => '\u{7}',
            'x' => self.hex()?,
            c if c.is_ascii_punctuation() || c == ' ' => c,
            'u' | 'U' | '0'..='9' | 'p' | 'P' | 'k' => return Err(self.error(RegexErrorKind::Unsupported)),
            _ => return Err(self.error(RegexErrorKind::InvalidEscape)),
        })
    }

    /// After `\x`: two hex digits, or one to eight in braces.
    fn hex(&mut self) -> Result<char, RegexError> {
        let braced = self.eat('{');
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_hexdigit()) && (braced || self.at - start < 2) {
            self.at += 1;
        }
        let digits = &self.pattern[start..self.at];
        let well_formed = if braced { (1..=8).contains(&digits.len()) && self.eat('}') } else { digits.len() == 2 };
        u32::from_str_radix(digits, 16)
            .ok()
            .filter(|_| well_formed)
            .and_then(char::from_u32)
            .ok_or_else(|| self.error(RegexErrorKind::InvalidHex))
    }

    /// After `[`: items up to the closing `]` (a `]` first is a literal,
    /// never the start of a range).
    fn class(&mut self, flags: Flags) -> Result<Class, RegexError> {
        let negated = self.eat('^');
        let mut ranges = Vec::new();
        if self.eat(']') {
            ranges.push((']', ']'));
        }
        loop {
            if self.eat(']') {
                return Ok(Class::new(ranges, negated, flags.ignore_case));
            }
            if ["&&", "--", "~~"].iter().any(|op| self.peek_is(op)) {
                return Err(self.error(RegexErrorKind::Unsupported));
            }
            self.class_item(&mut ranges)?;
        }
    }

    /// One character, range, escape or POSIX class inside `[…]`.
    fn class_item(&mut self, ranges: &mut Vec<(char, char)>) -> Result<(), RegexError> {
        if self.peek_is("[:") {
            return self.posix_class(ranges);
        }
        let start = match self.class_atom()? {
            ClassAtom::Char(c) => c,
            ClassAtom::Set(set, negated) => {
                ranges.extend(if negated { complement(&set) } else { set });
                return Ok(());
            }
        };
        if self.peek() == Some('-') && !self.peek_is("-]") {
            self.at += 1;
            match self.class_atom()? {
                ClassAtom::Char(end) if start <= end => ranges.push((start, end)),
                _ => return Err(self.error(RegexErrorKind::InvalidRange)),
            }
        } else {
            ranges.push((start, start));
        }
        Ok(())
    }

    fn class_atom(&mut self) -> Result<ClassAtom, RegexError> {
        match self.expect_next(RegexErrorKind::UnclosedClass)? {
            '[' => Err(self.error(RegexErrorKind::Unsupported)),
            '\\' => {
                let c = self.expect_next(RegexErrorKind::UnclosedClass)?;
                let (set, negated) = self.escaped_set(c)?;
                Ok(match set[..] {
                    [(a, b)] if a == b && !negated => ClassAtom::Char(a),
                    _ => ClassAtom::Set(set, negated),
                })
            }
            c => Ok(ClassAtom::Char(c)),
        }
    }

    /// `[:name:]` or `[:^name:]` inside a class.
    fn posix_class(&mut self, ranges: &mut Vec<(char, char)>) -> Result<(), RegexError> {
        self.at += 2;
        let negated = self.eat('^');
        let start = self.at;
        let end = self.pattern[start..].find(":]").ok_or_else(|| self.error(RegexErrorKind::UnclosedClass))?;
        let name = &self.pattern[start..start + end];
        let set = POSIX.iter().find(|(n, _)| *n == name).ok_or_else(|| self.error(RegexErrorKind::UnknownClass))?.1;
        self.at = start + end + 2;
        ranges.extend(if negated { complement(set) } else { set.to_vec() });
        Ok(())
    }
}

/// One item inside `[…]`: a character (may start a range) or a set.
enum ClassAtom {
    Char(char),
    Set(Vec<(char, char)>, bool),
}

impl Class {
    /// Sorts and merges `ranges`; when case-insensitive, adds the
    /// lower-case form of each character.
    fn new(mut ranges: Vec<(char, char)>, negated: bool, fold: bool) -> Class {
        if fold {
            let lowered: Vec<(char, char)> = ranges
                .iter()
                .filter(|(start, end)| u32::from(*end) - u32::from(*start) <= MAX_FOLDED_RANGE)
                .flat_map(|&(start, end)| (start..=end).map(lower).filter(move |l| !(start..=end).contains(l)))
                .map(|l| (l, l))
                .collect();
            ranges.extend(lowered);
        }
        Class { ranges: merge(ranges).into_boxed_slice(), negated, fold }
    }
}

fn merge(mut ranges: Vec<(char, char)>) -> Vec<(char, char)> {
    crate::sorted::sort_by(&mut ranges, |a, b| a < b);
    let mut merged: Vec<(char, char)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if u32::from(start) <= u32::from(last.1).saturating_add(1) => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// The characters outside `ranges` (which must be sorted and disjoint).
fn complement(ranges: &[(char, char)]) -> Vec<(char, char)> {
    let mut outside = Vec::with_capacity(ranges.len() + 1);
    let mut next = Some('\0');
    for &(start, end) in ranges {
        if let Some(from) = next.filter(|from| *from < start) {
            outside.push((from, before(start)));
        }
        next = after(end);
    }
    outside.extend(next.map(|from| (from, char::MAX)));
    outside
}

/// The scalar value before `c` (`c > '\0'`), skipping the surrogates.
fn before(c: char) -> char {
    match c {
        '\u{e000}' => '\u{d7ff}',
        c => char::from_u32(u32::from(c) - 1).expect("a scalar value below c"),
    }
}

/// The scalar value after `c`, skipping the surrogates.
fn after(c: char) -> Option<char> {
    match c {
        '\u{d7ff}' => Some('\u{e000}'),
        c => char::from_u32(u32::from(c) + 1),
    }
}

const DIGIT: &[(char, char)] = &[('0', '9')];
const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
const SPACE: &[(char, char)] = &[('\t', '\r'), (' ', ' ')];

/// POSIX classes, ASCII only, sorted ranges.
const POSIX: &[(&str, &[(char, char)])] = &[
    ("alnum", &[('0', '9'), ('A', 'Z'), ('a', 'z')]),
    ("alpha", &[('A', 'Z'), ('a', 'z')]),
    ("ascii", &[('\0', '\u{7f}')]),
    ("blank", &[('\t', '\t'), (' ', ' ')]),
    ("cntrl", &[('\0', '\u{1f}'), ('\u{7f}', '\u{7f}')]),
    ("digit", DIGIT),
    ("graph", &[('!', '~')]),
    ("lower", &[('a', 'z')]),
    ("print", &[(' ', '~')]),
    ("punct", &[('!', '/'), (':', '@'), ('[', '`'), ('{', '~')]),
    ("space", SPACE),
    ("upper", &[('A', 'Z')]),
    ("word", WORD),
    ("xdigit", &[('0', '9'), ('A', 'F'), ('a', 'f')]),
];
