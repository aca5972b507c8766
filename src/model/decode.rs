//! Decoding JSON (a signed payload, or YAML source read as JSON) into the
//! model. Every problem is recorded with its path and decoding carries on,
//! so one pass reports all of them; unknown and duplicate fields are errors.

use super::*;
use crate::compile::KeyHasher;
use crate::json::{self, Json};
use crate::number::parse_f64;
use crate::path::At;
use crate::time::parse_rfc3339;
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::hash::BuildHasherDefault;

/// One problem found while decoding, at a path such as `flags.x.rules[0].serve`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Where the problem is.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// A decoded payload with a fingerprint of each flag's content, so a loader
/// can tell which flags a new snapshot changed.
#[derive(Debug)]
pub struct Decoded {
    /// The payload.
    pub payload: Payload,
    /// Each flag's key and content fingerprint, in payload order.
    pub fingerprints: Vec<(String, u64)>,
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
    let json = json::parse(text).map_err(|e| vec![DecodeError { path: String::new(), message: e.to_string() }])?;
    match decode_document(&json, Document::Payload) {
        (Some(decoded), errors) if errors.is_empty() => Ok(decoded),
        (_, errors) => Err(errors),
    }
}

/// Decodes a JSON document into a payload (source documents get zero stamps)
/// and every problem found. Flags and segments that fail to decode are left
/// out of the payload, so the rest can still be checked.
pub fn decode_document(json: &Json<'_>, kind: Document) -> (Option<Decoded>, Vec<DecodeError>) {
    let mut d = Decoder::default();
    let decoded = d.document(json, kind).ok();
    (decoded, d.errors)
}

/// Maps up to this size are checked for duplicate keys by scanning.
const SMALL_MAP: usize = 16;

/// Keys seen in one map, to refuse duplicates in linear time.
type KeySet<'a> = HashSet<&'a str, BuildHasherDefault<KeyHasher>>;

/// The error was recorded; the caller should give up on this node.
#[derive(Debug)]
pub(crate) struct Invalid;

type Decoding<T> = Result<T, Invalid>;

