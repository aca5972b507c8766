//! The evaluation context: attributes of the unit being evaluated, converted
//! once into a compact form sorted by key for quick look-ups, held in flat
//! buffers that a context read again reuses.

use crate::json::{self, JsonError, Scalar};
use crate::number::parse_f64;
use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::vec::Drain;

pub mod compact;

pub use compact::CompactError;

/// The attribute that identifies the unit, as in OpenFeature.
pub const TARGETING_KEY: &str = "targetingKey";

/// Contexts nested deeper than this are refused (`INVALID_CONTEXT`).
pub const MAX_CONTEXT_DEPTH: usize = 16;
/// Contexts with more values than this, counted over all levels, are refused.
pub const MAX_CONTEXT_VALUES: usize = 10_000;
/// Contexts whose text is longer than this are refused: their JSON, or in
/// the compact form the UTF-8 of their keys and strings. 1 MiB: far above
/// what a request's attributes hold, and it bounds what one context takes of
/// a wasm memory that never shrinks (a context keeps up to twice its text).
pub const MAX_CONTEXT_BYTES: usize = 1 << 20;
/// Slots reserved up front when reading a context.
const TYPICAL_SLOTS: usize = 16;

/// A context value, borrowed from the [`Context`] that holds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'c> {
    /// JSON null: treated as a missing attribute.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer that fits i64.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string.
    Str(&'c str),
    /// A list.
    List(Members<'c>),
    /// An object.
    Object(Members<'c>),
}

impl<'c> Value<'c> {
    /// The value as a string, if it is one.
    pub fn as_str(&self) -> Option<&'c str> {
        match *self {
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

/// The items of a list, or the entries of an object (sorted by key, unique).
#[derive(Clone, Copy)]
pub struct Members<'c> {
    context: &'c Context,
    span: Span,
}

impl<'c> Members<'c> {
    /// The values in order: a list's items, an object's values by key.
    pub fn values(self) -> impl Iterator<Item = Value<'c>> {
        self.slots().iter().map(move |slot| self.context.value(slot.node))
    }

    /// An object's `(key, value)` entries, sorted by key (lists' keys are empty).
    pub fn entries(self) -> impl Iterator<Item = (&'c str, Value<'c>)> {
        self.slots().iter().map(move |slot| (self.context.text(slot.key), self.context.value(slot.node)))
    }

    /// The value under `key` in an object.
    pub fn get(self, key: &str) -> Option<Value<'c>> {
        self.context.find(self.span, key).map(|node| self.context.value(node))
    }

    fn slots(self) -> &'c [Slot] {
        &self.context.slots[self.span.range()]
    }
}

impl PartialEq for Members<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.entries().eq(other.entries())
    }
}

impl fmt::Debug for Members<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_map().entries(self.entries()).finish()
    }
}

/// A range of bytes in a context's text or of its slots.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Span {
    start: u32,
    len: u32,
}

impl Span {
    fn range(self) -> std::ops::Range<usize> {
        let start = self.start as usize;
        start..start + self.len as usize
    }
}

/// A value as stored: strings and members are spans into the context's arrays.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
enum Node {
    #[default]
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Span),
    List(Span),
    Object(Span),
}

/// A list item (empty key) or an object entry.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Slot {
    key: Span,
    node: Node,
}

/// The attributes of one evaluation. Every key and string sits in one text
/// buffer and every list item and object entry in one slot array (each
/// container's contiguous, objects' sorted by key), so a context takes a few
/// allocations however many attributes it has, and none when it is read again
/// into buffers it already holds ([`Context::read_json`]).
///
/// A context remembers where it found each attribute a snapshot asked for
/// (in cells, so that evaluating takes `&Context`), so it is not `Sync`:
/// share a snapshot across threads, not a context.
#[derive(Debug, Clone, Default)]
pub struct Context {
    text: String,
    slots: Vec<Slot>,
    root: Span,
    /// The JSON reader's stacks, kept for the next read.
    stacks: json::Stacks<Span, Node>,
    found: FoundPaths,
}

