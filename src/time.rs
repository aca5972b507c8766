//! Timestamps as epoch milliseconds: RFC 3339 parsing and formatting without a
//! clock or a time-zone database, so native and wasm agree to the millisecond.

/// Milliseconds since 1970-01-01T00:00:00Z.
pub type EpochMillis = i64;

const MS_PER_DAY: i64 = 86_400_000;

/// Days from 1970-01-01 to the given proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) of a day count from 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// A cursor over ASCII digits and separators.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, count: usize) -> Option<u32> {
        let end = self.at.checked_add(count)?;
        let chunk = self.bytes.get(self.at..end)?;
        let mut value = 0u32;
        for &b in chunk {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
        }
        self.at = end;
        Some(value)
    }

    fn expect(&mut self, accepted: &[u8]) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        if accepted.contains(&b) {
            self.at += 1;
            Some(b)
        } else {
            None
        }
    }

    fn done(&self) -> bool {
        self.at == self.bytes.len()
    }
}

/// Parses `YYYY-MM-DD` (midnight UTC) or an RFC 3339 date-time with `Z` or a
/// numeric offset and optional fractional seconds (kept to the millisecond).
pub fn parse_rfc3339(text: &str) -> Option<EpochMillis> {
    let mut c = Cursor { bytes: text.as_bytes(), at: 0 };
    let year = i64::from(c.digits(4)?);
    c.expect(b"-")?;
    let month = c.digits(2)?;
    c.expect(b"-")?;
    let day = c.digits(2)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let date_ms = days_from_civil(year, month, day) * MS_PER_DAY;
    if c.done() {
        return Some(date_ms);
    }
    c.expect(b"Tt ")?;
    let (hour, minute) = (c.digits(2)?, {
        c.expect(b":")?;
        c.digits(2)?
    });
    c.expect(b":")?;
    let second = c.digits(2)?;
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut millis = 0u32;
    if c.expect(b".").is_some() {
        let mut scale = 100;
        let start = c.at;
        while let Some(d) = c.digits(1) {
            millis += d * scale;
            scale /= 10;
        }
        if c.at == start {
            return None;
        }
    }
    let offset_minutes = match c.expect(b"Zz+-")? {
        b'Z' | b'z' => 0,
        sign => {
            let h = c.digits(2)?;
            c.expect(b":")?;
            let m = c.digits(2)?;
            if h > 23 || m > 59 {
                return None;
            }
            let total = i64::from(h * 60 + m);
            if sign == b'-' {
                -total
            } else {
                total
            }
        }
    };
    if !c.done() {
        return None;
    }
    let seconds = i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
    Some(date_ms + seconds * 1000 + i64::from(millis) - offset_minutes * 60_000)
}

/// Formats epoch milliseconds as RFC 3339 in UTC, e.g. `2026-11-26T06:24:42.000Z`.
pub fn format_rfc3339(at: EpochMillis) -> String {
    let (days, ms) = (at.div_euclid(MS_PER_DAY), at.rem_euclid(MS_PER_DAY));
    let (year, month, day) = civil_from_days(days);
    let secs = ms / 1000;
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z", secs / 3600, secs / 60 % 60, secs % 60, ms % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_date_times() {
        assert_eq!(parse_rfc3339("1970-01-01"), Some(0));
        assert_eq!(parse_rfc3339("2026-11-26T06:24:42Z"), Some(1_795_674_282_000));
        assert_eq!(parse_rfc3339("2026-11-26T07:24:42.5+01:00"), Some(1_795_674_282_500));
        assert_eq!(parse_rfc3339("2024-02-29"), Some(1_709_164_800_000));
        assert_eq!(parse_rfc3339("1969-12-31T23:59:59.999Z"), Some(-1));
    }

    #[test]
    fn rejects_malformed_input() {
        for bad in [
            "",
            "2026",
            "2026-13-01",
            "2023-02-29",
            "2026-01-01T25:00:00Z",
            "2026-01-01T00:00:00",
            "2026-01-01T00:00:00Zjunk",
            "2026-01-01T00:00:00.Z",
            "２０２６-01-01",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_round_trip() {
        for at in [0, -1, 1_795_674_282_123, 253_402_300_799_999] {
            assert_eq!(parse_rfc3339(&format_rfc3339(at)), Some(at));
        }
    }
}
