//! A small, strict JSON reader for snapshot payloads, envelopes, contexts and
//! stored assignments. It borrows strings from the input where it can, bounds
//! nesting, and keeps numbers as their text so integers stay exact. Values
//! are read one at a time by a [`Pull`]: into a [`Build`]er — the [`Json`]
//! tree ([`parse`]) or a caller's own values ([`read`]; contexts skip the
//! tree) — or by a decoder that builds as it reads (`model::decode`: the
//! snapshot payload skips the tree too).
//!
//! edgeflag reads JSON with this rather than serde_json's deserializer to keep
//! the WebAssembly module small: one reader and hand-written decoders instead
//! of a deserializer instantiated per type. For the same reason [`mod@write`]
//! writes what the bindings hand to JS.

pub mod write;

use std::borrow::Cow;
use std::vec::Drain;

/// Arrays and objects nested deeper than this are refused.
pub const MAX_DEPTH: usize = 128;

/// A parsed JSON value borrowing from its input.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written (validated JSON number syntax).
    Number(Cow<'a, str>),
    /// A string, borrowed unless it had escapes.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object's members in the order written (duplicates kept; decoders refuse them).
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

/// Why a text is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What is wrong.
    pub message: &'static str,
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for JsonError {}

/// Parses one JSON document (surrounding whitespace allowed) into a tree.
pub fn parse(text: &str) -> Result<Json<'_>, JsonError> {
    read(text, &mut Tree)
}

/// Reads one JSON document (surrounding whitespace allowed) into whatever
/// `builder` makes of its values.
pub fn read<'a, B: Build<'a>>(text: &'a str, builder: &mut B) -> Result<B::Value, B::Error> {
    let Stacks { items, members } = builder.stacks();
    let mut reader = Reader { pull: Pull::new(text), builder, items, members };
    let outcome = reader.document();
    let Reader { builder, mut items, mut members, .. } = reader;
    items.clear();
    members.clear();
    builder.keep(Stacks { items, members });
    outcome
}

/// Where a reader keeps array items and object members while their container
/// is open, innermost last. A builder that reads often keeps them between
/// reads (see [`Build::stacks`]), so reading allocates nothing for them.
#[derive(Debug, Clone)]
pub struct Stacks<K, V> {
    pub(crate) items: Vec<V>,
    pub(crate) members: Vec<(K, V)>,
}

impl<K, V> Default for Stacks<K, V> {
    fn default() -> Self {
        Stacks { items: Vec::new(), members: Vec::new() }
    }
}

impl<K, V> Stacks<K, V> {
    /// Stacks with room for a typical document's open containers.
    pub fn new() -> Self {
        Stacks { items: Vec::with_capacity(16), members: Vec::with_capacity(16) }
    }

    /// Gives back room beyond `entries` on each stack.
    pub fn shrink_to(&mut self, entries: usize) {
        self.items.shrink_to(entries);
        self.members.shrink_to(entries);
    }
}

