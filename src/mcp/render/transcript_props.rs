//! Properties of transcript rendering over arbitrary transcripts, filters and page sizes: reading
//! page after page loses and repeats nothing, filters keep exactly what they say, WebVTT is valid,
//! and no answer exceeds the response budget, even for a 3-hour, 30,000-sentence call.

use proptest::prelude::*;

use super::RESPONSE_BUDGET;
use super::json_len;
use super::synthetic::{self, Shape, parse_webvtt};
use super::transcript::{Filter, Transcript, build};
use super::transcript_page::{MIN_CHARS, PageRequest, TranscriptOutput, render_page};
use crate::gong::meeting;
use crate::gong::types::{CallTranscript, ExtensiveCall};
use crate::mcp::args::TranscriptFormat;

/// Every page of a transcript, read in order from offset 0.
fn read_all(doc: &Transcript, req: &PageRequest) -> Vec<(String, TranscriptOutput)> {
    let mut pages = Vec::new();
    let mut req = req.clone();
    loop {
        let (text, out) = render_page(doc, &req).expect("offsets from nextOffset are valid");
        let next = out.page.next_offset;
        pages.push((text, out));
        match next {
            Some(n) => req.offset = n,
            None => return pages,
        }
        assert!(pages.len() <= doc.segments.len() + 1, "paging does not end");
    }
}

/// (speaker name, text) of each segment on a page, read back from the format's own syntax.
fn segments_of(
    format: TranscriptFormat,
    text: &str,
    out: &TranscriptOutput,
) -> Vec<(String, String)> {
    match format {
        TranscriptFormat::Text => text
            .lines()
            .filter(|l| l.starts_with('['))
            .map(|l| {
                let (_, rest) = l.split_once("] ").expect("timestamp");
                let (name, words) = rest.split_once(": ").expect("name");
                (name.to_owned(), words.to_owned())
            })
            .collect(),
        TranscriptFormat::Vtt => parse_webvtt(text)
            .unwrap_or_else(|e| panic!("invalid WebVTT: {e}\n{text}"))
            .into_iter()
            .map(|c| (c.voice, c.text))
            .collect(),
        TranscriptFormat::Json => out
            .turns
            .as_ref()
            .expect("json pages have turns")
            .iter()
            .map(|t| (t.speaker.clone(), t.text.clone()))
            .collect(),
    }
}

/// The text without whitespace and control characters: what no rendering may add or drop.
fn no_space(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect()
}

/// The words of the sentences a filter should keep, straight from Gong's data, not through the
/// code under test: monologues of `speaker` (a Gong speaker id; everyone if `None`) whose
/// sentences start within `[from_ms, to_ms)`.
fn expected_words(
    t: &CallTranscript,
    speaker: Option<&str>,
    from_ms: u64,
    to_ms: Option<u64>,
) -> String {
    let mut words = String::new();
    for m in &t.transcript {
        if speaker.is_some_and(|id| m.speaker_id.as_deref() != Some(id)) {
            continue;
        }
        for s in &m.sentences {
            if s.start >= from_ms && to_ms.is_none_or(|to| s.start < to) {
                words.push_str(&no_space(&s.text));
            }
        }
    }
    words
}

/// The name a speaker id should be shown with, from the call's parties: `None` for an id no
/// party has (shown as "Unknown speaker ...").
fn party_name<'c>(call: &'c ExtensiveCall, speaker_id: &str) -> Option<&'c str> {
    call.parties
        .iter()
        .find(|p| p.speaker_id.as_deref() == Some(speaker_id))
        .and_then(|p| p.name.as_deref())
}

fn arb_transcript() -> impl Strategy<Value = (CallTranscript, ExtensiveCall)> {
    let sentence = (
        prop_oneof![
            3 => "[a-zA-Z ,.?]{1,80}",
            1 => "[a-zé日本 <>&\\-\n\t]{0,40}",
            1 => "[a-z]{1,6}( [a-z]{1,6}){150,400}",
        ],
        0u64..5_000,
    );
    let monologue = (0usize..5, prop::collection::vec(sentence, 0..6));
    prop::collection::vec(monologue, 0..40).prop_map(|monologues| {
        let mut t = 0u64;
        let transcript: Vec<serde_json::Value> = monologues
            .into_iter()
            .map(|(speaker, sentences)| {
                let sentences: Vec<serde_json::Value> = sentences
                    .into_iter()
                    .map(|(text, len)| {
                        let s = serde_json::json!({"start": t, "end": t + len, "text": text});
                        t += len + 100;
                        s
                    })
                    .collect();
                serde_json::json!({"speakerId": format!("s{speaker}"), "topic": format!("T{}", speaker % 2), "sentences": sentences})
            })
            .collect();
        let parties: Vec<serde_json::Value> = (0..4)
            .map(|i| serde_json::json!({"name": format!("Person {i}"), "emailAddress": format!("p{i}@x.com"), "speakerId": format!("s{i}"), "affiliation": "External"}))
            .collect();
        (
            serde_json::from_value(serde_json::json!({"callId": "1", "transcript": transcript})).unwrap(),
            serde_json::from_value(serde_json::json!({"metaData": {"id": "1", "title": "T"}, "parties": parties})).unwrap(),
        )
    })
}