/// How many attribute paths a context remembers finding (per snapshot). Path
/// `id` is remembered in slot `id % REMEMBERED_PATHS`, replacing the path
/// there before: one comparison finds it again.
const REMEMBERED_PATHS: usize = 16;

/// A slot that remembers no path (path ids index a snapshot's paths, which
/// its limits keep far below this).
const NO_PATH: u32 = u32::MAX;

/// Where a context found the attribute paths a snapshot asked for, held
/// inline (a context used once pays no allocation for it).
#[derive(Debug, Clone)]
struct FoundPaths {
    /// The identity of the snapshot whose path ids `ids` holds; 0 for none.
    snapshot: Cell<u64>,
    /// The path id remembered in each slot, or [`NO_PATH`]…
    ids: [Cell<u32>; REMEMBERED_PATHS],
    /// …and the node found for it (null when absent).
    nodes: [Cell<Node>; REMEMBERED_PATHS],
}

impl Default for FoundPaths {
    fn default() -> Self {
        FoundPaths { snapshot: Cell::new(0), ids: std::array::from_fn(|_| Cell::new(NO_PATH)), nodes: Default::default() }
    }
}

/// Why a context was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextError {
    /// The top level is not an object.
    NotAnObject,
    /// Nested deeper than [`MAX_CONTEXT_DEPTH`].
    TooDeep,
    /// More values than [`MAX_CONTEXT_VALUES`].
    TooManyValues,
    /// More text than [`MAX_CONTEXT_BYTES`].
    TooLong,
    /// Not valid JSON, or a value a context cannot hold.
    Malformed(Malformed),
}

/// What makes a context's JSON, or its compact form, unreadable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Malformed {
    /// The text is not JSON.
    Json(JsonError),
    /// A number beyond what a 64-bit float holds.
    NumberOutOfRange,
    /// The compact form's words and text do not describe a context.
    Compact(CompactError),
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Malformed::Json(error) => error.fmt(f),
            Malformed::NumberOutOfRange => f.write_str("number out of range"),
            Malformed::Compact(error) => write!(f, "compact form: {error}"),
        }
    }
}

impl fmt::Display for ContextError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            ContextError::NotAnObject => f.write_str("the context must be an object"),
            ContextError::TooDeep => write!(f, "the context is nested deeper than {MAX_CONTEXT_DEPTH} levels"),
            ContextError::TooManyValues => write!(f, "the context holds more than {MAX_CONTEXT_VALUES} values"),
            ContextError::TooLong => write!(f, "the context's text is longer than {MAX_CONTEXT_BYTES} bytes"),
            ContextError::Malformed(problem) => write!(f, "the context is malformed: {problem}"),
        }
    }
}

impl std::error::Error for ContextError {}

impl Context {
    /// An empty context.
    pub fn new() -> Context {
        Context::default()
    }

    /// Parses a JSON object, enforcing the depth and size limits. This is the
    /// one way contexts are read, natively and from JS, so both agree.
    pub fn from_json(text: &str) -> Result<Context, ContextError> {
        let mut context = Context::new();
        context.read_json(text)?;
        Ok(context)
    }

    /// Replaces this context with the JSON object `text`, reusing its buffers;
    /// on refusal the context is left empty.
    pub fn read_json(&mut self, text: &str) -> Result<(), ContextError> {
        self.read(text, |builder| json::read(text, builder))
    }

    /// Replaces this context with an object in the compact form (see
    /// [`compact`]): its strings' `text` and its structure's `words`. Reads
    /// what [`Context::read_json`] reads from the same attributes' JSON.
    pub fn read_compact(&mut self, text: &str, words: &[u32]) -> Result<(), ContextError> {
        let end = self.read_compact_attributes(text, words)?;
        // Nothing may follow the attributes: no stored assignments.
        compact::assignments(text, words, end, 0).map(|_| ()).inspect_err(|_| self.clear())
    }

