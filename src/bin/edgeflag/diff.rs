//! `edgeflag diff`: what a new snapshot or source changes against an old
//! one, flag by flag and field by field, to review a release before it
//! ships (what the serving snapshot's `changed` event will name, and why).

use edgeflag::model::{Flag, KeyedMap, Payload, Segment};
use edgeflag::time::format_rfc3339;
use std::collections::HashMap;
use std::path::Path;

/// What changed in one section (flags or segments), in the new payload's
/// order; removed entries in the old one's.
#[derive(Debug, Default, PartialEq)]
pub struct SectionChanges<'p> {
    /// Keys only the new payload has.
    pub added: Vec<&'p str>,
    /// Keys only the old payload has.
    pub removed: Vec<&'p str>,
    /// Keys in both whose entries differ, with the fields that differ.
    pub changed: Vec<(&'p str, Vec<&'static str>)>,
    /// How many entries are the same in both.
    pub unchanged: usize,
}

impl SectionChanges<'_> {
    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// The fields of two entries that differ, by name.
type FieldDiff<T> = fn(&T, &T) -> Vec<&'static str>;

/// Compares the entries of one section by key.
fn compare<'p, T>(old: &'p KeyedMap<T>, new: &'p KeyedMap<T>, fields: FieldDiff<T>) -> SectionChanges<'p> {
    let before: HashMap<&str, &T> = old.iter().collect();
    let mut changes = SectionChanges::default();
    for (key, entry) in new.iter() {
        match before.get(key) {
            None => changes.added.push(key),
            Some(previous) => match fields(previous, entry) {
                differing if differing.is_empty() => changes.unchanged += 1,
                differing => changes.changed.push((key, differing)),
            },
        }
    }
    let after: HashMap<&str, &T> = new.iter().collect();
    changes.removed = old.iter().map(|(key, _)| key).filter(|key| !after.contains_key(key)).collect();
    changes
}

/// The names of the fields for which `same` is false.
fn differing(fields: &[(&'static str, bool)]) -> Vec<&'static str> {
    fields.iter().filter(|(_, same)| !same).map(|(name, _)| *name).collect()
}

/// The authoring names of the flag fields that differ.
fn flag_fields(old: &Flag, new: &Flag) -> Vec<&'static str> {
    differing(&[
        ("type", old.value_type == new.value_type),
        ("kind", old.kind == new.kind),
        ("owner", old.owner == new.owner),
        ("description", old.description == new.description),
        ("stale_after", old.stale_after == new.stale_after),
        ("enabled", old.enabled == new.enabled),
        ("variants", old.variants == new.variants),
        ("off_variant", old.off_variant == new.off_variant),
        ("default", old.default == new.default),
        ("prerequisites", old.prerequisites == new.prerequisites),
        ("sticky", old.sticky == new.sticky),
        ("targets", old.targets == new.targets),
        ("rules", old.rules == new.rules),
    ])
}

/// The authoring names of the segment fields that differ.
fn segment_fields(old: &Segment, new: &Segment) -> Vec<&'static str> {
    differing(&[
        ("description", old.description == new.description),
        ("included", old.included == new.included),
        ("excluded", old.excluded == new.excluded),
        ("rules", old.rules == new.rules),
    ])
}

/// Everything `new` changes against `old`.
#[derive(Debug, PartialEq)]
pub struct Changes<'p> {
    /// The flags' changes.
    pub flags: SectionChanges<'p>,
    /// The segments' changes.
    pub segments: SectionChanges<'p>,
}

/// Compares two payloads flag by flag and segment by segment.
pub fn changes<'p>(old: &'p Payload, new: &'p Payload) -> Changes<'p> {
    Changes { flags: compare(&old.flags, &new.flags, flag_fields), segments: compare(&old.segments, &new.segments, segment_fields) }
}

/// One side's origin line: a source's environment, or a snapshot's stamps.
fn origin(path: &Path, payload: &Payload) -> String {
    if payload.version == 0 {
        return format!("{} (source, environment `{}`)", path.display(), payload.environment);
    }
    format!("{} (`{}`, version {}, expires {})", path.display(), payload.environment, payload.version, format_rfc3339(payload.expires_at.0))
}

