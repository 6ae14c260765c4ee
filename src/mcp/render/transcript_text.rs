//! The words of a transcript page as text lines or WebVTT cues, their sizes (measured without
//! rendering, since a page measures many segments), and the header and footer around them.

use std::fmt::Write;
use std::ops::Range;

use super::fmt::{fmt_clock, fmt_duration, fmt_started, vtt_time};
use super::transcript::{MAX_LISTED_SPEAKERS, Segment, Transcript};
use super::transcript_out::FilterOut;
use super::transcript_page::PageRequest;

/// "[12:34] Ann Lee: words\n"
pub(super) fn text_line(doc: &Transcript, seg: &Segment) -> String {
    let name = doc
        .speakers
        .get(seg.speaker)
        .map_or("?", |s| s.name.as_str());
    format!(
        "[{}] {name}: {}\n",
        fmt_clock(seg.start_ms / 1000),
        seg.text
    )
}

/// `text_line(doc, seg).len()`, without building the line (pages measure many segments).
pub(super) fn text_line_len(doc: &Transcript, seg: &Segment) -> usize {
    let name = doc.speakers.get(seg.speaker).map_or(1, |s| s.name.len());
    let secs = seg.start_ms / 1000;
    let clock = if secs >= 3600 {
        // h:mm:ss
        secs.div_euclid(3600).to_string().len() + 6
    } else {
        5
    };
    clock + name + seg.text.len() + 6
}

/// `cue(doc, seg).len()`, without building the cue: two times, " --> ", "\n<v ", the name,
/// ">", the text, "\n\n".
pub(super) fn cue_len(doc: &Transcript, seg: &Segment) -> usize {
    let name = doc
        .speakers
        .get(seg.speaker)
        .map_or("?", |s| s.name.as_str());
    let time = |ms: u64| (ms / 3_600_000).to_string().len().max(2) + 10;
    time(seg.start_ms)
        + time(seg.end_ms.max(seg.start_ms.saturating_add(1)))
        + 5
        + vtt_escaped_len(name)
        + 5
        + vtt_escaped_len(&seg.text)
        + 2
}

fn vtt_escaped_len(s: &str) -> usize {
    s.len()
        + s.bytes()
            .map(|b| match b {
                b'&' => 4,
                b'<' | b'>' => 3,
                _ => 0,
            })
            .sum::<usize>()
}

/// "00:12:34.500 --> 00:12:40.000\n<v Ann Lee>words\n\n"
pub(super) fn cue(doc: &Transcript, seg: &Segment) -> String {
    let name = doc
        .speakers
        .get(seg.speaker)
        .map_or("?", |s| s.name.as_str());
    format!(
        "{} --> {}\n<v {}>{}\n\n",
        vtt_time(seg.start_ms),
        vtt_time(seg.end_ms.max(seg.start_ms.saturating_add(1))),
        vtt_escape(name),
        vtt_escape(&seg.text)
    )
}

