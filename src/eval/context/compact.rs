//! The compact form of a context, which the JS shim writes straight into
//! wasm memory in place of JSON text: every key and string's UTF-8 back to
//! back (the text), and 32-bit words giving the structure. Reading it skips
//! JSON's syntax, escapes and number text, and builds exactly what reading
//! the same attributes as JSON builds (the shim writes this form only for
//! values whose JSON it can predict: see `www/src/context.js`).
//!
//! Words: a value is [`NULL`], [`FALSE`], [`TRUE`], [`NUMBER`] followed by
//! the f64's low and high 32 bits, [`STRING`]` | len << 3` (the next `len`
//! bytes of the text), [`LIST`]` value* `[`END`], or [`OBJECT`]` (key value)*
//! `[`END`] where a key is a string word. The attributes are one value, an
//! object; the unit's stored sticky assignments may follow it, each a flag
//! string, a variant string and a version number ([`assignments`]). The
//! strings take all of the text.

use super::{ContextError, Malformed, Node, SlotBuilder, Span};
use crate::eval::Assignment;
use crate::json::{Build, Stacks};
use std::fmt;

/// JSON `null`.
pub const NULL: u32 = 0;
/// `false`.
pub const FALSE: u32 = 1;
/// `true`.
pub const TRUE: u32 = 2;
/// A number: two words follow, the f64's low and high halves.
pub const NUMBER: u32 = 3;
/// A string: its byte length sits above the tag's bits.
pub const STRING: u32 = 4;
/// A list: its items follow, then [`END`].
pub const LIST: u32 = 5;
/// An object: its keys and values follow, then [`END`].
pub const OBJECT: u32 = 6;
/// Closes a list or an object.
pub const END: u32 = 7;
/// The low bits of a word that hold its tag; a string's length sits above them.
pub const TAG_BITS: u32 = 3;
/// Integers up to this magnitude are what a JS number holds exactly.
const SAFE_INTEGER: f64 = 9_007_199_254_740_992.0;

/// How far a read went: words, and bytes of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// Words read.
    pub words: usize,
    /// Bytes of text read.
    pub text: usize,
}

/// Reads the attributes, the object the words start with, into the builder's
/// context: the root, and where the attributes end.
pub(super) fn read<'a>(builder: &mut SlotBuilder<'_, 'a>, words: &[u32]) -> Result<(Node, Position), ContextError> {
    let Stacks { items, members } = builder.stacks();
    let cursor = Cursor { text: builder.input, words, at: Position::default() };
    let mut reader = Reader { builder, cursor, items, members };
    let outcome = reader.value(0).map(|root| (root, reader.cursor.at));
    let Reader { builder, mut items, mut members, .. } = reader;
    items.clear();
    members.clear();
    builder.keep(Stacks { items, members });
    outcome
}

/// Reads the `count` stored assignments that follow the attributes (from
/// `from`): each a flag string, a variant string and a version, an integer
/// in `0..=u32::MAX`. They must take the rest of the words and text.
pub fn assignments(text: &str, words: &[u32], from: Position, count: usize) -> Result<Vec<Assignment>, ContextError> {
    let mut cursor = Cursor { text, words, at: from };
    let mut read = Vec::with_capacity(count.min(words.len()));
    for _ in 0..count {
        let flag = cursor.string_text()?.to_owned();
        let variant = cursor.string_text()?.to_owned();
        let version = match cursor.next()? {
            NUMBER => cursor.number()?,
            _ => return Err(malformed(CompactError::VersionNotNumber)),
        };
        let version = u32::try_from(version as i64).ok().filter(|v| f64::from(*v) == version);
        let version = version.ok_or(malformed(CompactError::VersionOutOfRange))?;
        read.push(Assignment { flag, variant, version });
    }
    cursor.finished()?;
    Ok(read)
}

/// The node a JS number reads as: an integer when it is one (as its JSON
/// text, digits, would read), else a float.
fn number(value: f64) -> Node {
    if value.fract() == 0.0 && value.abs() <= SAFE_INTEGER {
        Node::Int(value as i64)
    } else {
        Node::Float(value)
    }
}

fn tag(word: u32) -> u32 {
    word & ((1 << TAG_BITS) - 1)
}

fn malformed(problem: CompactError) -> ContextError {
    ContextError::Malformed(Malformed::Compact(problem))
}

/// What is wrong with a compact form's words and text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompactError {
    /// The words end inside a value.
    WordsEnd,
    /// A number is NaN or infinite.
    NotFinite,
    /// A string's bytes are not within the text, or end inside a character.
    StringOutsideText,
    /// A word other than a string's where a string belongs.
    StringExpected,
    /// An object key that is not a string.
    KeyNotString,
    /// Words or text left after the context.
    LeftOver,
    /// A container's end where a value belongs.
    EndInsteadOfValue,
    /// A word no value starts with.
    UnknownWord,
    /// A stored assignment's version that is not a number.
    VersionNotNumber,
    /// A stored assignment's version that is not an integer from 0 to 2^32 - 1.
    VersionOutOfRange,
}