/// An object's members, checked for unknown and duplicate fields.
struct Members<'j, 'a>(&'j [(Cow<'a, str>, Json<'a>)]);

impl<'j, 'a> Members<'j, 'a> {
    fn get(&self, name: &str) -> Option<&'j Json<'a>> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

/// Collects errors while decoding.
#[derive(Default)]
pub(crate) struct Decoder {
    errors: Vec<DecodeError>,
}

impl Decoder {
    fn fail<T>(&mut self, at: &At<'_>, message: impl Into<String>) -> Decoding<T> {
        self.errors.push(DecodeError { path: at.to_string(), message: message.into() });
        Err(Invalid)
    }

    fn expected<T>(&mut self, at: &At<'_>, what: &str, found: &Json<'_>) -> Decoding<T> {
        self.fail(at, format!("expected {what}, found {}", found.type_name()))
    }

    fn object<'j, 'a>(&mut self, at: &At<'_>, json: &'j Json<'a>, fields: &[&str]) -> Decoding<Members<'j, 'a>> {
        let Json::Object(members) = json else { return self.expected(at, "an object", json) };
        let mut valid = true;
        for (i, (key, _)) in members.iter().enumerate() {
            if !fields.contains(&key.as_ref()) {
                let expected: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
                valid &= self.fail::<()>(&at.key(key), format!("unknown field `{key}`, expected one of {}", expected.join(", "))).is_ok();
            } else if members[..i].iter().any(|(k, _)| k == key) {
                valid &= self.fail::<()>(&at.key(key), format!("duplicate field `{key}`")).is_ok();
            }
        }
        valid.then_some(Members(members)).ok_or(Invalid)
    }

    fn required<T>(
        &mut self,
        m: &Members<'_, '_>,
        at: &At<'_>,
        name: &str,
        decode: impl FnOnce(&mut Self, &At<'_>, &Json<'_>) -> Decoding<T>,
    ) -> Decoding<T> {
        match m.get(name) {
            Some(json) => decode(self, &at.key(name), json),
            None => self.fail(at, format!("missing field `{name}`")),
        }
    }

    fn optional<T>(
        &mut self,
        m: &Members<'_, '_>,
        at: &At<'_>,
        name: &str,
        decode: impl FnOnce(&mut Self, &At<'_>, &Json<'_>) -> Decoding<T>,
    ) -> Decoding<Option<T>> {
        match m.get(name) {
            Some(Json::Null) | None => Ok(None),
            Some(json) => decode(self, &at.key(name), json).map(Some),
        }
    }

    fn string(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<String> {
        match json {
            Json::String(s) => Ok(s.to_string()),
            other => self.expected(at, "a string", other),
        }
    }

    fn boolean(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<bool> {
        match json {
            Json::Bool(b) => Ok(*b),
            other => self.expected(at, "a boolean", other),
        }
    }

    fn unsigned(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<u64> {
        match json {
            Json::Number(text) => text.parse().or_else(|_| self.fail(at, format!("expected a non-negative integer, found {text}"))),
            other => self.expected(at, "a non-negative integer", other),
        }
    }

    fn small(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<u32> {
        let n = self.unsigned(at, json)?;
        u32::try_from(n).or_else(|_| self.fail(at, format!("{n} is too large")))
    }

    fn value(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<serde_json::Value> {
        match json.to_value() {
            Some(value) => Ok(value),
            None => self.fail(at, "number out of range"),
        }
    }

    fn timestamp(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<Timestamp> {
        match json {
            Json::Number(_) => match json.as_i64() {
                Some(ms) => Ok(Timestamp(ms)),
                None => self.fail(at, "expected epoch milliseconds as an integer"),
            },
            Json::String(text) => match parse_rfc3339(text) {
                Some(ms) => Ok(Timestamp(ms)),
                None => self.fail(at, format!("`{text}` is not an RFC 3339 time")),
            },
            other => self.expected(at, "an RFC 3339 time or epoch milliseconds", other),
        }
    }

    fn percent(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<Percent> {
        let (text, number) = match json {
            Json::Number(text) => (text.as_ref(), json.as_f64()),
            Json::String(text) => (text.as_ref(), parse_f64(text.trim().trim_end_matches('%').trim_end())),
            other => return self.expected(at, "a percentage such as 12.5 or \"12.5%\"", other),
        };
        match number.map(Percent::from_percent) {
            Some(Ok(percent)) => Ok(percent),
            Some(Err(problem)) => self.fail(at, format!("percentage {text} {problem}")),
            None => self.fail(at, format!("`{text}` is not a percentage")),
        }
    }

    fn list<T>(
        &mut self,
        at: &At<'_>,
        json: &Json<'_>,
        mut item: impl FnMut(&mut Self, &At<'_>, &Json<'_>) -> Decoding<T>,
    ) -> Decoding<Vec<T>> {
        let Json::Array(items) = json else { return self.expected(at, "a list", json) };
        let decoded: Vec<Decoding<T>> = items.iter().enumerate().map(|(i, j)| item(self, &at.index(i), j)).collect();
        decoded.into_iter().collect()
    }

    /// One item or a list of them.
    fn one_or_many<T>(
        &mut self,
        at: &At<'_>,
        json: &Json<'_>,
        mut item: impl FnMut(&mut Self, &At<'_>, &Json<'_>) -> Decoding<T>,
    ) -> Decoding<Vec<T>> {
        match json {
            Json::Array(_) => self.list(at, json, item),
            single => item(self, at, single).map(|one| vec![one]),
        }
    }

    fn keyed<T>(
        &mut self,
        at: &At<'_>,
        json: &Json<'_>,
        item: impl FnMut(&mut Self, &At<'_>, &Json<'_>) -> Decoding<T>,
    ) -> Decoding<KeyedMap<T>> {
        let (entries, complete) = self.keyed_partial(at, json, item)?;
        complete.then_some(entries).ok_or(Invalid)
    }

    /// Decodes a map, keeping the entries that decode; the flag tells whether all did.
    fn keyed_partial<T>(
        &mut self,
        at: &At<'_>,
        json: &Json<'_>,
        mut item: impl FnMut(&mut Self, &At<'_>, &Json<'_>) -> Decoding<T>,
    ) -> Decoding<(KeyedMap<T>, bool)> {
        let Json::Object(members) = json else { return self.expected(at, "a map of keys to values", json) };
        let mut entries = Vec::with_capacity(members.len());
        // Small maps (most variant and target maps) are checked by scanning, large ones by hashing.
        let mut seen = KeySet::default();
        let mut valid = true;
        for (i, (key, value)) in members.iter().enumerate() {
            let here = at.key(key);
            let duplicate =
                if members.len() <= SMALL_MAP { members[..i].iter().any(|(k, _)| k == key) } else { !seen.insert(key.as_ref()) };
            if duplicate {
                valid &= self.fail::<()>(&here, format!("duplicate key `{key}`")).is_ok();
                continue;
            }
            match item(self, &here, value) {
                Ok(decoded) => entries.push((key.to_string(), decoded)),
                Err(Invalid) => valid = false,
            }
        }
        Ok((KeyedMap(entries), valid))
    }

    fn document(&mut self, json: &Json<'_>, kind: Document) -> Decoding<Decoded> {
        let root = At::Root;
        let fields = if kind == Document::Payload { PAYLOAD_FIELDS } else { SOURCE_FIELDS };
        let m = self.object(&root, json, fields)?;
        let schema = self.optional(&m, &root, "schema", Self::small).map(|s| s.unwrap_or(SCHEMA_VERSION));
        let environment = match kind {
            Document::Payload => self.required(&m, &root, "environment", Self::string),
            Document::Source => self.optional(&m, &root, "environment", Self::string).map(Option::unwrap_or_default),
        };
        let (version, issued_at, expires_at) = match kind {
            Document::Payload => (
                self.required(&m, &root, "version", Self::unsigned),
                self.required(&m, &root, "issued_at", Self::timestamp),
                self.required(&m, &root, "expires_at", Self::timestamp),
            ),
            Document::Source => (Ok(0), Ok(Timestamp(0)), Ok(Timestamp(0))),
        };
        let segments = self.optional(&m, &root, "segments", |d, at, j| d.keyed_partial(at, j, Self::segment).map(|(map, _)| map));
        let flags = self.optional(&m, &root, "flags", |d, at, j| d.keyed_partial(at, j, Self::flag).map(|(map, _)| map));
        let fingerprints = match m.get("flags") {
            Some(Json::Object(members)) => members.iter().map(|(k, v)| (k.to_string(), v.fingerprint())).collect(),
            _ => Vec::new(),
        };
        let payload = Payload {
            schema: schema?,
            environment: environment?,
            version: version?,
            issued_at: issued_at?,
            expires_at: expires_at?,
            segments: segments?.unwrap_or_default(),
            flags: flags?.unwrap_or_default(),
        };
        Ok(Decoded { payload, fingerprints })
    }

    fn flag(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<Flag> {
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
        let m = self.object(at, json, FIELDS)?;
        let value_type = self.required(&m, at, "type", Self::flag_type);
        let kind = self.optional(&m, at, "kind", Self::flag_kind);
        let owner = self.optional(&m, at, "owner", Self::string);
        let description = self.optional(&m, at, "description", Self::string);
        let stale_after = self.optional(&m, at, "stale_after", Self::timestamp);
        let enabled = self.optional(&m, at, "enabled", Self::boolean);
        let variants = self.required(&m, at, "variants", |d, at, j| d.keyed(at, j, Self::value));
        let off_variant = self.required(&m, at, "off_variant", Self::string);
        let default = self.required(&m, at, "default", Self::serve);
        let prerequisites = self.optional(&m, at, "prerequisites", |d, at, j| d.list(at, j, Self::prerequisite));
        let sticky = self.optional(&m, at, "sticky", Self::sticky);
        let targets = self.optional(&m, at, "targets", |d, at, j| d.keyed(at, j, |d, at, j| d.list(at, j, Self::string)));
        let rules = self.optional(&m, at, "rules", |d, at, j| d.list(at, j, Self::rule));
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

    fn named<T: Copy>(&mut self, at: &At<'_>, json: &Json<'_>, names: &[(&str, T)]) -> Decoding<T> {
        let text = self.string(at, json)?;
        match names.iter().find(|(name, _)| *name == text) {
            Some(&(_, value)) => Ok(value),
            None => {
                let expected: Vec<String> = names.iter().map(|(n, _)| format!("`{n}`")).collect();
                self.fail(at, format!("unknown variant `{text}`, expected one of {}", expected.join(", ")))
            }
        }
    }

    fn flag_type(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<FlagType> {
        let names = [FlagType::Boolean, FlagType::String, FlagType::Number, FlagType::Object].map(|t| (t.name(), t));
        self.named(at, json, &names)
    }

    fn flag_kind(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<FlagKind> {
        let names = [
            ("release", FlagKind::Release),
            ("experiment", FlagKind::Experiment),
            ("ops", FlagKind::Ops),
            ("permission", FlagKind::Permission),
        ];
        self.named(at, json, &names)
    }

    fn prerequisite(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<Prerequisite> {
        let m = self.object(at, json, &["flag", "variants"])?;
        let flag = self.required(&m, at, "flag", Self::string);
        let variants = self.required(&m, at, "variants", |d, at, j| d.one_or_many(at, j, Self::string));
        Ok(Prerequisite { flag: flag?, variants: variants? })
    }

    fn sticky(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<Sticky> {
        let m = self.object(at, json, &["version"])?;
        Ok(Sticky { version: self.required(&m, at, "version", Self::small)? })
    }

    fn rule(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<Rule> {
        let m = self.object(at, json, &["id", "description", "when", "serve"])?;
        let id = self.optional(&m, at, "id", Self::string);
        let description = self.optional(&m, at, "description", Self::string);
        let when = self.required(&m, at, "when", Self::condition);
        let serve = self.required(&m, at, "serve", Self::serve);
        Ok(Rule { id: id?, description: description?, when: when?, serve: serve? })
    }

    fn segment(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<Segment> {
        let m = self.object(at, json, &["description", "included", "excluded", "rules"])?;
        let description = self.optional(&m, at, "description", Self::string);
        let included = self.optional(&m, at, "included", |d, at, j| d.list(at, j, Self::string));
        let excluded = self.optional(&m, at, "excluded", |d, at, j| d.list(at, j, Self::string));
        let rules = self.optional(&m, at, "rules", |d, at, j| d.list(at, j, Self::condition));
        Ok(Segment {
            description: description?,
            included: included?.unwrap_or_default(),
            excluded: excluded?.unwrap_or_default(),
            rules: rules?.unwrap_or_default(),
        })
    }

    fn condition(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<Condition> {
        const FIELDS: &[&str] = &["all", "any", "not", "segment", "attribute", "op", "values", "negate", "ignore_case"];
        let m = self.object(at, json, FIELDS)?;
        let clause_given = m.get("attribute").is_some() || m.get("op").is_some();
        let forms = ["all", "any", "not", "segment"].iter().filter(|f| m.get(f).is_some()).count() + usize::from(clause_given);
        if forms != 1 {
            return self.fail(at, "a condition has exactly one of `all`, `any`, `not`, `segment`, or `attribute` with `op`");
        }
        if !clause_given && ["values", "negate", "ignore_case"].iter().any(|f| m.get(f).is_some()) {
            return self.fail(at, "`values`, `negate` and `ignore_case` belong to a clause with `attribute` and `op`");
        }
        if let Some(all) = m.get("all") {
            return Ok(Condition::All { all: self.list(&at.key("all"), all, Self::condition)? });
        }
        if let Some(any) = m.get("any") {
            return Ok(Condition::Any { any: self.list(&at.key("any"), any, Self::condition)? });
        }
        if let Some(not) = m.get("not") {
            return Ok(Condition::Not { not: Box::new(self.condition(&at.key("not"), not)?) });
        }
        if let Some(segment) = m.get("segment") {
            return Ok(Condition::Segment { segment: self.one_or_many(&at.key("segment"), segment, Self::string)? });
        }
        let attribute = self.required(&m, at, "attribute", Self::string);
        let op = self.required(&m, at, "op", Self::operator);
        let values = self.optional(&m, at, "values", |d, at, j| d.one_or_many(at, j, Self::value));
        let negate = self.optional(&m, at, "negate", Self::boolean);
        let ignore_case = self.optional(&m, at, "ignore_case", Self::boolean);
        Ok(Condition::Clause(Clause {
            attribute: attribute?,
            op: op?,
            values: Values(values?.unwrap_or_default()),
            negate: negate?.unwrap_or(false),
            ignore_case: ignore_case?.unwrap_or(false),
        }))
    }

    fn operator(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<Operator> {
        let names = Operator::ALL.map(|op| (op.name(), op));
        self.named(at, json, &names)
    }

    /// Reads an object holding exactly one of `forms`, returning which and its value.
    fn one_form<'j, 'a>(&mut self, at: &At<'_>, json: &'j Json<'a>, forms: &[&'static str]) -> Decoding<(&'static str, &'j Json<'a>)> {
        let m = self.object(at, json, forms)?;
        let given: Vec<(&'static str, &Json<'_>)> = forms.iter().filter_map(|f| m.get(f).map(|j| (*f, j))).collect();
        match given.as_slice() {
            [one] => Ok(*one),
            _ => self.fail(at, format!("give exactly one of {}", forms.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", "))),
        }
    }

    fn serve(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<Serve> {
        if let Json::String(name) = json {
            return Ok(Serve::Variant(name.to_string()));
        }
        if !matches!(json, Json::Object(_)) {
            return self.expected(at, "a variant name or {rollout: …}", json);
        }
        match self.one_form(at, json, &["variant", "rollout"])? {
            ("variant", name) => self.string(&at.key("variant"), name).map(Serve::Variant),
            (_, rollout) => self.rollout(&at.key("rollout"), rollout).map(Serve::Rollout),
        }
    }

    fn rollout(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<Rollout> {
        let m = self.object(at, json, &["seed", "bucket_by", "split", "exposure"])?;
        let seed = self.optional(&m, at, "seed", Self::string);
        let bucket_by = self.optional(&m, at, "bucket_by", Self::string);
        let split = self.required(&m, at, "split", |d, at, j| d.list(at, j, Self::split_slot));
        let exposure = self.optional(&m, at, "exposure", Self::exposure);
        Ok(Rollout { seed: seed?, bucket_by: bucket_by?, split: split?, exposure: exposure?.unwrap_or(Exposure::Fixed(Percent::FULL)) })
    }

    fn split_slot(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<SplitSlot> {
        let m = self.object(at, json, &["variant", "weight"])?;
        let variant = self.required(&m, at, "variant", Self::string);
        let weight = self.required(&m, at, "weight", Self::percent);
        Ok(SplitSlot { variant: variant?, weight: weight? })
    }

    fn exposure(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<Exposure> {
        if !matches!(json, Json::Object(_)) {
            return self.percent(at, json).map(Exposure::Fixed);
        }
        let (form, points) = self.one_form(at, json, &["steps", "linear"])?;
        let points = self.list(&at.key(form), points, Self::schedule_point)?;
        Ok(if form == "steps" { Exposure::Steps(points) } else { Exposure::Linear(points) })
    }

    fn schedule_point(&mut self, at: &At<'_>, json: &Json<'_>) -> Decoding<SchedulePoint> {
        let m = self.object(at, json, &["at", "percent"])?;
        let when = self.required(&m, at, "at", Self::timestamp);
        let percent = self.required(&m, at, "percent", Self::percent);
        Ok(SchedulePoint { at: when?, percent: percent? })
    }
}

/// Decodes stored sticky assignments: `[{flag, variant, version}, …]`.
pub fn decode_assignments(json: &Json<'_>) -> Result<Vec<(String, String, u32)>, Vec<DecodeError>> {
    let mut d = Decoder::default();
    let decoded = d.list(&At::Root, json, |d, at, j| {
        let m = d.object(at, j, &["flag", "variant", "version"])?;
        let flag = d.required(&m, at, "flag", Decoder::string);
        let variant = d.required(&m, at, "variant", Decoder::string);
        let version = d.required(&m, at, "version", Decoder::small);
        Ok((flag?, variant?, version?))
    });
    decoded.map_err(|Invalid| d.errors)
}

/// A DSSE envelope's fields: payload type, base64 payload, and `(keyid, sig)` pairs.
pub type EnvelopeFields = (String, String, Vec<(String, String)>);

/// Decodes a DSSE envelope's fields.
pub fn decode_envelope(json: &Json<'_>) -> Result<EnvelopeFields, Vec<DecodeError>> {
    let mut d = Decoder::default();
    let root = At::Root;
    let decoded = (|| {
        let m = d.object(&root, json, &["payloadType", "payload", "signatures"])?;
        let payload_type = d.required(&m, &root, "payloadType", Decoder::string);
        let payload = d.required(&m, &root, "payload", Decoder::string);
        let signatures = d.required(&m, &root, "signatures", |d, at, j| {
            d.list(at, j, |d, at, j| {
                let m = d.object(at, j, &["keyid", "sig"])?;
                let keyid = d.required(&m, at, "keyid", Decoder::string);
                let sig = d.required(&m, at, "sig", Decoder::string);
                Ok((keyid?, sig?))
            })
        });
        Ok((payload_type?, payload?, signatures?))
    })();
    decoded.map_err(|Invalid| d.errors)
}
