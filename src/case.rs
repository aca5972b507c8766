//! Unicode lower-casing for the case-insensitive operators and regular
//! expressions: each character's lower-case mapping as `char::to_lowercase`
//! gives it, read from 184 runs of characters (2.9 KB) instead of std's table
//! of single characters (11.5 KB, the largest data in the wasm module).
//!
//! Text is lowered character by character, without context rules: a final
//! `Σ` lowers to `σ` like any other (`str::to_lowercase` gives `ς` there), so
//! a word written in capitals matches its lower-case spelling with `σ`.
//!
//! The tests check the table against std's mapping for every character; a
//! toolchain with newer Unicode data fails them and prints the table to paste.

/// Characters `first..=last`, every `step`th one, whose lower-case forms are
/// the characters `delta` code points away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    first: u32,
    last: u32,
    step: u32,
    delta: i32,
}

const fn run(first: u32, last: u32, step: u32, delta: i32) -> Run {
    Run { first, last, step, delta }
}

/// The one character whose lower-case form is two characters: `i` and a
/// combining dot above.
const CAPITAL_I_WITH_DOT: char = '\u{130}';

/// `c`'s lower-case form when that is one character; otherwise `c` itself.
pub(crate) fn lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let code = u32::from(c);
    let after = RUNS.partition_point(|run| run.first <= code);
    match after.checked_sub(1).map(|i| RUNS[i]) {
        Some(run) if code <= run.last && (code - run.first) % run.step == 0 => {
            char::from_u32(code.wrapping_add_signed(run.delta)).unwrap_or(c)
        }
        _ => c,
    }
}

/// `text` lower-cased character by character.
pub(crate) fn lowercase(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut lowered = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            CAPITAL_I_WITH_DOT => lowered.push_str("i\u{307}"),
            c => lowered.push(lower(c)),
        }
    }
    lowered
}

