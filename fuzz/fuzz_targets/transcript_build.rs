//! Decoding a transcript page and a call's parties, then building the transcript output the
//! agent reads (`gong_mcp::mcp::tools::transcript::build`): no panic on any input, and the
//! output stays consistent (every monologue points at a listed speaker).
#![no_main]

use gong_mcp::gong::types::{ExtensivePage, TranscriptPage};
use gong_mcp::mcp::tools::transcript::build;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Two JSON documents separated by a NUL byte: the transcript page, then the extensive page.
    let (transcript, extensive) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let Ok(page) = serde_json::from_slice::<TranscriptPage>(transcript) else {
        return;
    };
    let calls = serde_json::from_slice::<ExtensivePage>(extensive).unwrap_or_default();
    for t in &page.call_transcripts {
        let call = calls.calls.iter().find(|c| c.meta_data.id == t.call_id);
        let out = build(t, call);
        for m in &out.monologues {
            assert!(m.speaker < out.speakers.len());
        }
        let _ = serde_json::to_string(&out).expect("the output serializes");
    }
});
