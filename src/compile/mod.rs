//! The compiler: a [`Payload`] becomes a validated, indexed [`Snapshot`].
//!
//! Every reference is resolved to an index, every operator value is parsed,
//! cycles and limits are checked, and all problems are reported together. The
//! same compiler runs when a snapshot is built (CLI) and when it is loaded.

mod error;
mod graph;
mod ip;

pub mod limits;
pub(crate) mod matcher;
mod version;

pub use error::{CompileError, CompileErrorKind};

use crate::bucket::{Interpolation, SeedPrefix};
use crate::eval::context::{Context, Value};
use crate::key_hash::{KeyMap, KeySet};
use crate::model::{self, Condition, Exposure, FlagType, Payload, SeenKeys, Serve};
use crate::path::At;
use crate::time::EpochMillis;
use graph::{check_acyclic, check_expansion, GraphError};
use limits::*;
use matcher::Matcher;
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::sync::atomic::{AtomicU64, Ordering};

/// Index of a flag within one snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FlagId(pub(crate) u32);

/// A variant's position in its flag's `variants`, in declaration order.
pub type VariantId = u16;

/// What a snapshot says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotMeta {
    /// The environment it was built for.
    pub environment: String,
    /// Its anti-rollback version.
    pub version: u64,
    /// When it was signed.
    pub issued_at: EpochMillis,
    /// When it stops being valid.
    pub expires_at: EpochMillis,
}

/// Snapshots compiled so far in this process: the next one's identity.
static COMPILED: AtomicU64 = AtomicU64::new(1);

/// A compiled snapshot, ready to evaluate.
#[derive(Debug)]
pub struct Snapshot {
    /// Unique among the snapshots of a process: contexts key the attributes
    /// they found by it (see [`Snapshot::attribute`]).
    identity: u64,
    pub(crate) meta: SnapshotMeta,
    pub(crate) flags: Box<[CompiledFlag]>,
    pub(crate) flag_index: KeyMap<FlagId>,
    pub(crate) segments: Box<[CompiledSegment]>,
    pub(crate) paths: Box<[AttributePath]>,
}

/// A dotted attribute path split into keys, interned once per snapshot.
#[derive(Debug)]
pub(crate) struct AttributePath {
    pub(crate) dotted: Box<str>,
    pub(crate) keys: Box<[Box<str>]>,
}

pub(crate) type PathId = u32;

/// One variant: its name and value. Laid out like the payload's
/// `(String, Value)` pairs, so the payload's list becomes the flag's in place.
#[derive(Debug)]
pub(crate) struct Variant {
    pub(crate) name: String,
    pub(crate) value: serde_json::Value,
}

#[derive(Debug)]
pub(crate) struct CompiledFlag {
    pub(crate) key: Box<str>,
    pub(crate) value_type: FlagType,
    pub(crate) stale_after: Option<EpochMillis>,
    pub(crate) enabled: bool,
    pub(crate) variants: Vec<Variant>,
    pub(crate) off: VariantId,
    pub(crate) default: CompiledServe,
    pub(crate) prerequisites: Box<[CompiledPrerequisite]>,
    pub(crate) sticky_version: Option<u32>,
    pub(crate) targets: KeyMap<VariantId>,
    pub(crate) rules: Box<[CompiledRule]>,
}

impl CompiledFlag {
    /// Whether the flag has any targets or rules (decides STATIC vs DEFAULT).
    pub(crate) fn has_targeting(&self) -> bool {
        !self.targets.is_empty() || !self.rules.is_empty()
    }

    /// The index of a variant by name.
    pub(crate) fn variant_id(&self, name: &str) -> Option<VariantId> {
        variant_id(&self.variants, name)
    }
}

/// The id of a rule written without one: `rule-1` for the first (`i` = 0).
fn default_rule_id(i: usize) -> String {
    let mut id = String::from("rule-");
    id.push_str(&(i + 1).to_string());
    id
}

/// The index of the variant called `name`.
fn variant_id(variants: &[Variant], name: &str) -> Option<VariantId> {
    variants.iter().position(|v| v.name == name).map(|i| i as VariantId)
}

#[derive(Debug)]
pub(crate) struct CompiledPrerequisite {
    pub(crate) flag: FlagId,
    pub(crate) variants: Box<[VariantId]>,
}

