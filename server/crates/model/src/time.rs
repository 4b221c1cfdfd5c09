//! Unix-millisecond timestamps as text, without a date library in the WASM
//! bundle. The store keeps UTC; the UI shows UTC with the `Z` to say so.

/// `2026-11-23T09:05:00Z` (second precision).
pub fn iso8601(unix_ms: i64) -> String {
    let seconds = unix_ms.div_euclid(1000);
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Parses `YYYY-MM-DD` (a date input's value) to Unix milliseconds at 00:00 UTC.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1..=9999).contains(&year) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    (civil_from_days(days) == (year, month, day)).then_some(days * 86_400_000)
}

/// Parses a date (`2026-11-23`, midnight UTC) or a date and time
/// (`2026-11-23T09:05`, `…:30`, `…:30.250`, with `Z`, `±HH:MM` or no zone,
/// which means UTC; a space may stand for the `T`) to Unix milliseconds.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.len() <= 10 {
        return parse_date(text);
    }
    // Byte 10 may fall inside a multi-byte character of a bad value.
    if !text.is_char_boundary(10) {
        return None;
    }
    let (date, rest) = text.split_at(10);
    let day_ms = parse_date(date)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (clock, offset_ms) = split_zone(rest)?;
    let mut parts = clock.splitn(3, ':');
    let hours: i64 = two_digits(parts.next()?)?;
    let minutes: i64 = two_digits(parts.next()?)?;
    let (seconds, millis) = match parts.next() {
        None => (0, 0),
        Some(s) => {
            let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
            if !fraction.chars().all(|c| c.is_ascii_digit()) || fraction.len() > 9 {
                return None;
            }
            let millis = format!("{fraction:0<3}")[..3].parse::<i64>().ok()?;
            (two_digits(whole)?, millis)
        }
    };
    if hours > 23 || minutes > 59 || seconds > 60 {
        return None;
    }
    Some(day_ms + ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis - offset_ms)
}

/// `2026-11-23T09:05:00.250Z`: millisecond precision, for values sent to
/// databases and shown by the API.
pub fn iso8601_millis(unix_ms: i64) -> String {
    let seconds = iso8601(unix_ms);
    format!("{}.{:03}Z", &seconds[..19], unix_ms.rem_euclid(1000))
}

fn two_digits(text: &str) -> Option<i64> {
    (text.len() == 2 && text.chars().all(|c| c.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Splits `09:05:00+02:00` into the clock and the zone offset in ms.
fn split_zone(text: &str) -> Option<(&str, i64)> {
    if let Some(clock) = text.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    match text.rfind(['+', '-']) {
        Some(at) if at >= 5 => {
            let (clock, zone) = text.split_at(at);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let (h, m) = zone[1..].split_once(':').unwrap_or((&zone[1..], "00"));
            let (h, m) = (two_digits(h)?, two_digits(m)?);
            Some((clock, sign * (h * 60 + m) * 60_000))
        }
        _ => Some((text, 0)),
    }
}

// Howard Hinnant's civil-calendar algorithms (public domain).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_795_424_700_000), "2026-11-23T09:05:00Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn dates_parse_and_impossible_ones_do_not() {
        assert_eq!(parse_date("2026-11-23"), Some(1_795_392_000_000));
        assert_eq!(
            parse_date("2000-02-29").map(iso8601).as_deref(),
            Some("2000-02-29T00:00:00Z")
        );
        for bad in ["", "2026-02-30", "2026-13-01", "yesterday", "2026-11"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn datetimes_parse_with_zones() {
        let base = parse_date("2026-11-23").unwrap();
        assert_eq!(parse_datetime("2026-11-23"), Some(base));
        assert_eq!(parse_datetime("2026-11-23T09:05"), Some(base + 32_700_000));
        assert_eq!(
            parse_datetime("2026-11-23 09:05:00Z"),
            Some(base + 32_700_000)
        );
        assert_eq!(
            parse_datetime("2026-11-23T09:05:00.25Z"),
            Some(base + 32_700_250)
        );
        assert_eq!(
            parse_datetime("2026-11-23T11:05:00+02:00"),
            Some(base + 32_700_000)
        );
        assert_eq!(
            parse_datetime("2026-11-23T04:05:00-05:00"),
            Some(base + 32_700_000)
        );
        assert_eq!(
            iso8601_millis(base + 32_700_250),
            "2026-11-23T09:05:00.250Z"
        );
        for bad in [
            "2026-11-23T25:00",
            "2026-11-23X09:05",
            "2026-11-23T9:5",
            "2026-11-23T09:05:00.x",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
    }
}