impl fmt::Display for CompactError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            CompactError::WordsEnd => "the words end inside a value",
            CompactError::NotFinite => "a number is not finite",
            CompactError::StringOutsideText => "a string is not within the text",
            CompactError::StringExpected => "a string was expected",
            CompactError::KeyNotString => "an object key is not a string",
            CompactError::LeftOver => "words or text are left over",
            CompactError::EndInsteadOfValue => "a container ends where a value belongs",
            CompactError::UnknownWord => "unknown word",
            CompactError::VersionNotNumber => "an assignment's version is not a number",
            CompactError::VersionOutOfRange => "an assignment's version is not an integer from 0 to 4294967295",
        })
    }
}

/// A position in the words and the text, and the reading that needs no builder.
struct Cursor<'t, 'w> {
    text: &'t str,
    words: &'w [u32],
    at: Position,
}

impl<'t> Cursor<'t, '_> {
    #[inline]
    fn next(&mut self) -> Result<u32, ContextError> {
        let word = *self.words.get(self.at.words).ok_or_else(|| malformed(CompactError::WordsEnd))?;
        self.at.words += 1;
        Ok(word)
    }

    /// The f64 in the two words after a number's: finite, as JS numbers a context holds are.
    fn number(&mut self) -> Result<f64, ContextError> {
        let low = self.next()?;
        let high = self.next()?;
        let value = f64::from_bits(u64::from(high) << 32 | u64::from(low));
        value.is_finite().then_some(value).ok_or_else(|| malformed(CompactError::NotFinite))
    }

    /// The span of the next `len` bytes of text, `len` read from a string
    /// word. Each string starts where the one before ended, so checking where
    /// it ends checks it.
    #[inline]
    fn string(&mut self, word: u32) -> Result<Span, ContextError> {
        let (start, len) = (self.at.text, (word >> TAG_BITS) as usize);
        let end = start + len;
        if end > self.text.len() || !self.text.is_char_boundary(end) {
            return Err(malformed(CompactError::StringOutsideText));
        }
        self.at.text = end;
        Ok(Span { start: start as u32, len: len as u32 })
    }

    /// The span of the string whose word must come next; `otherwise` names
    /// what is wrong when another word does.
    fn next_string(&mut self, otherwise: CompactError) -> Result<Span, ContextError> {
        let word = self.next()?;
        if tag(word) != STRING {
            return Err(malformed(otherwise));
        }
        self.string(word)
    }

    /// The text of the string whose word comes next.
    #[inline]
    fn string_text(&mut self) -> Result<&'t str, ContextError> {
        let span = self.next_string(CompactError::StringExpected)?;
        Ok(&self.text[span.range()])
    }

    /// True at a container's end word (consumed), false before another entry.
    fn end(&mut self) -> bool {
        let ended = self.words.get(self.at.words) == Some(&END);
        self.at.words += usize::from(ended);
        ended
    }

    /// Checks that every word and every byte of text was read.
    fn finished(&self) -> Result<(), ContextError> {
        if self.at.words != self.words.len() || self.at.text != self.text.len() {
            return Err(malformed(CompactError::LeftOver));
        }
        Ok(())
    }
}

/// Reads values into a context's slots.
struct Reader<'b, 'c, 'a, 'w> {
    builder: &'b mut SlotBuilder<'c, 'a>,
    cursor: Cursor<'a, 'w>,
    items: Vec<Node>,
    members: Vec<(Span, Node)>,
}

impl Reader<'_, '_, '_, '_> {
    fn value(&mut self, depth: usize) -> Result<Node, ContextError> {
        self.builder.begin(depth)?;
        let word = self.cursor.next()?;
        if tag(word) == STRING {
            return self.cursor.string(word).map(Node::Str);
        }
        match word {
            NULL => Ok(Node::Null),
            FALSE => Ok(Node::Bool(false)),
            TRUE => Ok(Node::Bool(true)),
            NUMBER => self.cursor.number().map(number),
            LIST => self.list(depth),
            OBJECT => self.object(depth),
            END => Err(malformed(CompactError::EndInsteadOfValue)),
            _ => Err(malformed(CompactError::UnknownWord)),
        }
    }

    fn list(&mut self, depth: usize) -> Result<Node, ContextError> {
        let start = self.items.len();
        while !self.cursor.end() {
            let item = self.value(depth + 1)?;
            self.items.push(item);
        }
        self.builder.array(self.items.drain(start..))
    }

