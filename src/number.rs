//! Decimal text ↔ f64, without the standard library's 20 KB of
//! power-of-five tables (parsing) or a float formatter's tables (writing) in
//! the WebAssembly module.
//!
//! Numbers in snapshots and contexts are short (JSON.stringify writes the
//! shortest form), so nearly all take the exact fast path: at most 19
//! significant digits with a power of ten small enough that one IEEE
//! multiplication or division gives the correctly rounded result (Clinger's
//! fast path). The rest go to a correctly rounded parser of the platform —
//! the standard library natively, `Number.parseFloat` in wasm — so native and
//! wasm agree on every input: both round correctly.

/// Powers of ten that f64 holds exactly.
const EXACT_POWERS: [f64; 23] =
    [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/// Integers up to 2^53 convert to f64 exactly.
const MAX_EXACT_INTEGER: u64 = 1 << 53;

/// Parses a JSON number (`-? int frac? exp?`, no `+`, no leading zeros) into
/// a finite f64; `None` when the text is not one or its value overflows.
pub fn parse_f64(text: &str) -> Option<f64> {
    let decimal = Decimal::read(text.as_bytes())?;
    let value = match decimal.exact() {
        Some(value) => value,
        None => platform::parse(text)?,
    };
    value.is_finite().then_some(value)
}

/// Appends the shortest decimal text that reads back as `value` (finite) to
/// `out`: the standard library's formatter natively, ECMAScript's
/// Number::toString in wasm. The two may spell a number differently (`1e+21`
/// in JS for `1000000000000000000000`), never with another value; `-0` keeps
/// its sign in both (JS writes it as `0`).
pub fn write_f64(out: &mut String, value: f64) {
    if value == 0.0 && value.is_sign_negative() {
        out.push_str("-0");
    } else {
        platform::write(out, value);
    }
}

/// A JSON number split into sign, up to 19 significant digits and a power
/// of ten.
struct Decimal {
    negative: bool,
    digits: u64,
    exponent: i64,
    /// More significant digits than fit in `digits`: only the platform
    /// parser can round this.
    truncated: bool,
}

impl Decimal {
    fn read(bytes: &[u8]) -> Option<Decimal> {
        let mut cursor = Cursor { bytes, at: 0 };
        let negative = cursor.eat(b'-');
        let mut decimal = Decimal { negative, digits: 0, exponent: 0, truncated: false };
        let integer_digits = cursor.digits(|digit| decimal.push(digit, 0));
        let leading_zero = bytes.get(usize::from(negative)) == Some(&b'0');
        if integer_digits == 0 || (leading_zero && integer_digits > 1) {
            return None;
        }
        if cursor.eat(b'.') && cursor.digits(|digit| decimal.push(digit, -1)) == 0 {
            return None;
        }
        if cursor.eat(b'e') || cursor.eat(b'E') {
            decimal.exponent = decimal.exponent.saturating_add(cursor.exponent()?);
        }
        (cursor.at == bytes.len()).then_some(decimal)
    }

    /// Adds one digit; `shift` is -1 for fraction digits (each lowers the
    /// power of ten).
    fn push(&mut self, digit: u8, shift: i64) {
        match self.digits.checked_mul(10).and_then(|d| d.checked_add(u64::from(digit))) {
            Some(digits) if !self.truncated => {
                self.digits = digits;
                self.exponent += shift;
            }
            _ => {
                self.truncated |= digit != 0;
                self.exponent += shift + 1;
            }
        }
    }

    /// The value when one exact multiplication or division rounds it
    /// correctly.
    fn exact(&self) -> Option<f64> {
        if self.truncated || self.digits > MAX_EXACT_INTEGER {
            return None;
        }
        let magnitude = if self.digits == 0 {
            0.0
        } else {
            let power = *EXACT_POWERS.get(usize::try_from(self.exponent.unsigned_abs()).ok()?)?;
            // The digits are an exact f64 (≤ 2^53), and so is the power.
            let digits = self.digits as f64;
            if self.exponent < 0 {
                digits / power
            } else {
                digits * power
            }
        };
        Some(if self.negative { -magnitude } else { magnitude })
    }
}

/// A position in the bytes of a number.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.bytes.get(self.at) == Some(&byte);
        self.at += usize::from(found);
        found
    }

    /// Hands each ASCII digit to `each`; returns how many there were.
    fn digits(&mut self, mut each: impl FnMut(u8)) -> usize {
        let start = self.at;
        while let Some(digit @ b'0'..=b'9') = self.bytes.get(self.at) {
            each(digit - b'0');
            self.at += 1;
        }
        self.at - start
    }

    /// An exponent's optional sign and digits, saturated far beyond any
    /// finite f64.
    fn exponent(&mut self) -> Option<i64> {
        let negative = !self.eat(b'+') && self.eat(b'-');
        let mut value: i64 = 0;
        if self.digits(|digit| value = (value * 10 + i64::from(digit)).min(1 << 40)) == 0 {
            return None;
        }
        Some(if negative { -value } else { value })
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod platform {
    /// The standard library's correctly rounded parser.
    pub(super) fn parse(text: &str) -> Option<f64> {
        text.parse().ok()
    }

    /// The standard library's shortest round-trip formatting.
    pub(super) fn write(out: &mut String, value: f64) {
        use std::fmt::Write;
        let _ = write!(out, "{value}");
    }
}

#[cfg(target_arch = "wasm32")]
mod platform {
    use wasm_bindgen::prelude::wasm_bindgen;

    #[wasm_bindgen]
    extern "C" {
        /// ECMAScript's StringToNumber, correctly rounded like Rust's.
        #[wasm_bindgen(js_namespace = Number, js_name = parseFloat)]
        fn parse_float(text: &str) -> f64;

        /// ECMAScript's Number::toString: the shortest text that reads back as the number.
        #[wasm_bindgen(js_name = String)]
        fn number_to_string(value: f64) -> String;
    }

    /// The host's correctly rounded parser; the text is a valid JSON number.
    pub(super) fn parse(text: &str) -> Option<f64> {
        Some(parse_float(text))
    }

    /// The host's shortest round-trip formatting.
    pub(super) fn write(out: &mut String, value: f64) {
        out.push_str(&number_to_string(value));
    }
}

#[cfg(test)]
mod tests {
    use super::parse_f64;
    use proptest::prelude::*;

    #[test]
    fn reads_json_numbers_as_the_standard_library_does() {
        for text in [
            "0",
            "-0",
            "1",
            "-7",
            "12.5",
            "0.1",
            "0.30000000000000004",
            "1e21",
            "1E-7",
            "2.5e+3",
            "123456789012345678901234",
            "9007199254740993",
            "1.7976931348623157e308",
            "5e-324",
            "2.2250738585072014e-308",
            "0.000001",
            "1e22",
            "1e23",
            "4.35",
            "100000000000000000000000000000000000001e-30",
        ] {
            let expected: f64 = text.parse().unwrap();
            let parsed = parse_f64(text).unwrap();
            assert_eq!(parsed.to_bits(), expected.to_bits(), "{text}");
        }
    }

    #[test]
    fn rejects_what_json_does_not_allow_and_overflow() {
        for text in ["", "-", "+1", "01", "1.", ".5", "1e", "1e+", "inf", "NaN", "1x", "0x10", "1e400", "-1e309", " 1"] {
            assert_eq!(parse_f64(text), None, "{text}");
        }
    }

    proptest! {
        #[test]
        fn agrees_with_the_standard_library_on_every_finite_f64(bits in any::<u64>()) {
            let value = f64::from_bits(bits);
            prop_assume!(value.is_finite());
            for text in [format!("{value}"), format!("{value:e}"), format!("{value:.3}")] {
                prop_assert_eq!(parse_f64(&text).map(f64::to_bits), Some(text.parse::<f64>().unwrap().to_bits()), "{}", text);
            }
        }

        #[test]
        fn agrees_on_short_decimals(digits in 0u64..100_000_000, exponent in -30i32..30) {
            let text = format!("{digits}e{exponent}");
            prop_assert_eq!(parse_f64(&text).map(f64::to_bits), Some(text.parse::<f64>().unwrap().to_bits()));
        }
    }
}
