//! YAML → JSON, remembering where every node was written.
//!
//! Plain scalars are resolved with the YAML 1.2 core schema (so `no` stays a
//! string); quoted scalars are always strings. Every node's path, in the same
//! `a.b[2].c` form the compiler reports, maps to its line and column.

use crate::json::Json;
use std::borrow::Cow;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A 1-based line and column in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl From<Marker> for Position {
    fn from(mark: Marker) -> Self {
        Position { line: mark.line(), column: mark.col() + 1 }
    }
}

/// A problem in the YAML text itself.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    /// Where it is.
    pub at: Position,
    /// What is wrong.
    pub kind: YamlErrorKind,
}

/// What is wrong with YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// The YAML reader refused the text (in its words).
    Syntax(String),
    /// An alias to an anchor not defined before it.
    UnknownAnchor,
    /// A mapping key that is not a scalar.
    NonScalarKey,
    /// A mapping key given twice.
    DuplicateKey(String),
    /// A number that is infinite or not a number (as written).
    NotFinite(String),
}

impl std::fmt::Display for YamlErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            YamlErrorKind::Syntax(words) => f.write_str(words),
            YamlErrorKind::UnknownAnchor => f.write_str("alias to an unknown anchor"),
            YamlErrorKind::NonScalarKey => f.write_str("mapping keys must be scalars"),
            YamlErrorKind::DuplicateKey(key) => write!(f, "duplicate key `{key}`"),
            YamlErrorKind::NotFinite(text) => write!(f, "`{text}` is not a finite number"),
        }
    }
}

/// Where each path of the document was written.
#[derive(Debug, Default)]
pub struct SourceMap(HashMap<String, Position>);

impl SourceMap {
    /// The position of `path`, or of its nearest written ancestor.
    pub fn locate(&self, path: &str) -> Option<Position> {
        let mut path = path;
        loop {
            if let Some(&at) = self.0.get(path) {
                return Some(at);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }
}

/// A parsed node and its position, before conversion.
#[derive(Debug, Clone)]
enum Node {
    Scalar(String, bool, Position),
    Seq(Vec<Node>, Position),
    Map(Vec<(Node, Node)>, Position),
}

impl Node {
    fn position(&self) -> Position {
        match self {
            Node::Scalar(_, _, at) | Node::Seq(_, at) | Node::Map(_, at) => *at,
        }
    }
}

/// Builds nodes from parser events, resolving anchors and aliases.
#[derive(Default)]
struct Builder {
    stack: Vec<(Node, Option<Node>, usize)>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    error: Option<YamlError>,
}

impl Builder {
    fn push_value(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some((Node::Seq(items, _), _, _)) => items.push(node),
            Some((Node::Map(entries, _), pending_key, _)) => match pending_key.take() {
                Some(key) => entries.push((key, node)),
                None => *pending_key = Some(node),
            },
            Some((Node::Scalar(..), _, _)) => {}
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let at = Position::from(mark);
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let plain = style == TScalarStyle::Plain && tag.is_none_or(|t| t.suffix != "str");
                self.push_value(Node::Scalar(text, plain, at), anchor);
            }
            Event::SequenceStart(anchor, _) => self.stack.push((Node::Seq(Vec::new(), at), None, anchor)),
            Event::MappingStart(anchor, _) => self.stack.push((Node::Map(Vec::new(), at), None, anchor)),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((node, _, anchor)) = self.stack.pop() {
                    self.push_value(node, anchor);
                }
            }
            Event::Alias(id) => match self.anchors.get(&id).cloned() {
                Some(node) => self.push_value(node, 0),
                None => {
                    self.error.get_or_insert(YamlError { at, kind: YamlErrorKind::UnknownAnchor });
                }
            },
            _ => {}
        }
    }
}

/// Parses YAML text into JSON and the positions of its paths.
pub fn parse(text: &str) -> Result<(Json<'static>, SourceMap), Vec<YamlError>> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, false) {
        return Err(vec![YamlError { at: Position::from(*e.marker()), kind: YamlErrorKind::Syntax(e.info().to_owned()) }]);
    }
    if let Some(error) = builder.error {
        return Err(vec![error]);
    }
    let root = builder.root.unwrap_or(Node::Map(Vec::new(), Position { line: 1, column: 1 }));
    let mut converter = Converter { map: SourceMap::default(), errors: Vec::new() };
    let value = converter.convert(&root, String::new());
    if converter.errors.is_empty() {
        Ok((value, converter.map))
    } else {
        Err(converter.errors)
    }
}