/// WebVTT cue text: `&`, `<` and `>` are markup (and `-->` would end a cue's timing line).
pub(crate) fn vtt_escape(s: &str) -> String {
    if !s.contains(['&', '<', '>']) {
        return s.to_owned();
    }
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Title, date, duration, speakers with talk time, topic index, filter and page position.
pub(super) fn header_lines(doc: &Transcript, req: &PageRequest) -> String {
    let mut h = String::with_capacity(1024);
    let _ = write!(
        h,
        "Transcript of \"{}\" (call {})",
        doc.call.title.as_deref().unwrap_or("untitled call"),
        doc.call_id
    );
    if let Some(s) = &doc.call.started {
        let _ = write!(h, ", {}", fmt_started(s));
    }
    if let Some(d) = doc.call.duration_seconds {
        let _ = write!(h, ", {}", fmt_duration(d));
    }
    h.push('\n');
    if !doc.speakers.is_empty() {
        h.push_str("Speakers (talk time):\n");
    }
    let total_talk = doc.total_talk_ms().max(1);
    for s in doc.speakers.iter().take(MAX_LISTED_SPEAKERS) {
        let _ = write!(h, "- {}", s.name);
        if let Some(e) = &s.email {
            let _ = write!(h, " <{e}>");
        }
        if let Some(t) = &s.title {
            let _ = write!(h, ", {t}");
        }
        if s.identified {
            let _ = write!(h, ", {}", s.affiliation);
        } else {
            h.push_str(" (not matched to a participant)");
        }
        let _ = writeln!(
            h,
            ": {} ({:.0}%)",
            fmt_duration(s.talk_ms.saturating_add(500) / 1000),
            s.talk_ms as f64 * 100.0 / total_talk as f64
        );
    }
    if doc.speakers.len() > MAX_LISTED_SPEAKERS {
        let _ = writeln!(
            h,
            "- and {} more speakers",
            doc.speakers.len() - MAX_LISTED_SPEAKERS
        );
    }
    if !doc.topics.is_empty() {
        let marks: Vec<String> = doc
            .topics
            .iter()
            .map(|t| format!("{} {}", fmt_clock(t.start_ms / 1000), t.name))
            .collect();
        let _ = write!(h, "Topics: {}", marks.join(", "));
        if doc.more_topics > 0 {
            let _ = write!(h, ", and {} more changes", doc.more_topics);
        }
        h.push('\n');
    }
    if let Some(f) = &req.filter {
        let _ = writeln!(h, "Only {}.", describe_filter(f));
    }
    h
}

pub(super) fn describe_filter(f: &FilterOut) -> String {
    let mut parts = Vec::new();
    if !f.speakers.is_empty() {
        parts.push(f.speakers.join(" and "));
    }
    match (f.from_seconds, f.to_seconds) {
        (Some(a), Some(b)) => parts.push(format!(
            "from {} to {}",
            fmt_clock(a as u64),
            fmt_clock(b as u64)
        )),
        (Some(a), None) => parts.push(format!("from {}", fmt_clock(a as u64))),
        (None, Some(b)) => parts.push(format!("before {}", fmt_clock(b as u64))),
        (None, None) => {}
    }
    parts.join(", ")
}

pub(super) struct Footer {
    pub text: String,
    pub hint: Option<String>,
}

/// Where this page is in the whole, and how to get the rest (or what to try instead).
pub(super) fn footer(
    doc: &Transcript,
    req: &PageRequest,
    range: &Range<usize>,
    note: Option<String>,
) -> Footer {
    let total = doc.segments.len();
    let mut hint = note.map(|n| format!("{n} "));
    let text = if total == 0 {
        let what = req
            .filter
            .as_ref()
            .map(|f| format!(" for {}", describe_filter(f)))
            .unwrap_or_default();
        let length = doc
            .call
            .duration_seconds
            .map(|d| format!(" The call lasts {}.", fmt_duration(d)))
            .unwrap_or_default();
        let tip = if req.filter.is_some() {
            format!(
                "No speech{what}.{length} Try a wider fromSeconds/toSeconds window or another speaker ({}).",
                doc.speaker_list()
            )
        } else {
            format!(
                "This transcript has no speech. {} may still be processing the call; {} has its metadata.",
                req.source.name(),
                req.source.metadata_tool()
            )
        };
        hint.get_or_insert_with(String::new).push_str(&tip);
        tip
    } else if range.end < total {
        format!(
            "Segments {}-{} of {total} shown. Next page: {} {}",
            range.start + 1,
            range.end,
            req.source.transcript_tool(),
            req.next_args(&doc.call_id, range.end)
        )
    } else if range.start > 0 {
        format!(
            "Segments {}-{} of {total} shown: end of transcript.",
            range.start + 1,
            range.end
        )
    } else {
        "End of transcript.".to_owned()
    };
    Footer {
        text,
        hint: hint.map(|h| h.trim().to_owned()),
    }
}