    /// Like [`Context::read_compact`] for a compact form that goes on after
    /// the attributes (with stored assignments, see [`compact::assignments`]);
    /// returns where the attributes end.
    pub fn read_compact_attributes(&mut self, text: &str, words: &[u32]) -> Result<compact::Position, ContextError> {
        let mut end = compact::Position::default();
        self.read(text, |builder| {
            let (root, at) = compact::read(builder, words)?;
            end = at;
            Ok(root)
        })?;
        Ok(end)
    }

    /// Reads a context with `build`, from `input`: JSON text or a compact form's strings.
    #[inline(always)]
    fn read<'a>(
        &mut self,
        input: &'a str,
        build: impl FnOnce(&mut SlotBuilder<'_, 'a>) -> Result<Node, ContextError>,
    ) -> Result<(), ContextError> {
        self.clear();
        if input.len() > MAX_CONTEXT_BYTES {
            return Err(ContextError::TooLong);
        }
        // The text starts as a copy of the input, whose strings (without
        // escapes, in JSON) are then spans of it: one copy, not one per
        // string (in wasm each is a `memory.copy` call). Strings with
        // escapes are appended unescaped, never longer than their JSON.
        self.text.reserve(2 * input.len());
        self.text.push_str(input);
        self.slots.reserve(TYPICAL_SLOTS);
        let mut builder = SlotBuilder { context: self, input, values: 0 };
        match build(&mut builder) {
            Ok(Node::Object(root)) => {
                self.root = root;
                Ok(())
            }
            outcome => {
                self.clear();
                Err(outcome.err().unwrap_or(ContextError::NotAnObject))
            }
        }
    }

    /// Empties the context; buffers above `keep_bytes` of capacity are released.
    pub fn shrink_to(&mut self, keep_bytes: usize) {
        self.clear();
        self.text.shrink_to(keep_bytes);
        self.slots.shrink_to(keep_bytes / std::mem::size_of::<Slot>());
        self.stacks.shrink_to(keep_bytes / std::mem::size_of::<(Span, Node)>());
    }

    fn clear(&mut self) {
        self.text.clear();
        self.slots.clear();
        self.root = Span::default();
        self.found.snapshot.set(0);
    }

    /// The value at a path of object keys, or `None` when missing or null.
    pub fn lookup(&self, path: &[Box<str>]) -> Option<Value<'_>> {
        self.present(self.node_at(path))
    }

    /// [`Context::lookup`] of the path with id `id` in the snapshot with
    /// identity `snapshot`. The paths looked up are remembered (up to
    /// [`REMEMBERED_PATHS`], see there), so a context evaluated for many
    /// flags, or for one flag many times, walks to each attribute once.
    pub(crate) fn find_path<'p>(&self, snapshot: u64, id: u32, path: impl FnOnce() -> &'p [Box<str>]) -> Option<Value<'_>> {
        let found = &self.found;
        if found.snapshot.get() != snapshot {
            found.snapshot.set(snapshot);
            found.ids.iter().for_each(|slot| slot.set(NO_PATH));
        }
        let slot = id as usize % REMEMBERED_PATHS;
        let node = if found.ids[slot].get() == id { found.nodes[slot].get() } else { self.remember(slot, id, path()) };
        self.present(node)
    }

    /// Walks to a path not remembered yet and remembers it in `slot`. Kept
    /// out of line: inlined, its walk would slow every remembered look-up.
    #[cold]
    #[inline(never)]
    fn remember(&self, slot: usize, id: u32, path: &[Box<str>]) -> Node {
        let node = self.node_at(path);
        self.found.ids[slot].set(id);
        self.found.nodes[slot].set(node);
        node
    }

    /// The node at a path of object keys; null when there is none.
    fn node_at(&self, path: &[Box<str>]) -> Node {
        let mut node = Node::Object(self.root);
        for key in path {
            let Node::Object(members) = node else { return Node::Null };
            let Some(found) = self.find(members, key) else { return Node::Null };
            node = found;
        }
        node
    }

    /// A node's value, unless it is null.
    fn present(&self, node: Node) -> Option<Value<'_>> {
        match node {
            Node::Null => None,
            present => Some(self.value(present)),
        }
    }

    /// The node under `key` among an object's entries. Small objects are
    /// scanned comparing key lengths before bytes (most entries differ in
    /// length), larger ones binary searched.
    #[inline(always)]
    fn find(&self, members: Span, key: &str) -> Option<Node> {
        let slots = &self.slots[members.range()];
        let found = if slots.len() <= crate::sorted::SCANNED {
            slots.iter().find(|slot| slot.key.len as usize == key.len() && self.bytes(slot.key) == key.as_bytes())
        } else {
            self.search(slots, key)
        };
        found.map(|slot| slot.node)
    }

    #[inline(never)]
    fn search<'s>(&self, slots: &'s [Slot], key: &str) -> Option<&'s Slot> {
        crate::sorted::find(slots, key.as_bytes(), |slot| self.bytes(slot.key))
    }

    /// The targeting key, when present.
    pub fn targeting_key(&self) -> Option<Value<'_>> {
        self.root().get(TARGETING_KEY).filter(|v| !matches!(v, Value::Null))
    }

    /// The top-level attributes.
    pub fn root(&self) -> Members<'_> {
        Members { context: self, span: self.root }
    }

    #[inline]
    fn text(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or_default()
    }

    fn bytes(&self, span: Span) -> &[u8] {
        &self.text.as_bytes()[span.range()]
    }

    #[inline(always)]
    fn value(&self, node: Node) -> Value<'_> {
        match node {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(b),
            Node::Int(i) => Value::Int(i),
            Node::Float(f) => Value::Float(f),
            Node::Str(span) => Value::Str(self.text(span)),
            Node::List(span) => Value::List(Members { context: self, span }),
            Node::Object(span) => Value::Object(Members { context: self, span }),
        }
    }

    /// Where `text` is in the text buffer: within the copy of `input` (which
    /// the buffer starts with) when it is a slice of it, else appended.
    #[inline]
    fn locate_text(&mut self, input: &str, text: &str) -> Span {
        let offset = (text.as_ptr() as usize).wrapping_sub(input.as_ptr() as usize);
        if offset <= input.len() && text.len() <= input.len() - offset {
            return Span { start: offset as u32, len: text.len() as u32 };
        }
        let start = self.text.len() as u32;
        self.text.push_str(text);
        Span { start, len: text.len() as u32 }
    }

    /// The span of slots from `start` to the end.
    fn tail(&self, start: usize) -> Span {
        Span { start: start as u32, len: (self.slots.len() - start) as u32 }
    }
}

