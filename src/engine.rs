//! The stateful evaluator a host keeps: the trusted keyring and policy, the
//! serving snapshot, and the newest version accepted. Loads are atomic: a
//! refused snapshot leaves the serving one in place.

use crate::compile::{Snapshot, SnapshotMeta};
use crate::envelope::{parse_payload, verify, Keyring, Policy, SnapshotError};
use crate::time::EpochMillis;
use std::sync::Arc;

/// Holds the serving snapshot and guards what replaces it.
#[derive(Debug)]
pub struct Engine {
    keyring: Keyring,
    policy: Policy,
    serving: Option<Arc<Snapshot>>,
    highest_version: Option<u64>,
}

impl Engine {
    /// An engine that trusts `keyring` and enforces `policy`; it serves nothing yet.
    pub fn new(keyring: Keyring, policy: Policy) -> Engine {
        Engine { keyring, policy, serving: None, highest_version: None }
    }

    /// Verifies a signed envelope and, if every check passes, serves it.
    pub fn load(&mut self, envelope: &[u8], now: EpochMillis) -> Result<&SnapshotMeta, SnapshotError> {
        let snapshot = verify(envelope, &self.keyring, &self.policy, self.highest_version, now)?;
        Ok(self.serve(snapshot))
    }

    /// Serves a payload **without verifying any signature, environment, expiry or
    /// version**: for tests and local development only. The payload must still
    /// parse and compile.
    pub fn load_unverified_payload(&mut self, payload: &[u8]) -> Result<&SnapshotMeta, SnapshotError> {
        let payload = parse_payload(payload)?;
        let snapshot = Snapshot::compile(&payload).map_err(SnapshotError::Compile)?;
        Ok(self.serve(snapshot))
    }

    fn serve(&mut self, snapshot: Snapshot) -> &SnapshotMeta {
        let version = snapshot.meta().version;
        self.highest_version = Some(self.highest_version.map_or(version, |h| h.max(version)));
        &self.serving.insert(Arc::new(snapshot)).meta
    }

    /// The serving snapshot, shared: evaluations on it are unaffected by later loads.
    pub fn snapshot(&self) -> Option<&Arc<Snapshot>> {
        self.serving.as_ref()
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