#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub(crate) id: Box<str>,
    pub(crate) condition: CompiledCondition,
    pub(crate) serve: CompiledServe,
}

#[derive(Debug)]
pub(crate) enum CompiledServe {
    Variant(VariantId),
    Rollout(Box<CompiledRollout>),
}

#[derive(Debug)]
pub(crate) struct CompiledRollout {
    /// `seed:`, the constant prefix of every bucketing input.
    pub(crate) seed_prefix: SeedPrefix,
    pub(crate) unit: PathId,
    pub(crate) slots: Box<[(VariantId, u32)]>,
    pub(crate) exposure: CompiledExposure,
}

#[derive(Debug)]
pub(crate) enum CompiledExposure {
    Fixed(u32),
    Schedule(Box<[(EpochMillis, u32)]>, Interpolation),
}

#[derive(Debug)]
pub(crate) enum CompiledCondition {
    All(Box<[CompiledCondition]>),
    Any(Box<[CompiledCondition]>),
    Not(Box<CompiledCondition>),
    Segments(Box<[u32]>),
    Clause(CompiledClause),
}

#[derive(Debug)]
pub(crate) struct CompiledClause {
    pub(crate) path: PathId,
    pub(crate) op: model::Operator,
    pub(crate) negate: bool,
    pub(crate) matcher: Matcher,
}

#[derive(Debug)]
pub(crate) struct CompiledSegment {
    pub(crate) key: Box<str>,
    pub(crate) included: KeySet,
    pub(crate) excluded: KeySet,
    pub(crate) rules: Box<[CompiledCondition]>,
}

impl Snapshot {
    /// Compiles a payload, reporting every problem found. The payload's
    /// keys, names and values move into the snapshot instead of being copied.
    pub fn compile(payload: Payload) -> Result<Snapshot, Vec<CompileError>> {
        Compiler::new(&payload).run(payload)
    }

    /// What the snapshot says about itself.
    pub fn meta(&self) -> &SnapshotMeta {
        &self.meta
    }

    /// The id of a flag, for repeated evaluation without hashing the key.
    pub fn flag_id(&self, key: &str) -> Option<FlagId> {
        self.flag_index.get(key).copied()
    }

    /// A flag's key.
    pub fn flag_key(&self, id: FlagId) -> Option<&str> {
        self.flags.get(id.0 as usize).map(|flag| &*flag.key)
    }

    /// Flag keys in snapshot order.
    pub fn flag_keys(&self) -> impl Iterator<Item = &str> {
        self.flags.iter().map(|f| &*f.key)
    }

    /// The number of flags.
    pub fn flag_count(&self) -> usize {
        self.flags.len()
    }

    /// The declared type of a flag.
    pub fn flag_type(&self, id: FlagId) -> Option<FlagType> {
        self.flags.get(id.0 as usize).map(|f| f.value_type)
    }

    /// The variant a flag serves to every context at every time, if it has one:
    /// a disabled flag's off variant, or an enabled flag with no prerequisites,
    /// stickiness, targets or rules whose default is a plain variant. Hosts may
    /// cache its value and skip evaluation (details still need [`Snapshot::evaluate`]).
    pub fn constant_variant(&self, id: FlagId) -> Option<VariantId> {
        let flag = self.flags.get(id.0 as usize)?;
        if !flag.enabled {
            return Some(flag.off);
        }
        let plain = flag.prerequisites.is_empty() && flag.sticky_version.is_none() && !flag.has_targeting();
        match (&flag.default, plain) {
            (CompiledServe::Variant(variant), true) => Some(*variant),
            _ => None,
        }
    }

    /// The value of [`Snapshot::constant_variant`].
    pub fn constant_value(&self, id: FlagId) -> Option<&serde_json::Value> {
        let variant = self.constant_variant(id)?;
        Some(&self.flags[id.0 as usize].variants[variant as usize].value)
    }

    /// A flag's variant values in declaration order: what a variant id
    /// (`Detail::variant_id`) indexes. Empty for an unknown flag.
    pub fn variant_values(&self, id: FlagId) -> impl Iterator<Item = &serde_json::Value> {
        self.flags.get(id.0 as usize).into_iter().flat_map(|flag| flag.variants.iter().map(|v| &v.value))
    }

