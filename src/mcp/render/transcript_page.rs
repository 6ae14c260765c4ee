//! One page of a transcript in the format asked for, and the structured content beside it.
//!
//! The words appear once per answer: in the text for "text" and "vtt" (the structured content
//! then holds metadata, speakers and paging), in the structured turns for "json" (the text is
//! the same JSON, compact). Every page fits `maxChars` and the whole answer, structured content
//! included, fits `RESPONSE_BUDGET`.

use std::fmt::Write;
use std::ops::Range;

use super::paging::take_page;
use super::transcript::{MAX_LISTED_SPEAKERS, Segment, Transcript};
use super::transcript_text::{cue, cue_len, footer, header_lines, text_line, text_line_len};
use super::{RESPONSE_BUDGET, json_len};
use crate::mcp::args::TranscriptFormat;
use crate::meetings::Source;

pub use super::transcript_out::{
    FilterOut, PageOut, SpeakerOut, TopicOut, TranscriptOutput, TurnOut,
};

pub const DEFAULT_MAX_CHARS: usize = 40_000;
pub const MAX_CHARS: usize = 60_000;
/// JSON goes out twice (structured content and its text copy), so its page is smaller.
pub const MAX_JSON_CHARS: usize = 38_000;
pub const MIN_CHARS: usize = 2_000;
/// Room kept for the closing lines, beside the next-page arguments themselves.
const FOOTER_RESERVE: usize = 200;

/// How to ask for the next page: the arguments of this request that shape the transcript.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    /// Who recorded the meeting: names the id argument and the tools an answer points to.
    pub source: Source,
    pub offset: usize,
    /// As asked (`None`: the default), before clamping.
    pub max_chars: Option<u64>,
    pub format: TranscriptFormat,
    pub filter: Option<FilterOut>,
}

impl PageRequest {
    /// The page size in effect, and a note when the request was out of range.
    fn limit(&self) -> (usize, Option<String>) {
        let cap = match self.format {
            TranscriptFormat::Json => MAX_JSON_CHARS,
            _ => MAX_CHARS,
        };
        match self.max_chars {
            None => (DEFAULT_MAX_CHARS.min(cap), None),
            Some(n) if n > cap as u64 => (
                cap,
                Some(format!("maxChars {n} is above the limit; used {cap}.")),
            ),
            Some(n) if n < MIN_CHARS as u64 => (
                MIN_CHARS,
                Some(format!(
                    "maxChars {n} is below the minimum; used {MIN_CHARS}."
                )),
            ),
            Some(n) => (n as usize, None),
        }
    }

    /// `{"callId": …, "offset": N, …}` (the provider's id argument): the arguments for the next page, ready to send.
    pub(super) fn next_args(&self, call_id: &str, next: usize) -> String {
        let mut args = serde_json::Map::new();
        args.insert(self.source.id_arg().into(), call_id.into());
        if let Some(f) = &self.filter {
            if !f.speakers.is_empty() {
                args.insert("speaker".into(), f.speakers.clone().into());
            }
            if let Some(s) = f.from_seconds {
                args.insert("fromSeconds".into(), s.into());
            }
            if let Some(s) = f.to_seconds {
                args.insert("toSeconds".into(), s.into());
            }
        }
        if self.format != TranscriptFormat::Text {
            args.insert(
                "format".into(),
                serde_json::to_value(self.format).unwrap_or_default(),
            );
        }
        if let Some(m) = self.max_chars {
            args.insert("maxChars".into(), m.into());
        }
        args.insert("offset".into(), next.into());
        serde_json::Value::Object(args).to_string()
    }
}

/// The offset is past the end of the (filtered) transcript.
#[derive(Debug)]
pub struct OffsetPastEnd {
    pub total_segments: usize,
}

