//! Date and date/time text as the Python package's SQLAlchemy layer writes it.

use chrono::{NaiveDate, NaiveDateTime};

/// Parses `YYYY-MM-DD HH:MM:SS[.ffffff]` (a `T` separator is accepted too).
pub fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|fmt| NaiveDateTime::parse_from_str(text, fmt).ok())
    .or_else(|| parse_date(text).and_then(|d| d.and_hms_opt(0, 0, 0)))
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// Formats as SQLAlchemy's SQLite dialect stores date/times: always with microseconds.
pub(crate) fn format_datetime(t: &NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
}

pub(crate) fn format_date(d: &NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microseconds_survive_a_round_trip() {
        let t = parse_datetime("2019-03-04 15:16:17.000123").unwrap();
        assert_eq!(t.and_utc().timestamp_subsec_micros(), 123);
        assert_eq!(format_datetime(&t), "2019-03-04 15:16:17.000123");
    }

    #[test]
    fn whole_seconds_and_t_separator_are_read() {
        let a = parse_datetime("2019-03-04 15:16:17").unwrap();
        let b = parse_datetime("2019-03-04T15:16:17").unwrap();
        assert_eq!(a, b);
        assert_eq!(format_datetime(&a), "2019-03-04 15:16:17.000000");
    }

    #[test]
    fn garbage_is_rejected() {
        assert!(parse_datetime("yesterday").is_none());
        assert!(parse_datetime("2019-13-04 15:16:17").is_none());
        assert!(parse_date("2019-02-30").is_none());
    }
}