fn arb_format() -> impl Strategy<Value = TranscriptFormat> {
    prop_oneof![
        Just(TranscriptFormat::Text),
        Just(TranscriptFormat::Vtt),
        Just(TranscriptFormat::Json)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn pages_reproduce_the_filtered_transcript_exactly_once(
        (transcript, call) in arb_transcript(),
        max_chars in 0u64..70_000,
        format in arb_format(),
        speaker_pick in prop::option::of(0usize..5),
        window in prop::option::of((0u64..60_000, 1u64..60_000)),
    ) {
        let (wire, call) = (transcript, call);
        let transcript = meeting::transcript(&wire);
        let mut doc = build(&transcript, Some(&meeting::header(&call)));
        // The speaker to keep, as a Gong speaker id; the filter names it by its place in the
        // built speaker list (the tool's own input), which must hold every id that spoke.
        let speaker = speaker_pick.map(|i| format!("s{i}"));
        let spoke = |id: &str| wire.transcript.iter().any(|m| m.speaker_id.as_deref() == Some(id) && !m.sentences.is_empty());
        let speakers = match &speaker {
            Some(id) => match doc.speakers.iter().position(|s| &s.speaker_id == id) {
                Some(i) => Some(vec![i]),
                None => {
                    prop_assert!(!spoke(id), "{id} spoke but is not among the transcript's speakers");
                    None
                }
            },
            None => None,
        };
        let speaker = speaker.filter(|_| speakers.is_some());
        let filter = Filter {
            speakers: speakers.clone(),
            from_ms: window.map_or(0, |w| w.0),
            to_ms: window.map(|w| w.0 + w.1),
        };
        doc.select(&transcript, &filter);
        let req = PageRequest { max_chars: Some(max_chars), format, ..PageRequest::default() };
        let mut words = String::new();
        let mut segments = 0;
        for (text, out) in read_all(&doc, &req) {
            prop_assert!(text.len() + json_len(&out) <= RESPONSE_BUDGET);
            let limit = (max_chars as usize).max(MIN_CHARS);
            prop_assert!(text.len() <= limit || out.page.segments == 1, "page of {} > {limit}", text.len());
            if format == TranscriptFormat::Json {
                prop_assert_eq!(&text, &serde_json::to_string(&out).unwrap());
            }
            for (name, segment) in segments_of(format, &text, &out) {
                if let Some(id) = &speaker {
                    match party_name(&call, id) {
                        Some(party) => prop_assert_eq!(&name, party),
                        None => prop_assert!(name.starts_with("Unknown speaker"), "{name}"),
                    }
                }
                words.push_str(&no_space(&segment));
                segments += 1;
            }
        }
        prop_assert_eq!(segments, doc.segments.len());
        prop_assert_eq!(
            words,
            expected_words(&wire, speaker.as_deref(), filter.from_ms, filter.to_ms)
        );
    }
}

/// A 3-hour call of 30,000 sentences: every page of every format, at the default, smallest and
/// largest page size, fits the budget, and the pages cover the call.
#[test]
fn a_three_hour_call_never_exceeds_the_budget() {
    let (transcript, call) = synthetic::call(Shape {
        sentences: 30_000,
        seconds: 3 * 3600,
        words_per_sentence: 6,
        speakers: 8,
        seed: 7,
    });
    let transcript = meeting::transcript(&transcript);
    let mut doc = build(&transcript, Some(&meeting::header(&call)));
    doc.select(&transcript, &Filter::default());
    for format in [
        TranscriptFormat::Text,
        TranscriptFormat::Vtt,
        TranscriptFormat::Json,
    ] {
        for max_chars in [None, Some(0), Some(1_000_000)] {
            let req = PageRequest {
                max_chars,
                format,
                ..PageRequest::default()
            };
            let pages = read_all(&doc, &req);
            let mut segments = 0;
            for (text, out) in &pages {
                let total = text.len() + json_len(out);
                assert!(
                    total <= RESPONSE_BUDGET,
                    "{format:?} {max_chars:?}: {total}"
                );
                segments += out.page.segments;
            }
            assert_eq!(segments, doc.segments.len());
            assert!(pages.len() > 1);
        }
    }
}
