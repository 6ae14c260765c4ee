//! Tool argument parsing: dates, date ranges, call ids, and the argument structs from arbitrary
//! JSON. Nothing may panic, and whatever is accepted must satisfy the documented invariants.
#![no_main]

use chrono::{Datelike, TimeZone, Utc};
use gong_mcp::mcp::args::{
    CallDetailsArgs, DateRange, ListCallsArgs, RangeEnd, TranscriptArgs, parse_date_arg,
    validate_call_id,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The argument structs, from any bytes (serde_json's recursion limit included).
    let _ = serde_json::from_slice::<ListCallsArgs>(data);
    let _ = serde_json::from_slice::<TranscriptArgs>(data);
    if let Ok(args) = serde_json::from_slice::<CallDetailsArgs>(data) {
        for id in args.call_ids.iter().flatten().chain(args.call_id.iter()) {
            let _ = validate_call_id("callIds", id);
        }
    }

    // Dates: the input split in two at the first 0xff byte, each half a date argument.
    let text = String::from_utf8_lossy(data);
    let (from, to) = match text.split_once('\u{fffd}') {
        Some((f, t)) => (Some(f), Some(t)),
        None => (Some(text.as_ref()), None),
    };
    for (raw, end) in [(from, RangeEnd::Start), (to, RangeEnd::End)] {
        if let Some(raw) = raw
            && let Ok(at) = parse_date_arg("fromDate", raw, end)
        {
            assert!((2000..=2100).contains(&at.year()), "{raw:?} -> {at}");
        }
    }
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap();
    for (f, t) in [(from, to), (from, None), (None, from), (to, from)] {
        if let Ok(range) = DateRange::resolve(f, t, now) {
            assert!(range.from < range.to, "{f:?} {t:?} -> {range:?}");
            assert_eq!(range.defaulted, f.is_none() && t.is_none());
        }
    }

    if let Some(id) = from
        && validate_call_id("callId", id).is_ok()
    {
        assert!(!id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit()));
    }
});