/// Two contexts are equal when they hold the same attributes, however they were read.
impl PartialEq for Context {
    fn eq(&self, other: &Context) -> bool {
        self.root() == other.root()
    }
}

impl From<JsonError> for ContextError {
    fn from(error: JsonError) -> ContextError {
        ContextError::Malformed(Malformed::Json(error))
    }
}

/// Reads JSON straight into a context's text and slots (no tree in between),
/// counting values and levels against the limits. Containers close before
/// their parents, so each container's slots are appended together, last.
struct SlotBuilder<'c, 'a> {
    context: &'c mut Context,
    /// The JSON read, which the context's text starts with.
    input: &'a str,
    values: usize,
}

impl<'a> json::Build<'a> for SlotBuilder<'_, 'a> {
    type Value = Node;
    type Key = Span;
    type Error = ContextError;

    fn begin(&mut self, depth: usize) -> Result<(), ContextError> {
        self.values += 1;
        if self.values > MAX_CONTEXT_VALUES {
            return Err(ContextError::TooManyValues);
        }
        if depth > MAX_CONTEXT_DEPTH {
            return Err(ContextError::TooDeep);
        }
        Ok(())
    }

    #[inline(always)] // Out of line it costs a context 300 instructions more (natively).
    fn scalar(&mut self, scalar: Scalar<'a>) -> Result<Node, ContextError> {
        Ok(match scalar {
            Scalar::Null => Node::Null,
            Scalar::Bool(b) => Node::Bool(b),
            Scalar::Number(text) => match text.parse() {
                Ok(integer) => Node::Int(integer),
                Err(_) => Node::Float(parse_f64(text).ok_or(ContextError::Malformed(Malformed::NumberOutOfRange))?),
            },
            Scalar::String(text) => Node::Str(self.context.locate_text(self.input, &text)),
        })
    }

