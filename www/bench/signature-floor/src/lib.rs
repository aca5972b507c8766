//! The floor under a cold start that verifies snapshots in the core: a wasm
//! module holding nothing but the Ed25519 check each load makes
//! (`verify_strict` over the DSSE signing input). `../cold-start-floor.mjs`
//! builds it for wasm32 and times fresh Node processes from its bytes to the
//! check's answer; no module that also parses, compiles and evaluates can
//! start faster.
//!
//! The host asks for a buffer with [`input`], writes the 32-byte public key,
//! the 64-byte signature and the signed bytes into it, and calls [`check`].

use ed25519_dalek::{Signature, VerifyingKey};

/// Where the host writes the key, the signature and the signed bytes.
#[no_mangle]
pub extern "C" fn input(length: usize) -> *mut u8 {
    Box::leak(vec![0u8; length].into_boxed_slice()).as_mut_ptr()
}

/// 1 when the signature over the signed bytes verifies under the key, else 0.
///
/// # Safety
/// `buffer` came from [`input`] with at least `length` bytes, all written.
#[no_mangle]
pub unsafe extern "C" fn check(buffer: *const u8, length: usize) -> u32 {
    let bytes = std::slice::from_raw_parts(buffer, length);
    let Some((key, rest)) = bytes.split_first_chunk::<32>() else { return 0 };
    let Some((signature, signed)) = rest.split_first_chunk::<64>() else { return 0 };
    let Ok(key) = VerifyingKey::from_bytes(key) else { return 0 };
    key.verify_strict(signed, &Signature::from_bytes(signature)).is_ok().into()
}
