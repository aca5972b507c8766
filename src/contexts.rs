//! Contexts held inside the module and addressed from JS by handle. A handle
//! is a number, so creating a context costs JS no wasm-bindgen object; a
//! freed slot keeps its buffers for the next context, so a context per
//! request allocates nothing once the slab has warmed up; and a handle
//! carries its slot's generation, so a stale or forged handle finds nothing
//! instead of another unit's attributes.

use crate::eval::{Assignment, Assignments, Context, ContextError, Detail, Input, NewAssignment};
use crate::{FlagId, Snapshot};
use std::cell::RefCell;

/// Live contexts at most: slot indices take the low 24 bits of a handle.
pub const MAX_LIVE_CONTEXTS: usize = 1 << 24;
/// Buffer bytes a freed slot keeps for reuse; a context that needed more gives the rest back.
const KEPT_BYTES: usize = 4096;
/// Generations wrap below this, keeping handles exact in a JS number (2^24 × 2^29 = 2^53).
const GENERATIONS: u32 = 1 << 29;
/// The bits of a handle that hold the slot index; the generation sits above them.
const INDEX_BITS: u32 = 24;

/// A context converted once for many evaluations, with the unit's stored
/// sticky assignments and the new ones made while evaluating.
#[derive(Default)]
pub struct EvalContext {
    context: Context,
    assignments: Assignments,
    fresh: Vec<Assignment>,
}

impl EvalContext {
    /// Evaluates one flag for this context, remembering a new sticky assignment.
    pub fn evaluate<'s>(&mut self, snapshot: &'s Snapshot, id: FlagId, now: f64) -> Detail<'s> {
        let input = Input::new(&self.context, now as i64).with_assignments(&self.assignments);
        let detail = snapshot.evaluate_id(id, &input);
        if let Some(new) = &detail.new_assignment {
            self.keep_assignment(new);
        }
        detail
    }

    /// Keeps a new sticky assignment. Out of line, so that the common
    /// evaluation builds its detail where the caller wants it rather than
    /// in a frame of its own that a `memory.copy` then moves (in wasm).
    #[inline(never)]
    fn keep_assignment(&mut self, new: &NewAssignment<'_>) {
        let assignment = Assignment { flag: new.flag.to_owned(), variant: new.variant.to_owned(), version: new.version };
        self.assignments.set(assignment.clone());
        self.fresh.push(assignment);
    }

    /// The assignments made since the last call.
    pub fn take_fresh(&mut self) -> Vec<Assignment> {
        std::mem::take(&mut self.fresh)
    }
}

/// Why a context could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// The attributes were refused.
    Context(ContextError),
    /// [`MAX_LIVE_CONTEXTS`] are open.
    TooMany,
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            OpenError::Context(refused) => refused.fmt(f),
            OpenError::TooMany => write!(f, "more than {MAX_LIVE_CONTEXTS} contexts are open"),
        }
    }
}

struct Slot {
    generation: u32,
    live: bool,
    context: EvalContext,
}

/// Every context of the module: slots, and the free ones' indices (last freed reused first).
#[derive(Default)]
struct Slab {
    slots: Vec<Slot>,
    vacant: Vec<u32>,
}

thread_local! {
    static SLAB: RefCell<Slab> = RefCell::default();
}

/// Opens a context: `read` reads its attributes (from JSON or the compact
/// form) and answers the unit's stored assignments. Returns its handle (never 0).
pub fn open(read: impl FnOnce(&mut Context) -> Result<Assignments, ContextError>) -> Result<f64, OpenError> {
    SLAB.with_borrow_mut(|slab| {
        let index = match slab.vacant.pop() {
            Some(index) => index,
            None if slab.slots.len() < MAX_LIVE_CONTEXTS => {
                slab.slots.push(Slot { generation: 1, live: false, context: EvalContext::default() });
                (slab.slots.len() - 1) as u32
            }
            None => return Err(OpenError::TooMany),
        };
        let slot = &mut slab.slots[index as usize];
        match read(&mut slot.context.context) {
            Ok(assignments) => slot.context.assignments = assignments,
            Err(refused) => {
                slab.vacant.push(index);
                return Err(OpenError::Context(refused));
            }
        }
        slot.live = true;
        Ok(handle(index, slot.generation))
    })
}