    /// A flag's variant names, in the same order as [`Snapshot::variant_values`].
    pub fn variant_names(&self, id: FlagId) -> impl Iterator<Item = &str> {
        self.flags.get(id.0 as usize).into_iter().flat_map(|flag| flag.variants.iter().map(|v| &*v.name))
    }

    /// A flag's rule ids, in evaluation order.
    pub fn rule_ids(&self, id: FlagId) -> impl Iterator<Item = &str> {
        self.flags.get(id.0 as usize).into_iter().flat_map(|flag| flag.rules.iter().map(|r| &*r.id))
    }

    /// Whether a flag's value can change with the evaluation time: it (or a
    /// prerequisite) has a rollout whose exposure follows a schedule. Other
    /// flags' values do not depend on `now`; only a detail's `STALE` reason does.
    pub fn depends_on_time(&self, id: FlagId) -> bool {
        let Some(flag) = self.flags.get(id.0 as usize) else { return false };
        let scheduled = |serve: &CompiledServe| matches!(serve, CompiledServe::Rollout(rollout) if matches!(rollout.exposure, CompiledExposure::Schedule(..)));
        // Recursion is bounded: the compiler limits prerequisite chains and their fan-out.
        flag.rules.iter().any(|rule| scheduled(&rule.serve))
            || scheduled(&flag.default)
            || flag.prerequisites.iter().any(|p| self.depends_on_time(p.flag))
    }

    /// Flags whose `stale_after` has passed at `now`: candidates for clean-up.
    pub fn stale_flags(&self, now: EpochMillis) -> impl Iterator<Item = &str> {
        self.flags.iter().filter(move |f| f.stale_after.is_some_and(|t| t <= now)).map(|f| &*f.key)
    }

    /// The context attributes the rollouts of a flag bucket by, e.g. to build
    /// synthetic units for a simulation.
    pub fn bucketing_attributes(&self, id: FlagId) -> Vec<&str> {
        let flag = self.flag(id);
        let serves = flag.rules.iter().map(|r| &r.serve).chain([&flag.default]);
        let mut attributes: Vec<&str> = serves
            .filter_map(|serve| match serve {
                CompiledServe::Rollout(rollout) => Some(&*self.path(rollout.unit).dotted),
                CompiledServe::Variant(_) => None,
            })
            .collect();
        crate::sorted::sort_by(&mut attributes, |a, b| a < b);
        attributes.dedup();
        attributes
    }

    pub(crate) fn flag(&self, id: FlagId) -> &CompiledFlag {
        &self.flags[id.0 as usize]
    }

    pub(crate) fn path(&self, id: PathId) -> &AttributePath {
        &self.paths[id as usize]
    }

    /// The value of attribute path `id` in a context; the context remembers
    /// where it found it for the next flag that asks.
    pub(crate) fn attribute<'c>(&self, context: &'c Context, id: PathId) -> Option<Value<'c>> {
        context.find_path(self.identity, id, || &self.path(id).keys)
    }
}

/// Compilation state: key indexes, interned paths, and the errors so far.
struct Compiler {
    flag_ids: KeyMap<FlagId>,
    segment_ids: KeyMap<u32>,
    paths: Vec<AttributePath>,
    path_ids: KeyMap<PathId>,
    errors: Vec<CompileError>,
}

impl Compiler {
    fn new(payload: &Payload) -> Self {
        let flag_ids = payload.flags.iter().enumerate().map(|(i, (k, _))| (k.into(), FlagId(i as u32))).collect();
        let segment_ids = payload.segments.iter().enumerate().map(|(i, (k, _))| (k.into(), i as u32)).collect();
        Compiler { flag_ids, segment_ids, paths: Vec::new(), path_ids: KeyMap::default(), errors: Vec::new() }
    }

    fn error(&mut self, at: &At<'_>, kind: CompileErrorKind) {
        self.errors.push(CompileError { path: at.to_string(), kind });
    }

    fn limit(&mut self, path: &At<'_>, what: &'static str, count: usize, limit: usize) -> bool {
        if count > limit {
            self.error(path, CompileErrorKind::TooMany { what, count, limit });
        }
        count <= limit
    }

    fn check_key(&mut self, path: &At<'_>, key: &str) {
        if key.is_empty() || key.len() > MAX_KEY_BYTES {
            self.error(path, CompileErrorKind::BadKey { key: key.to_owned() });
        }
    }