/// Prints the changes for people: a summary line per section, then `+`,
/// `-` and `~` lines; a flag switched on or off says which.
pub fn print_text(old: (&Path, &Payload), new: (&Path, &Payload), changes: &Changes<'_>) {
    println!("old: {}", origin(old.0, old.1));
    println!("new: {}", origin(new.0, new.1));
    let switched = |key: &str| match new.1.flags.get(key) {
        Some(flag) if flag.enabled => " (now on)",
        _ => " (now off)",
    };
    print_section("flags", &changes.flags, |key, field| if field == "enabled" { switched(key) } else { "" });
    print_section("segments", &changes.segments, |_, _| "");
}

fn print_section(name: &str, changes: &SectionChanges<'_>, note: impl Fn(&str, &str) -> &'static str) {
    let counts = [("added", changes.added.len()), ("removed", changes.removed.len()), ("changed", changes.changed.len())];
    let summary: Vec<String> = counts.iter().filter(|(_, n)| *n > 0).map(|(what, n)| format!("{n} {what}")).collect();
    if changes.is_empty() {
        println!("{name}: {} unchanged", changes.unchanged);
    } else {
        println!("{name}: {}, {} unchanged", summary.join(", "), changes.unchanged);
    }
    changes.added.iter().for_each(|key| println!("  + {key}"));
    changes.removed.iter().for_each(|key| println!("  - {key}"));
    for (key, fields) in &changes.changed {
        let fields: Vec<String> = fields.iter().map(|field| format!("{field}{}", note(key, field))).collect();
        println!("  ~ {key}: {}", fields.join(", "));
    }
}

/// Prints the changes as JSON: `{flags: {added, removed, changed: {key: [field…]}, unchanged}, segments: {…}}`.
pub fn print_json(changes: &Changes<'_>) {
    let section = |changes: &SectionChanges<'_>| {
        let changed: serde_json::Map<String, serde_json::Value> =
            changes.changed.iter().map(|(key, fields)| ((*key).to_owned(), serde_json::json!(fields))).collect();
        serde_json::json!({ "added": changes.added, "removed": changes.removed, "changed": changed, "unchanged": changes.unchanged })
    };
    let document = serde_json::json!({ "flags": section(&changes.flags), "segments": section(&changes.segments) });
    println!("{}", serde_json::to_string_pretty(&document).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(flags: serde_json::Value) -> Payload {
        let text = serde_json::json!({
            "schema": 1, "environment": "production", "version": 1, "issued_at": 0, "expires_at": 1,
            "segments": { "beta": { "included": ["u1"] } },
            "flags": flags,
        });
        Payload::from_json(&text.to_string()).expect("a valid payload")
    }

    fn boolean(default: &str, enabled: bool) -> serde_json::Value {
        serde_json::json!({ "type": "boolean", "enabled": enabled, "variants": { "on": true, "off": false }, "off_variant": "off", "default": default })
    }

    #[test]
    fn names_added_removed_and_changed_flags_with_their_fields() {
        let old = payload(serde_json::json!({ "a": boolean("off", true), "b": boolean("off", true), "gone": boolean("off", true) }));
        let new = payload(serde_json::json!({ "b": boolean("on", false), "a": boolean("off", true), "new": boolean("on", true) }));
        let changes = changes(&old, &new);
        assert_eq!(
            changes.flags,
            SectionChanges { added: vec!["new"], removed: vec!["gone"], changed: vec![("b", vec!["enabled", "default"])], unchanged: 1 }
        );
        assert_eq!(changes.segments, SectionChanges { unchanged: 1, ..SectionChanges::default() });
    }

    #[test]
    fn the_same_payload_changes_nothing() {
        let both = payload(serde_json::json!({ "a": boolean("off", true) }));
        let changes = changes(&both, &both);
        assert!(changes.flags.is_empty() && changes.segments.is_empty());
        assert_eq!(changes.flags.unchanged, 1);
    }
}
