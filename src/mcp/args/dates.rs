//! Date arguments: ISO-8601 dates and date-times, resolved to a UTC range for Gong.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::super::error::ToolError;

/// A resolved date range for Gong: `from` inclusive, `to` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// True when the caller gave no dates and the default window applies.
    pub defaulted: bool,
}

pub const DEFAULT_WINDOW_DAYS: i64 = 30;

/// Which end of a range a date argument is: a bare date means the start or the end of that day.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RangeEnd {
    Start,
    End,
}

impl DateRange {
    pub fn resolve(
        from: Option<&str>,
        to: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Self, ToolError> {
        let from_at = from
            .map(|s| parse_date_arg("fromDate", s, RangeEnd::Start))
            .transpose()?;
        let to_at = to
            .map(|s| parse_date_arg("toDate", s, RangeEnd::End))
            .transpose()?;
        let window = chrono::Duration::days(DEFAULT_WINDOW_DAYS);
        let (from, to) = match (from_at, to_at) {
            (Some(f), Some(t)) => (f, t),
            (Some(f), None) => (f, now.max(f + chrono::Duration::seconds(1))),
            (None, Some(t)) => (t - window, t),
            (None, None) => (now - window, now),
        };
        if from >= to {
            return Err(ToolError::invalid(
                "fromDate",
                format!(
                    "fromDate ({}) must be before toDate ({}); toDate as a date includes that whole day",
                    from.to_rfc3339(),
                    to.to_rfc3339()
                ),
            ));
        }
        Ok(Self {
            from,
            to,
            defaulted: from_at.is_none() && to_at.is_none(),
        })
    }
}

/// Parses an ISO-8601 date or date-time argument. A date-time without an offset is UTC.
pub fn parse_date_arg(name: &str, raw: &str, end: RangeEnd) -> Result<DateTime<Utc>, ToolError> {
    let s = raw.trim();
    let invalid = |why: &str| {
        ToolError::invalid(
            name,
            format!(
                "{name} '{}' is not a valid date{why}; use an ISO-8601 date like 2026-10-01 or a date-time like 2026-10-01T09:00:00Z",
                s.chars().take(40).collect::<String>()
            ),
        )
    };
    let parsed = if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        dt.with_timezone(&Utc)
    } else if let Ok(naive) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        Utc.from_utc_datetime(&naive)
    } else if let Ok(naive) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M") {
        Utc.from_utc_datetime(&naive)
    } else if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let day = match end {
            RangeEnd::Start => date,
            RangeEnd::End => date.succ_opt().ok_or_else(|| invalid(""))?,
        };
        Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).ok_or_else(|| invalid(""))?)
    } else {
        return Err(invalid(""));
    };
    // Gong started in 2015; far-future years are typos (year 99999) and overflow Gong's parser.
    // The signed year: year_ce() would count 2071 BCE ("-2070-01-21") as 2071.
    if !(2000..=2100).contains(&parsed.year()) {
        return Err(invalid(" (the year must be between 2000 and 2100)"));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
    }

    #[test]
    fn bare_dates_cover_whole_utc_days() {
        let r = DateRange::resolve(Some("2026-10-01"), Some("2026-10-31"), now()).unwrap();
        assert_eq!(r.from, Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap());
        assert_eq!(r.to, Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap());
        let one_day = DateRange::resolve(Some("2026-10-05"), Some("2026-10-05"), now()).unwrap();
        assert_eq!(one_day.to - one_day.from, chrono::Duration::days(1));
    }

    #[test]
    fn date_times_keep_their_offset_and_default_to_utc() {
        let r = DateRange::resolve(
            Some("2026-10-01T09:00:00-07:00"),
            Some("2026-10-02T00:00:00"),
            now(),
        )
        .unwrap();
        assert_eq!(r.from, Utc.with_ymd_and_hms(2026, 10, 1, 16, 0, 0).unwrap());
        assert_eq!(r.to, Utc.with_ymd_and_hms(2026, 10, 2, 0, 0, 0).unwrap());
    }

    #[test]
    fn omitted_dates_mean_the_last_30_days() {
        let r = DateRange::resolve(None, None, now()).unwrap();
        assert!(r.defaulted);
        assert_eq!(r.to, now());
        assert_eq!(r.from, now() - chrono::Duration::days(30));
    }

    #[test]
    fn impossible_dates_name_the_argument() {
        for bad in [
            "2024-13-45",
            "99999-01-01",
            "1899-01-01",
            "yesterday",
            "2024-02-30",
            "",
        ] {
            let err = DateRange::resolve(Some(bad), None, now()).unwrap_err();
            assert!(err.to_string().contains("fromDate"), "{bad}: {err}");
        }
        let err = DateRange::resolve(None, Some("2026-02-30"), now()).unwrap_err();
        assert!(err.to_string().contains("toDate"));
        let err = DateRange::resolve(Some("2026-10-05"), Some("2026-10-01"), now()).unwrap_err();
        assert!(err.to_string().contains("must be before"), "{err}");
    }
}