    fn run(mut self, payload: Payload) -> Result<Snapshot, Vec<CompileError>> {
        let Payload { schema, environment, version, issued_at, expires_at, segments, flags } = payload;
        if schema != model::SCHEMA_VERSION {
            self.error(&At::Root.key("schema"), CompileErrorKind::UnsupportedSchema(schema));
        }
        let flags_fit = self.limit(&At::Root.key("flags"), "flags", flags.len(), MAX_FLAGS);
        let segments_fit = self.limit(&At::Root.key("segments"), "segments", segments.len(), MAX_SEGMENTS);
        if !(flags_fit && segments_fit) {
            return Err(self.errors);
        }
        let segments: Vec<CompiledSegment> = segments.0.into_iter().map(|(key, segment)| self.segment(key, segment)).collect();
        let flags = self.flags(flags.0);
        self.check_segment_graph(&segments);
        self.check_prerequisite_graph(&flags);
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        Ok(Snapshot {
            identity: COMPILED.fetch_add(1, Ordering::Relaxed),
            meta: SnapshotMeta { environment, version, issued_at: issued_at.0, expires_at: expires_at.0 },
            flags: flags.into(),
            flag_index: self.flag_ids,
            segments: segments.into(),
            paths: self.paths.into(),
        })
    }

    fn intern(&mut self, dotted: &str) -> PathId {
        if let Some(&id) = self.path_ids.get(dotted) {
            return id;
        }
        let id = self.paths.len() as PathId;
        self.paths.push(AttributePath { dotted: dotted.into(), keys: dotted.split('.').map(Into::into).collect() });
        self.path_ids.insert(dotted.into(), id);
        id
    }

    fn key_set(&mut self, path: &At<'_>, keys: Vec<String>) -> KeySet {
        self.limit(path, "listed keys", keys.len(), MAX_LISTED_KEYS);
        keys.into_iter().map(String::into_boxed_str).collect()
    }

    fn segment(&mut self, key: String, segment: model::Segment) -> CompiledSegment {
        let segments = At::Root.key("segments");
        let path = segments.key(&key);
        self.check_key(&path, &key);
        let rules_at = path.key("rules");
        self.limit(&rules_at, "rules", segment.rules.len(), MAX_RULES);
        let rules = segment.rules.into_iter().enumerate().map(|(i, c)| self.condition(&rules_at.index(i), c, 0)).collect();
        CompiledSegment {
            included: self.key_set(&path.key("included"), segment.included),
            excluded: self.key_set(&path.key("excluded"), segment.excluded),
            key: key.into(),
            rules,
        }
    }

    /// Compiles every flag, then resolves the prerequisites, which may name
    /// the variants of flags further on.
    fn flags(&mut self, flags: Vec<(String, model::Flag)>) -> Vec<CompiledFlag> {
        let mut prerequisites = Vec::with_capacity(flags.len());
        let mut compiled: Vec<CompiledFlag> = flags
            .into_iter()
            .map(|(key, mut flag)| {
                prerequisites.push(std::mem::take(&mut flag.prerequisites));
                self.flag(key, flag)
            })
            .collect();
        for (id, listed) in prerequisites.into_iter().enumerate().filter(|(_, listed)| !listed.is_empty()) {
            compiled[id].prerequisites = self.prerequisites(&compiled, id, listed);
        }
        compiled
    }

    /// Compiles a flag without its prerequisites (see [`Compiler::flags`]).
    fn flag(&mut self, key: String, flag: model::Flag) -> CompiledFlag {
        let flags = At::Root.key("flags");
        let path = flags.key(&key);
        self.check_key(&path, &key);
        let model::Flag { value_type, stale_after, enabled, variants, off_variant, default, sticky, targets, rules, .. } = flag;
        let variants = self.variants(&path, value_type, variants);
        let lookup = |name: &str| variant_id(&variants, name);
        let off = self.resolve_variant(&path.key("off_variant"), &off_variant, &lookup);
        let default = self.serve(&path.key("default"), &key, &default, &lookup);
        let targets = self.targets(&path, targets, &lookup);
        let rules = self.rules(&path, &key, rules, &lookup);
        CompiledFlag {
            key: key.into(),
            value_type,
            stale_after: stale_after.map(|t| t.0),
            enabled,
            variants,
            off,
            default,
            prerequisites: Box::default(),
            sticky_version: sticky.map(|s| s.version),
            targets,
            rules,
        }
    }

