//! Base64 (RFC 4648, with padding) for DSSE payloads and signatures:
//! written in the standard alphabet, read in the standard or the URL-safe
//! one (DSSE allows either; `-` and `_` read as `+` and `/`), strictly
//! otherwise: the length, the padding and its bits must be exact.

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

/// Sextet value of each byte; 0xff for bytes outside both alphabets.
const DECODE: [u8; 256] = {
    let mut table = [0xff; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table[b'-' as usize] = 62;
    table[b'_' as usize] = 63;
    table
};

/// The sextets of up to eight alphabet characters, first one highest. Invalid
/// characters are checked once per call (0xff has the high bit).
fn sextets(chars: &[u8]) -> Option<u64> {
    let mut n = 0u64;
    let mut invalid = 0u8;
    for &c in chars {
        let sextet = DECODE[c as usize];
        invalid |= sextet;
        n = n << 6 | u64::from(sextet);
    }
    (invalid & 0x80 == 0).then_some(n)
}

/// How many `=` end the text (at most two count).
fn padding(bytes: &[u8]) -> usize {
    bytes.iter().rev().take(2).take_while(|&&c| c == b'=').count()
}

/// The number of bytes `text` decodes to, when its length is a multiple of four.
pub fn decoded_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (bytes.len() % 4 == 0).then(|| bytes.len() / 4 * 3 - padding(bytes))
}

/// Decodes padded base64, standard or URL-safe; `None` on any other
/// character, bad length, or non-zero padding bits (so a byte string has
/// one encoding in each alphabet).
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    decode_into(text, &mut out)?;
    Some(out)
}

/// [`decode`], appending to `out`; on `None`, `out` holds what it held and
/// possibly part of the decoded bytes.
pub fn decode_into(text: &str, out: &mut Vec<u8>) -> Option<()> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let body = &bytes[..bytes.len() - padding(bytes)];
    let (groups, tail) = body.split_at(body.len() / 4 * 4);
    // Eight characters (48 bits) per step, written as eight bytes of which
    // six are decoded: the buffer ends with two spare bytes, cut off after.
    let mut at = out.len();
    out.reserve(bytes.len() / 4 * 3 + 2);
    out.resize(at + groups.len() / 4 * 3 + 2, 0);
    let mut octets = groups.chunks_exact(8);
    for octet in &mut octets {
        out[at..at + 8].copy_from_slice(&(sextets(octet)? << 16).to_be_bytes());
        at += 6;
    }
    if let quad @ [_, _, _, _] = octets.remainder() {
        out[at..at + 4].copy_from_slice(&(sextets(quad)? << 8).to_be_bytes()[4..]);
        at += 3;
    }
    out.truncate(at);
    // Two or three characters before the padding: their last 4 or 2 bits pad and must be zero.
    if !tail.is_empty() {
        let pad_bits = 8 - 2 * tail.len();
        let n = sextets(tail)?;
        if n & ((1 << pad_bits) - 1) != 0 {
            return None;
        }
        out.extend_from_slice(&(n >> pad_bits).to_be_bytes()[8 - (tail.len() - 1)..]);
    }
    Some(())
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
        for bad in ["Zg", "Zg=", "Zh==", "Z===", "Zg==Zg==", "Zm9v!", "Zm 9v", "Zm9v\n", "Zm9vYmFy!m9v", "Zm9vYmF=Zm9v", "Zm9vYmFyZm9vYh=="]
        {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn decodes_what_it_encodes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            proptest::prop_assert_eq!(decode(&encode(&bytes)), Some(bytes));
        }

        #[test]
        fn reads_the_url_safe_alphabet_alike(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let url_safe = encode(&bytes).replace('+', "-").replace('/', "_");
            proptest::prop_assert_eq!(decode(&url_safe), Some(bytes));
        }

        #[test]
        fn refuses_any_character_outside_the_alphabet(bytes in proptest::collection::vec(proptest::num::u8::ANY, 1..64), at: usize, bad in "[^A-Za-z0-9+/=_-]") {
            let mut text = encode(&bytes);
            let at = at % text.trim_end_matches('=').len();
            text.replace_range(at..at + 1, &bad);
            proptest::prop_assert_eq!(decode(&text), None);
        }
    }
}