    fn object(&mut self, depth: usize) -> Result<Node, ContextError> {
        let start = self.members.len();
        while !self.cursor.end() {
            let key = self.cursor.next_string(CompactError::KeyNotString)?;
            let value = self.value(depth + 1)?;
            self.members.push((key, value));
        }
        self.builder.object(self.members.drain(start..))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Context;
    use proptest::prelude::*;
    use serde_json::Value;

    /// Writes `value` as the shim does: `None` where the shim falls back to
    /// JSON (an integer beyond ±2^53, whose JSON text a JS number rounds).
    fn encode(value: &Value, text: &mut String, words: &mut Vec<u32>) -> Option<()> {
        fn string(s: &str, text: &mut String, words: &mut Vec<u32>) {
            text.push_str(s);
            words.push(STRING | (s.len() as u32) << TAG_BITS);
        }
        match value {
            Value::Null => words.push(NULL),
            Value::Bool(b) => words.push(if *b { TRUE } else { FALSE }),
            Value::Number(n) => {
                let f = n.as_f64()?;
                if f.fract() == 0.0 && f.abs() > SAFE_INTEGER {
                    return None;
                }
                let bits = f.to_bits();
                words.extend([NUMBER, bits as u32, (bits >> 32) as u32]);
            }
            Value::String(s) => string(s, text, words),
            Value::Array(items) => {
                words.push(LIST);
                for item in items {
                    encode(item, text, words)?;
                }
                words.push(END);
            }
            Value::Object(members) => {
                words.push(OBJECT);
                for (key, item) in members {
                    string(key, text, words);
                    encode(item, text, words)?;
                }
                words.push(END);
            }
        }
        Some(())
    }

    /// The JSON text JS would write for `value`: integral numbers as integers.
    fn js_json(value: &Value) -> String {
        fn normalise(value: &Value) -> Value {
            match value {
                Value::Number(n) => match n.as_f64() {
                    Some(f) if f.fract() == 0.0 => Value::from(f as i64),
                    _ => value.clone(),
                },
                Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
                Value::Object(members) => Value::Object(members.iter().map(|(k, v)| (k.clone(), normalise(v))).collect()),
                other => other.clone(),
            }
        }
        normalise(value).to_string()
    }

    fn read(value: &Value) -> Option<Result<Context, ContextError>> {
        let (mut text, mut words) = (String::new(), Vec::new());
        encode(value, &mut text, &mut words)?;
        let mut context = Context::new();
        Some(context.read_compact(&text, &words).map(|()| context))
    }

    fn refusal(text: &str, words: &[u32]) -> CompactError {
        match Context::new().read_compact(text, words) {
            Err(ContextError::Malformed(Malformed::Compact(problem))) => problem,
            other => panic!("{words:?} was not refused as malformed: {other:?}"),
        }
    }

    #[test]
    fn reads_what_the_json_of_the_same_attributes_reads() {
        let value: Value = serde_json::from_str(
            r#"{"targetingKey":"user-123","tier":"premium","n":-0.0,"f":2.5,"big":9007199254740992,"app":{"version":"2.4.1","x":[1,null,true,false,"é"]},"tier":"gold","e":{}}"#,
        )
        .unwrap();
        let compact = read(&value).unwrap().unwrap();
        assert_eq!(compact, Context::from_json(&js_json(&value)).unwrap());
        assert_eq!(compact.lookup(&["n".into()]), Some(crate::eval::Value::Int(0)));
        assert_eq!(compact.lookup(&["f".into()]), Some(crate::eval::Value::Float(2.5)));
    }

    #[test]
    fn refuses_what_is_not_an_object_too_deep_or_too_large() {
        assert_eq!(read(&serde_json::json!([1])).unwrap(), Err(ContextError::NotAnObject));
        let mut deep = serde_json::json!(1);
        for _ in 0..20 {
            deep = serde_json::json!({ "a": deep });
        }
        assert_eq!(read(&deep).unwrap(), Err(ContextError::TooDeep));
        let huge = serde_json::json!({ "a": vec![0; super::super::MAX_CONTEXT_VALUES] });
        assert_eq!(read(&huge).unwrap(), Err(ContextError::TooManyValues));
        let long = |length| serde_json::json!({ "a": "x".repeat(length - 1) });
        assert!(read(&long(super::super::MAX_CONTEXT_BYTES)).unwrap().is_ok(), "the cap itself is allowed");
        assert_eq!(read(&long(super::super::MAX_CONTEXT_BYTES + 1)).unwrap(), Err(ContextError::TooLong));
    }

    #[test]
    fn refuses_malformed_words_naming_the_problem() {
        let key = STRING | 1 << TAG_BITS;
        let nan = f64::NAN.to_bits();
        for (text, words, problem) in [
            ("", &[][..], CompactError::WordsEnd),
            ("a", &[OBJECT, key, TRUE][..], CompactError::WordsEnd),
            ("a", &[OBJECT, key, NUMBER, 0][..], CompactError::WordsEnd),
            ("", &[OBJECT, END, END][..], CompactError::LeftOver),
            ("a", &[OBJECT, END][..], CompactError::LeftOver),
            ("", &[OBJECT, key, TRUE, END][..], CompactError::StringOutsideText),
            ("é", &[OBJECT, key, TRUE, END, 0][..], CompactError::StringOutsideText),
            ("", &[OBJECT, TRUE, TRUE, END][..], CompactError::KeyNotString),
            ("a", &[OBJECT, key, END, END][..], CompactError::EndInsteadOfValue),
            ("a", &[OBJECT, key, NULL | 1 << TAG_BITS, END][..], CompactError::UnknownWord),
            ("a", &[OBJECT, key, NUMBER, nan as u32, (nan >> 32) as u32, END][..], CompactError::NotFinite),
        ] {
            assert_eq!(refusal(text, words), problem, "{words:?}");
        }
    }

    #[test]
    fn a_refused_read_leaves_the_context_empty_and_reusable() {
        let mut context = Context::from_json(r#"{"tier":"gold"}"#).unwrap();
        assert!(context.read_compact("", &[OBJECT, TRUE]).is_err());
        assert_eq!(context, Context::new());
        context.read_compact("tierbasic", &[OBJECT, STRING | 4 << TAG_BITS, STRING | 5 << TAG_BITS, END]).unwrap();
        assert_eq!(context, Context::from_json(r#"{"tier":"basic"}"#).unwrap());
    }

    /// The words and text of attributes `{}` followed by `assignments`.
    fn with_assignments(assignments: &[(&str, &str, f64)]) -> (String, Vec<u32>) {
        let (mut text, mut words) = (String::new(), vec![OBJECT, END]);
        for (flag, variant, version) in assignments {
            for s in [flag, variant] {
                text.push_str(s);
                words.push(STRING | (s.len() as u32) << TAG_BITS);
            }
            let bits = version.to_bits();
            words.extend([NUMBER, bits as u32, (bits >> 32) as u32]);
        }
        (text, words)
    }

    fn read_assignments(text: &str, words: &[u32], count: usize) -> Result<Vec<Assignment>, ContextError> {
        let mut context = Context::new();
        let end = context.read_compact_attributes(text, words)?;
        assert_eq!(context, Context::from_json("{}").unwrap());
        assignments(text, words, end, count)
    }

    #[test]
    fn stored_assignments_follow_the_attributes() {
        let (text, words) = with_assignments(&[("pricing", "control", 3.0), ("zoë", "b", 4_294_967_295.0)]);
        let read = read_assignments(&text, &words, 2).unwrap();
        let expected = [("pricing", "control", 3), ("zoë", "b", u32::MAX)];
        let expected: Vec<Assignment> =
            expected.iter().map(|&(f, v, n)| Assignment { flag: f.into(), variant: v.into(), version: n }).collect();
        assert_eq!(read, expected);
        assert!(Context::new().read_compact(&text, &words).is_err(), "read_compact takes attributes alone");
    }

    #[test]
    fn refuses_stored_assignments_that_json_would_refuse() {
        for (version, problem) in [(-1.0, "version"), (1.5, "version"), (4_294_967_296.0, "version"), (f64::NAN, "not finite")] {
            let (text, words) = with_assignments(&[("f", "v", version)]);
            let refused = read_assignments(&text, &words, 1).unwrap_err().to_string();
            assert!(refused.contains(problem), "{version}: {refused}");
        }
        let (text, words) = with_assignments(&[("f", "v", 1.0)]);
        for (count, problem) in [(0, "left over"), (2, "end inside")] {
            let refused = read_assignments(&text, &words, count).unwrap_err().to_string();
            assert!(refused.contains(problem), "{count}: {refused}");
        }
        let mut swapped = words.clone();
        swapped.swap(2, 4);
        assert!(read_assignments(&text, &swapped, 1).unwrap_err().to_string().contains("string was expected"));
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i32>().prop_map(Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
            "\\PC{0,12}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
                prop::collection::vec(("[a-c]{0,2}", inner), 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_attributes_read_alike_in_both_forms(members in prop::collection::vec(("\\PC{0,6}", json_value()), 0..8)) {
            let value = Value::Object(members.into_iter().collect());
            if let Some(compact) = read(&value) {
                prop_assert_eq!(compact, Context::from_json(&js_json(&value)));
            }
        }

        #[test]
        fn arbitrary_words_never_panic(text in "\\PC{0,8}", words in prop::collection::vec(prop_oneof![0u32..16, any::<u32>()], 0..24)) {
            let mut context = Context::new();
            if context.read_compact(&text, &words).is_err() {
                prop_assert_eq!(context, Context::new());
            }
        }
    }
}
