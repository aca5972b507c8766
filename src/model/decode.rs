//! Decoding JSON text (a signed payload, an envelope, stored assignments, or
//! YAML source written as JSON) straight into the model, value by value as a
//! [`Pull`] reads it: no JSON tree is built in between. Every problem is
//! recorded with its path and decoding carries on, so one pass reports all
//! of them; unknown and duplicate fields are errors (but for an envelope's
//! unknown members, which DSSE's readers must ignore). Text that is not
//! JSON stops decoding, and its syntax error is then the only one reported.
//!
//! Each decoding function reads the value it is given to its end, whether it
//! succeeds or not, so that the reader is always at the next value.

use super::*;
use crate::json::{JsonError, Open, Pull, Scalar, Start};
use crate::number::parse_f64;
use crate::path::At;
use crate::time::parse_rfc3339;
use std::borrow::Cow;
use std::fmt;
use twox_hash::XxHash3_64;

/// One problem found while decoding, at a path such as `flags.x.rules[0].serve`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Where the problem is (empty for the whole text).
    pub path: String,
    /// What is wrong.
    pub kind: DecodeErrorKind,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        self.kind.fmt(f)
    }
}

/// What is wrong with a value, or with the whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// The text is not one JSON value; nothing else is reported then.
    Syntax(JsonError),
    /// A value of another type than the field takes.
    Expected {
        /// What the field takes, e.g. `a string`.
        expected: &'static str,
        /// The type given, e.g. `an array`.
        found: &'static str,
    },
    /// A member the object does not have.
    UnknownField {
        /// The member's name as written.
        field: String,
        /// The members the object may have.
        expected: &'static [&'static str],
    },
    /// A member given twice.
    DuplicateField(String),
    /// A key given twice in a map.
    DuplicateKey(String),
    /// A member the object must have.
    MissingField(&'static str),
    /// An object with none, or more than one, of the forms it may take.
    NotOneOf(&'static [&'static str]),
    /// A name (a flag type, kind or operator) that is not one of those known.
    UnknownName {
        /// The name as written.
        name: String,
        /// The names known.
        expected: Vec<&'static str>,
    },
    /// A number that is not a non-negative integer (as written).
    NotUnsigned(String),
    /// An integer beyond what the field holds (2^32 - 1).
    TooLarge(u64),
    /// A number beyond what a 64-bit float holds.
    NumberOutOfRange,
    /// A time given as a number that is not integer epoch milliseconds.
    NotEpochMillis,
    /// A time given as text that is not RFC 3339 (as written).
    NotRfc3339(String),
    /// Text that is not a percentage (as written).
    NotPercent(String),
    /// A percentage out of range or too precise.
    BadPercent {
        /// The percentage as written.
        text: String,
        /// What is wrong with it.
        problem: PercentError,
    },
    /// A condition with other than exactly one of its forms.
    ConditionForms,
    /// `values`, `negate` or `ignore_case` on a condition that is not a clause.
    ClauseFieldsOutsideClause,
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        use DecodeErrorKind::*;
        match self {
            Syntax(error) => error.fmt(f),
            Expected { expected, found } => write!(f, "expected {expected}, found {found}"),
            UnknownField { field, expected } => write!(f, "unknown field `{field}`, expected one of {}", Quoted(expected)),
            DuplicateField(field) => write!(f, "duplicate field `{field}`"),
            DuplicateKey(key) => write!(f, "duplicate key `{key}`"),
            MissingField(field) => write!(f, "missing field `{field}`"),
            NotOneOf(forms) => write!(f, "give exactly one of {}", Quoted(forms)),
            UnknownName { name, expected } => write!(f, "unknown variant `{name}`, expected one of {}", Quoted(expected)),
            NotUnsigned(text) => write!(f, "expected a non-negative integer, found {text}"),
            TooLarge(n) => write!(f, "{n} is too large"),
            NumberOutOfRange => f.write_str("number out of range"),
            NotEpochMillis => f.write_str("expected epoch milliseconds as an integer"),
            NotRfc3339(text) => write!(f, "`{text}` is not an RFC 3339 time"),
            NotPercent(text) => write!(f, "`{text}` is not a percentage"),
            BadPercent { text, problem } => write!(f, "percentage {text} {problem}"),
            ConditionForms => f.write_str("a condition has exactly one of `all`, `any`, `not`, `segment`, or `attribute` with `op`"),
            ClauseFieldsOutsideClause => f.write_str("`values`, `negate` and `ignore_case` belong to a clause with `attribute` and `op`"),
        }
    }
}

/// A decoded payload with a fingerprint of each flag, so a loader can tell
/// which flags a new snapshot changed.
#[derive(Debug)]
pub struct Decoded {
    /// The payload.
    pub payload: Payload,
    /// The XXH3-64 hash of each flag's JSON text as written, in payload
    /// order (the flags' order). The same text gives the same fingerprint;
    /// any change to it (whitespace and member order included) reads as a change.
    pub fingerprints: Vec<u64>,
}

/// Which top-level fields a document carries.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// A signed payload: every field, stamped by the build.
    Payload,
    /// An authored source: no `version`, `issued_at` or `expires_at`.
    Source,
}

const PAYLOAD_FIELDS: &[&str] = &["schema", "environment", "version", "issued_at", "expires_at", "segments", "flags"];
const SOURCE_FIELDS: &[&str] = &["schema", "environment", "segments", "flags"];

/// Parses and decodes a JSON payload; any problem refuses it.
pub fn parse_payload(text: &str) -> Result<Decoded, Vec<DecodeError>> {
    complete(decode_document(text, Document::Payload))
}

