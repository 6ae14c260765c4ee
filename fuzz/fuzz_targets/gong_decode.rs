//! Decoding Gong's responses: the lenient wire types must take any bytes without panicking
//! (they accept nulls, strings for numbers, unknown fields; anything else is an error value).
#![no_main]

use gong_mcp::gong::types::{CallsPage, ErrorBody, ExtensivePage, TranscriptPage};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(page) = serde_json::from_slice::<CallsPage>(data) {
        for call in &page.calls {
            // Durations are finite when present (NaN/inf would poison rounding and sums).
            assert!(call.duration.is_none_or(f64::is_finite));
        }
    }
    if let Ok(page) = serde_json::from_slice::<ExtensivePage>(data) {
        for call in &page.calls {
            assert!(call.meta_data.duration.is_none_or(f64::is_finite));
            for s in &call.interaction.speakers {
                assert!(s.talk_time.is_none_or(f64::is_finite));
            }
        }
    }
    let _ = serde_json::from_slice::<TranscriptPage>(data);
    let _ = serde_json::from_slice::<ErrorBody>(data);
});
