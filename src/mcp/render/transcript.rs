//! A call's transcript as the tools render it: named speakers, and segments (one speaker's
//! uninterrupted turn, at most `SEGMENT_MAX_BYTES` of text) instead of Gong's per-sentence
//! records.
//!
//! Segments are the unit of paging. They depend only on the transcript and the filters (never
//! on the output format or page size), so an offset counted in segments stays valid across
//! formats and `maxChars`, and pages can always end on a segment boundary.

use std::collections::HashMap;

use super::call_header::CallHeader;
use super::fmt::{clip, one_line, one_line_cow, prefix_within};
use crate::meetings::{MeetingHeader, MeetingTranscript, Participant};

/// Longest segment text. Long monologues become several segments, each with its own timestamp;
/// a page (at least 2,000 bytes) always has room for one.
pub const SEGMENT_MAX_BYTES: usize = 1_000;
/// Speakers listed (by talk time); a webinar with hundreds of voices lists the top ones.
pub const MAX_LISTED_SPEAKERS: usize = 30;
/// Topic changes listed in the header.
pub const MAX_TOPIC_MARKS: usize = 30;

#[derive(Debug, Clone)]
pub struct SpeakerInfo {
    pub speaker_id: String,
    pub name: String,
    pub email: Option<String>,
    pub title: Option<String>,
    /// Internal, External or Unknown.
    pub affiliation: &'static str,
    /// False when no participant of the call has this speaker id.
    pub identified: bool,
    /// Neither a participant nor the provider names this voice ("Unknown speaker N").
    pub anonymous: bool,
    /// Milliseconds of speech in the whole transcript.
    pub talk_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Index into `Transcript::speakers`.
    pub speaker: usize,
    /// Never less than the previous segment's start (WebVTT needs ordered cues).
    pub start_ms: u64,
    pub end_ms: u64,
    /// One line: no control characters.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicMark {
    pub name: String,
    pub start_ms: u64,
}

/// A transcript with speakers named and sorted by talk time, ready to page and render.
#[derive(Debug, Clone, Default)]
pub struct Transcript {
    pub call_id: String,
    pub call: CallHeader,
    /// Everyone heard, most talk time first.
    pub speakers: Vec<SpeakerInfo>,
    /// Where the provider's topic labels change, in order (at most `MAX_TOPIC_MARKS`).
    pub topics: Vec<TopicMark>,
    pub more_topics: usize,
    /// The segments the filter kept, in order.
    pub segments: Vec<Segment>,
}

/// Which speech to keep.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Speaker indices to keep (`None`: everyone).
    pub speakers: Option<Vec<usize>>,
    /// Sentences starting at or after this are kept.
    pub from_ms: u64,
    /// Sentences starting before this are kept.
    pub to_ms: Option<u64>,
}

impl Filter {
    pub fn is_everything(&self) -> bool {
        self.speakers.is_none() && self.from_ms == 0 && self.to_ms.is_none()
    }
}

