//! Writing JSON text: what the WebAssembly bindings hand to JS (variant
//! values, descriptions of flags and snapshots, sticky assignments), values
//! quoted in compile errors, and a YAML source's tree for the decoder.
//!
//! Written here rather than by serde_json's serializer, which would bring
//! its float-formatting tables and its `io::Write` plumbing into the module
//! (16 KB of the gzipped module). Floats are the one part that needs a platform
//! formatter: the standard library's natively, ECMAScript's `String(x)` in
//! wasm, both shortest round-trip (see `number::write_f64`).

use super::Json;
use crate::number::write_f64;

/// A value with a JSON form.
pub trait ToJson {
    /// Appends the value's JSON text to `out`.
    fn write_json(&self, out: &mut String);
}

/// The JSON text of `value`.
pub fn to_string(value: &(impl ToJson + ?Sized)) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// An object written from its fields, in the order given.
pub struct Object<'a>(pub &'a [(&'a str, &'a dyn ToJson)]);

impl ToJson for Object<'_> {
    fn write_json(&self, out: &mut String) {
        write_object(out, self.0.iter().map(|&(name, value)| (name, value)));
    }
}

/// Writes an object's members in the order given.
fn write_object<'v>(out: &mut String, members: impl Iterator<Item = (&'v str, &'v dyn ToJson)>) {
    out.push('{');
    for (i, (name, value)) in members.enumerate() {
        if i > 0 {
            out.push(',');
        }
        name.write_json(out);
        out.push(':');
        value.write_json(out);
    }
    out.push('}');
}

impl ToJson for str {
    /// A string with `"`, `\` and control characters escaped; everything else as is.
    fn write_json(&self, out: &mut String) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        out.reserve(self.len() + 2);
        out.push('"');
        let mut run = 0;
        for (at, byte) in self.bytes().enumerate() {
            let short = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0..=0x1f => "",
                _ => continue,
            };
            out.push_str(&self[run..at]);
            if short.is_empty() {
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xf)]));
            } else {
                out.push_str(short);
            }
            run = at + 1;
        }
        out.push_str(&self[run..]);
        out.push('"');
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

/// Integers in decimal.
macro_rules! integers {
    ($($type:ty),*) => {$(
        impl ToJson for $type {
            fn write_json(&self, out: &mut String) {
                use std::fmt::Write;
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
integers!(u16, u32, u64, i64, usize);

impl<T: ToJson> ToJson for Option<T> {
    /// The value, or `null`.
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl ToJson for serde_json::Value {
    fn write_json(&self, out: &mut String) {
        use serde_json::Value;
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => b.write_json(out),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => u.write_json(out),
                (None, Some(i), _) => i.write_json(out),
                (None, None, Some(f)) => write_f64(out, f),
                (None, None, None) => out.push_str("null"),
            },
            Value::String(s) => s.write_json(out),
            Value::Array(items) => items.write_json(out),
            Value::Object(members) => write_object(out, members.iter().map(|(name, value)| (name.as_str(), value as &dyn ToJson))),
        }
    }
}

impl ToJson for Json<'_> {
    /// The value with its numbers as written.
    fn write_json(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => b.write_json(out),
            Json::Number(text) => out.push_str(text),
            Json::String(s) => s.as_ref().write_json(out),
            Json::Array(items) => items.write_json(out),
            Json::Object(members) => write_object(out, members.iter().map(|(name, value)| (name.as_ref(), value as &dyn ToJson))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_what_serde_json_reads_back_equal() {
        for value in [
            json!(null),
            json!(true),
            json!(0),
            json!(-7),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(12.5),
            json!(-0.0),
            json!(0.1),
            json!(1e300),
            json!(5e-324),
            json!("plain"),
            json!("quote \" backslash \\ newline \n tab \t bell \u{7} nul \u{0} unit separator \u{1f} é 😀"),
            json!([1, "two", [3.5, null], {}]),
            json!({"b": {"c": [false]}, "a": "x", "": 1}),
        ] {
            let text = to_string(&value);
            let read: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(read, value, "{text}");
        }
    }

    #[test]
    fn writes_a_tree_with_its_numbers_as_written() {
        let text = r#"{"a":[1.50,-0,1e400,"x\u0001"],"b":{},"c":null,"d":true}"#;
        assert_eq!(to_string(&crate::json::parse(text).unwrap()), text);
    }

    #[test]
    fn negative_zero_keeps_its_sign() {
        assert_eq!(to_string(&json!(-0.0)), "-0");
        assert_eq!(to_string(&json!(0.0)), "0");
    }

    #[test]
    fn escapes_control_characters_and_nothing_else() {
        assert_eq!(to_string("a\u{1}b\u{1f}\u{7f}é"), "\"a\\u0001b\\u001f\u{7f}é\"");
        assert_eq!(to_string("\r\n\t\"\\/"), r#""\r\n\t\"\\/""#);
    }

    #[test]
    fn writes_objects_options_and_lists_in_order() {
        let none: Option<u32> = None;
        let object = Object(&[("z", &1u32), ("a", &none), ("list", &vec!["x", "y"]), ("flag", &false)]);
        assert_eq!(to_string(&object), r#"{"z":1,"a":null,"list":["x","y"],"flag":false}"#);
        assert_eq!(to_string(&Object(&[])), "{}");
        assert_eq!(to_string(&Vec::<u64>::new()), "[]");
    }
}
