//! Documented limits on snapshots, enforced when a snapshot is built and when
//! it is loaded. They bound memory, load time and evaluation recursion.

/// Largest accepted signed envelope, in bytes (checked before anything else).
pub const MAX_ENVELOPE_BYTES: usize = 16 * 1024 * 1024;
/// Flags in one snapshot.
pub const MAX_FLAGS: usize = 20_000;
/// Segments in one snapshot.
pub const MAX_SEGMENTS: usize = 10_000;
/// Variants of one flag.
pub const MAX_VARIANTS: usize = 256;
/// Rules of one flag or one segment.
pub const MAX_RULES: usize = 1_000;
/// Values of one clause.
pub const MAX_CLAUSE_VALUES: usize = 10_000;
/// Unit keys listed in one flag's targets or one segment's included/excluded lists.
pub const MAX_LISTED_KEYS: usize = 100_000;
/// Nesting of all / any / not inside one condition.
pub const MAX_CONDITION_DEPTH: usize = 16;
/// Length of a chain of prerequisites, or of segments referring to segments.
pub const MAX_REFERENCE_DEPTH: usize = 16;
/// Flag (or segment) evaluations one evaluation may trigger through
/// prerequisites (or segment references), counting shared ones each time.
pub const MAX_REFERENCE_VISITS: u64 = 1_000;
/// Points of one exposure schedule.
pub const MAX_SCHEDULE_POINTS: usize = 100;
/// Bytes of one regular expression pattern.
pub const MAX_PATTERN_BYTES: usize = 1_024;
/// Instructions one regular expression compiles to (about one per character
/// matched, plus one per alternative and repetition); a search costs at
/// most this many steps per character of the text.
pub const MAX_REGEX_INSTRUCTIONS: usize = 4_096;
/// Bytes of a context string that `matches` searches. A longer one is not
/// searched and the clause does not hold, negated or not: a search costs up
/// to (bytes of the text) × (instructions of the pattern) steps, and the text
/// may come from a request header.
pub const MAX_SEARCHED_BYTES: usize = 4 * 1024;
/// Bytes of a flag, segment, variant or rule key.
pub const MAX_KEY_BYTES: usize = 256;
/// Signatures read from one envelope.
pub const MAX_SIGNATURES: usize = 16;
