//! Stored sticky assignments, as supplied by the host (cookie, KV, ...).

use crate::json::write::{Object, ToJson};
use serde::{Deserialize, Serialize};

/// One stored assignment: this unit was given `variant` of `flag` at sticky `version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The flag key.
    pub flag: String,
    /// The variant name.
    pub variant: String,
    /// The flag's sticky version when assigned.
    pub version: u32,
}

impl ToJson for Assignment {
    /// `{flag, variant, version}`, as the sticky stores keep it.
    fn write_json(&self, out: &mut String) {
        Object(&[("flag", &self.flag), ("variant", &self.variant), ("version", &self.version)]).write_json(out);
    }
}

/// The stored assignments of one unit.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Assignments(Vec<Assignment>);

impl Assignments {
    /// The empty set, usable in constants.
    pub const EMPTY: Assignments = Assignments(Vec::new());

    /// No assignments.
    pub fn new() -> Assignments {
        Assignments::default()
    }

    /// Adds or replaces the assignment for its flag.
    pub fn set(&mut self, assignment: Assignment) {
        match self.0.iter_mut().find(|a| a.flag == assignment.flag) {
            Some(existing) => *existing = assignment,
            None => self.0.push(assignment),
        }
    }

    /// The assignment stored for a flag.
    pub fn get(&self, flag: &str) -> Option<&Assignment> {
        self.0.iter().find(|a| a.flag == flag)
    }

    /// All assignments.
    pub fn iter(&self) -> impl Iterator<Item = &Assignment> {
        self.0.iter()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<Assignment> for Assignments {
    fn from_iter<I: IntoIterator<Item = Assignment>>(iter: I) -> Self {
        let mut assignments = Assignments::new();
        iter.into_iter().for_each(|a| assignments.set(a));
        assignments
    }
}
