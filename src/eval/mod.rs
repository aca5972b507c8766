//! The evaluator: DESIGN.md's order, first hit wins — unknown flag, disabled,
//! prerequisites, sticky assignment, individual targets, rules, default.
//! Evaluation never panics and never fails: errors are details.

pub mod context;
mod detail;
mod sticky;
pub mod trace;
mod typed;

pub use crate::compile::matcher::ClauseOutcome;
pub use context::{CompactError, Context, ContextError, Malformed, Value};
pub use detail::{Detail, ErrorCode, NewAssignment, Reason};
pub use sticky::{Assignment, Assignments};
pub use trace::{NoTrace, Step, Tracer};
pub use typed::{FlagValue, Resolved};

use crate::bucket::{scheduled_exposure, slot_of};
use crate::compile::{CompiledCondition, CompiledExposure, CompiledFlag, CompiledRollout, CompiledServe, FlagId, Snapshot, VariantId};
use crate::time::EpochMillis;

/// What one evaluation reads: the context, the unit's stored sticky
/// assignments, and the instant used for schedules and staleness.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The unit's attributes.
    pub context: &'a Context,
    /// Sticky assignments stored for this unit.
    pub assignments: &'a Assignments,
    /// Evaluation time in epoch milliseconds.
    pub now: EpochMillis,
}

const NO_ASSIGNMENTS: &Assignments = &Assignments::EMPTY;