    fn key(&mut self, key: Cow<'a, str>) -> Result<Span, ContextError> {
        Ok(self.context.locate_text(self.input, &key))
    }

    fn array(&mut self, items: Drain<'_, Node>) -> Result<Node, ContextError> {
        let start = self.context.slots.len();
        self.context.slots.extend(items.map(|node| Slot { key: Span::default(), node }));
        Ok(Node::List(self.context.tail(start)))
    }

    /// Appends the entries sorted by key; of repeated keys the last written wins.
    fn object(&mut self, members: Drain<'_, (Span, Node)>) -> Result<Node, ContextError> {
        let start = self.context.slots.len();
        self.context.slots.extend(members.rev().map(|(key, node)| Slot { key, node }));
        let Context { text, slots, .. } = &mut *self.context;
        let key = |slot: &Slot| &text.as_bytes()[slot.key.range()];
        // Stable, so the first of equal keys is the one written last.
        crate::sorted::stable_sort_by(&mut slots[start..], |a, b| byte_order(key(a), key(b)).is_lt());
        let mut kept = start;
        for at in start..slots.len() {
            if kept == start || key(&slots[at]) != key(&slots[kept - 1]) {
                slots[kept] = slots[at];
                kept += 1;
            }
        }
        slots.truncate(kept);
        Ok(Node::Object(self.context.tail(start)))
    }

    fn stacks(&mut self) -> json::Stacks<Span, Node> {
        std::mem::take(&mut self.context.stacks)
    }

    fn keep(&mut self, stacks: json::Stacks<Span, Node>) {
        self.context.stacks = stacks;
    }
}