/// A JSON value that holds no other values.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar<'a> {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written (validated JSON number syntax).
    Number(&'a str),
    /// A string, borrowed unless it had escapes.
    String(Cow<'a, str>),
}

/// What the reader makes of the values it reads: the [`Json`] tree, or a
/// caller's own values (contexts are read straight into theirs, no tree).
pub trait Build<'a> {
    /// The values built.
    type Value;
    /// Object keys as built: the text, or where the builder put it.
    type Key;
    /// Why building failed; reading errors convert into it.
    type Error: From<JsonError>;
    /// A value begins `depth` levels below the top (0); a chance to refuse it.
    fn begin(&mut self, depth: usize) -> Result<(), Self::Error>;
    /// Builds a scalar.
    fn scalar(&mut self, scalar: Scalar<'a>) -> Result<Self::Value, Self::Error>;
    /// Builds an object member's key, as soon as it is read.
    fn key(&mut self, key: Cow<'a, str>) -> Result<Self::Key, Self::Error>;
    /// Builds an array from its items, in order.
    fn array(&mut self, items: Drain<'_, Self::Value>) -> Result<Self::Value, Self::Error>;
    /// Builds an object from its members, in the order written (duplicates kept).
    fn object(&mut self, members: Drain<'_, (Self::Key, Self::Value)>) -> Result<Self::Value, Self::Error>;
    /// The stacks for a read: new ones, or those [`Build::keep`] was given.
    fn stacks(&mut self) -> Stacks<Self::Key, Self::Value> {
        Stacks::new()
    }
    /// Takes the stacks back, empty, after a read.
    fn keep(&mut self, _stacks: Stacks<Self::Key, Self::Value>) {}
}

/// Builds the [`Json`] tree.
struct Tree;

impl<'a> Build<'a> for Tree {
    type Value = Json<'a>;
    type Key = Cow<'a, str>;
    type Error = JsonError;

    fn begin(&mut self, _: usize) -> Result<(), JsonError> {
        Ok(())
    }

    fn scalar(&mut self, scalar: Scalar<'a>) -> Result<Json<'a>, JsonError> {
        Ok(match scalar {
            Scalar::Null => Json::Null,
            Scalar::Bool(b) => Json::Bool(b),
            Scalar::Number(text) => Json::Number(Cow::Borrowed(text)),
            Scalar::String(text) => Json::String(text),
        })
    }

    fn key(&mut self, key: Cow<'a, str>) -> Result<Cow<'a, str>, JsonError> {
        Ok(key)
    }

    fn array(&mut self, items: Drain<'_, Json<'a>>) -> Result<Json<'a>, JsonError> {
        Ok(Json::Array(items.collect()))
    }

    fn object(&mut self, members: Drain<'_, (Cow<'a, str>, Json<'a>)>) -> Result<Json<'a>, JsonError> {
        Ok(Json::Object(members.collect()))
    }
}

/// The length of the prefix of `bytes` that needs no attention inside a
/// string: no quote, backslash or control character. Eight bytes at a time
/// while eight remain, then byte by byte.
#[inline]
fn plain_prefix(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let special = has_zero(word ^ (ONES * u64::from(b'"')))
            | has_zero(word ^ (ONES * u64::from(b'\\')))
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGHS);
        if special != 0 {
            // The lowest flagged byte is exact (a borrow only runs upwards from a flagged byte).
            return at + (special.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + bytes[at..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(bytes.len() - at)
}

/// Position, whitespace, literals, numbers and strings: the reading that does
/// not depend on what is built.
struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scanner<'a> {
    fn error(&self, message: &'static str) -> JsonError {
        JsonError { offset: self.at, message }
    }

    fn whitespace(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    #[inline]
    fn literal(&mut self, word: &'static str, value: Scalar<'a>) -> Result<Scalar<'a>, JsonError> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("invalid literal"))
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<&'a str, JsonError> {
        let start = self.at;
        if self.bytes[self.at] == b'-' {
            self.at += 1;
        }
        let leading_zero = self.bytes.get(self.at) == Some(&b'0');
        let integer = self.digits();
        if integer == 0 || (leading_zero && integer > 1) {
            return Err(self.error("invalid number"));
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if matches!(self.bytes.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.bytes.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        Ok(&self.text[start..self.at])
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.bytes.get(self.at..self.at + 4).and_then(crate::hex::number);
        let code = digits.ok_or_else(|| self.error("invalid \\u escape"))?;
        self.at += 4;
        Ok(code)
    }

    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let code = self.bytes.get(self.at).copied().ok_or_else(|| self.error("unterminated string"))?;
        self.at += 1;
        let c = match code {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4()?;
                let scalar = if (0xD800..0xDC00).contains(&high) {
                    if !self.bytes[self.at..].starts_with(b"\\u") {
                        return Err(self.error("unpaired surrogate"));
                    }
                    self.at += 2;
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.error("unpaired surrogate"));
                    }
                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    high
                };
                char::from_u32(scalar).ok_or_else(|| self.error("unpaired surrogate"))?
            }
            _ => return Err(self.error("invalid escape")),
        };
        out.push(c);
        Ok(())
    }

    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.at += 1;
        let start = self.at;
        self.at += plain_prefix(&self.bytes[start..]);
        if self.bytes.get(self.at) == Some(&b'"') {
            self.at += 1;
            return Ok(Cow::Borrowed(&self.text[start..self.at - 1]));
        }
        self.unescaped(start).map(Cow::Owned)
    }

    /// The rest of a string from `start` when its plain prefix ended at
    /// something other than the closing quote: out of line, so the common
    /// string without escapes stays a short function.
    #[inline(never)]
    fn unescaped(&mut self, start: usize) -> Result<String, JsonError> {
        let mut text = String::new();
        let mut run = start;
        loop {
            match self.bytes.get(self.at) {
                Some(b'"') => {
                    text.push_str(&self.text[run..self.at]);
                    self.at += 1;
                    return Ok(text);
                }
                Some(b'\\') => {
                    text.push_str(&self.text[run..self.at]);
                    self.at += 1;
                    self.escape(&mut text)?;
                }
                Some(_) => return Err(self.error("control character in string")),
                None => return Err(self.error("unterminated string")),
            }
            run = self.at;
            self.at = run + plain_prefix(&self.bytes[run..]);
        }
    }

    fn enter(&self, depth: usize) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        Ok(())
    }

    /// Consumes `,` before another item or `close` after the last; true while items follow.
    fn more(&mut self, close: u8, first: bool) -> Result<bool, JsonError> {
        self.whitespace();
        match self.bytes.get(self.at) {
            Some(&b) if b == close => {
                self.at += 1;
                Ok(false)
            }
            Some(b',') if !first => {
                self.at += 1;
                Ok(true)
            }
            _ if first => Ok(true),
            _ => Err(self.error("expected `,` or a closing bracket")),
        }
    }

    /// An object member's key and the `:` after it.
    fn key(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.whitespace();
        if self.bytes.get(self.at) != Some(&b'"') {
            return Err(self.error("expected a string key"));
        }
        let key = self.string()?;
        self.whitespace();
        if self.bytes.get(self.at) != Some(&b':') {
            return Err(self.error("expected `:`"));
        }
        self.at += 1;
        Ok(key)
    }
}

/// Reads values with a [`Pull`] and hands them to a builder. Array items and
/// object members wait on shared stacks, innermost last, and each container
/// takes its own off the end, so nothing is allocated per container here.
struct Reader<'a, 'b, B: Build<'a>> {
    pull: Pull<'a>,
    builder: &'b mut B,
    items: Vec<B::Value>,
    members: Vec<(B::Key, B::Value)>,
}

impl<'a, B: Build<'a>> Reader<'a, '_, B> {
    /// One value and nothing after it but whitespace.
    fn document(&mut self) -> Result<B::Value, B::Error> {
        let value = self.value()?;
        self.pull.end()?;
        Ok(value)
    }

    fn value(&mut self) -> Result<B::Value, B::Error> {
        self.builder.begin(self.pull.depth)?;
        match self.pull.start()? {
            Start::Scalar(scalar) => self.builder.scalar(scalar),
            Start::Array(open) => self.array(open),
            Start::Object(open) => self.object(open),
        }
    }

    fn array(&mut self, mut open: Open) -> Result<B::Value, B::Error> {
        let start = self.items.len();
        while self.pull.item(&mut open)? {
            let item = self.value()?;
            self.items.push(item);
        }
        self.builder.array(self.items.drain(start..))
    }

    fn object(&mut self, mut open: Open) -> Result<B::Value, B::Error> {
        let start = self.members.len();
        while let Some(key) = self.pull.member(&mut open)? {
            let key = self.builder.key(key)?;
            let value = self.value()?;
            self.members.push((key, value));
        }
        self.builder.object(self.members.drain(start..))
    }
}

/// The start of a value, as [`Pull::start`] read it: a whole scalar, or an
/// opened container whose entries come next.
#[derive(Debug)]
pub enum Start<'a> {
    /// A scalar, read whole.
    Scalar(Scalar<'a>),
    /// `[` was read: read the items with [`Pull::item`].
    Array(Open),
    /// `{` was read: read the members with [`Pull::member`].
    Object(Open),
}

impl Start<'_> {
    /// The JSON type's name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Start::Scalar(Scalar::Null) => "null",
            Start::Scalar(Scalar::Bool(_)) => "a boolean",
            Start::Scalar(Scalar::Number(_)) => "a number",
            Start::Scalar(Scalar::String(_)) => "a string",
            Start::Array(_) => "an array",
            Start::Object(_) => "an object",
        }
    }
}

