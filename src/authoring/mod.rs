//! The authoring format: flags and segments in YAML, compiled to a snapshot
//! payload. Every problem in a file is reported in one run, each with the file,
//! line, column and payload path.
//!
//! The document has the payload's shape (see [`crate::model`]) minus the fields
//! the build stamps (`version`, `issued_at`, `expires_at`):
//! `schema` (optional), `environment` (optional), `segments`, `flags`.

mod yaml;

pub use yaml::{Position, YamlErrorKind};

use crate::compile::{CompileErrorKind, Snapshot};
use crate::json::{self, Json};
use crate::model::decode::{decode_document, DecodeErrorKind, Document};
use crate::model::{Payload, Timestamp};
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
    pub problem: Problem,
}

/// What a diagnostic reports, from the stage that found it.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The YAML text.
    Yaml(YamlErrorKind),
    /// The document's shape: a field, a type, a value.
    Decode(DecodeErrorKind),
    /// The rules: references, limits, operator values.
    Compile(CompileErrorKind),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Problem::Yaml(kind) => kind.fmt(f),
            Problem::Decode(kind) => kind.fmt(f),
            Problem::Compile(kind) => kind.fmt(f),
        }
    }
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
        self.problem.fmt(f)
    }
}

/// A source file read: its payload, and the snapshot it compiles to.
#[derive(Debug)]
pub struct Authored {
    /// The payload, with `version`, `issued_at` and `expires_at` left at
    /// zero for the build to stamp.
    pub payload: Payload,
    /// The payload compiled, never expiring (a source has no expiry), for
    /// checking and evaluating the source as it is.
    pub snapshot: Snapshot,
}

/// Reads a YAML source into a payload that compiles, and compiles it.
/// `file` names the source in diagnostics; every problem found is reported.
pub fn read_source(text: &str, file: &str) -> Result<Authored, Vec<Diagnostic>> {
    let diagnostic = |at: Option<Position>, path: String, problem: Problem| Diagnostic { file: file.to_owned(), at, path, problem };
    let (document, map) = yaml::parse(text)
        .map_err(|errors| errors.into_iter().map(|e| diagnostic(Some(e.at), String::new(), Problem::Yaml(e.kind))).collect::<Vec<_>>())?;
    let located = |path: String, problem: Problem| diagnostic(map.locate(&path), path, problem);
    let (decoded, errors) = decode_document(&json::write::to_string(&document), Document::Source);
    let mut diagnostics: Vec<Diagnostic> = errors.into_iter().map(|e| located(e.path, Problem::Decode(e.kind))).collect();
    let Some(payload) = decoded.map(|d| d.payload) else { return Err(diagnostics) };
    let compiled = Snapshot::compile(Payload { expires_at: Timestamp(i64::MAX), ..payload.clone() });
    let snapshot = compiled.map_err(|errors| {
        let unread = |key: &str| payload.flags.get(key).is_none() && payload.segments.get(key).is_none();
        let relevant = errors.into_iter().filter(|e| match &e.kind {
            // A reference to an entry that failed to decode was reported already.
            CompileErrorKind::UnknownFlag(key) | CompileErrorKind::UnknownSegment(key) => !(unread(key) && names_entry(&document, key)),
            _ => true,
        });
        diagnostics.extend(relevant.map(|e| located(e.path, Problem::Compile(e.kind))));
    });
    // In file order, whichever pass found them (the compiler resolves
    // prerequisites and checks rule ids after the rest of each flag).
    diagnostics.sort_by_key(|d| d.at.map_or((usize::MAX, usize::MAX), |at| (at.line, at.column)));
    match snapshot {
        Ok(snapshot) if diagnostics.is_empty() => Ok(Authored { payload, snapshot }),
        _ => Err(diagnostics),
    }
}

/// Whether the document defines `key` under `flags` or `segments`.
fn names_entry(document: &Json<'_>, key: &str) -> bool {
    ["flags", "segments"].iter().any(|section| document.get(section).and_then(|s| s.get(key)).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The problems of a source, each as (line, path, problem).
    fn problems(source: &str) -> Vec<(Option<usize>, String, Problem)> {
        let diagnostics = read_source(source, "flags.yaml").expect_err("refused");
        diagnostics.into_iter().map(|d| (d.at.map(|at| at.line), d.path, d.problem)).collect()
    }

    #[test]
    fn each_stage_reports_its_own_problem_where_it_is() {
        assert_eq!(problems("flags: {a: 1, a: 2}\n"), [(Some(1), String::new(), Problem::Yaml(YamlErrorKind::DuplicateKey("a".into())))]);
        let source = "\
flags:
  a:
    type: boolean
    variants: {on: true}
    off_variant: on
    default: on
    colour: red
  b:
    type: boolean
    variants: {on: true}
    off_variant: of
    default: on
";
        let found = problems(source);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            matches!(&found[0], (Some(7), path, Problem::Decode(DecodeErrorKind::UnknownField { field, .. })) if path == "flags.a.colour" && field == "colour")
        );
        assert_eq!(found[1], (Some(11), "flags.b.off_variant".into(), Problem::Compile(CompileErrorKind::UnknownVariant("of".into()))));
    }
}
