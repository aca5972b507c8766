//! Evaluation traces: the steps behind a decision, for `edgeflag explain`.
//! The hot path uses [`NoTrace`], which compiles away.

use super::ClauseOutcome;
use crate::model::Operator;

/// One step of the evaluation order.
#[derive(Debug, Clone, PartialEq)]
pub enum Step<'s> {
    /// The flag is switched off.
    Disabled,
    /// A prerequisite was evaluated.
    Prerequisite {
        /// The prerequisite flag's key.
        flag: &'s str,
        /// The variant it landed on, if any.
        variant: Option<&'s str>,
        /// Whether that variant is one the prerequisite requires.
        satisfied: bool,
    },
    /// A stored sticky assignment was found.
    Sticky {
        /// The stored variant.
        variant: &'s str,
        /// The sticky version it was stored under.
        stored_version: u32,
        /// Whether it was served (its version is the flag's current one).
        served: bool,
    },
    /// Individual targets were consulted.
    Target {
        /// The variant the unit is targeted to, if it is.
        variant: Option<&'s str>,
    },
    /// A rule's condition was evaluated.
    Rule {
        /// The rule's id.
        id: &'s str,
        /// Whether its condition held.
        matched: bool,
    },
    /// A clause inside a condition was tested.
    Clause {
        /// The attribute path, dotted.
        attribute: &'s str,
        /// The operator.
        op: Operator,
        /// Whether the clause is negated.
        negate: bool,
        /// What the operator found (before negation).
        outcome: ClauseOutcome,
    },
    /// A segment was tested.
    Segment {
        /// The segment's key.
        key: &'s str,
        /// Whether the unit is in it.
        matched: bool,
    },
    /// A rollout bucketed the unit (`bucket` is `None` when the unit was missing).
    Rollout {
        /// The unit's bucket, out of 100,000.
        bucket: Option<u32>,
        /// The exposure at the evaluation time, in thousandths of a percent.
        exposure: u32,
        /// The variant the bucket fell in, if inside the exposure.
        variant: Option<&'s str>,
    },
    /// The default was reached.
    Default,
}

/// Receives the steps of an evaluation.
pub trait Tracer<'s> {
    /// Records one step.
    fn record(&mut self, step: Step<'s>);
}

/// Records nothing.
pub struct NoTrace;

impl<'s> Tracer<'s> for NoTrace {
    #[inline(always)]
    fn record(&mut self, _: Step<'s>) {}
}

impl<'s> Tracer<'s> for Vec<Step<'s>> {
    fn record(&mut self, step: Step<'s>) {
        self.push(step);
    }
}
