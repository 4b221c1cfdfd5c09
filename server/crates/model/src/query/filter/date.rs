//! The two date shapes filters accept, checked without a date library (the
//! model crate also runs in the browser): a day `YYYY-MM-DD`, or an RFC 3339
//! instant with an explicit offset.

/// `2026-02-28`: a real calendar day.
pub(super) fn is_day(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (
        number(&text[0..4]),
        number(&text[5..7]),
        number(&text[8..10]),
    ) else {
        return false;
    };
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

/// `2026-02-28T09:05:00Z`, `2026-02-28 09:05:00.250+01:00`: RFC 3339 §5.6
/// (its `T` may be `t` or a space), seconds required, at most nanoseconds,
/// offset required.
pub(super) fn is_instant(text: &str) -> bool {
    let Some((day, rest)) = text.split_at_checked(10) else {
        return false;
    };
    let mut rest = rest.chars();
    if !is_day(day) || !matches!(rest.next(), Some('T' | 't' | ' ')) {
        return false;
    }
    let rest = rest.as_str();
    let Some((clock, rest)) = rest.split_at_checked(8) else {
        return false;
    };
    if !is_clock(clock, 60) {
        return false;
    }
    let offset = match rest.strip_prefix('.') {
        Some(fraction) => {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if !(1..=9).contains(&digits) {
                return false;
            }
            &fraction[digits..]
        }
        None => rest,
    };
    match offset {
        "Z" | "z" => true,
        _ => match offset.strip_prefix(['+', '-']) {
            Some(hours_minutes) => {
                let bytes = hours_minutes.as_bytes();
                bytes.len() == 5
                    && bytes[2] == b':'
                    && matches!(number(&hours_minutes[0..2]), Some(0..=23))
                    && matches!(number(&hours_minutes[3..5]), Some(0..=59))
            }
            None => false,
        },
    }
}

/// `HH:MM:SS`; `max_second` is 60 to allow a leap second.
fn is_clock(text: &str, max_second: u32) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 8
        && bytes[2] == b':'
        && bytes[5] == b':'
        && matches!(number(&text[0..2]), Some(0..=23))
        && matches!(number(&text[3..5]), Some(0..=59))
        && number(&text[6..8]).is_some_and(|second| second <= max_second)
}

/// Digits only: `u32::from_str` would also take a leading `+`.
fn number(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_real_calendar_days() {
        for good in ["2026-11-23", "2000-02-29", "1969-07-20", "0001-01-01"] {
            assert!(is_day(good), "{good}");
        }
        for bad in [
            "",
            "2026-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2026-1-01",
            "2026/01/01",
            "+026-01-01",
            "2026-01-01T00:00:00Z",
            "today",
        ] {
            assert!(!is_day(bad), "{bad}");
        }
    }

    #[test]
    fn instants_need_seconds_and_an_offset() {
        for good in [
            "2026-11-23T09:05:00Z",
            "2026-11-23t09:05:00z",
            "2026-11-23 09:05:00+08:00",
            "2026-11-23T09:05:00.123456-05:30",
            "2016-12-31T23:59:60Z",
        ] {
            assert!(is_instant(good), "{good}");
        }
        for bad in [
            "2026-11-23",
            "2026-11-23T09:05:00",
            "2026-11-23T09:05Z",
            "2026-11-23T24:00:00Z",
            "2026-11-23T09:60:00Z",
            "2026-11-23T09:05:00.Z",
            "2026-11-23T09:05:00.1234567890Z",
            "2026-11-23T09:05:00+0800",
            "2026-11-23T09:05:00+24:00",
            "2026-11-23X09:05:00Z",
            "2026-02-30T09:05:00Z",
            "2026-11-23T09:05:00Zjunk",
            "2026-11-23T09:05:00é",
        ] {
            assert!(!is_instant(bad), "{bad}");
        }
    }
}