/// Decodes a JSON document into a payload (source documents get zero stamps)
/// and every problem found. Flags and segments that fail to decode are left
/// out of the payload, so the rest can still be checked.
pub fn decode_document(text: &str, kind: Document) -> (Option<Decoded>, Vec<DecodeError>) {
    decode(text, |d, json| d.document(json, kind))
}

/// Decodes stored sticky assignments: `[{flag, variant, version}, …]`.
pub fn decode_assignments(text: &str) -> Result<Vec<(String, String, u32)>, Vec<DecodeError>> {
    complete(decode(text, |d, json| d.list(&At::Root, json, Decoder::assignment)))
}

/// A DSSE envelope's fields: payload type, base64 payload, and `(keyid, sig)`
/// pairs (a signature without a key id has an empty one).
pub type EnvelopeFields = (String, String, Vec<(String, String)>);

/// Decodes a DSSE envelope's fields, by DSSE's parsing rules: members it
/// does not know are ignored, and a signature's `keyid` may be absent.
pub fn decode_envelope(text: &str) -> Result<EnvelopeFields, Vec<DecodeError>> {
    complete(decode(text, Decoder::envelope))
}

/// Runs `decode` on the text's one JSON value and checks that nothing but
/// whitespace follows it. A syntax error replaces every other error.
fn decode<'a, T>(text: &'a str, decode: impl FnOnce(&mut Decoder<'a>, Start<'a>) -> Decoding<T>) -> (Option<T>, Vec<DecodeError>) {
    let mut d = Decoder { pull: Pull::new(text), errors: Vec::new(), syntax: None };
    let decoded = d.start().and_then(|json| decode(&mut d, json)).ok();
    if d.syntax.is_none() {
        d.syntax = d.pull.end().err();
    }
    match d.syntax {
        Some(error) => (None, vec![DecodeError { path: String::new(), kind: DecodeErrorKind::Syntax(error) }]),
        None => (decoded, d.errors),
    }
}

/// The decoded value when there were no problems at all.
fn complete<T>((decoded, errors): (Option<T>, Vec<DecodeError>)) -> Result<T, Vec<DecodeError>> {
    match decoded {
        Some(decoded) if errors.is_empty() => Ok(decoded),
        _ => Err(errors),
    }
}

/// Names for a message: `` `a`, `b`, `c` ``.
struct Quoted<'a>(&'a [&'a str]);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write_separated(f, self.0, ", ", |f, name| write!(f, "`{name}`"))
    }
}

/// Writes each of `items` with `write`, `separator` between them: a join
/// that formats in place instead of building strings to join.
pub(crate) fn write_separated<T>(
    f: &mut fmt::Formatter,
    items: impl IntoIterator<Item = T>,
    separator: &str,
    mut write: impl FnMut(&mut fmt::Formatter, T) -> fmt::Result,
) -> fmt::Result {
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            f.write_str(separator)?;
        }
        write(f, item)?;
    }
    Ok(())
}

/// What an object's members that its fields do not list are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unknown {
    /// Errors: edgeflag's own formats list every field they have.
    Refused,
    /// Skipped, not reported: readers of DSSE's envelope must ignore members
    /// they do not know. A repeated member is still refused: which of two
    /// payloads was signed?
    Ignored,
}

/// The error was recorded; the caller should give up on this value.
#[derive(Debug)]
pub(crate) struct Invalid;

type Decoding<T> = Result<T, Invalid>;

/// Reads values and collects the errors found.
pub(crate) struct Decoder<'a> {
    pull: Pull<'a>,
    errors: Vec<DecodeError>,
    /// Where the text stopped being JSON: nothing after it is read.
    syntax: Option<JsonError>,
}

impl<'a> Decoder<'a> {
    /// Runs one step of the reader, unless the text already proved not to be JSON.
    fn read<T>(&mut self, step: impl FnOnce(&mut Pull<'a>) -> Result<T, JsonError>) -> Decoding<T> {
        if self.syntax.is_some() {
            return Err(Invalid);
        }
        step(&mut self.pull).map_err(|error| {
            self.syntax = Some(error);
            Invalid
        })
    }

    fn start(&mut self) -> Decoding<Start<'a>> {
        self.read(Pull::start)
    }

    fn item(&mut self, open: &mut Open) -> Decoding<bool> {
        self.read(|pull| pull.item(open))
    }

