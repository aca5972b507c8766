//! IP address text as a 128-bit number, for `in_cidr` clauses. It accepts
//! exactly what `std::net::IpAddr`'s parser accepts (the tests compare the
//! two) in less code: that parser took 2.3 KB of the gzipped wasm module,
//! this one 1.3 KB.

/// A parsed address: IPv4 as IPv4-mapped IPv6 (`::ffff:a.b.c.d`), so both
/// families compare in one number space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Address {
    /// The address, IPv4 mapped into IPv6.
    pub(crate) bits: u128,
    /// Whether the text was an IPv4 address.
    pub(crate) is_v4: bool,
}

/// IPv4-mapped IPv6 addresses: `::ffff:0:0/96`.
const V4_MAPPED: u128 = 0xffff << 32;

/// Reads an IPv4 address (`a.b.c.d`, decimal, no leading zeros) or an IPv6
/// address (hexadecimal groups, one `::`, an IPv4 tail; no zone, no brackets).
pub(crate) fn parse(text: &str) -> Option<Address> {
    let bytes = text.as_bytes();
    if let Some((v4, [])) = ipv4(bytes) {
        return Some(Address { bits: V4_MAPPED | u128::from(v4), is_v4: true });
    }
    ipv6(bytes).map(|bits| Address { bits, is_v4: false })
}

/// Reads a number of at most `max_digits` digits in `radix` and the rest of
/// the text; none when there is no digit, too many, or a leading zero where
/// `zero_prefix` forbids one. Out of line: inlined into the unrolled IPv4
/// loop and the group reader, it doubled this file's share of the module.
#[inline(never)]
fn number(text: &[u8], radix: u32, max_digits: usize, zero_prefix: bool) -> Option<(u32, &[u8])> {
    let (mut value, mut digits) = (0, 0);
    while let Some(digit) = text.get(digits).and_then(|b| char::from(*b).to_digit(radix)) {
        if digits == max_digits {
            return None;
        }
        (value, digits) = (value * radix + digit, digits + 1);
    }
    let leading_zero = digits > 1 && text[0] == b'0';
    (digits > 0 && (zero_prefix || !leading_zero)).then(|| (value, &text[digits..]))
}

/// Reads a dotted IPv4 address at the start of `text`, and the rest.
fn ipv4(mut text: &[u8]) -> Option<(u32, &[u8])> {
    let mut address = 0;
    for i in 0..4 {
        if i > 0 {
            text = text.strip_prefix(b".")?;
        }
        let (octet, rest) = number(text, 10, 3, false).filter(|(octet, _)| *octet <= 255)?;
        (address, text) = (address << 8 | octet, rest);
    }
    Some((address, text))
}

/// Reads up to `groups.len()` `:`-separated groups at the start of `text`
/// into `groups` (the last two may be an IPv4 address); returns how many it
/// read, whether an IPv4 address ended them, and the rest.
fn groups<'t>(mut text: &'t [u8], groups: &mut [u16]) -> (usize, bool, &'t [u8]) {
    let limit = groups.len();
    for i in 0..limit {
        let after_separator = if i == 0 { Some(text) } else { text.strip_prefix(b":") };
        let Some(start) = after_separator else { return (i, false, text) };
        if i + 1 < limit {
            if let Some((v4, rest)) = ipv4(start) {
                groups[i] = (v4 >> 16) as u16;
                groups[i + 1] = v4 as u16;
                return (i + 2, true, rest);
            }
        }
        match number(start, 16, 4, true) {
            Some((group, rest)) => (groups[i], text) = (group as u16, rest),
            None => return (i, false, text),
        }
    }
    (limit, false, text)
}

/// Reads a whole IPv6 address.
fn ipv6(text: &[u8]) -> Option<u128> {
    let mut head = [0u16; 8];
    let (head_len, head_v4, rest) = groups(text, &mut head);
    let rest = if head_len == 8 {
        rest
    } else {
        // `::` stands for at least one zero group; no IPv4 address before it.
        let rest = rest.strip_prefix(b"::").filter(|_| !head_v4)?;
        let mut tail = [0u16; 7];
        let (tail_len, _, rest) = groups(rest, &mut tail[..7 - head_len]);
        head[8 - tail_len..].copy_from_slice(&tail[..tail_len]);
        rest
    };
    rest.is_empty().then(|| head.iter().fold(0, |bits, group| bits << 16 | u128::from(*group)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::net::IpAddr;

    /// What `std::net` reads from `text`, in the same form.
    fn std_parse(text: &str) -> Option<Address> {
        match text.parse::<IpAddr>().ok()? {
            IpAddr::V4(v4) => Some(Address { bits: u128::from(v4.to_ipv6_mapped()), is_v4: true }),
            IpAddr::V6(v6) => Some(Address { bits: u128::from(v6), is_v4: false }),
        }
    }

    #[test]
    fn reads_what_std_net_reads() {
        let cases = [
            "0.0.0.0",
            "10.0.0.1",
            "255.255.255.255",
            "256.0.0.1",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.",
            "1.2.3.4.5",
            "1..3.4",
            "1.2.3.0004",
            "::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::8",
            "1::2::3",
            ":1::2",
            "1::2:",
            "::ffff:192.0.2.1",
            "::192.0.2.1",
            "1:2:3:4:5:6:192.0.2.1",
            "1:2:3:4:5:6:7:192.0.2.1",
            "1.2.3.4::",
            "1:2:3:4:5:6:1.2.3.4::",
            "2001:DB8::Ab:cD",
            "00000::1",
            "0000::1",
            "fe80::1%eth0",
            "[::1]",
            "",
            ":",
            ":::",
            " ::1",
            "٣.1.1.1",
        ];
        for text in cases {
            assert_eq!(parse(text), std_parse(text), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn agrees_with_std_net_on_address_like_text(text in "[0-9a-fA-F:.g]{0,40}") {
            prop_assert_eq!(parse(&text), std_parse(&text));
        }

        #[test]
        fn agrees_with_std_net_on_written_addresses(bits: u128, v4: u32) {
            let v6 = std::net::Ipv6Addr::from(bits).to_string();
            prop_assert_eq!(parse(&v6), std_parse(&v6));
            let v4 = std::net::Ipv4Addr::from(v4).to_string();
            prop_assert_eq!(parse(&v4), std_parse(&v4));
        }
    }
}
