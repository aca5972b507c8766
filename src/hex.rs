//! Hexadecimal, read strictly: trusted keys and key ids, and JSON's `\u`
//! escapes. A digit is `0-9`, `a-f` or `A-F` and nothing else (the standard
//! library's radix parsing also takes a sign: `"+f"` reads as 15).

/// Lowercase hex of `bytes`.
pub fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes.iter().flat_map(|&b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 0xf)]]).map(char::from).collect()
}

/// `N` bytes from exactly `2 * N` hex digits.
pub fn decode<const N: usize>(digits: &[u8]) -> Option<[u8; N]> {
    if digits.len() != N * 2 {
        return None;
    }
    let mut out = [0u8; N];
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        *byte = u8::try_from(number(pair)?).ok()?;
    }
    Some(out)
}

/// The number a few hex digits spell (at most 8, so that it fits).
pub fn number(digits: &[u8]) -> Option<u32> {
    debug_assert!(digits.len() <= 8);
    digits.iter().try_fold(0, |value, &d| Some(value << 4 | u32::from(digit(d)?)))
}

fn digit(d: u8) -> Option<u8> {
    match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        b'A'..=b'F' => Some(d - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_it_writes_and_nothing_signed() {
        let bytes = [0x00, 0x0f, 0xa5, 0xff];
        assert_eq!(encode(&bytes), "000fa5ff");
        assert_eq!(decode::<4>(b"000fa5ff"), Some(bytes));
        assert_eq!(decode::<4>(b"000FA5FF"), Some(bytes));
        assert_eq!(number(b"00e9"), Some(0xe9));
        for bad in [&b"+f"[..], b"-1", b" f", b"g0", b"0x"] {
            assert_eq!(decode::<1>(bad), None, "{bad:?}");
        }
        assert_eq!(number(b"+041"), None);
        assert_eq!(decode::<2>(b"00f"), None);
    }
}