/// One page: the text block and the structured content.
pub fn render_page(
    doc: &Transcript,
    req: &PageRequest,
) -> Result<(String, TranscriptOutput), OffsetPastEnd> {
    let total = doc.segments.len();
    if req.offset > 0 && req.offset >= total {
        return Err(OffsetPastEnd {
            total_segments: total,
        });
    }
    let (mut limit, limit_note) = req.limit();
    // Normally one pass. A page may exceed `limit` only by a single oversized segment; if the
    // whole answer then exceeds the response budget, shrink and retry.
    loop {
        let (text, out) = match req.format {
            TranscriptFormat::Json => json_page(doc, req, limit, limit_note.clone()),
            _ => text_page(doc, req, limit, limit_note.clone()),
        };
        let size = text.len() + json_len(&out);
        if size <= RESPONSE_BUDGET || out.page.segments <= 1 || limit <= MIN_CHARS {
            return Ok((text, out));
        }
        limit = limit.saturating_sub(size - RESPONSE_BUDGET).max(MIN_CHARS);
    }
}

fn output(
    doc: &Transcript,
    req: &PageRequest,
    range: &Range<usize>,
    max_chars: usize,
) -> TranscriptOutput {
    let total_talk = doc.total_talk_ms().max(1);
    TranscriptOutput {
        call_id: doc.call_id.clone(),
        call: doc.call.clone(),
        speakers: doc
            .speakers
            .iter()
            .take(MAX_LISTED_SPEAKERS)
            .map(|s| SpeakerOut {
                name: s.name.clone(),
                email: s.email.clone(),
                title: s.title.clone(),
                affiliation: s.affiliation.to_owned(),
                identified: s.identified,
                talk_seconds: s.talk_ms.saturating_add(500) / 1000,
                talk_percent: (s.talk_ms as f64 * 1000.0 / total_talk as f64).round() / 10.0,
                speaker_id: s.speaker_id.clone(),
            })
            .collect(),
        more_speakers: doc.speakers.len().saturating_sub(MAX_LISTED_SPEAKERS),
        topics: doc
            .topics
            .iter()
            .map(|t| TopicOut {
                name: t.name.clone(),
                start_seconds: t.start_ms / 1000,
            })
            .collect(),
        filter: req.filter.as_ref().map(|f| FilterOut {
            speakers: f.speakers.clone(),
            from_seconds: f.from_seconds,
            to_seconds: f.to_seconds,
        }),
        format: req.format,
        page: PageOut {
            offset: range.start,
            next_offset: (range.end < doc.segments.len()).then_some(range.end),
            segments: range.len(),
            total_segments: doc.segments.len(),
            max_chars,
        },
        turns: None,
        hint: None,
    }
}

/// "text" and "vtt": the words in the text block only.
fn text_page(
    doc: &Transcript,
    req: &PageRequest,
    limit: usize,
    note: Option<String>,
) -> (String, TranscriptOutput) {
    let vtt = req.format == TranscriptFormat::Vtt;
    let header = header_lines(doc, req);
    // The footer quotes the next page's arguments, which grow with the speaker filter.
    let footer_room = FOOTER_RESERVE + req.next_args(&doc.call_id, doc.segments.len()).len();
    let budget = limit.saturating_sub(header.len() + footer_room);
    let line = |seg: &Segment| {
        if vtt {
            cue(doc, seg)
        } else {
            text_line(doc, seg)
        }
    };
    let size = |seg: &Segment| {
        if vtt {
            cue_len(doc, seg)
        } else {
            text_line_len(doc, seg)
        }
    };
    let range = take_page(req.offset, doc.segments.len(), budget, |i| {
        size(&doc.segments[i])
    });
    let mut out = output(doc, req, &range, limit);
    let mut text = String::with_capacity(limit);
    if vtt {
        // Every page is a WebVTT file on its own; the header becomes a NOTE block.
        text.push_str("WEBVTT\n\nNOTE\n");
        text.push_str(&header.replace("-->", "->").replace("\n\n", "\n"));
        text.push('\n');
    } else {
        text.push_str(&header);
        text.push('\n');
    }
    for seg in &doc.segments[range.clone()] {
        let rendered = line(seg);
        debug_assert_eq!(
            rendered.len(),
            size(seg),
            "size functions match the rendering"
        );
        text.push_str(&rendered);
    }
    let footer = footer(doc, req, &range, note);
    out.hint = footer.hint;
    if vtt {
        let _ = write!(text, "NOTE\n{}\n", footer.text.replace("-->", "->"));
    } else {
        let _ = writeln!(text, "\n{}", footer.text);
    }
    (text, out)
}