    fn member(&mut self, open: &mut Open) -> Decoding<Option<Cow<'a, str>>> {
        self.read(|pull| pull.member(open))
    }

    fn skip(&mut self, json: Start<'a>) -> Decoding<()> {
        self.read(|pull| pull.skip(json))
    }

    fn report(&mut self, at: &At<'_>, kind: DecodeErrorKind) {
        self.errors.push(DecodeError { path: at.to_string(), kind });
    }

    fn fail<T>(&mut self, at: &At<'_>, kind: DecodeErrorKind) -> Decoding<T> {
        self.report(at, kind);
        Err(Invalid)
    }

    /// Reports a value of the wrong type, and reads past it.
    fn expected<T>(&mut self, at: &At<'_>, expected: &'static str, found: Start<'a>) -> Decoding<T> {
        let kind = DecodeErrorKind::Expected { expected, found: found.type_name() };
        self.skip(found)?;
        self.fail(at, kind)
    }

    /// Reads an object whose members are `fields` (at most 32): each one
    /// given goes to `field` (with its path and value) once; unknown and
    /// repeated members are reported and skipped, and make the object invalid.
    fn object(
        &mut self,
        at: &At<'_>,
        json: Start<'a>,
        fields: &'static [&'static str],
        field: &mut dyn FnMut(&mut Self, &At<'_>, &'static str, Start<'a>),
    ) -> Decoding<()> {
        self.members(at, json, fields, Unknown::Refused, field)
    }

    /// [`Decoder::object`] with the members it does not list treated as `unknown` says.
    fn members(
        &mut self,
        at: &At<'_>,
        json: Start<'a>,
        fields: &'static [&'static str],
        unknown: Unknown,
        field: &mut dyn FnMut(&mut Self, &At<'_>, &'static str, Start<'a>),
    ) -> Decoding<()> {
        let Start::Object(mut open) = json else { return self.expected(at, "an object", json) };
        let mut seen = 0u32;
        let mut valid = true;
        while let Some(key) = self.member(&mut open)? {
            let value = self.start()?;
            let here = at.key(&key);
            match fields.iter().position(|f| *f == key) {
                Some(i) if seen & 1 << i == 0 => {
                    seen |= 1 << i;
                    field(self, &here, fields[i], value);
                }
                None if unknown == Unknown::Ignored => self.skip(value)?,
                repeated => {
                    valid = false;
                    let field = key.to_string();
                    let kind = match repeated {
                        Some(_) => DecodeErrorKind::DuplicateField(field),
                        None => DecodeErrorKind::UnknownField { field, expected: fields },
                    };
                    self.skip(value)?;
                    self.report(&here, kind);
                }
            }
        }
        valid.then_some(()).ok_or(Invalid)
    }

    /// Reads an object of exactly two fields, both required, each decoded by its own function.
    fn pair<A, B>(
        &mut self,
        at: &At<'_>,
        json: Start<'a>,
        names: &'static [&'static str; 2],
        first: fn(&mut Self, &At<'_>, Start<'a>) -> Decoding<A>,
        second: fn(&mut Self, &At<'_>, Start<'a>) -> Decoding<B>,
    ) -> Decoding<(A, B)> {
        let (mut a, mut b) = (None, None);
        self.object(at, json, names, &mut |d, at, name, value| {
            if name == names[0] {
                a = Some(first(d, at, value));
            } else {
                b = Some(second(d, at, value));
            }
        })?;
        let a = self.required(at, names[0], a);
        let b = self.required(at, names[1], b);
        Ok((a?, b?))
    }

    /// A field's decoding, or a `missing field` error when it was not given.
    fn required<T>(&mut self, at: &At<'_>, name: &'static str, field: Option<Decoding<T>>) -> Decoding<T> {
        field.unwrap_or_else(|| self.fail(at, DecodeErrorKind::MissingField(name)))
    }

    /// Decodes a field that may be null, which counts as not given.
    fn optional<T>(
        &mut self,
        at: &At<'_>,
        json: Start<'a>,
        decode: impl FnOnce(&mut Self, &At<'_>, Start<'a>) -> Decoding<T>,
    ) -> Decoding<Option<T>> {
        match json {
            Start::Scalar(Scalar::Null) => Ok(None),
            json => decode(self, at, json).map(Some),
        }
    }

    /// Reads an object that holds exactly one of `forms`, decoded by `form`
    /// (with the form's name). Every form given is decoded, so its problems
    /// are reported too; more or fewer than one is an error.
    fn one_form<T>(
        &mut self,
        at: &At<'_>,
        json: Start<'a>,
        forms: &'static [&'static str],
        form: &mut dyn FnMut(&mut Self, &At<'_>, &'static str, Start<'a>) -> Decoding<T>,
    ) -> Decoding<T> {
        let (mut given, mut decoded) = (0, None);
        self.object(at, json, forms, &mut |d, at, name, value| {
            given += 1;
            decoded = Some(form(d, at, name, value));
        })?;
        match decoded {
            Some(decoded) if given == 1 => decoded,
            _ => self.fail(at, DecodeErrorKind::NotOneOf(forms)),
        }
    }

    fn string(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<String> {
        match json {
            Start::Scalar(Scalar::String(s)) => Ok(s.into_owned()),
            other => self.expected(at, "a string", other),
        }
    }

    fn boolean(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<bool> {
        match json {
            Start::Scalar(Scalar::Bool(b)) => Ok(b),
            other => self.expected(at, "a boolean", other),
        }
    }

    fn unsigned(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<u64> {
        match json {
            Start::Scalar(Scalar::Number(text)) => text.parse().or_else(|_| self.fail(at, DecodeErrorKind::NotUnsigned(text.to_owned()))),
            other => self.expected(at, "a non-negative integer", other),
        }
    }

    fn small(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<u32> {
        let n = self.unsigned(at, json)?;
        u32::try_from(n).or_else(|_| self.fail(at, DecodeErrorKind::TooLarge(n)))
    }

    /// Any JSON value (variant and clause values); numbers beyond f64 are refused.
    fn value(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<serde_json::Value> {
        match json {
            Start::Scalar(scalar) => scalar.to_value().map_or_else(|| self.fail(at, DecodeErrorKind::NumberOutOfRange), Ok),
            Start::Array(_) => self.list(at, json, Self::value).map(serde_json::Value::Array),
            Start::Object(mut open) => {
                // As serde_json reads objects: a repeated key's last value stands.
                let mut members = serde_json::Map::new();
                let mut valid = true;
                while let Some(key) = self.member(&mut open)? {
                    let item = self.start()?;
                    match self.value(&at.key(&key), item) {
                        Ok(value) => drop(members.insert(key.into_owned(), value)),
                        Err(Invalid) => valid = false,
                    }
                }
                valid.then_some(serde_json::Value::Object(members)).ok_or(Invalid)
            }
        }
    }

    fn timestamp(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<Timestamp> {
        match json {
            Start::Scalar(Scalar::Number(text)) => match text.parse() {
                Ok(ms) => Ok(Timestamp(ms)),
                Err(_) => self.fail(at, DecodeErrorKind::NotEpochMillis),
            },
            Start::Scalar(Scalar::String(text)) => match parse_rfc3339(&text) {
                Some(ms) => Ok(Timestamp(ms)),
                None => self.fail(at, DecodeErrorKind::NotRfc3339(text.into_owned())),
            },
            other => self.expected(at, "an RFC 3339 time or epoch milliseconds", other),
        }
    }

    fn percent(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<Percent> {
        let (text, number) = match json {
            Start::Scalar(Scalar::Number(text)) => (Cow::Borrowed(text), parse_f64(text)),
            Start::Scalar(Scalar::String(text)) => {
                let number = parse_f64(text.trim().trim_end_matches('%').trim_end());
                (text, number)
            }
            other => return self.expected(at, "a percentage such as 12.5 or \"12.5%\"", other),
        };
        match number.map(Percent::from_percent) {
            Some(Ok(percent)) => Ok(percent),
            Some(Err(problem)) => self.fail(at, DecodeErrorKind::BadPercent { text: text.into_owned(), problem }),
            None => self.fail(at, DecodeErrorKind::NotPercent(text.into_owned())),
        }
    }

    fn list<T>(
        &mut self,
        at: &At<'_>,
        json: Start<'a>,
        mut item: impl FnMut(&mut Self, &At<'_>, Start<'a>) -> Decoding<T>,
    ) -> Decoding<Vec<T>> {
        // Most lists hold one item: room for exactly one, rather than the
        // four a first push reserves (2 MB of wasm memory at 10,000 flags).
        let mut items = Vec::with_capacity(1);
        self.items(at, json, &mut |d, at, value| item(d, at, value).map(|decoded| items.push(decoded)))?;
        Ok(items)
    }

    /// Reads a list, handing each item to `item`; the list is invalid when
    /// one of them is. One loop for every item type, out of line: inlined
    /// into each list's decoding it made the decoder twice its size.
    #[inline(never)]
    fn items(&mut self, at: &At<'_>, json: Start<'a>, item: &mut dyn FnMut(&mut Self, &At<'_>, Start<'a>) -> Decoding<()>) -> Decoding<()> {
        let Start::Array(mut open) = json else { return self.expected(at, "a list", json) };
        let mut valid = true;
        for i in 0.. {
            if !self.item(&mut open)? {
                break;
            }
            let value = self.start()?;
            valid &= item(self, &at.index(i), value).is_ok();
        }
        valid.then_some(()).ok_or(Invalid)
    }

    /// One item or a list of them.
    fn one_or_many<T>(
        &mut self,
        at: &At<'_>,
        json: Start<'a>,
        mut item: impl FnMut(&mut Self, &At<'_>, Start<'a>) -> Decoding<T>,
    ) -> Decoding<Vec<T>> {
        match json {
            Start::Array(_) => self.list(at, json, item),
            single => item(self, at, single).map(|one| vec![one]),
        }
    }

    fn keyed<T>(
        &mut self,
        at: &At<'_>,
        json: Start<'a>,
        item: impl FnMut(&mut Self, &At<'_>, Start<'a>) -> Decoding<T>,
    ) -> Decoding<KeyedMap<T>> {
        let (entries, complete) = self.keyed_partial(at, json, item)?;
        complete.then_some(entries).ok_or(Invalid)
    }

    /// Decodes a map, keeping the entries that decode; the flag tells whether all did.
    fn keyed_partial<T>(
        &mut self,
        at: &At<'_>,
        json: Start<'a>,
        mut item: impl FnMut(&mut Self, &At<'_>, Start<'a>) -> Decoding<T>,
    ) -> Decoding<(KeyedMap<T>, bool)> {
        let mut entries = Vec::new();
        let complete =
            self.entries(at, json, &mut |d, at, key, value| item(d, at, value).map(|decoded| entries.push((key.to_string(), decoded))))?;
        Ok((KeyedMap(entries), complete))
    }

    /// Reads a map, handing each entry with a new key to `entry` and
    /// reporting repeated keys; true when every entry was taken. Like
    /// [`Decoder::items`], one loop for every value type, out of line.
    #[inline(never)]
    fn entries(
        &mut self,
        at: &At<'_>,
        json: Start<'a>,
        entry: &mut dyn FnMut(&mut Self, &At<'_>, &str, Start<'a>) -> Decoding<()>,
    ) -> Decoding<bool> {
        let Start::Object(mut open) = json else { return self.expected(at, "a map of keys to values", json) };
        let mut seen = SeenKeys::default();
        let mut valid = true;
        while let Some(key) = self.member(&mut open)? {
            let value = self.start()?;
            let here = at.key(&key);
            if !seen.insert(key.clone()) {
                valid = false;
                self.skip(value)?;
                self.report(&here, DecodeErrorKind::DuplicateKey(key.to_string()));
                continue;
            }
            valid &= entry(self, &here, &key, value).is_ok();
        }
        Ok(valid)
    }

    fn document(&mut self, json: Start<'a>, kind: Document) -> Decoding<Decoded> {
        let root = At::Root;
        let payload = kind == Document::Payload;
        let fields = if payload { PAYLOAD_FIELDS } else { SOURCE_FIELDS };
        let (mut environment, mut version, mut issued_at, mut expires_at) = (None, None, None, None);
        let (mut schema, mut segments, mut flags) = (Ok(None), Ok(None), Ok(None));
        let mut hashes = Vec::new();
        self.object(&root, json, fields, &mut |d, at, name, value| match name {
            "schema" => schema = d.optional(at, value, Self::small),
            "environment" if payload => environment = Some(d.string(at, value)),
            "environment" => environment = Some(d.optional(at, value, Self::string).map(Option::unwrap_or_default)),
            "version" => version = Some(d.unsigned(at, value)),
            "issued_at" => issued_at = Some(d.timestamp(at, value)),
            "expires_at" => expires_at = Some(d.timestamp(at, value)),
            "segments" => segments = d.optional(at, value, |d, at, j| d.keyed_partial(at, j, Self::segment)),
            "flags" => flags = d.optional(at, value, |d, at, j| d.keyed_partial(at, j, |d, at, j| d.hashed_flag(at, j, &mut hashes))),
            _ => {}
        })?;
        let (environment, version, issued_at, expires_at) = if payload {
            (
                self.required(&root, "environment", environment),
                self.required(&root, "version", version),
                self.required(&root, "issued_at", issued_at),
                self.required(&root, "expires_at", expires_at),
            )
        } else {
            (environment.unwrap_or(Ok(String::new())), Ok(0), Ok(Timestamp(0)), Ok(Timestamp(0)))
        };
        let mut flags = flags?.map_or_else(KeyedMap::default, |(map, _)| map);
        // The map grew by doubling: give the slack back before the compiler
        // allocates beside it (1.2 MB of wasm memory at 10,000 flags).
        flags.0.shrink_to_fit();
        let payload = Payload {
            schema: schema?.unwrap_or(SCHEMA_VERSION),
            environment: environment?,
            version: version?,
            issued_at: issued_at?,
            expires_at: expires_at?,
            segments: segments?.map_or_else(KeyedMap::default, |(map, _)| map),
            flags,
        };
        Ok(Decoded { payload, fingerprints: hashes })
    }

    /// A flag, and the hash of its text into `hashes` when it decodes (so
    /// that the hashes pair up with the decoded flags).
    fn hashed_flag(&mut self, at: &At<'_>, json: Start<'a>, hashes: &mut Vec<u64>) -> Decoding<Flag> {
        let start = self.pull.started();
        let flag = self.flag(at, json)?;
        hashes.push(XxHash3_64::oneshot(self.pull.text_from(start).as_bytes()));
        Ok(flag)
    }

    fn flag(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<Flag> {
        const FIELDS: &[&str] = &[
            "type",
            "kind",
            "owner",
            "description",
            "stale_after",
            "enabled",
            "variants",
            "off_variant",
            "default",
            "prerequisites",
            "sticky",
            "targets",
            "rules",
        ];
        let (mut value_type, mut variants, mut off_variant, mut default) = (None, None, None, None);
        let (mut kind, mut owner, mut description, mut stale_after, mut enabled) = (Ok(None), Ok(None), Ok(None), Ok(None), Ok(None));
        let (mut prerequisites, mut sticky, mut targets, mut rules) = (Ok(None), Ok(None), Ok(None), Ok(None));
        self.object(at, json, FIELDS, &mut |d, at, name, value| match name {
            "type" => value_type = Some(d.flag_type(at, value)),
            "kind" => kind = d.optional(at, value, Self::flag_kind),
            "owner" => owner = d.optional(at, value, Self::string),
            "description" => description = d.optional(at, value, Self::string),
            "stale_after" => stale_after = d.optional(at, value, Self::timestamp),
            "enabled" => enabled = d.optional(at, value, Self::boolean),
            "variants" => variants = Some(d.keyed(at, value, Self::value)),
            "off_variant" => off_variant = Some(d.string(at, value)),
            "default" => default = Some(d.serve(at, value)),
            "prerequisites" => prerequisites = d.optional(at, value, |d, at, j| d.list(at, j, Self::prerequisite)),
            "sticky" => sticky = d.optional(at, value, Self::sticky),
            "targets" => targets = d.optional(at, value, |d, at, j| d.keyed(at, j, |d, at, j| d.list(at, j, Self::string))),
            "rules" => rules = d.optional(at, value, |d, at, j| d.list(at, j, Self::rule)),
            _ => {}
        })?;
        let value_type = self.required(at, "type", value_type);
        let variants = self.required(at, "variants", variants);
        let off_variant = self.required(at, "off_variant", off_variant);
        let default = self.required(at, "default", default);
        Ok(Flag {
            value_type: value_type?,
            kind: kind?,
            owner: owner?,
            description: description?,
            stale_after: stale_after?,
            enabled: enabled?.unwrap_or(true),
            variants: variants?,
            off_variant: off_variant?,
            default: default?,
            prerequisites: prerequisites?.unwrap_or_default(),
            sticky: sticky?,
            targets: targets?.unwrap_or_default(),
            rules: rules?.unwrap_or_default(),
        })
    }

    fn named<T: Copy>(&mut self, at: &At<'_>, json: Start<'a>, names: &[(&'static str, T)]) -> Decoding<T> {
        let name = self.string(at, json)?;
        match names.iter().find(|(known, _)| *known == name) {
            Some(&(_, value)) => Ok(value),
            None => {
                let expected = names.iter().map(|&(known, _)| known).collect();
                self.fail(at, DecodeErrorKind::UnknownName { name, expected })
            }
        }
    }

    fn flag_type(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<FlagType> {
        let names = [FlagType::Boolean, FlagType::String, FlagType::Number, FlagType::Object].map(|t| (t.name(), t));
        self.named(at, json, &names)
    }

    fn flag_kind(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<FlagKind> {
        let names = [
            ("release", FlagKind::Release),
            ("experiment", FlagKind::Experiment),
            ("ops", FlagKind::Ops),
            ("permission", FlagKind::Permission),
        ];
        self.named(at, json, &names)
    }

    fn prerequisite(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<Prerequisite> {
        let (flag, variants) =
            self.pair(at, json, &["flag", "variants"], Self::string, |d, at, value| d.one_or_many(at, value, Self::string))?;
        Ok(Prerequisite { flag, variants })
    }

    fn sticky(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<Sticky> {
        let mut version = None;
        self.object(at, json, &["version"], &mut |d, at, _, value| version = Some(d.small(at, value)))?;
        Ok(Sticky { version: self.required(at, "version", version)? })
    }

    fn rule(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<Rule> {
        let (mut id, mut description, mut when, mut serve) = (Ok(None), Ok(None), None, None);
        self.object(at, json, &["id", "description", "when", "serve"], &mut |d, at, name, value| match name {
            "id" => id = d.optional(at, value, Self::string),
            "description" => description = d.optional(at, value, Self::string),
            "when" => when = Some(d.condition(at, value)),
            "serve" => serve = Some(d.serve(at, value)),
            _ => {}
        })?;
        let when = self.required(at, "when", when);
        let serve = self.required(at, "serve", serve);
        Ok(Rule { id: id?, description: description?, when: when?, serve: serve? })
    }

    fn segment(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<Segment> {
        let (mut description, mut included, mut excluded, mut rules) = (Ok(None), Ok(None), Ok(None), Ok(None));
        self.object(at, json, &["description", "included", "excluded", "rules"], &mut |d, at, name, value| match name {
            "description" => description = d.optional(at, value, Self::string),
            "included" => included = d.optional(at, value, |d, at, j| d.list(at, j, Self::string)),
            "excluded" => excluded = d.optional(at, value, |d, at, j| d.list(at, j, Self::string)),
            "rules" => rules = d.optional(at, value, |d, at, j| d.list(at, j, Self::condition)),
            _ => {}
        })?;
        Ok(Segment {
            description: description?,
            included: included?.unwrap_or_default(),
            excluded: excluded?.unwrap_or_default(),
            rules: rules?.unwrap_or_default(),
        })
    }

    fn condition(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<Condition> {
        const FIELDS: &[&str] = &["all", "any", "not", "segment", "attribute", "op", "values", "negate", "ignore_case"];
        let (mut all, mut any, mut not, mut segment) = (None, None, None, None);
        let (mut attribute, mut op, mut values, mut negate, mut ignore_case) = (None, None, None, None, None);
        self.object(at, json, FIELDS, &mut |d, at, name, value| match name {
            "all" => all = Some(d.list(at, value, Self::condition)),
            "any" => any = Some(d.list(at, value, Self::condition)),
            "not" => not = Some(d.condition(at, value)),
            "segment" => segment = Some(d.one_or_many(at, value, Self::string)),
            "attribute" => attribute = Some(d.string(at, value)),
            "op" => op = Some(d.operator(at, value)),
            "values" => values = Some(d.optional(at, value, |d, at, j| d.one_or_many(at, j, Self::value))),
            "negate" => negate = Some(d.optional(at, value, Self::boolean)),
            "ignore_case" => ignore_case = Some(d.optional(at, value, Self::boolean)),
            _ => {}
        })?;
        let clause_given = attribute.is_some() || op.is_some();
        let forms = [all.is_some(), any.is_some(), not.is_some(), segment.is_some(), clause_given];
        if forms.iter().filter(|&&given| given).count() != 1 {
            return self.fail(at, DecodeErrorKind::ConditionForms);
        }
        if !clause_given && (values.is_some() || negate.is_some() || ignore_case.is_some()) {
            return self.fail(at, DecodeErrorKind::ClauseFieldsOutsideClause);
        }
        if let Some(all) = all {
            return Ok(Condition::All { all: all? });
        }
        if let Some(any) = any {
            return Ok(Condition::Any { any: any? });
        }
        if let Some(not) = not {
            return Ok(Condition::Not { not: Box::new(not?) });
        }
        if let Some(segment) = segment {
            return Ok(Condition::Segment { segment: segment? });
        }
        let attribute = self.required(at, "attribute", attribute);
        let op = self.required(at, "op", op);
        Ok(Condition::Clause(Clause {
            attribute: attribute?,
            op: op?,
            values: Values(values.unwrap_or(Ok(None))?.unwrap_or_default()),
            negate: negate.unwrap_or(Ok(None))?.unwrap_or(false),
            ignore_case: ignore_case.unwrap_or(Ok(None))?.unwrap_or(false),
        }))
    }

    fn operator(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<Operator> {
        let names = Operator::ALL.map(|op| (op.name(), op));
        self.named(at, json, &names)
    }

    fn serve(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<Serve> {
        match json {
            Start::Scalar(Scalar::String(name)) => Ok(Serve::Variant(name.into_owned())),
            Start::Object(_) => self.one_form(at, json, &["variant", "rollout"], &mut |d, at, name, value| match name {
                "variant" => d.string(at, value).map(Serve::Variant),
                _ => d.rollout(at, value).map(Serve::Rollout),
            }),
            other => self.expected(at, "a variant name or {rollout: …}", other),
        }
    }

    fn rollout(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<Rollout> {
        let (mut seed, mut bucket_by, mut split, mut exposure) = (Ok(None), Ok(None), None, Ok(None));
        self.object(at, json, &["seed", "bucket_by", "split", "exposure"], &mut |d, at, name, value| match name {
            "seed" => seed = d.optional(at, value, Self::string),
            "bucket_by" => bucket_by = d.optional(at, value, Self::string),
            "split" => split = Some(d.list(at, value, Self::split_slot)),
            "exposure" => exposure = d.optional(at, value, Self::exposure),
            _ => {}
        })?;
        let split = self.required(at, "split", split);
        Ok(Rollout { seed: seed?, bucket_by: bucket_by?, split: split?, exposure: exposure?.unwrap_or(Exposure::Fixed(Percent::FULL)) })
    }

    fn split_slot(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<SplitSlot> {
        let (variant, weight) = self.pair(at, json, &["variant", "weight"], Self::string, Self::percent)?;
        Ok(SplitSlot { variant, weight })
    }

    fn exposure(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<Exposure> {
        if !matches!(json, Start::Object(_)) {
            return self.percent(at, json).map(Exposure::Fixed);
        }
        self.one_form(at, json, &["steps", "linear"], &mut |d, at, name, value| {
            let points = d.list(at, value, Self::schedule_point)?;
            Ok(if name == "steps" { Exposure::Steps(points) } else { Exposure::Linear(points) })
        })
    }

    fn schedule_point(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<SchedulePoint> {
        let (when, percent) = self.pair(at, json, &["at", "percent"], Self::timestamp, Self::percent)?;
        Ok(SchedulePoint { at: when, percent })
    }

    fn assignment(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<(String, String, u32)> {
        let (mut flag, mut variant, mut version) = (None, None, None);
        self.object(at, json, &["flag", "variant", "version"], &mut |d, at, name, value| match name {
            "flag" => flag = Some(d.string(at, value)),
            "variant" => variant = Some(d.string(at, value)),
            "version" => version = Some(d.small(at, value)),
            _ => {}
        })?;
        let flag = self.required(at, "flag", flag);
        let variant = self.required(at, "variant", variant);
        let version = self.required(at, "version", version);
        Ok((flag?, variant?, version?))
    }

    fn envelope(&mut self, json: Start<'a>) -> Decoding<EnvelopeFields> {
        let root = At::Root;
        let (mut payload_type, mut payload, mut signatures) = (None, None, None);
        self.members(&root, json, &["payloadType", "payload", "signatures"], Unknown::Ignored, &mut |d, at, name, value| match name {
            "payloadType" => payload_type = Some(d.string(at, value)),
            "payload" => payload = Some(d.string(at, value)),
            "signatures" => signatures = Some(d.list(at, value, Self::signature)),
            _ => {}
        })?;
        let payload_type = self.required(&root, "payloadType", payload_type);
        let payload = self.required(&root, "payload", payload);
        let signatures = self.required(&root, "signatures", signatures);
        Ok((payload_type?, payload?, signatures?))
    }

    /// A signature: `sig`, and the `keyid` DSSE makes optional (absent or
    /// null reads as empty).
    fn signature(&mut self, at: &At<'_>, json: Start<'a>) -> Decoding<(String, String)> {
        let (mut keyid, mut sig) = (Ok(None), None);
        self.members(at, json, &["keyid", "sig"], Unknown::Ignored, &mut |d, at, name, value| match name {
            "keyid" => keyid = d.optional(at, value, Self::string),
            _ => sig = Some(d.string(at, value)),
        })?;
        let sig = self.required(at, "sig", sig);
        Ok((keyid?.unwrap_or_default(), sig?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    fn payload_text(flags: Value) -> String {
        json!({"schema": 1, "environment": "e", "version": 1, "issued_at": 0, "expires_at": 1, "flags": flags}).to_string()
    }

    fn errors(text: &str) -> Vec<String> {
        parse_payload(text).err().unwrap_or_default().iter().map(ToString::to_string).collect()
    }

    /// The syntax error a decoder met, if any: valid JSON must never give one.
    fn syntax_error(text: &str) -> Option<JsonError> {
        let mut d = Decoder { pull: Pull::new(text), errors: Vec::new(), syntax: None };
        let _ = d.start().and_then(|json| d.document(json, Document::Payload));
        d.syntax.or_else(|| d.pull.end().err())
    }

    const ON_OFF: &str = r#""variants":{"on":true,"off":false},"off_variant":"off""#;

    #[test]
    fn reports_every_problem_and_reads_on_past_each() {
        let flags = format!(
            r#"{{"a":{{"type":"boolean",{ON_OFF},"default":{{"nested":[1,{{"deep":[]}}]}}}},
                "b":{{"type":"boolean",{ON_OFF},"default":"on","extra":{{"x":[[],{{}}]}},"rules":[]}},
                "c":{{"type":"boolean",{ON_OFF},"default":"on","type":"string"}},
                "d":{{"type":"boolean",{ON_OFF}}},
                "e":[{{"unread":true}}],
                "a":{{"type":"boolean",{ON_OFF},"default":"on"}}}}"#
        );
        let text = format!(r#"{{"schema":1,"environment":"e","version":1,"issued_at":0,"expires_at":1,"flags":{flags}}}"#);
        assert_eq!(
            errors(&text),
            [
                "flags.a.default.nested: unknown field `nested`, expected one of `variant`, `rollout`",
                "flags.b.extra: unknown field `extra`, expected one of `type`, `kind`, `owner`, `description`, `stale_after`, `enabled`, `variants`, `off_variant`, `default`, `prerequisites`, `sticky`, `targets`, `rules`",
                "flags.c.type: duplicate field `type`",
                "flags.d: missing field `default`",
                "flags.e: expected an object, found an array",
                "flags.a: duplicate key `a`",
            ]
        );
        assert_eq!(syntax_error(&text), None);
    }

    #[test]
    fn a_serve_or_an_exposure_holds_exactly_one_form() {
        let with_default = |default: &str| {
            format!(
                r#"{{"schema":1,"environment":"e","version":1,"issued_at":0,"expires_at":1,"flags":{{"f":{{"type":"boolean",{ON_OFF},"default":{default}}}}}}}"#
            )
        };
        let rollout = r#"{"split":[{"variant":"on","weight":100}]}"#;
        assert_eq!(errors(&with_default("{}")), ["flags.f.default: give exactly one of `variant`, `rollout`"]);
        assert_eq!(
            errors(&with_default(&format!(r#"{{"variant":7,"rollout":{rollout}}}"#))),
            ["flags.f.default.variant: expected a string, found a number", "flags.f.default: give exactly one of `variant`, `rollout`"]
        );
        let exposure = r#"{"steps":[],"linear":[]}"#;
        let ramp = format!(r#"{{"rollout":{{"split":[{{"variant":"on","weight":100}}],"exposure":{exposure}}}}}"#);
        assert_eq!(errors(&with_default(&ramp)), ["flags.f.default.rollout.exposure: give exactly one of `steps`, `linear`"]);
        assert!(errors(&with_default(&format!(r#"{{"rollout":{rollout}}}"#))).is_empty());
    }

    #[test]
    fn a_syntax_error_is_the_only_error_reported() {
        let text = r#"{"flags":{"a":{"type":"nope"}},"version":[1,}"#;
        assert_eq!(errors(text), ["expected a value at byte 44"]);
        assert_eq!(errors(r#"{"flags":{}} x"#), ["trailing characters at byte 13"]);
    }

    #[test]
    fn duplicate_keys_are_found_in_small_and_large_maps() {
        use crate::model::keyed::SMALL_MAP;
        for size in [2, SMALL_MAP, SMALL_MAP + 1, 40] {
            let mut members: Vec<String> = (0..size).map(|i| format!(r#""v{i}":{i}"#)).collect();
            members.push(format!(r#""v{}":0"#, size - 1));
            let flag = format!(r#"{{"type":"number","variants":{{{}}},"off_variant":"v0","default":"v0"}}"#, members.join(","));
            let text = payload_text(Value::Null).replace("null", &format!(r#"{{"f":{flag}}}"#));
            assert_eq!(errors(&text), [format!("flags.f.variants.v{}: duplicate key `v{}`", size - 1, size - 1)], "{size}");
        }
    }

    #[test]
    fn values_keep_the_last_of_repeated_keys_as_serde_json_does() {
        let text = payload_text(Value::Null)
            .replace("null", r#"{"f":{"type":"object","variants":{"o":{"k":1,"k":2}},"off_variant":"o","default":"o"}}"#);
        let decoded = parse_payload(&text).unwrap();
        assert_eq!(decoded.payload.flags.0[0].1.variants.0[0].1, json!({"k": 2}));
    }

    #[test]
    fn fingerprints_hash_each_flag_as_written() {
        let flag =
            |default: &str| json!({"type": "boolean", "variants": {"on": true, "off": false}, "off_variant": "off", "default": default});
        let prints = |text: &str| parse_payload(text).unwrap().fingerprints;
        let before = prints(&payload_text(json!({"a": flag("on"), "b": flag("off")})));
        let after = prints(&payload_text(json!({"a": flag("on"), "b": flag("on")})));
        assert_eq!(before.len(), 2);
        assert_eq!(before[0], after[0]);
        assert_ne!(before[1], after[1]);
        let text = payload_text(json!({"a": flag("on")}));
        assert_eq!(prints(&text.replace(r#""a":"#, r#""a":  "#))[0], prints(&text)[0], "space before the flag's text is not part of it");
        assert_ne!(prints(&text.replace(r#""on":true"#, r#""on": true"#))[0], prints(&text)[0], "space inside it is");
    }

    /// JSON shaped like payloads: keys the decoders know, values of every kind.
    fn payload_like() -> impl Strategy<Value = Value> {
        const KEYS: &[&str] = &[
            "schema",
            "environment",
            "version",
            "issued_at",
            "expires_at",
            "segments",
            "flags",
            "f",
            "type",
            "variants",
            "off_variant",
            "default",
            "rules",
            "when",
            "serve",
            "all",
            "any",
            "not",
            "attribute",
            "op",
            "values",
            "rollout",
            "split",
            "variant",
            "weight",
            "exposure",
            "steps",
            "linear",
            "at",
            "percent",
            "targets",
            "prerequisites",
            "flag",
            "sticky",
            "included",
            "excluded",
            "segment",
            "negate",
            "ignore_case",
            "seed",
            "bucket_by",
            "enabled",
            "x",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
            prop::sample::select(vec!["boolean", "on", "off", "equals", "2026-01-01T00:00:00Z", "50%", "", "\u{1}\"é"])
                .prop_map(Value::from),
        ];
        leaf.prop_recursive(6, 120, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((prop::sample::select(KEYS), inner), 0..8)
                    .prop_map(|members| Value::Object(members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn valid_json_never_leaves_the_reader_out_of_step(value in payload_like(), pretty in any::<bool>()) {
            let text = if pretty { serde_json::to_string_pretty(&value) } else { serde_json::to_string(&value) }.unwrap();
            prop_assert_eq!(syntax_error(&text), None, "{}", text);
        }
    }
}
