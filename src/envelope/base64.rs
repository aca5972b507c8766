//! Standard base64 (RFC 4648, with padding), strict: DSSE payloads and
//! signatures must decode to exactly one byte string.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes bytes as padded standard base64.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Sextet value of each byte; 0xff for bytes outside the alphabet.
const DECODE: [u8; 256] = {
    let mut table = [0xff; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Decodes up to four alphabet characters into a 24-bit group, left-aligned.
/// Invalid characters are checked once per group (0xff has the high bit).
fn group(chars: &[u8]) -> Option<u32> {
    let mut n = 0u32;
    let mut invalid = 0u8;
    for &c in chars {
        let sextet = DECODE[c as usize];
        invalid |= sextet;
        n = n << 6 | u32::from(sextet);
    }
    (invalid & 0x80 == 0).then_some(n << (6 * (4 - chars.len())))
}

/// Decodes padded standard base64; `None` on any other character, bad length,
/// or non-zero padding bits (so every byte string has one encoding).
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let padding = bytes.iter().rev().take(2).take_while(|&&c| c == b'=').count();
    let body = &bytes[..bytes.len() - padding];
    // Room for the padded tail too, so extending by it never reallocates.
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    out.resize(body.len() / 4 * 3, 0);
    let mut quads = body.chunks_exact(4);
    for (quad, triple) in (&mut quads).zip(out.chunks_exact_mut(3)) {
        let n = group(quad)?;
        triple.copy_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    let tail = quads.remainder();
    if !tail.is_empty() {
        let n = group(tail)?;
        let kept = tail.len() - 1;
        let decoded = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        if decoded[kept..].iter().any(|&b| b != 0) {
            return None;
        }
        out.extend_from_slice(&decoded[..kept]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        let vectors =
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")];
        for (plain, encoded) in vectors {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(decode(encoded).as_deref(), Some(plain.as_bytes()));
        }
    }

    #[test]
    fn rejects_non_canonical_input() {
        for bad in ["Zg", "Zg=", "Zh==", "Z===", "Zg==Zg==", "Zm9v!", "Zm 9v", "Zm9v\n"] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }
}