/// Non-ASCII characters with a one-character lower-case form, by first character.
#[rustfmt::skip]
const RUNS: &[Run] = &[
    run(0x00C0, 0x00D6, 1, 32), run(0x00D8, 0x00DE, 1, 32), run(0x0100, 0x012E, 2, 1), run(0x0132, 0x0136, 2, 1),
    run(0x0139, 0x0147, 2, 1), run(0x014A, 0x0176, 2, 1), run(0x0178, 0x0178, 1, -121), run(0x0179, 0x017D, 2, 1),
    run(0x0181, 0x0181, 1, 210), run(0x0182, 0x0184, 2, 1), run(0x0186, 0x0186, 1, 206), run(0x0187, 0x0187, 1, 1),
    run(0x0189, 0x018A, 1, 205), run(0x018B, 0x018B, 1, 1), run(0x018E, 0x018E, 1, 79), run(0x018F, 0x018F, 1, 202),
    run(0x0190, 0x0190, 1, 203), run(0x0191, 0x0191, 1, 1), run(0x0193, 0x0193, 1, 205), run(0x0194, 0x0194, 1, 207),
    run(0x0196, 0x0196, 1, 211), run(0x0197, 0x0197, 1, 209), run(0x0198, 0x0198, 1, 1), run(0x019C, 0x019C, 1, 211),
    run(0x019D, 0x019D, 1, 213), run(0x019F, 0x019F, 1, 214), run(0x01A0, 0x01A4, 2, 1), run(0x01A6, 0x01A6, 1, 218),
    run(0x01A7, 0x01A7, 1, 1), run(0x01A9, 0x01A9, 1, 218), run(0x01AC, 0x01AC, 1, 1), run(0x01AE, 0x01AE, 1, 218),
    run(0x01AF, 0x01AF, 1, 1), run(0x01B1, 0x01B2, 1, 217), run(0x01B3, 0x01B5, 2, 1), run(0x01B7, 0x01B7, 1, 219),
    run(0x01B8, 0x01B8, 1, 1), run(0x01BC, 0x01BC, 1, 1), run(0x01C4, 0x01C4, 1, 2), run(0x01C5, 0x01C5, 1, 1),
    run(0x01C7, 0x01C7, 1, 2), run(0x01C8, 0x01C8, 1, 1), run(0x01CA, 0x01CA, 1, 2), run(0x01CB, 0x01DB, 2, 1),
    run(0x01DE, 0x01EE, 2, 1), run(0x01F1, 0x01F1, 1, 2), run(0x01F2, 0x01F4, 2, 1), run(0x01F6, 0x01F6, 1, -97),
    run(0x01F7, 0x01F7, 1, -56), run(0x01F8, 0x021E, 2, 1), run(0x0220, 0x0220, 1, -130), run(0x0222, 0x0232, 2, 1),
    run(0x023A, 0x023A, 1, 10795), run(0x023B, 0x023B, 1, 1), run(0x023D, 0x023D, 1, -163), run(0x023E, 0x023E, 1, 10792),
    run(0x0241, 0x0241, 1, 1), run(0x0243, 0x0243, 1, -195), run(0x0244, 0x0244, 1, 69), run(0x0245, 0x0245, 1, 71),
    run(0x0246, 0x024E, 2, 1), run(0x0370, 0x0372, 2, 1), run(0x0376, 0x0376, 1, 1), run(0x037F, 0x037F, 1, 116),
    run(0x0386, 0x0386, 1, 38), run(0x0388, 0x038A, 1, 37), run(0x038C, 0x038C, 1, 64), run(0x038E, 0x038F, 1, 63),
    run(0x0391, 0x03A1, 1, 32), run(0x03A3, 0x03AB, 1, 32), run(0x03CF, 0x03CF, 1, 8), run(0x03D8, 0x03EE, 2, 1),
    run(0x03F4, 0x03F4, 1, -60), run(0x03F7, 0x03F7, 1, 1), run(0x03F9, 0x03F9, 1, -7), run(0x03FA, 0x03FA, 1, 1),
    run(0x03FD, 0x03FF, 1, -130), run(0x0400, 0x040F, 1, 80), run(0x0410, 0x042F, 1, 32), run(0x0460, 0x0480, 2, 1),
    run(0x048A, 0x04BE, 2, 1), run(0x04C0, 0x04C0, 1, 15), run(0x04C1, 0x04CD, 2, 1), run(0x04D0, 0x052E, 2, 1),
    run(0x0531, 0x0556, 1, 48), run(0x10A0, 0x10C5, 1, 7264), run(0x10C7, 0x10C7, 1, 7264), run(0x10CD, 0x10CD, 1, 7264),
    run(0x13A0, 0x13EF, 1, 38864), run(0x13F0, 0x13F5, 1, 8), run(0x1C89, 0x1C89, 1, 1), run(0x1C90, 0x1CBA, 1, -3008),
    run(0x1CBD, 0x1CBF, 1, -3008), run(0x1E00, 0x1E94, 2, 1), run(0x1E9E, 0x1E9E, 1, -7615), run(0x1EA0, 0x1EFE, 2, 1),
    run(0x1F08, 0x1F0F, 1, -8), run(0x1F18, 0x1F1D, 1, -8), run(0x1F28, 0x1F2F, 1, -8), run(0x1F38, 0x1F3F, 1, -8),
    run(0x1F48, 0x1F4D, 1, -8), run(0x1F59, 0x1F5F, 2, -8), run(0x1F68, 0x1F6F, 1, -8), run(0x1F88, 0x1F8F, 1, -8),
    run(0x1F98, 0x1F9F, 1, -8), run(0x1FA8, 0x1FAF, 1, -8), run(0x1FB8, 0x1FB9, 1, -8), run(0x1FBA, 0x1FBB, 1, -74),
    run(0x1FBC, 0x1FBC, 1, -9), run(0x1FC8, 0x1FCB, 1, -86), run(0x1FCC, 0x1FCC, 1, -9), run(0x1FD8, 0x1FD9, 1, -8),
    run(0x1FDA, 0x1FDB, 1, -100), run(0x1FE8, 0x1FE9, 1, -8), run(0x1FEA, 0x1FEB, 1, -112), run(0x1FEC, 0x1FEC, 1, -7),
    run(0x1FF8, 0x1FF9, 1, -128), run(0x1FFA, 0x1FFB, 1, -126), run(0x1FFC, 0x1FFC, 1, -9), run(0x2126, 0x2126, 1, -7517),
    run(0x212A, 0x212A, 1, -8383), run(0x212B, 0x212B, 1, -8262), run(0x2132, 0x2132, 1, 28), run(0x2160, 0x216F, 1, 16),
    run(0x2183, 0x2183, 1, 1), run(0x24B6, 0x24CF, 1, 26), run(0x2C00, 0x2C2F, 1, 48), run(0x2C60, 0x2C60, 1, 1),
    run(0x2C62, 0x2C62, 1, -10743), run(0x2C63, 0x2C63, 1, -3814), run(0x2C64, 0x2C64, 1, -10727), run(0x2C67, 0x2C6B, 2, 1),
    run(0x2C6D, 0x2C6D, 1, -10780), run(0x2C6E, 0x2C6E, 1, -10749), run(0x2C6F, 0x2C6F, 1, -10783), run(0x2C70, 0x2C70, 1, -10782),
    run(0x2C72, 0x2C72, 1, 1), run(0x2C75, 0x2C75, 1, 1), run(0x2C7E, 0x2C7F, 1, -10815), run(0x2C80, 0x2CE2, 2, 1),
    run(0x2CEB, 0x2CED, 2, 1), run(0x2CF2, 0x2CF2, 1, 1), run(0xA640, 0xA66C, 2, 1), run(0xA680, 0xA69A, 2, 1),
    run(0xA722, 0xA72E, 2, 1), run(0xA732, 0xA76E, 2, 1), run(0xA779, 0xA77B, 2, 1), run(0xA77D, 0xA77D, 1, -35332),
    run(0xA77E, 0xA786, 2, 1), run(0xA78B, 0xA78B, 1, 1), run(0xA78D, 0xA78D, 1, -42280), run(0xA790, 0xA792, 2, 1),
    run(0xA796, 0xA7A8, 2, 1), run(0xA7AA, 0xA7AA, 1, -42308), run(0xA7AB, 0xA7AB, 1, -42319), run(0xA7AC, 0xA7AC, 1, -42315),
    run(0xA7AD, 0xA7AD, 1, -42305), run(0xA7AE, 0xA7AE, 1, -42308), run(0xA7B0, 0xA7B0, 1, -42258), run(0xA7B1, 0xA7B1, 1, -42282),
    run(0xA7B2, 0xA7B2, 1, -42261), run(0xA7B3, 0xA7B3, 1, 928), run(0xA7B4, 0xA7C2, 2, 1), run(0xA7C4, 0xA7C4, 1, -48),
    run(0xA7C5, 0xA7C5, 1, -42307), run(0xA7C6, 0xA7C6, 1, -35384), run(0xA7C7, 0xA7C9, 2, 1), run(0xA7CB, 0xA7CB, 1, -42343),
    run(0xA7CC, 0xA7DA, 2, 1), run(0xA7DC, 0xA7DC, 1, -42561), run(0xA7F5, 0xA7F5, 1, 1), run(0xFF21, 0xFF3A, 1, 32),
    run(0x10400, 0x10427, 1, 40), run(0x104B0, 0x104D3, 1, 40), run(0x10570, 0x1057A, 1, 39), run(0x1057C, 0x1058A, 1, 39),
    run(0x1058C, 0x10592, 1, 39), run(0x10594, 0x10595, 1, 39), run(0x10C80, 0x10CB2, 1, 64), run(0x10D50, 0x10D65, 1, 32),
    run(0x118A0, 0x118BF, 1, 32), run(0x16E40, 0x16E5F, 1, 32), run(0x16EA0, 0x16EB8, 1, 27), run(0x1E900, 0x1E921, 1, 34),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The runs of std's one-character lower-case mappings above ASCII.
    fn runs_from_std() -> Vec<Run> {
        let mut runs: Vec<Run> = Vec::new();
        for c in ('\u{80}'..=char::MAX).filter(|c| c.to_lowercase().len() == 1) {
            let (code, lowered) = (u32::from(c), c.to_lowercase().next().map_or(0, u32::from));
            if lowered == code {
                continue;
            }
            let delta = i32::try_from(i64::from(lowered) - i64::from(code)).unwrap();
            match runs.last_mut() {
                Some(last) if last.delta == delta && code - last.last == last.step && last.first != last.last => last.last = code,
                Some(last) if last.delta == delta && last.first == last.last && code - last.last <= 2 => {
                    last.step = code - last.last;
                    last.last = code;
                }
                _ => runs.push(run(code, code, 1, delta)),
            }
        }
        runs
    }

    #[test]
    fn the_table_is_std_lowercase_mapping() {
        let runs = runs_from_std();
        let source: Vec<String> =
            runs.iter().map(|r| format!("run(0x{:04X}, 0x{:04X}, {}, {}),", r.first, r.last, r.step, r.delta)).collect();
        assert!(RUNS == runs.as_slice(), "this toolchain lower-cases differently; paste these runs into RUNS:\n{}", source.join("\n"));
    }

    #[test]
    fn every_character_lowers_as_std_does() {
        for c in '\0'..=char::MAX {
            let expected: String = c.to_lowercase().collect();
            assert_eq!(lowercase(&c.to_string()), expected, "{c:?}");
            let single = if expected.chars().count() == 1 { expected.chars().next() } else { None };
            assert_eq!(lower(c), single.unwrap_or(c), "{c:?}");
        }
    }

    #[test]
    fn text_lowers_character_by_character() {
        assert_eq!(lowercase("Hello, WORLD"), "hello, world");
        assert_eq!(lowercase("ΟΔΟΣ Straße"), "οδοσ straße");
        assert_eq!(lowercase("İSTANBUL"), "i\u{307}stanbul");
        assert_eq!(lowercase("ǅemal ÀÉÎ"), "ǆemal àéî");
    }
}
