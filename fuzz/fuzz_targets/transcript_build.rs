//! Decoding a transcript page and a call's parties, then building and rendering the transcript
//! the agent reads (`gong_mcp::mcp::render::{transcript, transcript_page}`): no panic on any
//! input, every page in every format stays within the response budget, and paging ends.
#![no_main]

use gong_mcp::gong::types::{ExtensivePage, TranscriptPage};
use gong_mcp::mcp::args::TranscriptFormat;
use gong_mcp::mcp::render::transcript::{Filter, build};
use gong_mcp::mcp::render::transcript_page::{PageRequest, render_page};
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
        let mut doc = build(t, call);
        doc.select(t, &Filter::default());
        let _ = doc.total_talk_ms();
        for format in [TranscriptFormat::Text, TranscriptFormat::Vtt, TranscriptFormat::Json] {
            let mut offset = 0;
            // Every page makes progress; a bounded number of pages covers any input here.
            for _ in 0..10_000 {
                let req = PageRequest { offset, max_chars: Some(2_000), format, filter: None };
                let Ok((text, out)) = render_page(&doc, &req) else { break };
                assert!(text.len() < 200_000, "page too large");
                let _ = serde_json::to_string(&out).expect("the output serializes");
                match out.page.next_offset {
                    Some(next) if next > offset => offset = next,
                    _ => break,
                }
            }
        }
    }
});