    fn variants(&mut self, path: &At<'_>, value_type: FlagType, variants: model::KeyedMap<serde_json::Value>) -> Vec<Variant> {
        let path = path.key("variants");
        if variants.is_empty() {
            self.error(&path, CompileErrorKind::Empty("variants"));
        }
        self.limit(&path, "variants", variants.len(), MAX_VARIANTS);
        for (name, value) in variants.iter() {
            let variant_path = path.key(name);
            self.check_key(&variant_path, name);
            if !value_type.admits(value) {
                let expected = value_type.name();
                self.error(&variant_path, CompileErrorKind::VariantType { variant: name.to_owned(), expected });
            }
        }
        variants.0.into_iter().map(|(name, value)| Variant { name, value }).collect()
    }

    fn resolve_variant(&mut self, path: &At<'_>, name: &str, lookup: &dyn Fn(&str) -> Option<VariantId>) -> VariantId {
        lookup(name).unwrap_or_else(|| {
            self.error(path, CompileErrorKind::UnknownVariant(name.to_owned()));
            0
        })
    }

    /// Resolves the prerequisites `listed` by flag `id` against the compiled flags.
    fn prerequisites(&mut self, flags: &[CompiledFlag], id: usize, listed: Vec<model::Prerequisite>) -> Box<[CompiledPrerequisite]> {
        let (root, key) = (At::Root.key("flags"), &flags[id].key);
        let flag = root.key(key);
        let list = flag.key("prerequisites");
        let mut compiled = Vec::with_capacity(listed.len());
        for (i, prerequisite) in listed.iter().enumerate() {
            let path = list.index(i);
            let found = self.flag_ids.get(prerequisite.flag.as_str()).map(|&id| (id, &flags[id.0 as usize]));
            let Some((id, required)) = found else {
                self.error(&path.key("flag"), CompileErrorKind::UnknownFlag(prerequisite.flag.clone()));
                continue;
            };
            if prerequisite.variants.is_empty() {
                self.error(&path.key("variants"), CompileErrorKind::Empty("variants"));
            }
            let variants_at = path.key("variants");
            let lookup = |name: &str| required.variant_id(name);
            let variants = prerequisite
                .variants
                .iter()
                .enumerate()
                .map(|(j, name)| self.resolve_variant(&variants_at.index(j), name, &lookup))
                .collect();
            compiled.push(CompiledPrerequisite { flag: id, variants });
        }
        compiled.into()
    }

    fn targets(
        &mut self,
        path: &At<'_>,
        targets: model::KeyedMap<Vec<String>>,
        lookup: &dyn Fn(&str) -> Option<VariantId>,
    ) -> KeyMap<VariantId> {
        let total: usize = targets.iter().map(|(_, keys)| keys.len()).sum();
        let targets_at = path.key("targets");
        self.limit(&targets_at, "targeted keys", total, MAX_LISTED_KEYS);
        let mut compiled = KeyMap::default();
        for (variant, keys) in targets.0 {
            let variant_path = targets_at.key(&variant);
            let id = self.resolve_variant(&variant_path, &variant, lookup);
            for (i, key) in keys.into_iter().enumerate() {
                match compiled.entry(key.into_boxed_str()) {
                    Entry::Vacant(entry) => {
                        entry.insert(id);
                    }
                    Entry::Occupied(entry) if *entry.get() != id => {
                        self.error(&variant_path.index(i), CompileErrorKind::DuplicateTarget(entry.key().to_string()));
                    }
                    Entry::Occupied(_) => {}
                }
            }
        }
        compiled
    }