/// Byte order of two keys, deciding by the first bytes where they differ, as
/// they mostly do, before calling the slice comparison (a byte loop in wasm).
fn byte_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    match (a.first(), b.first()) {
        (Some(x), Some(y)) if x != y => x.cmp(y),
        _ => a.cmp(b),
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
        assert_eq!(ctx.lookup(&path("geo.country")), Some(Value::Str("DE")));
        assert_eq!(ctx.lookup(&path("geo.city")), None);
        assert_eq!(ctx.lookup(&path("n.x")), None);
        assert_eq!(ctx.lookup(&path("missing")), None);
        assert_eq!(ctx.targeting_key(), Some(Value::Str("u1")));
    }

    #[test]
    fn duplicate_keys_keep_the_last_value() {
        let ctx = Context::from_json(r#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(ctx.lookup(&path("a")), Some(Value::Int(2)));
    }

    #[test]
    fn refuses_non_objects_deep_and_huge_contexts() {
        assert_eq!(Context::from_json("[1]"), Err(ContextError::NotAnObject));
        let deep = format!("{}1{}", r#"{"a":"#.repeat(40), "}".repeat(40));
        assert_eq!(Context::from_json(&deep), Err(ContextError::TooDeep));
        let huge = format!("{{\"a\":[{}0]}}", "0,".repeat(MAX_CONTEXT_VALUES));
        assert_eq!(Context::from_json(&huge), Err(ContextError::TooManyValues));
        let text_of = |length: usize| format!(r#"{{"a":"{}"}}"#, "x".repeat(length - 8));
        assert!(Context::from_json(&text_of(MAX_CONTEXT_BYTES)).is_ok(), "the cap itself is allowed");
        assert_eq!(Context::from_json(&text_of(MAX_CONTEXT_BYTES + 1)), Err(ContextError::TooLong));
        assert!(matches!(Context::from_json("{"), Err(ContextError::Malformed(_))));
    }

    #[test]
    fn integral_floats_count_as_integers() {
        assert_eq!(Value::Float(42.0).as_integer(), Some(42));
        assert_eq!(Value::Float(42.5).as_integer(), None);
        assert_eq!(Value::Float(1e300).as_integer(), None);
    }

    #[test]
    fn nested_lists_and_objects_keep_their_own_members() {
        let ctx = Context::from_json(r#"{"b":[1,"x",{"k":true}],"a":{"z":null,"y":[2.5]},"c":"\u00e9\n"}"#).unwrap();
        let Some(Value::List(items)) = ctx.lookup(&path("b")) else { panic!("b is a list") };
        let items: Vec<Value> = items.values().collect();
        assert_eq!(items[..2], [Value::Int(1), Value::Str("x")]);
        let Value::Object(inner) = items[2] else { panic!("an object item") };
        assert_eq!(inner.get("k"), Some(Value::Bool(true)));
        let Some(Value::List(ys)) = ctx.lookup(&path("a.y")) else { panic!("a.y is a list") };
        assert_eq!(ys.values().collect::<Vec<_>>(), [Value::Float(2.5)]);
        assert_eq!(ctx.lookup(&path("c")), Some(Value::Str("é\n")));
        let keys: Vec<&str> = ctx.root().entries().map(|(k, _)| k).collect();
        assert_eq!(keys, ["a", "b", "c"]);
    }

    #[test]
    fn strings_with_and_without_escapes_read_alike_in_any_order() {
        let ctx = Context::from_json(r#"{"k\u0041":"x\"y","plain":"p","t\n":"\u00e9","z":"","q":{"in":"side\\"}}"#).unwrap();
        let expected = [("kA", "x\"y"), ("plain", "p"), ("q.in", "side\\"), ("t\n", "é"), ("z", "")];
        for (key, value) in expected {
            let found = if key.contains('.') { ctx.lookup(&path(key)) } else { ctx.root().get(key) };
            assert_eq!(found, Some(Value::Str(value)), "{key:?}");
        }
        let keys: Vec<&str> = ctx.root().entries().map(|(k, _)| k).collect();
        assert_eq!(keys, ["kA", "plain", "q", "t\n", "z"]);
    }

    #[test]
    fn equal_attributes_make_equal_contexts_whatever_the_order() {
        let one = Context::from_json(r#"{"a":{"x":1},"b":{"y":[true]}}"#).unwrap();
        let other = Context::from_json(r#"{"b":{"y":[true]},"a":{"x":1}}"#).unwrap();
        assert_eq!(one, other);
        assert_ne!(one, Context::from_json(r#"{"a":{"x":2},"b":{"y":[true]}}"#).unwrap());
    }

    #[test]
    fn reading_again_replaces_everything_and_a_refusal_leaves_it_empty() {
        let mut ctx = Context::from_json(r#"{"targetingKey":"u1","tier":"gold","n":[1,2,3]}"#).unwrap();
        ctx.read_json(r#"{"tier":"basic"}"#).unwrap();
        assert_eq!(ctx, Context::from_json(r#"{"tier":"basic"}"#).unwrap());
        assert_eq!(ctx.targeting_key(), None);
        assert!(ctx.read_json(r#"{"tier":"#).is_err());
        assert_eq!(ctx, Context::new());
        assert_eq!(ctx.lookup(&path("tier")), None);
    }

    #[test]
    fn many_duplicate_keys_keep_the_last_of_each() {
        let members: Vec<String> = (0..60).map(|i| format!(r#""k{}":{i}"#, i % 7)).collect();
        let ctx = Context::from_json(&format!("{{{}}}", members.join(","))).unwrap();
        assert_eq!(ctx.root().entries().count(), 7);
        for k in 0..7 {
            let last = (0..60).filter(|i| i % 7 == k).max().unwrap();
            assert_eq!(ctx.lookup(&path(&format!("k{k}"))), Some(Value::Int(last)));
        }
    }
}