/// Closes a context; unknown and already closed handles are ignored.
pub fn close(handle: f64) {
    SLAB.with_borrow_mut(|slab| {
        let Some(index) = live_index(slab, handle) else { return };
        let slot = &mut slab.slots[index];
        slot.live = false;
        slot.generation = slot.generation % (GENERATIONS - 1) + 1; // 1 ..= GENERATIONS - 1, never 0
        slot.context.context.shrink_to(KEPT_BYTES);
        slot.context.assignments = Assignments::new();
        slot.context.fresh = Vec::new();
        slab.vacant.push(index as u32);
    })
}

/// Runs `use_context` on a live context; `None` for an unknown or closed handle.
pub fn with<T>(handle: f64, use_context: impl FnOnce(&mut EvalContext) -> T) -> Option<T> {
    SLAB.with_borrow_mut(|slab| {
        let index = live_index(slab, handle)?;
        Some(use_context(&mut slab.slots[index].context))
    })
}

fn handle(index: u32, generation: u32) -> f64 {
    (u64::from(generation) << INDEX_BITS | u64::from(index)) as f64
}

fn live_index(slab: &Slab, handle: f64) -> Option<usize> {
    let bits = handle as u64;
    let index = (bits & ((1 << INDEX_BITS) - 1)) as usize;
    let slot = slab.slots.get(index)?;
    (slot.live && bits >> INDEX_BITS == u64::from(slot.generation) && bits as f64 == handle).then_some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_json(attributes: &str) -> Result<f64, OpenError> {
        open(|context| context.read_json(attributes).map(|()| Assignments::new()))
    }

    #[test]
    fn a_closed_handle_finds_nothing_even_when_its_slot_is_reused() {
        let first = open_json(r#"{"targetingKey":"a"}"#).unwrap();
        assert!(with(first, |_| ()).is_some());
        close(first);
        assert!(with(first, |_| ()).is_none());
        let second = open_json(r#"{"targetingKey":"b"}"#).unwrap();
        assert_ne!(first, second, "the reused slot has a new generation");
        assert!(with(first, |_| ()).is_none());
        close(first);
        assert!(with(second, |_| ()).is_some(), "closing a stale handle leaves the slot's new context alone");
        close(second);
    }

    #[test]
    fn forged_handles_find_nothing() {
        let live = open_json("{}").unwrap();
        for forged in [0.0, -1.0, f64::NAN, f64::INFINITY, live + 0.5, live + (1u64 << INDEX_BITS) as f64, 1e300] {
            assert!(with(forged, |_| ()).is_none(), "{forged}");
        }
        close(live);
    }

    #[test]
    fn a_context_remembers_its_sticky_assignments_until_taken() {
        let payload = br#"{"schema":1,"environment":"test","version":1,"issued_at":0,"expires_at":4102444800000,
          "flags":{"experiment":{"type":"string","variants":{"x":"X","y":"Y"},"off_variant":"x","sticky":{"version":2},
            "default":{"rollout":{"split":[{"variant":"x","weight":50},{"variant":"y","weight":50}]}}}}}"#;
        let mut engine = crate::Engine::new(crate::Keyring::from_hex(Vec::<String>::new()).unwrap(), crate::Policy::new("test"));
        engine.load_unverified_payload(payload).unwrap();
        let snapshot = engine.snapshot().unwrap();
        let id = snapshot.flag_id("experiment").unwrap();
        let handle = open_json(r#"{"targetingKey":"u-1"}"#).unwrap();
        let served = with(handle, |context| context.evaluate(snapshot, id, 1_000.0).variant_id).unwrap();
        let fresh = with(handle, EvalContext::take_fresh).unwrap();
        assert_eq!(fresh.len(), 1);
        assert_eq!((fresh[0].flag.as_str(), fresh[0].version), ("experiment", 2));
        let again = with(handle, |context| context.evaluate(snapshot, id, 1_000.0)).unwrap();
        assert_eq!(again.variant_id, served);
        assert!(again.new_assignment.is_none(), "the stored assignment serves");
        assert!(with(handle, EvalContext::take_fresh).unwrap().is_empty());
        close(handle);
    }

    #[test]
    fn a_refused_context_takes_no_slot() {
        let before = SLAB.with_borrow(|slab| slab.slots.len() - slab.vacant.len());
        assert!(matches!(open_json("[1]"), Err(OpenError::Context(ContextError::NotAnObject))));
        assert_eq!(SLAB.with_borrow(|slab| slab.slots.len() - slab.vacant.len()), before);
    }
}
