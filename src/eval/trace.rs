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
    Prerequisite { flag: &'s str, variant: Option<&'s str>, satisfied: bool },
    /// A stored sticky assignment was found.
    Sticky { variant: &'s str, stored_version: u32, served: bool },
    /// Individual targets were consulted.
    Target { variant: Option<&'s str> },
    /// A rule's condition was evaluated.
    Rule { id: &'s str, matched: bool },
    /// A clause inside a condition was tested.
    Clause { attribute: &'s str, op: Operator, negate: bool, outcome: ClauseOutcome },
    /// A segment was tested.
    Segment { key: &'s str, matched: bool },
    /// A rollout bucketed the unit (`bucket` is `None` when the unit was missing).
    Rollout { bucket: Option<u32>, exposure: u32, variant: Option<&'s str> },
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