/// An opened array or object: whether its first entry is still to come.
#[derive(Debug)]
pub struct Open {
    first: bool,
}

/// Reads a document one value at a time, for readers that build as they go:
/// the [`Build`]ers, and decoders that read a snapshot payload straight into
/// its model (no tree in between). A caller reads each value it starts to
/// its end (or [`Pull::skip`]s it), and stops at the first error: the
/// position is then undefined.
pub struct Pull<'a> {
    scanner: Scanner<'a>,
    /// Containers open around the next value.
    depth: usize,
    /// Where the value last started by [`Pull::start`] begins.
    started: usize,
}

impl<'a> Pull<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Pull<'a> {
        Pull { scanner: Scanner { text, bytes: text.as_bytes(), at: 0 }, depth: 0, started: 0 }
    }

    /// Reads the start of the next value: a scalar whole, or the bracket
    /// that opens an array or object (refused beyond [`MAX_DEPTH`]).
    #[inline(always)]
    pub fn start(&mut self) -> Result<Start<'a>, JsonError> {
        let scanner = &mut self.scanner;
        scanner.whitespace();
        self.started = scanner.at;
        let scalar = match scanner.bytes.get(scanner.at) {
            None => return Err(scanner.error("unexpected end of input")),
            Some(b'n') => scanner.literal("null", Scalar::Null)?,
            Some(b't') => scanner.literal("true", Scalar::Bool(true))?,
            Some(b'f') => scanner.literal("false", Scalar::Bool(false))?,
            Some(b'"') => Scalar::String(scanner.string()?),
            Some(b'-' | b'0'..=b'9') => Scalar::Number(scanner.number()?),
            Some(&bracket @ (b'[' | b'{')) => {
                self.depth += 1;
                scanner.enter(self.depth)?;
                scanner.at += 1;
                let open = Open { first: true };
                return Ok(if bracket == b'[' { Start::Array(open) } else { Start::Object(open) });
            }
            Some(_) => return Err(scanner.error("expected a value")),
        };
        Ok(Start::Scalar(scalar))
    }

    /// Whether the array `open` has another item (then read it with
    /// [`Pull::start`]); false after its closing bracket.
    #[inline(always)]
    pub fn item(&mut self, open: &mut Open) -> Result<bool, JsonError> {
        self.entry(b']', open)
    }

    /// The next member's key of the object `open` (then read its value with
    /// [`Pull::start`]); `None` after its closing brace.
    #[inline(always)]
    pub fn member(&mut self, open: &mut Open) -> Result<Option<Cow<'a, str>>, JsonError> {
        if self.entry(b'}', open)? {
            self.scanner.key().map(Some)
        } else {
            Ok(None)
        }
    }

    #[inline(always)]
    fn entry(&mut self, close: u8, open: &mut Open) -> Result<bool, JsonError> {
        let more = self.scanner.more(close, open.first)?;
        open.first = false;
        if !more {
            self.depth -= 1;
        }
        Ok(more)
    }

    /// Reads past the rest of a value that [`Pull::start`] started.
    pub fn skip(&mut self, start: Start<'a>) -> Result<(), JsonError> {
        match start {
            Start::Scalar(_) => {}
            Start::Array(mut open) => {
                while self.item(&mut open)? {
                    let item = self.start()?;
                    self.skip(item)?;
                }
            }
            Start::Object(mut open) => {
                while self.member(&mut open)?.is_some() {
                    let value = self.start()?;
                    self.skip(value)?;
                }
            }
        }
        Ok(())
    }

    /// Where the value last started by [`Pull::start`] begins.
    pub fn started(&self) -> usize {
        self.started
    }

    /// The text from `start` to the position: from [`Pull::started`], a
    /// value's text once it has been read to its end.
    pub fn text_from(&self, start: usize) -> &'a str {
        &self.scanner.text[start..self.scanner.at]
    }

    /// Checks that nothing but whitespace follows.
    pub fn end(&mut self) -> Result<(), JsonError> {
        self.scanner.whitespace();
        if self.scanner.at == self.scanner.text.len() {
            Ok(())
        } else {
            Err(self.scanner.error("trailing characters"))
        }
    }
}

