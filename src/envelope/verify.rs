//! Verification of a signed envelope into a compiled snapshot, check by check.

use super::keys::verifies;
use super::{base64, Envelope, Keyring, PayloadError, SnapshotError};
use crate::compile::limits::MAX_ENVELOPE_BYTES;
use crate::compile::Snapshot;
use crate::model::decode::{self, Decoded};
use crate::model::Payload;
use crate::time::EpochMillis;

/// What a verifier requires of a snapshot besides valid signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The environment snapshots must be built for.
    pub environment: String,
    /// Allowed clock difference when checking `issued_at` and `expires_at`, in ms.
    pub skew_ms: i64,
    /// Size cap of the envelope, in bytes.
    pub max_bytes: usize,
    /// Versions below this are refused, whatever was accepted before.
    pub version_floor: Option<u64>,
    /// How long past its `expires_at` a serving snapshot still answers, in
    /// ms; past that, evaluations answer as with no snapshot until a fresh
    /// one loads (see [`crate::Engine::snapshot_at`]). `None`: it answers
    /// until replaced, each detail's reason `STALE`.
    pub max_stale_ms: Option<i64>,
}

impl Policy {
    /// The default policy for an environment: 5 minutes of skew, a 16 MiB
    /// cap, no floor, expired snapshots answering until replaced.
    pub fn new(environment: impl Into<String>) -> Policy {
        Policy {
            environment: environment.into(),
            skew_ms: 5 * 60 * 1000,
            max_bytes: MAX_ENVELOPE_BYTES,
            version_floor: None,
            max_stale_ms: None,
        }
    }

    /// The first check: an envelope of `size` bytes within the cap. Hosts
    /// may run it before handing the bytes over (in wasm, before they are
    /// copied into the module's memory, which never shrinks).
    pub fn check_size(&self, size: usize) -> Result<(), SnapshotError> {
        if size > self.max_bytes {
            return Err(SnapshotError::TooLarge { size, limit: self.max_bytes });
        }
        Ok(())
    }
}

/// A snapshot that passed every check, with a fingerprint of each flag.
#[derive(Debug)]
pub struct Verified {
    /// The compiled snapshot.
    pub snapshot: Snapshot,
    /// Each flag's content fingerprint, in the snapshot's flag order (see [`Decoded::fingerprints`]).
    pub fingerprints: Vec<u64>,
}

/// Runs every check on an envelope and compiles it. `highest_accepted` is the newest version the
/// caller has accepted so far (anti-rollback).
pub fn verify(
    envelope: &[u8],
    keyring: &Keyring,
    policy: &Policy,
    highest_accepted: Option<u64>,
    now: EpochMillis,
) -> Result<Verified, SnapshotError> {
    policy.check_size(envelope.len())?;
    let mut envelope = Envelope::parse(envelope)?;
    let message = envelope.take_signed_message()?;
    envelope.check()?;
    check_signatures(&envelope, message.pae(), keyring)?;
    let Decoded { payload, fingerprints } = parse_payload(message.payload())?;
    check_freshness(&payload, policy, highest_accepted, now)?;
    let snapshot = Snapshot::compile(payload).map_err(SnapshotError::Compile)?;
    Ok(Verified { snapshot, fingerprints })
}

/// Parses payload bytes (verified, or trusted by the caller) into a payload and flag fingerprints.
pub fn parse_payload(bytes: &[u8]) -> Result<Decoded, SnapshotError> {
    let text = std::str::from_utf8(bytes).map_err(|e| SnapshotError::Parse(PayloadError::NotUtf8(e)))?;
    decode::parse_payload(text).map_err(|errors| SnapshotError::Parse(PayloadError::Decode(errors)))
}

/// Refuses an envelope signed by fewer distinct trusted keys than the
/// keyring's threshold; stops verifying once the threshold is met (each
/// verification is most of a small snapshot's load).
fn check_signatures(envelope: &Envelope, pae: &[u8], keyring: &Keyring) -> Result<(), SnapshotError> {
    let valid = trusted_signers(envelope, pae, keyring, keyring.threshold()).len();
    if valid < keyring.threshold() {
        return Err(SnapshotError::Signature { valid, required: keyring.threshold() });
    }
    Ok(())
}

/// The key ids of the distinct trusted keys whose signature verifies over
/// `pae`, the encoding of the exact payload bytes, in envelope order: the
/// first `enough` of them. A signature names its key by key id; one without
/// (DSSE makes `keyid` optional) is tried with each trusted key not counted
/// yet, so an envelope costs at most MAX_SIGNATURES × keys verifications.
fn trusted_signers<'k>(envelope: &Envelope, pae: &[u8], keyring: &'k Keyring, enough: usize) -> Vec<&'k str> {
    let mut signers: Vec<&str> = Vec::new();
    for signature in &envelope.signatures {
        if signers.len() == enough {
            break;
        }
        let Some(sig) = base64::decode(&signature.sig) else { continue };
        let named = |id: &str| signature.keyid.is_empty() || signature.keyid == id;
        let signer = keyring.keys().filter(|(id, _)| named(id) && !signers.contains(id)).find(|(_, key)| verifies(key, pae, &sig));
        signers.extend(signer.map(|(id, _)| id));
    }
    signers
}

/// Who signed an envelope, as far as `keyring` trusts them: the key ids
/// whose signatures verify, in envelope order. For tools that report it;
/// only [`verify`] says whether a snapshot may be served.
pub fn signers(envelope: &[u8], keyring: &Keyring) -> Result<Vec<String>, SnapshotError> {
    let mut envelope = Envelope::parse(envelope)?;
    let message = envelope.take_signed_message()?;
    Ok(trusted_signers(&envelope, message.pae(), keyring, usize::MAX).into_iter().map(str::to_owned).collect())
}

fn check_freshness(payload: &Payload, policy: &Policy, highest: Option<u64>, now: EpochMillis) -> Result<(), SnapshotError> {
    if payload.environment != policy.environment {
        return Err(SnapshotError::Environment { expected: policy.environment.clone(), found: payload.environment.clone() });
    }
    if payload.expires_at.0.saturating_add(policy.skew_ms) < now {
        return Err(SnapshotError::Expired { expires_at: payload.expires_at.0, now });
    }
    if payload.issued_at.0 > now.saturating_add(policy.skew_ms) {
        return Err(SnapshotError::NotYetValid { issued_at: payload.issued_at.0, now });
    }
    if let Some(highest) = highest.filter(|&h| payload.version < h) {
        return Err(SnapshotError::Rollback { version: payload.version, highest });
    }
    if let Some(floor) = policy.version_floor.filter(|&f| payload.version < f) {
        return Err(SnapshotError::BelowFloor { version: payload.version, floor });
    }
    Ok(())
}
