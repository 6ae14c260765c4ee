//! Decoding a transcript page and a call's parties, then building and rendering the transcript
//! the agent reads (`gong_mcp::mcp::render::{transcript, transcript_page}`): no panic on any
//! input; in every format, every page (text plus structured output) fits the 80,000-byte answer
//! budget, every `nextOffset` is accepted and moves forward, and the pages cover every segment once.
#![no_main]

use gong_mcp::gong::meeting;
use gong_mcp::gong::types::{ExtensivePage, TranscriptPage};
use gong_mcp::mcp::args::TranscriptFormat;
use gong_mcp::mcp::render::transcript::{Filter, build};
use gong_mcp::mcp::render::transcript_page::{PageRequest, render_page};
use gong_mcp::mcp::render::{RESPONSE_BUDGET, json_len};
use gong_mcp::meetings::Source;
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
        let header = call.map(meeting::header);
        let t = &meeting::transcript(t);
        let mut doc = build(t, header.as_ref());
        doc.select(t, &Filter::default());
        let _ = doc.total_talk_ms();
        for format in [
            TranscriptFormat::Text,
            TranscriptFormat::Vtt,
            TranscriptFormat::Json,
        ] {
            // Page after page from offset 0: every offset the previous page hands out is valid,
            // every page moves forward and fits the answer budget, and the pages cover every
            // segment once. One page per segment at most (plus the empty first page).
            let mut offset = 0;
            let mut covered = 0;
            let mut pages = 0;
            loop {
                let req = PageRequest {
                    source: Source::Gong,
                    offset,
                    max_chars: Some(2_000),
                    format,
                    filter: None,
                };
                let (text, out) = render_page(&doc, &req)
                    .unwrap_or_else(|e| panic!("offset {offset} from nextOffset refused: {e:?}"));
                let size = text.len() + json_len(&out);
                assert!(
                    size <= RESPONSE_BUDGET,
                    "{format:?} page at {offset}: {size} bytes"
                );
                let _ = serde_json::to_string(&out).expect("the output serializes");
                covered += out.page.segments;
                pages += 1;
                assert!(
                    pages <= doc.segments.len() + 1,
                    "{format:?}: paging does not end"
                );
                match out.page.next_offset {
                    Some(next) => {
                        assert!(
                            next > offset,
                            "{format:?}: nextOffset {next} after {offset}"
                        );
                        offset = next;
                    }
                    None => break,
                }
            }
            assert_eq!(
                covered,
                doc.segments.len(),
                "{format:?}: pages cover every segment once"
            );
        }
    }
});