/// Names the speakers; the filter is applied by `Transcript::select`.
pub fn build(transcript: &MeetingTranscript, header: Option<&MeetingHeader>) -> Transcript {
    let parties: HashMap<&str, &Participant> = header
        .map(|h| {
            h.participants
                .iter()
                .filter_map(|p| p.speaker_id.as_deref().map(|id| (id, p)))
                .collect()
        })
        .unwrap_or_default();
    // Speakers in order of first appearance, then sorted by talk time.
    let mut speakers: Vec<SpeakerInfo> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut unknown = 0;
    let mut topics = Vec::new();
    let mut more_topics = 0;
    let mut last_topic: Option<&str> = None;
    for turn in &transcript.turns {
        let Some(first) = turn.sentences.first() else {
            continue;
        };
        let id = voice(turn);
        let i = *index.entry(id).or_insert_with(|| {
            let party = parties.get(id).copied();
            let shown = turn.speaker_name.as_deref().map(one_line);
            let shown = shown.filter(|n| !n.is_empty()).map(|n| clip(&n, 80));
            if party.is_none() && shown.is_none() {
                unknown += 1;
            }
            speakers.push(speaker_from(id, party, shown, unknown));
            speakers.len() - 1
        });
        // Saturating: the provider's times are untrusted input.
        speakers[i].talk_ms = turn
            .sentences
            .iter()
            .map(|s| s.end_ms.saturating_sub(s.start_ms))
            .fold(speakers[i].talk_ms, u64::saturating_add);
        if let Some(topic) = turn.topic.as_deref().filter(|t| Some(*t) != last_topic) {
            last_topic = Some(topic);
            if topics.len() < MAX_TOPIC_MARKS {
                topics.push(TopicMark {
                    name: clip(&one_line(topic), 60),
                    start_ms: first.start_ms,
                });
            } else {
                more_topics += 1;
            }
        }
    }
    dedupe_names(&mut speakers);
    let mut order: Vec<usize> = (0..speakers.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(speakers[i].talk_ms));
    let sorted = order.iter().map(|&i| speakers[i].clone()).collect();
    Transcript {
        call_id: transcript.meeting_id.clone(),
        call: header.map(CallHeader::of).unwrap_or_default(),
        speakers: sorted,
        topics,
        more_topics,
        segments: Vec::new(),
    }
}

/// The voice of a turn: its speaker id, else its shown name, else one shared unknown voice.
pub fn voice(turn: &crate::meetings::Turn) -> &str {
    turn.speaker_id
        .as_deref()
        .or(turn.speaker_name.as_deref())
        .unwrap_or("unknown")
}

impl Transcript {
    /// The segments of `transcript` that `filter` keeps. Consecutive sentences of one speaker
    /// (across Gong's monologue boundaries) form one segment, split only past
    /// `SEGMENT_MAX_BYTES`; another speaker's turn, even a filtered-out one, ends a segment.
    pub fn select(&mut self, transcript: &MeetingTranscript, filter: &Filter) {
        let index: HashMap<&str, usize> = self
            .speakers
            .iter()
            .enumerate()
            .map(|(i, s)| (s.speaker_id.as_str(), i))
            .collect();
        let keep: Vec<bool> = (0..self.speakers.len())
            .map(|i| filter.speakers.as_ref().is_none_or(|s| s.contains(&i)))
            .collect();
        let mut segments: Vec<Segment> = Vec::new();
        // Whether the last segment may still grow (same speaker, nothing in between).
        let mut open = false;
        let mut last_speaker = None;
        for turn in &transcript.turns {
            if turn.sentences.is_empty() {
                continue;
            }
            let Some(&speaker) = index.get(voice(turn)) else {
                continue;
            };
            if last_speaker != Some(speaker) {
                open = false;
            }
            last_speaker = Some(speaker);
            if !keep[speaker] {
                continue;
            }
            for s in &turn.sentences {
                let in_window =
                    s.start_ms >= filter.from_ms && filter.to_ms.is_none_or(|to| s.start_ms < to);
                if !in_window {
                    open = false;
                    continue;
                }
                let text = one_line_cow(&s.text);
                if text.is_empty() {
                    continue;
                }
                push_sentence(
                    &mut segments,
                    &mut open,
                    speaker,
                    s.start_ms,
                    s.end_ms,
                    &text,
                );
            }
        }
        self.segments = segments;
    }

    pub fn total_talk_ms(&self) -> u64 {
        self.speakers
            .iter()
            .map(|s| s.talk_ms)
            .fold(0, u64::saturating_add)
    }