impl<'a> Input<'a> {
    /// An input without sticky assignments.
    pub fn new(context: &'a Context, now: EpochMillis) -> Input<'a> {
        Input { context, assignments: NO_ASSIGNMENTS, now }
    }

    /// The same input with stored sticky assignments.
    pub fn with_assignments(self, assignments: &'a Assignments) -> Input<'a> {
        Input { assignments, ..self }
    }
}

/// A unit identifier as bucketing and target look-ups see it: a string, or an
/// integer in canonical decimal.
enum UnitKey<'v> {
    Text(&'v str),
    Integer([u8; 20], usize),
}

impl<'v> UnitKey<'v> {
    #[inline]
    fn of(value: Value<'v>) -> Option<UnitKey<'v>> {
        if let Value::Str(s) = value {
            return Some(UnitKey::Text(s));
        }
        let n = value.as_integer()?;
        let mut buf = [0u8; 20];
        let mut at = buf.len();
        let mut rest = n.unsigned_abs();
        loop {
            at -= 1;
            buf[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if n < 0 {
            at -= 1;
            buf[at] = b'-';
        }
        Some(UnitKey::Integer(buf, at))
    }

    #[inline]
    fn as_str(&self) -> &str {
        match self {
            UnitKey::Text(s) => s,
            // Only ASCII digits and '-' were written.
            UnitKey::Integer(buf, at) => std::str::from_utf8(&buf[*at..]).unwrap_or_default(),
        }
    }
}

impl Snapshot {
    /// Evaluates a flag by key.
    pub fn evaluate(&self, key: &str, input: &Input<'_>) -> Detail<'_> {
        match self.flag_id(key) {
            Some(id) => self.evaluate_id(id, input),
            None => Detail::error(ErrorCode::FlagNotFound),
        }
    }

    /// Evaluates a flag by id (see [`Snapshot::flag_id`]); an id from another snapshot gives `FLAG_NOT_FOUND`.
    pub fn evaluate_id(&self, id: FlagId, input: &Input<'_>) -> Detail<'_> {
        self.evaluate_traced(id, input, &mut NoTrace)
    }

    /// Evaluates a flag and records every step, for explanations.
    pub fn explain(&self, key: &str, input: &Input<'_>) -> (Detail<'_>, Vec<Step<'_>>) {
        let mut steps = Vec::new();
        let detail = match self.flag_id(key) {
            Some(id) => self.evaluate_traced(id, input, &mut steps),
            None => Detail::error(ErrorCode::FlagNotFound),
        };
        (detail, steps)
    }

    /// Evaluates every flag, in snapshot order.
    pub fn evaluate_all<'s>(&'s self, input: &Input<'_>) -> Vec<(&'s str, Detail<'s>)> {
        (0..self.flags.len())
            .map(|i| {
                let id = FlagId(i as u32);
                (&*self.flag(id).key, self.evaluate_id(id, input))
            })
            .collect()
    }

    fn evaluate_traced<'s, T: Tracer<'s>>(&'s self, id: FlagId, input: &Input<'_>, tracer: &mut T) -> Detail<'s> {
        let Some(flag) = self.flags.get(id.0 as usize) else {
            return Detail::error(ErrorCode::FlagNotFound);
        };
        let mut detail = self.decide(flag, input, tracer);
        if input.now > self.meta.expires_at && detail.reason != Reason::Error {
            detail.reason = Reason::Stale;
        }
        detail
    }

    fn decide<'s, T: Tracer<'s>>(&'s self, flag: &'s CompiledFlag, input: &Input<'_>, tracer: &mut T) -> Detail<'s> {
        if !flag.enabled {
            tracer.record(Step::Disabled);
            return served(flag, flag.off, Reason::Disabled);
        }
        if let Some(failed) = self.failed_prerequisite(flag, input, tracer) {
            let mut detail = served(flag, flag.off, Reason::PrerequisiteFailed);
            detail.failed_prerequisite = Some(failed);
            return detail;
        }
        if let Some(detail) = self.stored_assignment(flag, input, tracer) {
            return detail;
        }
        if let Some(variant) = self.target(flag, input.context, tracer) {
            return served(flag, variant, Reason::TargetingMatch);
        }
        let mut unit_missing = false;
        for rule in flag.rules.iter() {
            let matched = self.condition_holds(&rule.condition, input.context, tracer);
            tracer.record(Step::Rule { id: &rule.id, matched });
            if !matched {
                continue;
            }
            let mut detail = match &rule.serve {
                CompiledServe::Variant(variant) => served(flag, *variant, Reason::TargetingMatch),
                CompiledServe::Rollout(rollout) => match self.roll(flag, rollout, input, tracer) {
                    Ok(split) => split.detail(flag),
                    Err(missing) => {
                        unit_missing |= missing;
                        continue;
                    }
                },
            };
            detail.rule_id = Some(&rule.id);
            detail.unit_missing = unit_missing;
            return detail;
        }
        tracer.record(Step::Default);
        let fallback = if flag.has_targeting() { Reason::Default } else { Reason::Static };
        let mut detail = match &flag.default {
            CompiledServe::Variant(variant) => served(flag, *variant, fallback),
            CompiledServe::Rollout(rollout) => match self.roll(flag, rollout, input, tracer) {
                Ok(split) => split.detail(flag),
                Err(missing) => {
                    unit_missing |= missing;
                    served(flag, flag.off, Reason::Default)
                }
            },
        };
        detail.unit_missing = unit_missing;
        detail
    }

    /// The key of the first prerequisite that did not land on a required variant.
    fn failed_prerequisite<'s, T: Tracer<'s>>(&'s self, flag: &CompiledFlag, input: &Input<'_>, tracer: &mut T) -> Option<&'s str> {
        flag.prerequisites.iter().find_map(|prerequisite| {
            let required = self.flag(prerequisite.flag);
            let outcome = self.decide(required, input, &mut NoTrace);
            let satisfied = outcome.variant_id.is_some_and(|v| prerequisite.variants.contains(&v));
            tracer.record(Step::Prerequisite { flag: &required.key, variant: outcome.variant, satisfied });
            (!satisfied).then_some(&*required.key)
        })
    }

    fn stored_assignment<'s, T: Tracer<'s>>(&'s self, flag: &'s CompiledFlag, input: &Input<'_>, tracer: &mut T) -> Option<Detail<'s>> {
        let version = flag.sticky_version?;
        let stored = input.assignments.get(&flag.key)?;
        let variant = flag.variant_id(&stored.variant);
        let served_now = stored.version == version && variant.is_some();
        if let Some(id) = variant {
            tracer.record(Step::Sticky { variant: &flag.variants[id as usize].name, stored_version: stored.version, served: served_now });
        }
        if !served_now {
            return None;
        }
        let mut detail = served(flag, variant?, Reason::Split);
        detail.sticky = true;
        Some(detail)
    }

    fn target<'s, T: Tracer<'s>>(&'s self, flag: &'s CompiledFlag, context: &Context, tracer: &mut T) -> Option<VariantId> {
        if flag.targets.is_empty() {
            return None;
        }
        let key = context.targeting_key().and_then(UnitKey::of);
        let variant = key.and_then(|k| flag.targets.get(k.as_str()).copied());
        tracer.record(Step::Target { variant: variant.map(|v| &*flag.variants[v as usize].name) });
        variant
    }

    /// Buckets the unit; `Err(unit_missing)` when it falls outside the rollout.
    fn roll<'s, T: Tracer<'s>>(
        &'s self,
        flag: &'s CompiledFlag,
        rollout: &CompiledRollout,
        input: &Input<'_>,
        tracer: &mut T,
    ) -> Result<Split, bool> {
        let exposure = match &rollout.exposure {
            CompiledExposure::Fixed(e) => *e,
            CompiledExposure::Schedule(points, interpolation) => scheduled_exposure(points, *interpolation, input.now),
        };
        let unit = self.attribute(input.context, rollout.unit).and_then(UnitKey::of);
        let Some(unit) = unit else {
            tracer.record(Step::Rollout { bucket: None, exposure, variant: None });
            return Err(true);
        };
        let bucket = rollout.seed_prefix.bucket(unit.as_str().as_bytes());
        let slot = slot_of(rollout.slots.iter().map(|&(_, w)| w), bucket, exposure);
        let variant = slot.map(|s| rollout.slots[s].0);
        tracer.record(Step::Rollout { bucket: Some(bucket), exposure, variant: variant.map(|v| &*flag.variants[v as usize].name) });
        let variant = variant.ok_or(false)?;
        Ok(Split { variant, bucket, exposure })
    }

    fn condition_holds<'s, T: Tracer<'s>>(&'s self, condition: &'s CompiledCondition, context: &Context, tracer: &mut T) -> bool {
        match condition {
            CompiledCondition::All(items) => items.iter().all(|c| self.condition_holds(c, context, tracer)),
            CompiledCondition::Any(items) => items.iter().any(|c| self.condition_holds(c, context, tracer)),
            CompiledCondition::Not(inner) => !self.condition_holds(inner, context, tracer),
            CompiledCondition::Segments(ids) => ids.iter().any(|&id| self.in_segment(id, context, tracer)),
            CompiledCondition::Clause(clause) => {
                let path = self.path(clause.path);
                let outcome = self.attribute(context, clause.path).map_or(ClauseOutcome::Missing, |v| clause.matcher.test(v));
                tracer.record(Step::Clause { attribute: &path.dotted, op: clause.op, negate: clause.negate, outcome });
                match outcome {
                    ClauseOutcome::Missing | ClauseOutcome::TooLong => false,
                    ClauseOutcome::Match => !clause.negate,
                    ClauseOutcome::NoMatch | ClauseOutcome::TypeMismatch => clause.negate,
                }
            }
        }
    }

    fn in_segment<'s, T: Tracer<'s>>(&'s self, id: u32, context: &Context, tracer: &mut T) -> bool {
        let segment = &self.segments[id as usize];
        let key = context.targeting_key().and_then(UnitKey::of);
        let listed = |set: &crate::key_hash::KeySet| key.as_ref().is_some_and(|k| set.contains(k.as_str()));
        let matched = !listed(&segment.excluded)
            && (listed(&segment.included) || segment.rules.iter().any(|c| self.condition_holds(c, context, tracer)));
        tracer.record(Step::Segment { key: &segment.key, matched });
        matched
    }
}

/// Where a rollout placed a unit. Kept small so that a rollout's detail is
/// built where it is returned: a copy of the whole detail (80 bytes) is a
/// `memory.copy` call in wasm.
struct Split {
    variant: VariantId,
    bucket: u32,
    exposure: u32,
}

impl Split {
    /// The detail serving the split's variant, with the bucket, the exposure
    /// and, for a sticky flag, the assignment to persist. Out of line: inlined
    /// into `decide`, it cost its other paths 3–4 instructions (natively).
    #[inline(never)]
    fn detail(self, flag: &CompiledFlag) -> Detail<'_> {
        let mut detail = served(flag, self.variant, Reason::Split);
        detail.bucket = Some(self.bucket);
        detail.exposure = Some(self.exposure);
        if let Some(version) = flag.sticky_version {
            detail.new_assignment = Some(NewAssignment { flag: &flag.key, variant: &flag.variants[self.variant as usize].name, version });
        }
        detail
    }
}

/// A detail serving one variant of a flag.
fn served(flag: &CompiledFlag, variant: VariantId, reason: Reason) -> Detail<'_> {
    let chosen = &flag.variants[variant as usize];
    Detail { value: Some(&chosen.value), variant: Some(&chosen.name), variant_id: Some(variant), ..Detail::bare(reason) }
}
