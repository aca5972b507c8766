//! Ed25519 keys: key ids, the verifier's keyring, and signing keys for the CLI.

use ed25519_dalek::{Signature, Signer, VerifyingKey};
use std::fmt;

/// `keyid` = lowercase hex of the first 16 bytes of SHA-256 of the raw public key.
pub fn key_id(public_key: &[u8; 32]) -> String {
    crate::hex::encode(&super::sha256::digest(public_key)[..16])
}

/// `N` bytes from exactly `2 * N` hex digits, spaces around them ignored.
fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    crate::hex::decode(text.trim().as_bytes())
}

/// Why a key was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// Not 64 hex digits (32 bytes).
    NotHex,
    /// Not a valid Ed25519 public key (not a curve point, or one of small order).
    Invalid,
    /// A threshold of zero, or above the number of keys.
    Threshold {
        /// The threshold asked for.
        threshold: usize,
        /// The keys in the keyring.
        keys: usize,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            KeyError::NotHex => f.write_str("a key must be 64 hexadecimal digits (32 bytes)"),
            KeyError::Invalid => f.write_str("not a valid Ed25519 public key"),
            KeyError::Threshold { threshold, keys } => {
                write!(f, "threshold {threshold} must be between 1 and the number of keys ({keys})")
            }
        }
    }
}

impl std::error::Error for KeyError {}

/// The public keys a verifier trusts, and how many distinct ones must sign.
#[derive(Debug, Clone)]
pub struct Keyring {
    keys: Vec<(String, VerifyingKey)>,
    threshold: usize,
}

impl Keyring {
    /// A keyring of hex-encoded public keys; a threshold of 1 by default.
    pub fn from_hex<I, S>(keys: I) -> Result<Keyring, KeyError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut ring = Keyring { keys: Vec::new(), threshold: 1 };
        for key in keys {
            let raw: [u8; 32] = unhex(key.as_ref()).ok_or(KeyError::NotHex)?;
            ring.add(raw)?;
        }
        Ok(ring)
    }

    /// Adds a raw 32-byte public key (a key already present is not added twice).
    pub fn add(&mut self, raw: [u8; 32]) -> Result<(), KeyError> {
        let key = VerifyingKey::from_bytes(&raw).ok().filter(|key| !key.is_weak()).ok_or(KeyError::Invalid)?;
        let id = key_id(&raw);
        if self.key_ids().all(|known| known != id) {
            self.keys.push((id, key));
        }
        Ok(())
    }

    /// Requires `threshold` distinct trusted keys to sign.
    pub fn with_threshold(mut self, threshold: usize) -> Result<Keyring, KeyError> {
        if threshold == 0 || threshold > self.keys.len() {
            return Err(KeyError::Threshold { threshold, keys: self.keys.len() });
        }
        self.threshold = threshold;
        Ok(self)
    }

    /// How many distinct trusted keys must sign.
    pub fn threshold(&self) -> usize {
        self.threshold
    }

    /// The ids of the trusted keys.
    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys().map(|(id, _)| id)
    }

    /// The trusted keys with their ids.
    pub(crate) fn keys(&self) -> impl Iterator<Item = (&str, &VerifyingKey)> {
        self.keys.iter().map(|(id, key)| (id.as_str(), key))
    }
}

/// Whether `signature` by `key` verifies over `message`, strictly:
/// non-canonical signatures and small-order points are refused.
pub(crate) fn verifies(key: &VerifyingKey, message: &[u8], signature: &[u8]) -> bool {
    Signature::from_slice(signature).is_ok_and(|signature| key.verify_strict(message, &signature).is_ok())
}

/// An Ed25519 signing key (the CLI's and the tests'; never shipped to clients).
#[derive(Clone)]
pub struct SigningKey(ed25519_dalek::SigningKey);

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "SigningKey({})", self.key_id())
    }
}

impl SigningKey {
    /// The key derived from a 32-byte seed.
    pub fn from_seed(seed: [u8; 32]) -> SigningKey {
        SigningKey(ed25519_dalek::SigningKey::from_bytes(&seed))
    }

    /// Reads a seed written by [`SigningKey::seed_hex`].
    pub fn from_seed_hex(text: &str) -> Result<SigningKey, KeyError> {
        unhex::<32>(text).map(SigningKey::from_seed).ok_or(KeyError::NotHex)
    }

    /// A fresh random key, seeded by the operating system.
    #[cfg(feature = "signing")]
    pub fn generate() -> Result<SigningKey, getrandom::Error> {
        let mut seed = [0; 32];
        getrandom::fill(&mut seed)?;
        Ok(SigningKey::from_seed(seed))
    }

    /// The seed as hex: the private key file's content.
    pub fn seed_hex(&self) -> String {
        crate::hex::encode(&self.0.to_bytes())
    }

    /// The raw public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.0.verifying_key().to_bytes()
    }

    /// The public key as hex: the public key file's content.
    pub fn public_key_hex(&self) -> String {
        crate::hex::encode(&self.public_key())
    }

    /// The key id of the public key.
    pub fn key_id(&self) -> String {
        key_id(&self.public_key())
    }

    /// Signs a message (deterministic Ed25519).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_16_bytes_of_sha256() {
        let key = SigningKey::from_seed([7; 32]);
        let digest = <sha2::Sha256 as sha2::Digest>::digest(key.public_key());
        assert_eq!(key.key_id(), crate::hex::encode(&digest[..16]));
        assert_eq!(key.key_id().len(), 32);
    }

    #[test]
    fn keyring_parses_hex_and_checks_threshold() {
        let a = SigningKey::from_seed([1; 32]);
        let b = SigningKey::from_seed([2; 32]);
        let ring = Keyring::from_hex([a.public_key_hex(), b.public_key_hex(), a.public_key_hex()]).unwrap();
        assert_eq!(ring.key_ids().count(), 2);
        assert!(ring.clone().with_threshold(2).is_ok());
        assert_eq!(ring.with_threshold(3).unwrap_err(), KeyError::Threshold { threshold: 3, keys: 2 });
        assert_eq!(Keyring::from_hex(["zz"]).unwrap_err(), KeyError::NotHex);
        // Each pair is two hex digits: a sign is not one.
        let signed = a.public_key_hex().replacen(&a.public_key_hex()[..2], "+f", 1);
        assert_eq!(Keyring::from_hex([signed]).unwrap_err(), KeyError::NotHex);
        let upper = a.public_key_hex().to_uppercase();
        assert!(Keyring::from_hex([upper]).unwrap().key_ids().eq([a.key_id().as_str()]));
        assert_eq!(SigningKey::from_seed_hex(&a.seed_hex()).unwrap().key_id(), a.key_id());
    }
}
