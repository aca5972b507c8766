//! The evaluation context: attributes of the unit being evaluated, converted
//! once into a compact, sorted form so attribute look-ups are binary searches.

use crate::json::{self, JsonError, Scalar};
use crate::number::parse_f64;
use std::borrow::Cow;
use std::fmt;
use std::vec::Drain;

/// The attribute that identifies the unit, as in OpenFeature.
pub const TARGETING_KEY: &str = "targetingKey";

/// Contexts nested deeper than this are refused (`INVALID_CONTEXT`).
pub const MAX_CONTEXT_DEPTH: usize = 16;
/// Contexts with more values than this, counted over all levels, are refused.
pub const MAX_CONTEXT_VALUES: usize = 10_000;

/// A context value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// JSON null: treated as a missing attribute.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer that fits i64.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    Str(Box<str>),
    /// A list.
    List(Box<[Value]>),
    /// An object, entries sorted by key.
    Object(Object),
}

/// Object entries sorted by key, unique keys (the last one written wins).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object(Box<[(Box<str>, Value)]>);

impl Object {
    /// Builds an object from entries in any order.
    pub fn from_entries(mut entries: Vec<(Box<str>, Value)>) -> Object {
        entries.reverse();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, kept| later.0 == kept.0);
        Object(entries.into_boxed_slice())
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        crate::sorted::find(&self.0, key, |(k, _)| k).map(|(_, v)| v)
    }

    /// The entries, sorted by key.
    pub fn entries(&self) -> &[(Box<str>, Value)] {
        &self.0
    }
}

impl Value {
    /// The value as a string, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value as a number, if it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The value as an integer: an Int, or a Float holding an integer within ±2^53
    /// (JavaScript numbers cannot tell `42` from `42.0`).
    pub fn as_integer(&self) -> Option<i64> {
        const SAFE: f64 = 9_007_199_254_740_992.0;
        match *self {
            Value::Int(i) => Some(i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() <= SAFE => Some(f as i64),
            _ => None,
        }
    }
}

/// The attributes of one evaluation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Context {
    root: Object,
}

/// Why a context was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextError {
    /// The top level is not an object.
    NotAnObject,
    /// Nested deeper than [`MAX_CONTEXT_DEPTH`].
    TooDeep,
    /// More values than [`MAX_CONTEXT_VALUES`].
    TooLarge,
    /// Not valid JSON, or a value a context cannot hold.
    Malformed(String),
}

impl fmt::Display for ContextError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            ContextError::NotAnObject => f.write_str("the context must be an object"),
            ContextError::TooDeep => write!(f, "the context is nested deeper than {MAX_CONTEXT_DEPTH} levels"),
            ContextError::TooLarge => write!(f, "the context holds more than {MAX_CONTEXT_VALUES} values"),
            ContextError::Malformed(why) => write!(f, "the context is malformed: {why}"),
        }
    }
}

impl std::error::Error for ContextError {}

impl Context {
    /// An empty context.
    pub fn new() -> Context {
        Context::default()
    }

    /// A context from an object.
    pub fn from_object(root: Object) -> Context {
        Context { root }
    }

    /// Parses a JSON object, enforcing the depth and size limits. This is the
    /// one way contexts are read, natively and from JS, so both agree.
    pub fn from_json(text: &str) -> Result<Context, ContextError> {
        match json::read(text, &mut ValueBuilder { values: 0 })? {
            Value::Object(root) => Ok(Context { root }),
            _ => Err(ContextError::NotAnObject),
        }
    }

    /// The value at a path of object keys, or `None` when missing or null.
    pub fn lookup(&self, path: &[Box<str>]) -> Option<&Value> {
        let (first, rest) = path.split_first()?;
        let mut value = self.root.get(first)?;
        for key in rest {
            match value {
                Value::Object(object) => value = object.get(key)?,
                _ => return None,
            }
        }
        match value {
            Value::Null => None,
            present => Some(present),
        }
    }

    /// The targeting key, when present.
    pub fn targeting_key(&self) -> Option<&Value> {
        self.root.get(TARGETING_KEY).filter(|v| !matches!(v, Value::Null))
    }

    /// The top-level attributes.
    pub fn root(&self) -> &Object {
        &self.root
    }
}

impl From<JsonError> for ContextError {
    fn from(error: JsonError) -> ContextError {
        ContextError::Malformed(error.to_string())
    }
}

/// Reads JSON straight into context values (no tree in between), counting
/// values and levels against the limits.
struct ValueBuilder {
    values: usize,
}

impl<'a> json::Build<'a> for ValueBuilder {
    type Value = Value;
    type Error = ContextError;

    fn begin(&mut self, depth: usize) -> Result<(), ContextError> {
        self.values += 1;
        if self.values > MAX_CONTEXT_VALUES {
            return Err(ContextError::TooLarge);
        }
        if depth > MAX_CONTEXT_DEPTH {
            return Err(ContextError::TooDeep);
        }
        Ok(())
    }

    fn scalar(&mut self, scalar: Scalar<'a>) -> Result<Value, ContextError> {
        Ok(match scalar {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Number(text) => match text.parse() {
                Ok(integer) => Value::Int(integer),
                Err(_) => Value::Float(parse_f64(text).ok_or_else(|| ContextError::Malformed("number out of range".into()))?),
            },
            Scalar::String(text) => Value::Str(text.into()),
        })
    }

    fn array(&mut self, items: Drain<'_, Value>) -> Result<Value, ContextError> {
        Ok(Value::List(items.collect()))
    }

    fn object(&mut self, members: Drain<'_, (Cow<'a, str>, Value)>) -> Result<Value, ContextError> {
        Ok(Value::Object(Object::from_entries(members.map(|(key, value)| (key.into(), value)).collect())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> Vec<Box<str>> {
        p.split('.').map(Into::into).collect()
    }

    #[test]
    fn looks_up_nested_paths_and_treats_null_as_missing() {
        let ctx = Context::from_json(r#"{"targetingKey":"u1","geo":{"country":"DE","city":null},"n":3}"#).unwrap();
        assert_eq!(ctx.lookup(&path("geo.country")), Some(&Value::Str("DE".into())));
        assert_eq!(ctx.lookup(&path("geo.city")), None);
        assert_eq!(ctx.lookup(&path("n.x")), None);
        assert_eq!(ctx.lookup(&path("missing")), None);
        assert_eq!(ctx.targeting_key(), Some(&Value::Str("u1".into())));
    }

    #[test]
    fn duplicate_keys_keep_the_last_value() {
        let ctx = Context::from_json(r#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(ctx.lookup(&path("a")), Some(&Value::Int(2)));
    }

    #[test]
    fn refuses_non_objects_deep_and_huge_contexts() {
        assert_eq!(Context::from_json("[1]"), Err(ContextError::NotAnObject));
        let deep = format!("{}1{}", r#"{"a":"#.repeat(40), "}".repeat(40));
        assert_eq!(Context::from_json(&deep), Err(ContextError::TooDeep));
        let huge = format!("{{\"a\":[{}0]}}", "0,".repeat(MAX_CONTEXT_VALUES));
        assert_eq!(Context::from_json(&huge), Err(ContextError::TooLarge));
        assert!(matches!(Context::from_json("{"), Err(ContextError::Malformed(_))));
    }

    #[test]
    fn integral_floats_count_as_integers() {
        assert_eq!(Value::Float(42.0).as_integer(), Some(42));
        assert_eq!(Value::Float(42.5).as_integer(), None);
        assert_eq!(Value::Float(1e300).as_integer(), None);
    }
}