    fn rules(
        &mut self,
        path: &At<'_>,
        key: &str,
        rules: Vec<model::Rule>,
        lookup: &dyn Fn(&str) -> Option<VariantId>,
    ) -> Box<[CompiledRule]> {
        let rules_at = path.key("rules");
        self.limit(&rules_at, "rules", rules.len(), MAX_RULES);
        let compiled: Box<[CompiledRule]> = rules
            .into_iter()
            .enumerate()
            .map(|(i, rule)| {
                let rule_path = rules_at.index(i);
                if let Some(id) = &rule.id {
                    self.check_key(&rule_path.key("id"), id);
                }
                let id = rule.id.unwrap_or_else(|| default_rule_id(i)).into_boxed_str();
                let condition = self.condition(&rule_path.key("when"), rule.when, 0);
                let serve = self.serve(&rule_path.key("serve"), key, &rule.serve, lookup);
                CompiledRule { id, condition, serve }
            })
            .collect();
        let mut ids = SeenKeys::default();
        for (i, rule) in compiled.iter().enumerate() {
            if !ids.insert(Cow::Borrowed(&rule.id)) {
                self.error(&rules_at.index(i).key("id"), CompileErrorKind::DuplicateRuleId(rule.id.to_string()));
            }
        }
        compiled
    }

    fn serve(&mut self, path: &At<'_>, flag_key: &str, serve: &Serve, lookup: &dyn Fn(&str) -> Option<VariantId>) -> CompiledServe {
        match serve {
            Serve::Variant(name) => CompiledServe::Variant(self.resolve_variant(path, name, lookup)),
            Serve::Rollout(rollout) => CompiledServe::Rollout(Box::new(self.rollout(&path.key("rollout"), flag_key, rollout, lookup))),
        }
    }

    fn rollout(
        &mut self,
        path: &At<'_>,
        flag_key: &str,
        rollout: &model::Rollout,
        lookup: &dyn Fn(&str) -> Option<VariantId>,
    ) -> CompiledRollout {
        let split_path = path.key("split");
        if rollout.split.is_empty() {
            self.error(&split_path, CompileErrorKind::Empty("split"));
        }
        let mut slots: Vec<(VariantId, u32)> = Vec::with_capacity(rollout.split.len());
        for (i, slot) in rollout.split.iter().enumerate() {
            let slot_path = split_path.index(i);
            let id = self.resolve_variant(&slot_path.key("variant"), &slot.variant, lookup);
            if slots.iter().any(|&(existing, _)| existing == id) && lookup(&slot.variant).is_some() {
                self.error(&slot_path, CompileErrorKind::DuplicateSplitVariant(slot.variant.clone()));
            }
            slots.push((id, slot.weight.0));
        }
        let total: u32 = slots.iter().map(|&(_, w)| w).sum();
        if !slots.is_empty() && total != crate::bucket::BUCKETS {
            self.error(&split_path, CompileErrorKind::WeightsSum { total });
        }
        let seed = rollout.seed.as_deref().unwrap_or(flag_key);
        let unit = rollout.bucket_by.as_deref().unwrap_or(crate::eval::context::TARGETING_KEY);
        CompiledRollout {
            seed_prefix: SeedPrefix::new(seed),
            unit: self.intern(unit),
            slots: slots.into(),
            exposure: self.exposure(&path.key("exposure"), &rollout.exposure),
        }
    }

    fn exposure(&mut self, path: &At<'_>, exposure: &Exposure) -> CompiledExposure {
        let (points, interpolation) = match exposure {
            Exposure::Fixed(percent) => return CompiledExposure::Fixed(percent.0),
            Exposure::Steps(points) => (points, Interpolation::Step),
            Exposure::Linear(points) => (points, Interpolation::Linear),
        };
        if points.is_empty() {
            self.error(path, CompileErrorKind::Empty("schedule"));
        }
        self.limit(path, "schedule points", points.len(), MAX_SCHEDULE_POINTS);
        if points.windows(2).any(|w| w[0].at >= w[1].at) {
            self.error(path, CompileErrorKind::ScheduleOrder);
        }
        CompiledExposure::Schedule(points.iter().map(|p| (p.at.0, p.percent.0)).collect(), interpolation)
    }

    fn conditions(&mut self, path: &At<'_>, conditions: Vec<Condition>, depth: usize) -> Box<[CompiledCondition]> {
        conditions.into_iter().enumerate().map(|(i, c)| self.condition(&path.index(i), c, depth)).collect()
    }