impl<'a> Json<'a> {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The member `key` of an object (the first, if repeated).
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Converts to a `serde_json::Value`; `None` when a number is out of f64 range.
    pub fn to_value(&self) -> Option<serde_json::Value> {
        use serde_json::Value;
        Some(match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(text) => number_value(text)?,
            Json::String(s) => Value::String(s.to_string()),
            Json::Array(items) => Value::Array(items.iter().map(Json::to_value).collect::<Option<_>>()?),
            Json::Object(members) => {
                Value::Object(members.iter().map(|(k, v)| Some((k.to_string(), v.to_value()?))).collect::<Option<_>>()?)
            }
        })
    }
}

impl Scalar<'_> {
    /// Converts to a `serde_json::Value`; `None` when a number is out of f64 range.
    pub fn to_value(&self) -> Option<serde_json::Value> {
        use serde_json::Value;
        Some(match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Number(text) => number_value(text)?,
            Scalar::String(s) => Value::String(s.to_string()),
        })
    }
}

/// A JSON number's value as serde_json holds it: an exact integer when it is
/// written as one and fits, else a finite f64 (`-0` stays a float, as
/// serde_json reads it); `None` out of f64 range.
fn number_value(text: &str) -> Option<serde_json::Value> {
    use serde_json::Value;
    if let Some(i) = text.parse::<i64>().ok().filter(|_| text != "-0") {
        Some(Value::from(i))
    } else if let Ok(u) = text.parse::<u64>() {
        Some(Value::from(u))
    } else {
        serde_json::Number::from_f64(crate::number::parse_f64(text)?).map(Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_of_value() {
        let json = parse(r#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\u00e9\ud83d\ude00", "": {}} "#).unwrap();
        assert_eq!(
            json.get("a"),
            Some(&Json::Array(vec![
                Json::Number("1".into()),
                Json::Number("-2.5e3".into()),
                Json::Bool(true),
                Json::Bool(false),
                Json::Null
            ]))
        );
        assert_eq!(json.get("b").and_then(Json::as_str), Some("x\"é😀"));
        assert_eq!(json.get(""), Some(&Json::Object(vec![])));
        assert!(matches!(parse(r#""plain""#), Ok(Json::String(Cow::Borrowed("plain")))));
    }

    #[test]
    fn strings_with_escapes_keep_the_plain_runs_between_them() {
        for (text, expected) in [
            (r#""a\nb\u00e9c\"d""#, "a\nbéc\"d"),
            (r#""\n""#, "\n"),
            (r#""\\""#, "\\"),
            (r#""long plain run \t then more plain text after""#, "long plain run \t then more plain text after"),
        ] {
            assert_eq!(parse(text).unwrap().as_str(), Some(expected), "{text}");
        }
        for bad in [r#""x\""#, r#""x\"#, "\"a\u{1}b\""] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn agrees_with_serde_json_on_values() {
        let text = r#"{"n":[0,-0,12345678901234567890,1.5,1e300,-7],"s":"tab\tnew\nline","o":{"k":[{}]}}"#;
        let expected: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(parse(text).unwrap().to_value(), Some(expected));
    }

    #[test]
    fn plain_prefix_stops_at_quotes_backslashes_and_controls() {
        for (text, expected) in [
            ("abcdefghijklmnop\"", 16),
            ("abc\"", 3),
            ("abcdefgh\\x", 8),
            ("abcdefghijk\n", 11),
            ("ééééé\"", 10),
            ("", 0),
            ("abcdefghij", 10),
            ("\u{7f}\u{80}abcdefg\"", 10),
        ] {
            assert_eq!(plain_prefix(text.as_bytes()), expected, "{text:?}");
        }
    }

    #[test]
    fn plain_prefix_agrees_with_a_byte_by_byte_scan() {
        const ALPHABET: [u8; 10] = [b'a', b'z', b'"', b'\\', 0x00, 0x1f, 0x20, 0x7f, 0x80, 0xff];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let len = (seed >> 59) as usize + 1;
            let bytes: Vec<u8> = (0..len).map(|i| ALPHABET[((seed >> (i * 2 % 56)) % 10) as usize]).collect();
            let naive = bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(bytes.len());
            assert_eq!(plain_prefix(&bytes), naive, "{bytes:?}");
        }
    }

    /// Pieces of JSON and of near-JSON, joined at random by the property below.
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "{", "}", "[", "]", ":", ",", "\"", "\\", "u", "0", "1", "9", "e", "E", "+", "-", ".", "a", "f", "true", "false",
        "null", " ", "\n", "\"a\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\ud800\"", "\"\\u+041\"", "1e400", "é",
        "\u{1}", "\"k\":", "[1,2]", "{\"k\":1}",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(20_000))]
        /// A verifier must read signed bytes as other tools read them: the
        /// reader takes exactly the texts serde_json takes, with the same
        /// value (but for the nesting bound: 128 levels here, 127 there).
        #[test]
        fn accepts_exactly_what_serde_json_accepts(pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..24)) {
            let text = pieces.concat();
            let ours = parse(&text).ok().map(|json| json.to_value());
            let theirs = serde_json::from_str::<serde_json::Value>(&text).ok();
            match (ours, theirs) {
                (Some(Some(ours)), Some(theirs)) => proptest::prop_assert_eq!(ours, theirs, "{}", text),
                // Numbers beyond f64 are JSON, but neither side holds them.
                (Some(None), None) | (None, None) => {}
                (ours, theirs) => proptest::prop_assert!(false, "{:?}: ours {:?}, serde_json {:?}", text, ours, theirs),
            }
        }
    }

    #[test]
    fn refuses_invalid_json() {
        let bad = [
            "",
            "{",
            "[1,]",
            "[,1]",
            "{\"a\" 1}",
            "{a:1}",
            "01",
            "1.",
            "-",
            "1e",
            "tru",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"\\u+041\"",
            "\"\\u-041\"",
            "\"a\nb\"",
            "[1] 2",
            "{\"a\":1,}",
            "\"unterminated",
        ];
        for text in bad {
            assert!(parse(text).is_err(), "{text:?}");
        }
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(parse(&deep).unwrap_err().message, "nested too deeply");
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }
}
