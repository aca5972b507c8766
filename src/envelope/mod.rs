//! Signed snapshots: the DSSE envelope, Ed25519 keys and key ids, signing, and
//! verification in DESIGN.md's order (size, envelope, payload type,
//! signatures, parse, environment, expiry, rollback; then compile).

pub mod base64;
mod error;
mod keys;
mod sha256;
mod verify;

pub use error::{EnvelopeError, PayloadError, SnapshotError};
pub use keys::{key_id, KeyError, Keyring, SigningKey};
pub use verify::parse_payload;
pub use verify::{signers, verify, Policy, Verified};

use crate::compile::limits::MAX_SIGNATURES;
use crate::model::decode::decode_envelope;
use serde::Serialize;

/// The DSSE payload type of an edgeflag snapshot.
pub const PAYLOAD_TYPE: &str = "application/vnd.edgeflag.snapshot.v1+json";

/// A DSSE envelope as it travels (JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Envelope {
    /// What the payload is; must equal [`PAYLOAD_TYPE`].
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    /// The payload bytes, base64.
    pub payload: String,
    /// Signatures over the PAE of type and payload.
    pub signatures: Vec<EnvelopeSignature>,
}

/// One DSSE signature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnvelopeSignature {
    /// The signer's key id (see [`key_id`]).
    pub keyid: String,
    /// The Ed25519 signature, base64.
    pub sig: String,
}

impl Envelope {
    /// Reads an envelope's JSON (no checks beyond its shape).
    pub fn parse(bytes: &[u8]) -> Result<Envelope, SnapshotError> {
        let text = std::str::from_utf8(bytes).map_err(|e| SnapshotError::Envelope(EnvelopeError::NotUtf8(e)))?;
        let (payload_type, payload, signatures) =
            decode_envelope(text).map_err(|errors| SnapshotError::Envelope(EnvelopeError::Shape(errors)))?;
        let signatures = signatures.into_iter().map(|(keyid, sig)| EnvelopeSignature { keyid, sig }).collect();
        Ok(Envelope { payload_type, payload, signatures })
    }

    /// What the signatures sign, with the payload decoded from base64 into
    /// it. The base64 text is dropped: a large snapshot is then held once,
    /// not twice, while it is parsed.
    pub fn take_signed_message(&mut self) -> Result<SignedMessage, SnapshotError> {
        let not_base64 = || SnapshotError::Envelope(EnvelopeError::NotBase64);
        let payload = std::mem::take(&mut self.payload);
        let mut pae = pae_header(&self.payload_type, base64::decoded_len(&payload).ok_or_else(not_base64)?).into_bytes();
        let payload_start = pae.len();
        base64::decode_into(&payload, &mut pae).ok_or_else(not_base64)?;
        Ok(SignedMessage { pae, payload_start })
    }
}

/// DSSE's pre-authentication encoding of an envelope's payload type and
/// payload: the bytes its signatures sign, the payload among them (decoded
/// in place, so it is never copied to be verified).
#[derive(Debug)]
pub struct SignedMessage {
    pae: Vec<u8>,
    payload_start: usize,
}

impl SignedMessage {
    /// The whole encoding, as signed.
    pub fn pae(&self) -> &[u8] {
        &self.pae
    }

    /// The payload bytes.
    pub fn payload(&self) -> &[u8] {
        &self.pae[self.payload_start..]
    }
}

/// The payload of an envelope **without verifying its signatures**, for tools
/// that inspect snapshots (`edgeflag eval --unverified`).
pub fn payload_unverified(bytes: &[u8]) -> Result<Vec<u8>, SnapshotError> {
    Ok(Envelope::parse(bytes)?.take_signed_message()?.payload().to_vec())
}

/// The part of DSSE's pre-authentication encoding that precedes the payload:
/// `"DSSEv1" SP len(type) SP type SP len(payload) SP`.
fn pae_header(payload_type: &str, payload_len: usize) -> String {
    format!("DSSEv1 {} {} {} ", payload_type.len(), payload_type, payload_len)
}

/// DSSE's pre-authentication encoding: `"DSSEv1" SP len(type) SP type SP len(payload) SP payload`.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let header = pae_header(payload_type, payload.len());
    let mut out = Vec::with_capacity(header.len() + payload.len());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(payload);
    out
}

/// Signs payload bytes with every key and returns the envelope as JSON.
pub fn sign(payload: &[u8], keys: &[SigningKey]) -> String {
    let message = pae(PAYLOAD_TYPE, payload);
    let envelope = Envelope {
        payload_type: PAYLOAD_TYPE.to_owned(),
        payload: base64::encode(payload),
        signatures: keys.iter().map(|key| EnvelopeSignature { keyid: key.key_id(), sig: base64::encode(&key.sign(&message)) }).collect(),
    };
    envelope.to_json()
}

impl Envelope {
    /// The checks on the envelope's own fields, in verification order: at
    /// most [`MAX_SIGNATURES`] signatures, and edgeflag's payload type.
    pub fn check(&self) -> Result<(), SnapshotError> {
        if self.signatures.len() > MAX_SIGNATURES {
            return Err(SnapshotError::Envelope(EnvelopeError::TooManySignatures));
        }
        if self.payload_type != PAYLOAD_TYPE {
            return Err(SnapshotError::PayloadType(self.payload_type.clone()));
        }
        Ok(())
    }

    /// Adds `key`'s signature over the payload exactly as this envelope
    /// carries it: a further signer, for keyrings that require a threshold.
    /// `Ok(false)`, adding nothing, when that key has signed already.
    pub fn add_signature(&mut self, key: &SigningKey) -> Result<bool, SnapshotError> {
        let keyid = key.key_id();
        if self.signatures.iter().any(|signature| signature.keyid == keyid) {
            return Ok(false);
        }
        let message = self.clone().take_signed_message()?;
        self.signatures.push(EnvelopeSignature { keyid, sig: base64::encode(&key.sign(message.pae())) });
        Ok(true)
    }

    /// The envelope as JSON text, as it travels.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_further_signature_covers_the_carried_payload_and_each_key_signs_once() {
        let (first, second) = (SigningKey::from_seed_hex(&"11".repeat(32)).unwrap(), SigningKey::from_seed_hex(&"22".repeat(32)).unwrap());
        let mut envelope = Envelope::parse(sign(b"{}", std::slice::from_ref(&first)).as_bytes()).unwrap();
        assert_eq!(envelope.add_signature(&second), Ok(true));
        assert_eq!(envelope.add_signature(&first), Ok(false), "a key signs once");
        let expected = sign(b"{}", &[first, second]);
        assert_eq!(envelope.to_json(), expected, "the same envelope as signing with both keys at once");
    }

    #[test]
    fn pae_matches_the_dsse_specification() {
        assert_eq!(pae("http://example.com/HelloWorld", b"hello world"), b"DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }
}