/// "json": the words in the structured turns; the text block is the same JSON.
fn json_page(
    doc: &Transcript,
    req: &PageRequest,
    limit: usize,
    note: Option<String>,
) -> (String, TranscriptOutput) {
    let turn = |seg: &Segment| TurnOut {
        speaker: doc
            .speakers
            .get(seg.speaker)
            .map(|s| s.name.clone())
            .unwrap_or_default(),
        start: seg.start_ms as f64 / 1000.0,
        end: seg.end_ms as f64 / 1000.0,
        text: seg.text.clone(),
    };
    let skeleton = output(doc, req, &(req.offset..req.offset), limit);
    // The base without turns, plus room for the hint and the `turns` key.
    let budget = limit.saturating_sub(json_len(&skeleton) + FOOTER_RESERVE);
    let range = take_page(req.offset, doc.segments.len(), budget, |i| {
        json_len(&turn(&doc.segments[i])) + 1
    });
    let mut out = output(doc, req, &range, limit);
    out.turns = Some(doc.segments[range.clone()].iter().map(turn).collect());
    out.hint = footer(doc, req, &range, note).hint;
    let text = serde_json::to_string(&out).unwrap_or_default();
    (text, out)
}

#[cfg(test)]
mod tests {
    use super::super::transcript::{Filter, build, tests::sample};
    use super::*;

    fn doc() -> Transcript {
        let (t, c) = sample();
        let mut d = build(&t, Some(&c));
        d.select(&t, &Filter::default());
        d
    }

    #[test]
    fn text_page_has_header_turns_and_end() {
        let (text, out) = render_page(&doc(), &PageRequest::default()).unwrap();
        insta::assert_snapshot!(text, @r#"
        Transcript of "Demo" (call 1), 2026-11-03 14:03 UTC, 1h 01m
        Speakers (talk time):
        - Ann Lee <ann@acme.com>, CFO, External: 6s (40%)
        - Unknown speaker 1 (not matched to a participant): 5s (34%)
        - Bo Chen <bo@us.com>, Internal: 4s (27%)
        Topics: 00:00 Intro, 01:11 Pricing

        [00:00] Ann Lee: Hi. Thanks for joining. Shall we start?
        [01:05] Unknown speaker 1: Who am I?
        [01:12] Bo Chen: Price?
        [1:01:40] Ann Lee: Bye.

        End of transcript.
        "#);
        assert_eq!(out.page.total_segments, 4);
        assert!(out.turns.is_none());
    }

    #[test]
    fn vtt_page_is_webvtt_with_voice_tags() {
        let req = PageRequest {
            format: TranscriptFormat::Vtt,
            ..PageRequest::default()
        };
        let (text, _) = render_page(&doc(), &req).unwrap();
        assert!(text.starts_with("WEBVTT\n\nNOTE\n"), "{text}");
        assert!(
            text.contains("00:00:00.000 --> 00:00:05.000\n<v Ann Lee>Hi. Thanks for joining. Shall we start?\n\n"),
            "{text}"
        );
        assert!(text.contains("01:01:40.000 --> 01:01:41.000\n<v Ann Lee>Bye.\n"));
    }

    #[test]
    fn json_page_text_is_the_structured_content() {
        let req = PageRequest {
            format: TranscriptFormat::Json,
            ..PageRequest::default()
        };
        let (text, out) = render_page(&doc(), &req).unwrap();
        assert_eq!(text, serde_json::to_string(&out).unwrap());
        let turns = out.turns.unwrap();
        assert_eq!(turns.len(), 4);
        assert_eq!(turns[3].speaker, "Ann Lee");
        assert_eq!(turns[3].start, 3700.0);
    }

    #[test]
    fn an_offset_past_the_end_is_refused() {
        let req = PageRequest {
            offset: 4,
            ..PageRequest::default()
        };
        assert_eq!(render_page(&doc(), &req).unwrap_err().total_segments, 4);
    }
}
