//! The stateful evaluator a host keeps: the trusted keyring and policy, the
//! serving snapshot, and the newest version accepted. Loads are atomic: a
//! refused snapshot leaves the serving one in place.

use crate::compile::{Snapshot, SnapshotMeta};
use crate::envelope::{parse_payload, verify, Keyring, Policy, SnapshotError};
use crate::model::decode::Decoded;
use crate::time::EpochMillis;
use std::sync::Arc;

/// Holds the serving snapshot and guards what replaces it.
#[derive(Debug)]
pub struct Engine {
    keyring: Keyring,
    policy: Policy,
    serving: Option<Arc<Snapshot>>,
    /// The serving snapshot's flag fingerprints, in its flag order.
    fingerprints: Vec<u64>,
    highest_version: Option<u64>,
}

/// What a successful load changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadReport {
    /// Keys of flags added, removed or edited since the previous snapshot
    /// (every flag on the first load), in the new snapshot's order, removed ones last.
    pub changed: Vec<String>,
}

/// A snapshot's flag keys paired with their fingerprints; none without a snapshot.
fn fingerprinted<'a>(snapshot: Option<&'a Snapshot>, fingerprints: &[u64]) -> Vec<(&'a str, u64)> {
    snapshot.into_iter().flat_map(Snapshot::flag_keys).zip(fingerprints.iter().copied()).collect()
}

/// The keys of flags edited, added or removed from `old` to `new` (flag keys
/// with fingerprints, in snapshot order). `old_fingerprint` and `in_new` look
/// a key up in the snapshots' own flag indexes, so no map is built per load.
fn changed_keys(
    old: &[(&str, u64)],
    new: &[(&str, u64)],
    old_fingerprint: impl Fn(&str) -> Option<u64>,
    in_new: impl Fn(&str) -> bool,
) -> Vec<String> {
    // Versions of a snapshot mostly list the same flags in the same order:
    // that common run is compared pair by pair, and only the rest looked up.
    let same = old.iter().zip(new).take_while(|((a, _), (b, _))| a == b).count();
    let edited_in_run = new[..same].iter().zip(&old[..same]).filter(|((_, a), (_, b))| a != b).map(|(entry, _)| entry);
    let edited = new[same..].iter().filter(|(key, hash)| old_fingerprint(key) != Some(*hash));
    let removed = old[same..].iter().filter(|(key, _)| !in_new(key));
    edited_in_run.chain(edited).chain(removed).map(|(key, _)| (*key).to_owned()).collect()
}

impl Engine {
    /// An engine that trusts `keyring` and enforces `policy`; it serves nothing yet.
    pub fn new(keyring: Keyring, policy: Policy) -> Engine {
        Engine { keyring, policy, serving: None, fingerprints: Vec::new(), highest_version: None }
    }

    /// Verifies a signed envelope and, if every check passes, serves it.
    pub fn load(&mut self, envelope: &[u8], now: EpochMillis) -> Result<LoadReport, SnapshotError> {
        let verified = verify(envelope, &self.keyring, &self.policy, self.highest_version, now)?;
        Ok(self.serve(verified.snapshot, verified.fingerprints))
    }

    /// Serves a payload **without verifying any signature, environment, expiry or
    /// version**: for tests and local development only. The payload must still
    /// parse and compile.
    pub fn load_unverified_payload(&mut self, payload: &[u8]) -> Result<LoadReport, SnapshotError> {
        let Decoded { payload, fingerprints } = parse_payload(payload)?;
        let snapshot = Snapshot::compile(payload).map_err(SnapshotError::Compile)?;
        Ok(self.serve(snapshot, fingerprints))
    }

    fn serve(&mut self, snapshot: Snapshot, fingerprints: Vec<u64>) -> LoadReport {
        let version = snapshot.meta().version;
        self.highest_version = Some(self.highest_version.map_or(version, |h| h.max(version)));
        let serving = self.serving.as_deref();
        let old_fingerprint = |key: &str| self.fingerprints.get(serving?.flag_id(key)?.0 as usize).copied();
        let in_new = |key: &str| snapshot.flag_id(key).is_some();
        let old = fingerprinted(serving, &self.fingerprints);
        let changed = changed_keys(&old, &fingerprinted(Some(&snapshot), &fingerprints), old_fingerprint, in_new);
        self.serving = Some(Arc::new(snapshot));
        self.fingerprints = fingerprints;
        LoadReport { changed }
    }

    /// Stops serving: the snapshot is dropped now (readers holding it keep
    /// it until they let go), so a short-lived host releases its memory
    /// without waiting for its own teardown. The newest version accepted is
    /// kept: a later load is still refused below it.
    pub fn unload(&mut self) {
        self.serving = None;
        self.fingerprints = Vec::new();
    }

    /// The serving snapshot, shared: evaluations on it are unaffected by
    /// later loads. To evaluate at a time, see [`Engine::snapshot_at`].
    pub fn snapshot(&self) -> Option<&Arc<Snapshot>> {
        self.serving.as_ref()
    }

    /// The snapshot to evaluate at `now`: the serving one, unless it expired
    /// more than the policy's `max_stale_ms` ago — then none, so that
    /// evaluations answer as with no snapshot (fail closed) until a fresh one
    /// loads.
    pub fn snapshot_at(&self, now: EpochMillis) -> Option<&Arc<Snapshot>> {
        let answering = |snapshot: &&Arc<Snapshot>| {
            self.policy.max_stale_ms.is_none_or(|stale_ms| now <= snapshot.meta().expires_at.saturating_add(stale_ms))
        };
        self.serving.as_ref().filter(answering)
    }

    /// What the serving snapshot says about itself.
    pub fn meta(&self) -> Option<&SnapshotMeta> {
        self.serving.as_deref().map(Snapshot::meta)
    }

    /// The newest version accepted so far.
    pub fn highest_version(&self) -> Option<u64> {
        self.highest_version
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `changed_keys` with look-ups in the lists themselves.
    fn changes(old: &[(&str, u64)], new: &[(&str, u64)]) -> Vec<String> {
        let old_fingerprint = |key: &str| old.iter().find(|(k, _)| *k == key).map(|(_, hash)| *hash);
        let in_new = |key: &str| new.iter().any(|(k, _)| *k == key);
        changed_keys(old, new, old_fingerprint, in_new)
    }

    #[test]
    fn changed_keys_lists_edits_additions_and_removals() {
        let old: &[(&str, u64)] = &[("a", 1), ("b", 2), ("gone", 3)];
        let new: &[(&str, u64)] = &[("a", 1), ("b", 4), ("c", 5)];
        assert_eq!(changes(old, new), ["b", "c", "gone"]);
        assert_eq!(changes(&[], old), ["a", "b", "gone"]);
        assert_eq!(changes(old, &[]), ["a", "b", "gone"]);
        assert!(changes(old, old).is_empty());
        let reordered: &[(&str, u64)] = &[("b", 2), ("a", 9), ("gone", 3), ("new", 1)];
        assert_eq!(changes(old, reordered), ["a", "new"]);
        let grown: &[(&str, u64)] = &[("a", 1), ("b", 2), ("gone", 7), ("more", 4)];
        assert_eq!(changes(old, grown), ["gone", "more"]);
    }
}