    fn condition(&mut self, path: &At<'_>, condition: Condition, depth: usize) -> CompiledCondition {
        if depth > MAX_CONDITION_DEPTH {
            self.error(path, CompileErrorKind::TooDeep { limit: MAX_CONDITION_DEPTH });
            return CompiledCondition::All(Box::new([]));
        }
        match condition {
            Condition::All { all } => CompiledCondition::All(self.conditions(&path.key("all"), all, depth + 1)),
            Condition::Any { any } => CompiledCondition::Any(self.conditions(&path.key("any"), any, depth + 1)),
            Condition::Not { not } => CompiledCondition::Not(Box::new(self.condition(&path.key("not"), *not, depth + 1))),
            Condition::Segment { segment } => {
                let ids = segment
                    .into_iter()
                    .filter_map(|key| {
                        let id = self.segment_ids.get(key.as_str()).copied();
                        if id.is_none() {
                            self.error(&path.key("segment"), CompileErrorKind::UnknownSegment(key));
                        }
                        id
                    })
                    .collect();
                CompiledCondition::Segments(ids)
            }
            Condition::Clause(clause) => {
                let values = clause.values.0;
                self.limit(&path.key("values"), "clause values", values.len(), MAX_CLAUSE_VALUES);
                let matcher = Matcher::compile(clause.op, values, clause.ignore_case).unwrap_or_else(|kind| {
                    self.error(path, kind);
                    Matcher::Exists
                });
                if clause.attribute.is_empty() {
                    self.error(&path.key("attribute"), CompileErrorKind::BadKey { key: String::new() });
                }
                CompiledClause { path: self.intern(&clause.attribute), op: clause.op, negate: clause.negate, matcher }.into()
            }
        }
    }

    fn check_segment_graph(&mut self, segments: &[CompiledSegment]) {
        let edges: Vec<Vec<usize>> = segments
            .iter()
            .map(|s| {
                let mut refs = Vec::new();
                s.rules.iter().for_each(|c| c.segment_refs(&mut refs));
                refs
            })
            .collect();
        let name = |i: usize| segments[i].key.to_string();
        if let Some((node, problem)) = reference_problem(&edges, name, CompileErrorKind::SegmentCycle) {
            self.error(&At::Root.key("segments").key(&node), problem);
        }
    }

    fn check_prerequisite_graph(&mut self, flags: &[CompiledFlag]) {
        let edges: Vec<Vec<usize>> = flags.iter().map(|f| f.prerequisites.iter().map(|p| p.flag.0 as usize).collect()).collect();
        let name = |i: usize| flags[i].key.to_string();
        if let Some((node, problem)) = reference_problem(&edges, name, CompileErrorKind::PrerequisiteCycle) {
            self.error(&At::Root.key("flags").key(&node).key("prerequisites"), problem);
        }
    }
}

/// The first way a reference graph breaks the limits — a cycle, a chain
/// too long, or references fanning out too far — as the name of the node
/// to report it at and the error; `cycle` makes the error for a cycle from
/// the names along it.
fn reference_problem(
    edges: &[Vec<usize>],
    name: impl Fn(usize) -> String,
    cycle: fn(Vec<String>) -> CompileErrorKind,
) -> Option<(String, CompileErrorKind)> {
    match check_acyclic(edges, MAX_REFERENCE_DEPTH).and_then(|()| check_expansion(edges, MAX_REFERENCE_VISITS)) {
        Ok(()) => None,
        Err(GraphError::Cycle(nodes)) => Some((name(nodes[0]), cycle(nodes.into_iter().map(&name).collect()))),
        Err(GraphError::TooDeep(node)) => Some((name(node), CompileErrorKind::TooDeep { limit: MAX_REFERENCE_DEPTH })),
        Err(GraphError::TooWide(node)) => Some((name(node), CompileErrorKind::TooWide { limit: MAX_REFERENCE_VISITS })),
    }
}

impl From<CompiledClause> for CompiledCondition {
    fn from(clause: CompiledClause) -> Self {
        CompiledCondition::Clause(clause)
    }
}

impl CompiledCondition {
    /// Collects the segments this condition refers to.
    fn segment_refs(&self, out: &mut Vec<usize>) {
        match self {
            CompiledCondition::All(items) | CompiledCondition::Any(items) => items.iter().for_each(|c| c.segment_refs(out)),
            CompiledCondition::Not(inner) => inner.segment_refs(out),
            CompiledCondition::Segments(ids) => out.extend(ids.iter().map(|&i| i as usize)),
            CompiledCondition::Clause(_) => {}
        }
    }
}
