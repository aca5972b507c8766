//! The authoring format: flags and segments in YAML, compiled to a snapshot
//! payload. Every problem in a file is reported in one run, each with the file,
//! line, column and payload path.
//!
//! The document has the payload's shape (see [`crate::model`]) minus the fields
//! the build stamps (`version`, `issued_at`, `expires_at`):
//! `schema` (optional), `environment` (optional), `segments`, `flags`.

mod yaml;

pub use yaml::Position;

use crate::compile::{CompileErrorKind, Snapshot};
use crate::model::{Flag, KeyedMap, Payload, Segment, Timestamp, SCHEMA_VERSION};
use serde::de::DeserializeOwned;
use std::collections::HashSet;
use std::fmt;

/// One problem in a source file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The file name as given.
    pub file: String,
    /// Where in the file, when known.
    pub at: Option<Position>,
    /// The payload path, e.g. `flags.checkout.rules[0].serve`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.at {
            Some(at) => write!(f, "{}:{}:{}: ", self.file, at.line, at.column)?,
            None => write!(f, "{}: ", self.file)?,
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

const TOP_LEVEL: &[&str] = &["schema", "environment", "segments", "flags"];

/// Reads a YAML source into a payload that compiles, with `version`,
/// `issued_at` and `expires_at` left at zero for the build to stamp.
/// `file` names the source in diagnostics.
pub fn read_source(text: &str, file: &str) -> Result<Payload, Vec<Diagnostic>> {
    let mut reader = Reader { file, map: yaml::SourceMap::default(), diagnostics: Vec::new(), unread: HashSet::new() };
    let (document, map) = yaml::parse(text).map_err(|errors| {
        errors.into_iter().map(|e| reader.at(Some(e.at), String::new(), e.message)).collect::<Vec<_>>()
    })?;
    reader.map = map;
    let payload = reader.payload(&document);
    if let Err(errors) = Snapshot::compile(&payload) {
        let relevant: Vec<_> = errors.into_iter().filter(|e| !reader.refers_to_unread(&e.kind)).collect();
        for error in relevant {
            reader.report(error.path, error.kind.to_string());
        }
    }
    if reader.diagnostics.is_empty() {
        Ok(payload)
    } else {
        Err(reader.diagnostics)
    }
}

/// Turns the YAML document into a payload, collecting diagnostics. Entries
/// that fail to read are left out and remembered, so that the compiler's
/// complaints about references to them are not reported twice.
struct Reader<'f> {
    file: &'f str,
    map: yaml::SourceMap,
    diagnostics: Vec<Diagnostic>,
    unread: HashSet<String>,
}

impl Reader<'_> {
    fn at(&self, at: Option<Position>, path: String, message: String) -> Diagnostic {
        Diagnostic { file: self.file.to_owned(), at, path, message }
    }

    fn located(&self, path: String, message: String) -> Diagnostic {
        self.at(self.map.locate(&path), path, message)
    }

    fn refers_to_unread(&self, kind: &CompileErrorKind) -> bool {
        match kind {
            CompileErrorKind::UnknownFlag(key) | CompileErrorKind::UnknownSegment(key) => self.unread.contains(key),
            _ => false,
        }
    }

    fn report(&mut self, path: String, message: impl Into<String>) {
        let diagnostic = self.located(path, message.into());
        self.diagnostics.push(diagnostic);
    }

    fn payload(&mut self, document: &serde_json::Value) -> Payload {
        let Some(top) = document.as_object() else {
            self.report(String::new(), "the document must be a mapping with `flags` (and optionally `segments`)");
            return empty_payload();
        };
        for key in top.keys().filter(|k| !TOP_LEVEL.contains(&k.as_str())) {
            self.report(key.clone(), format!("unknown top-level key `{key}`, expected one of {TOP_LEVEL:?}"));
        }
        let schema = top.get("schema").map_or(Some(SCHEMA_VERSION), |v| self.read("schema".into(), v));
        let environment = top.get("environment").map_or(Some(String::new()), |v| self.read("environment".into(), v));
        Payload {
            schema: schema.unwrap_or(SCHEMA_VERSION),
            environment: environment.unwrap_or_default(),
            segments: self.entries::<Segment>(top.get("segments"), "segments"),
            flags: self.entries::<Flag>(top.get("flags"), "flags"),
            ..empty_payload()
        }
    }

    /// Reads each entry of a keyed section separately, so one bad flag does not
    /// hide the problems of the others.
    fn entries<T: DeserializeOwned>(&mut self, section: Option<&serde_json::Value>, name: &str) -> KeyedMap<T> {
        let Some(section) = section.filter(|v| !v.is_null()) else {
            return KeyedMap::default();
        };
        let Some(entries) = section.as_object() else {
            self.report(name.to_owned(), format!("`{name}` must be a mapping of keys to definitions"));
            return KeyedMap::default();
        };
        let read: Vec<(String, T)> = entries
            .iter()
            .filter_map(|(key, value)| {
                let item = self.read(format!("{name}.{key}"), value);
                if item.is_none() {
                    self.unread.insert(key.clone());
                }
                item.map(|item| (key.clone(), item))
            })
            .collect();
        KeyedMap(read)
    }

    fn read<T: DeserializeOwned>(&mut self, path: String, value: &serde_json::Value) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(item) => Some(item),
            Err(error) => {
                let inner = error.path().to_string();
                let full = if inner == "." { path } else { format!("{path}.{inner}") };
                self.report(full, error.into_inner().to_string());
                None
            }
        }
    }
}

fn empty_payload() -> Payload {
    Payload {
        schema: SCHEMA_VERSION,
        environment: String::new(),
        version: 0,
        issued_at: Timestamp(0),
        expires_at: Timestamp(0),
        segments: KeyedMap::default(),
        flags: KeyedMap::default(),
    }
}
