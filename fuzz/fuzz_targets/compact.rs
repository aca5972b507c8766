//! The compact form of a context, as the JS shim writes it, from arbitrary
//! text and words: reading must never panic, a refusal must leave the context
//! empty, a context used before must read alike, and what reads must read
//! again identically from its JSON (the form the shim falls back to); stored
//! assignments after the attributes must read or be refused, never panic.
//! Input: one byte giving the text's length, the text, then the words (LE).
#![no_main]

use edgeflag::eval::context::{compact, Members};
use edgeflag::eval::Value;
use edgeflag::json::write::ToJson;
use edgeflag::Context;
use libfuzzer_sys::fuzz_target;
use std::cell::RefCell;
use std::fmt::Write;

thread_local! {
    static REUSED: RefCell<Context> = RefCell::new(Context::new());
}

/// The JSON of an object's members.
fn object_json(members: Members<'_>, out: &mut String) {
    out.push('{');
    for (i, (key, value)) in members.entries().enumerate() {
        out.push_str(if i > 0 { "," } else { "" });
        key.write_json(out);
        out.push(':');
        value_json(value, out);
    }
    out.push('}');
}

fn value_json(value: Value<'_>, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => b.write_json(out),
        Value::Int(i) => i.write_json(out),
        Value::Float(f) => write!(out, "{f:?}").unwrap(),
        Value::Str(s) => s.write_json(out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.values().enumerate() {
                out.push_str(if i > 0 { "," } else { "" });
                value_json(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => object_json(members, out),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&length, rest)) = data.split_first() else { return };
    let (text, words) = rest.split_at(usize::from(length).min(rest.len()));
    let Ok(text) = std::str::from_utf8(text) else { return };
    let words: Vec<u32> = words.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect();
    if let Ok(end) = Context::new().read_compact_attributes(text, &words) {
        let _ = compact::assignments(text, &words, end, words.len() % 4);
    }
    let mut fresh = Context::new();
    let read = fresh.read_compact(text, &words);
    let reused = REUSED.with_borrow_mut(|reused| reused.read_compact(text, &words).map(|()| reused.clone()));
    assert_eq!(read.clone().map(|()| fresh.clone()), reused);
    if read.is_err() {
        assert_eq!(fresh, Context::new());
        return;
    }
    let mut json = String::new();
    object_json(fresh.root(), &mut json);
    assert_eq!(Context::from_json(&json).as_ref(), Ok(&fresh), "{json}");
});