    /// Resolves speaker names/emails (case-insensitive) to indices; a unique first-name or
    /// name-prefix match is accepted too. The error lists the call's speakers.
    pub fn resolve_speakers(&self, wanted: &[String]) -> Result<Vec<usize>, String> {
        let mut found = Vec::new();
        for w in wanted {
            let w_lower = w.trim().to_lowercase();
            let exact: Vec<usize> = (0..self.speakers.len())
                .filter(|&i| {
                    let s = &self.speakers[i];
                    s.name.to_lowercase() == w_lower
                        || s.email
                            .as_ref()
                            .is_some_and(|e| e.to_lowercase() == w_lower)
                        || s.speaker_id == w.trim()
                })
                .collect();
            if !exact.is_empty() {
                found.extend(exact);
                continue;
            }
            // No exact match: a first name or the start of a name, if it is unambiguous.
            let partial: Vec<usize> = (0..self.speakers.len())
                .filter(|&i| {
                    let name = self.speakers[i].name.to_lowercase();
                    name.starts_with(&w_lower) || name.split(' ').any(|part| part == w_lower)
                })
                .collect();
            match partial.as_slice() {
                [one] => found.push(*one),
                [] => {
                    return Err(format!(
                        "no speaker '{}' in call {}. Its speakers: {}. Give a name or email from this list.",
                        clip(w, 60),
                        self.call_id,
                        self.speaker_list()
                    ));
                }
                many => {
                    let names: Vec<&str> = many
                        .iter()
                        .map(|&i| self.speakers[i].name.as_str())
                        .collect();
                    return Err(format!(
                        "speaker '{}' matches several speakers of call {} ({}); give the full name or the email.",
                        clip(w, 60),
                        self.call_id,
                        names.join(", ")
                    ));
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        Ok(found)
    }

    /// "Ann Lee <ann@acme.com>, Unknown speaker 1, …" for error messages.
    pub fn speaker_list(&self) -> String {
        if self.speakers.is_empty() {
            return "none (the transcript is empty)".to_owned();
        }
        let mut names: Vec<String> = self
            .speakers
            .iter()
            .take(MAX_LISTED_SPEAKERS)
            .map(|s| match &s.email {
                Some(e) => format!("{} <{e}>", s.name),
                None => s.name.clone(),
            })
            .collect();
        if self.speakers.len() > MAX_LISTED_SPEAKERS {
            names.push(format!(
                "and {} more",
                self.speakers.len() - MAX_LISTED_SPEAKERS
            ));
        }
        names.join(", ")
    }
}

fn push_sentence(
    segments: &mut Vec<Segment>,
    open: &mut bool,
    speaker: usize,
    start: u64,
    end: u64,
    text: &str,
) {
    let floor = segments.last().map_or(0, |s| s.start_ms);
    if *open
        && let Some(last) = segments.last_mut()
        && last.text.len() + 1 + text.len() <= SEGMENT_MAX_BYTES
    {
        last.text.push(' ');
        last.text.push_str(text);
        last.end_ms = last.end_ms.max(end);
        return;
    }
    // A new segment; a sentence longer than a segment is cut into pieces with interpolated times.
    let span = end.saturating_sub(start);
    // Time at `done` bytes into the sentence, by linear interpolation (u128: no overflow).
    let at = |done: usize| {
        let offset = u128::from(span) * done as u128 / text.len().max(1) as u128;
        start.saturating_add(u64::try_from(offset).unwrap_or(u64::MAX))
    };
    let mut rest = text;
    let mut done = 0usize;
    while !rest.is_empty() {
        let piece = split_point(rest, SEGMENT_MAX_BYTES);
        let piece_start = at(done);
        done += piece.len();
        let piece_end = at(done);
        let start_ms = piece_start.max(floor);
        segments.push(Segment {
            speaker,
            start_ms,
            end_ms: piece_end.max(start_ms),
            text: piece.trim().to_owned(),
        });
        rest = &rest[piece.len()..];
    }
    *open = true;
}

/// The first piece of `s` of at most `max` bytes, ending after a space when one is in the last
/// fifth, else at a char boundary. Never empty for a non-empty `s`.
fn split_point(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let head = prefix_within(s, max);
    let head = match head.rfind(' ') {
        Some(i) if i >= max * 4 / 5 => &head[..=i],
        _ => head,
    };
    if head.is_empty() {
        // `max` is smaller than the first character: take that character whole.
        let first = s.chars().next().map_or(0, char::len_utf8);
        &s[..first]
    } else {
        head
    }
}

fn speaker_from(
    speaker_id: &str,
    party: Option<&Participant>,
    shown: Option<String>,
    unknown_no: usize,
) -> SpeakerInfo {
    let text = |v: &Option<String>, max: usize| {
        v.as_deref()
            .map(one_line)
            .filter(|s| !s.is_empty())
            .map(|s| clip(&s, max))
    };
    match party {
        Some(p) => SpeakerInfo {
            name: text(&p.name, 80)
                .or_else(|| text(&p.email, 100))
                .unwrap_or_else(|| format!("Speaker {}", clip(speaker_id, 24))),
            email: text(&p.email, 100),
            title: text(&p.title, 80),
            affiliation: p.affiliation.as_str(),
            identified: true,
            anonymous: false,
            talk_ms: 0,
            speaker_id: speaker_id.to_owned(),
        },
        None => SpeakerInfo {
            anonymous: shown.is_none(),
            name: shown.unwrap_or_else(|| format!("Unknown speaker {unknown_no}")),
            email: None,
            title: None,
            affiliation: "Unknown",
            identified: false,
            talk_ms: 0,
            speaker_id: speaker_id.to_owned(),
        },
    }
}

/// Two speakers with one name would be indistinguishable in "[mm:ss] Name:" lines.
fn dedupe_names(speakers: &mut [SpeakerInfo]) {
    for i in 1..speakers.len() {
        let clash = speakers[..i]
            .iter()
            .filter(|s| s.name == speakers[i].name)
            .count();
        if clash > 0 {
            speakers[i].name = format!("{} ({})", speakers[i].name, clash + 1);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    use crate::gong::meeting;
    use crate::gong::types::{CallTranscript, ExtensiveCall};
    use crate::meetings::MeetingHeader;

    /// A small call as Gong sends it, read into the meeting model.
    pub(crate) fn sample() -> (MeetingTranscript, MeetingHeader) {
        let transcript: CallTranscript = serde_json::from_value(serde_json::json!({
            "callId": "1",
            "transcript": [
                {"speakerId": "s1", "topic": "Intro", "sentences": [{"start": 0, "end": 2000, "text": "Hi."}, {"start": 2000, "end": 4000, "text": "Thanks\nfor joining."}]},
                {"speakerId": "s1", "topic": "Intro", "sentences": [{"start": 4100, "end": 5000, "text": "Shall we start?"}]},
                {"speakerId": "s9", "topic": null, "sentences": [{"start": 65000, "end": 70000, "text": "Who am I?"}]},
                {"speakerId": "s2", "topic": "Pricing", "sentences": [{"start": 71000, "end": 72000, "text": "  "}, {"start": 72000, "end": 75000, "text": "Price?"}]},
                {"speakerId": "s1", "sentences": [{"start": 3_700_000, "end": 3_701_000, "text": "Bye."}]}
            ]
        }))
        .unwrap();
        let call: ExtensiveCall = serde_json::from_value(serde_json::json!({
            "metaData": {"id": "1", "title": "Demo", "duration": 3701, "started": "2026-11-03T06:03:37-08:00"},
            "parties": [{"name": "Ann Lee", "emailAddress": "ann@acme.com", "speakerId": "s1", "affiliation": "External", "title": "CFO"},
                        {"name": "Bo Chen", "emailAddress": "bo@us.com", "speakerId": "s2", "affiliation": "Internal"},
                        {"name": "Silent Bob", "speakerId": null}]
        }))
        .unwrap();
        (meeting::transcript(&transcript), meeting::header(&call))
    }

    fn built(filter: &Filter) -> Transcript {
        let (t, c) = sample();
        let mut doc = build(&t, Some(&c));
        doc.select(&t, filter);
        doc
    }

    #[test]
    fn speakers_are_named_from_parties_sorted_by_talk_time_and_unknown_ones_kept() {
        let doc = built(&Filter::default());
        let names: Vec<&str> = doc.speakers.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Ann Lee", "Unknown speaker 1", "Bo Chen"]);
        assert_eq!(doc.speakers[0].talk_ms, 5900);
        assert!(!doc.speakers[1].identified);
        assert_eq!(
            doc.topics,
            [
                TopicMark {
                    name: "Intro".into(),
                    start_ms: 0
                },
                TopicMark {
                    name: "Pricing".into(),
                    start_ms: 71000
                }
            ]
        );
    }

    #[test]
    fn consecutive_monologues_of_one_speaker_are_one_segment() {
        let doc = built(&Filter::default());
        let texts: Vec<&str> = doc.segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Hi. Thanks for joining. Shall we start?",
                "Who am I?",
                "Price?",
                "Bye."
            ]
        );
        assert_eq!(doc.segments[0].end_ms, 5000);
    }

    #[test]
    fn filters_keep_speakers_and_windows() {
        let doc = built(&Filter::default());
        let ann = doc.resolve_speakers(&["ANN@acme.com".into()]).unwrap();
        let doc = built(&Filter {
            speakers: Some(ann),
            from_ms: 3000,
            to_ms: None,
        });
        let texts: Vec<&str> = doc.segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["Shall we start?", "Bye."]);
        assert_eq!(doc.resolve_speakers(&["bo".into()]).unwrap(), [2]);
        let err = doc.resolve_speakers(&["Carol".into()]).unwrap_err();
        assert!(
            err.contains("Ann Lee <ann@acme.com>, Unknown speaker 1, Bo Chen <bo@us.com>"),
            "{err}"
        );
    }

    #[test]
    fn hostile_times_do_not_overflow() {
        let long = "word ".repeat(400);
        let t: CallTranscript = serde_json::from_value(serde_json::json!({
            "callId": "1",
            "transcript": [
                {"speakerId": "a", "sentences": [{"start": 0, "end": u64::MAX, "text": long}]},
                {"speakerId": "a", "sentences": [{"start": u64::MAX, "end": 0, "text": "x"}]},
                {"speakerId": "b", "sentences": [{"start": u64::MAX, "end": u64::MAX, "text": "y"}]},
                {"speakerId": "c", "sentences": [{"start": 5, "end": u64::MAX, "text": "z"}]}
            ]
        }))
        .unwrap();
        let t = meeting::transcript(&t);
        let mut doc = build(&t, None);
        doc.select(&t, &Filter::default());
        // Decoding clamps times to ~49 days; the sums saturate rather than overflow either way.
        assert!(doc.total_talk_ms() > 0);
        for format in [
            crate::mcp::args::TranscriptFormat::Text,
            crate::mcp::args::TranscriptFormat::Vtt,
            crate::mcp::args::TranscriptFormat::Json,
        ] {
            let req = super::super::transcript_page::PageRequest {
                format,
                ..Default::default()
            };
            let (text, _) = super::super::transcript_page::render_page(&doc, &req).unwrap();
            assert!(text.contains('y'));
        }
    }

    #[test]
    fn huge_sentences_split_at_char_boundaries_with_ordered_times() {
        let long = "é".repeat(SEGMENT_MAX_BYTES) + " tail";
        let t: CallTranscript = serde_json::from_value(serde_json::json!({
            "callId": "1",
            "transcript": [{"speakerId": "a", "sentences": [{"start": 1000, "end": 9000, "text": long}]}]
        }))
        .unwrap();
        let t = meeting::transcript(&t);
        let mut doc = build(&t, None);
        doc.select(&t, &Filter::default());
        assert!(doc.segments.len() >= 2);
        let joined: String = doc.segments.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined.replace(' ', ""), long.replace(' ', ""));
        assert!(
            doc.segments
                .iter()
                .all(|s| s.text.len() <= SEGMENT_MAX_BYTES)
        );
        assert!(
            doc.segments
                .windows(2)
                .all(|w| w[0].start_ms <= w[1].start_ms)
        );
    }
}