struct Converter {
    map: SourceMap,
    errors: Vec<YamlError>,
}

impl Converter {
    fn convert(&mut self, node: &Node, path: String) -> Json<'static> {
        self.map.0.insert(path.clone(), node.position());
        match node {
            Node::Scalar(text, plain, at) => {
                if !plain {
                    return Json::String(Cow::Owned(text.clone()));
                }
                resolve_plain(text).unwrap_or_else(|kind| {
                    self.errors.push(YamlError { at: *at, kind });
                    Json::Null
                })
            }
            Node::Seq(items, _) => {
                Json::Array(items.iter().enumerate().map(|(i, item)| self.convert(item, format!("{path}[{i}]"))).collect())
            }
            Node::Map(entries, _) => {
                let mut members: Vec<(Cow<'static, str>, Json<'static>)> = Vec::with_capacity(entries.len());
                for (key, value) in entries {
                    let Node::Scalar(name, _, at) = key else {
                        self.errors.push(YamlError { at: key.position(), kind: YamlErrorKind::NonScalarKey });
                        continue;
                    };
                    if members.iter().any(|(k, _)| k == name) {
                        self.errors.push(YamlError { at: *at, kind: YamlErrorKind::DuplicateKey(name.clone()) });
                        continue;
                    }
                    let child = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                    let converted = self.convert(value, child);
                    members.push((Cow::Owned(name.clone()), converted));
                }
                Json::Object(members)
            }
        }
    }
}

/// Resolves a plain scalar with the YAML 1.2 core schema.
fn resolve_plain(text: &str) -> Result<Json<'static>, YamlErrorKind> {
    Ok(match text {
        "" | "~" | "null" | "Null" | "NULL" => Json::Null,
        "true" | "True" | "TRUE" => Json::Bool(true),
        "false" | "False" | "FALSE" => Json::Bool(false),
        _ if looks_numeric(text) => {
            let finite = text.parse::<f64>().is_ok_and(f64::is_finite);
            if !finite {
                return Err(YamlErrorKind::NotFinite(text.to_owned()));
            }
            Json::Number(Cow::Owned(text.trim_start_matches('+').to_owned()))
        }
        _ if matches!(text.trim_start_matches(['+', '-']), ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN") => {
            return Err(YamlErrorKind::NotFinite(text.to_owned()))
        }
        _ => Json::String(Cow::Owned(text.to_owned())),
    })
}

/// Whether a plain scalar is a YAML 1.2 core-schema decimal number.
fn looks_numeric(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_core_schema_scalars() {
        let (value, _) = parse("a: 1\nb: 2.5\nc: no\nd: true\ne: '1'\nf: ~\ng: 1e3\nh: 2026-12-01\n").unwrap();
        assert_eq!(
            value.to_value(),
            Some(json!({"a": 1, "b": 2.5, "c": "no", "d": true, "e": "1", "f": null, "g": 1000.0, "h": "2026-12-01"}))
        );
    }

    #[test]
    fn maps_paths_to_positions() {
        let (_, map) = parse("flags:\n  x:\n    rules:\n      - id: a\n        when: {attribute: t}\n").unwrap();
        assert_eq!(map.locate("flags.x.rules[0].id"), Some(Position { line: 4, column: 13 }));
        assert_eq!(map.locate("flags.x.rules[0].when.all[3]"), Some(Position { line: 5, column: 15 }));
    }

    #[test]
    fn reports_duplicates_and_non_finite_numbers() {
        let errors = parse("a: 1\na: 2\nb: .inf\n").unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].at.line, 2);
        assert!(matches!(errors[1].kind, YamlErrorKind::NotFinite(_)));
    }

    #[test]
    fn expands_aliases() {
        let (value, _) = parse("base: &b {x: 1}\ncopy: *b\n").unwrap();
        assert_eq!(value.get("copy").and_then(Json::to_value), Some(json!({"x": 1})));
    }

    #[test]
    fn reports_syntax_errors_with_a_position() {
        let errors = parse("a: [1, 2\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].at.line >= 1);
    }
}
