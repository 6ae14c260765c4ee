//! Property tests of the date-range rules agents rely on (`gong_mcp::mcp::args`): a range is
//! always from < to or a clear error naming the argument; a bare date is exactly one UTC day;
//! offsets normalise to UTC; years outside 2000..=2100 are refused; call ids are 1-20 digits.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use gong_mcp::mcp::args::{DateRange, RangeEnd, parse_date_arg, validate_call_id};
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Strings shaped like what agents send: dates, date-times with and without offsets, some
/// impossible (month 13, day 45, hour 25, offset +25:00, year 99999 or negative), some noise.
fn date_like() -> impl Strategy<Value = String> {
    let year = prop_oneof![1990i32..2110, Just(99_999), -3000i32..0];
    (
        year,
        0u32..14,
        0u32..46,
        0u32..26,
        0u32..61,
        -26i32..27,
        0u32..4,
    )
        .prop_map(|(y, mo, d, h, mi, off, form)| match form {
            0 => format!("{y:04}-{mo:02}-{d:02}"),
            1 => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00Z"),
            2 => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00{off:+03}:30"),
            _ => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}"),
        })
}

fn any_arg() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        date_like().prop_map(Some),
        ".{0,40}".prop_map(Some),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_range_is_from_before_to_or_an_error_naming_the_argument(from in any_arg(), to in any_arg()) {
        match DateRange::resolve(from.as_deref(), to.as_deref(), now()) {
            Ok(r) => {
                prop_assert!(r.from < r.to, "{from:?} {to:?} -> {r:?}");
                prop_assert_eq!(r.defaulted, from.is_none() && to.is_none());
                for at in [r.from, r.to] {
                    // Dates the agent gave are within Gong's years; defaults are around now.
                    prop_assert!((1999..=2101).contains(&chrono::Datelike::year(&at)), "{at}");
                }
                if from.is_none() && to.is_some() {
                    prop_assert_eq!(r.to - r.from, Duration::days(30));
                }
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(
                    msg.starts_with("Invalid argument `fromDate`") || msg.starts_with("Invalid argument `toDate`"),
                    "{msg}"
                );
                prop_assert!(msg.len() < 400, "the message quotes at most 40 characters: {msg}");
            }
        }
    }

    #[test]
    fn a_bare_date_covers_exactly_one_utc_day(y in 2000i32..2100, m in 1u32..=12, d in 1u32..=31) {
        let Some(day) = date(y, m, d) else { return Ok(()); };
        let s = day.format("%Y-%m-%d").to_string();
        let start = parse_date_arg("fromDate", &s, RangeEnd::Start).unwrap();
        let end = parse_date_arg("toDate", &s, RangeEnd::End).unwrap();
        prop_assert_eq!(start, Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap()));
        prop_assert_eq!(end - start, Duration::hours(24));
        let r = DateRange::resolve(Some(&s), Some(&s), now()).unwrap();
        prop_assert_eq!((r.from, r.to), (start, end));
    }

    #[test]
    fn offsets_normalise_to_utc(
        y in 2001i32..2099, m in 1u32..=12, d in 1u32..=28,
        h in 0u32..24, mi in 0u32..60, s in 0u32..60,
        negative in any::<bool>(), off_h in 0i32..=23, off_m in 0i32..60,
    ) {
        let naive = date(y, m, d).unwrap().and_hms_opt(h, mi, s).unwrap();
        let offset_secs = (off_h * 3600 + off_m * 60) * if negative { -1 } else { 1 };
        let text = format!(
            "{}{}{off_h:02}:{off_m:02}",
            naive.format("%Y-%m-%dT%H:%M:%S"),
            if negative { '-' } else { '+' },
        );
        let want = Utc.from_utc_datetime(&naive) - Duration::seconds(offset_secs.into());
        for end in [RangeEnd::Start, RangeEnd::End] {
            prop_assert_eq!(parse_date_arg("fromDate", &text, end).unwrap(), want, "{}", text);
        }
        // No offset, and Z, both mean UTC.
        let bare = naive.format("%Y-%m-%dT%H:%M:%S").to_string();
        prop_assert_eq!(parse_date_arg("toDate", &bare, RangeEnd::End).unwrap(), Utc.from_utc_datetime(&naive));
        prop_assert_eq!(parse_date_arg("toDate", &format!("{bare}Z"), RangeEnd::End).unwrap(), Utc.from_utc_datetime(&naive));
    }

    #[test]
    fn years_outside_2000_to_2100_are_refused(y in prop_oneof![-9999i32..2000, 2101i32..10000], m in 1u32..=12, d in 1u32..=28) {
        let s = if y < 0 { format!("-{:04}-{m:02}-{d:02}", -y) } else { format!("{y:04}-{m:02}-{d:02}") };
        for end in [RangeEnd::Start, RangeEnd::End] {
            let err = parse_date_arg("fromDate", &s, end);
            prop_assert!(err.is_err(), "{} was accepted: {:?}", s, err);
        }
    }

    #[test]
    fn call_ids_are_one_to_twenty_digits(id in "[0-9]{0,25}|.{0,25}") {
        let valid = !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit());
        prop_assert_eq!(validate_call_id("callId", &id).is_ok(), valid, "{:?}", id);
    }
}

/// Found by the `args` fuzz target: the year check used `year_ce()`, so year -2070 (2071 BCE)
/// passed as 2071 and was sent to Gong.
#[test]
fn negative_years_are_refused() {
    for s in ["-2070-01-21", "-2024-06-01T00:00:00Z"] {
        assert!(
            parse_date_arg("fromDate", s, RangeEnd::Start).is_err(),
            "{s}"
        );
    }
}
