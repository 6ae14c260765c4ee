//! One speaker's words from several calls as WebVTT training files: calls in date order, each
//! introduced by a NOTE block with its date, title and id; `<v Name>` voice tags; each call's
//! cues shifted to start after the previous call's end (the shift named in its NOTE), so cue
//! times never go backwards. Files are cut between calls (or, for one huge call, between cues)
//! to stay within a size limit.

use std::fmt::Write as _;

use crate::mcp::render::fmt::vtt_time;
use crate::mcp::render::transcript::Segment;
use crate::mcp::render::vtt_escape;

/// A gap between two calls in the file.
const GAP_MS: u64 = 2_000;

/// One call's part of the file.
pub struct CallWords<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub started: Option<&'a str>,
    pub speaker: &'a str,
    pub segments: &'a [Segment],
}

/// A finished file and the calls it holds.
pub struct TrainingFile {
    pub text: String,
    pub call_ids: Vec<String>,
}

/// Renders the calls into files of at most `max_bytes` each.
pub fn render(calls: &[CallWords<'_>], max_bytes: usize) -> Vec<TrainingFile> {
    let mut files: Vec<TrainingFile> = Vec::new();
    let mut current = new_file();
    let mut offset_ms: u64 = 0;
    for call in calls {
        let note = note(call, offset_ms);
        let cues: Vec<String> = call
            .segments
            .iter()
            .map(|s| cue(call.speaker, s, offset_ms))
            .collect();
        let size = note.len() + cues.iter().map(String::len).sum::<usize>();
        if !current.call_ids.is_empty() && current.text.len() + size > max_bytes {
            files.push(std::mem::replace(&mut current, new_file()));
        }
        current.text.push_str(&note);
        current.call_ids.push(call.id.to_owned());
        for cue in cues {
            if current.text.len() + cue.len() > max_bytes && current.text.len() > note.len() + 8 {
                // One call larger than a file: continue it in the next file.
                files.push(std::mem::replace(&mut current, new_file()));
                current.text.push_str(&note);
                current.call_ids.push(call.id.to_owned());
            }
            current.text.push_str(&cue);
        }
        let end = call
            .segments
            .iter()
            .map(|s| s.end_ms.max(s.start_ms + 1))
            .max()
            .unwrap_or(0);
        offset_ms = offset_ms.saturating_add(end).saturating_add(GAP_MS);
    }
    if !current.call_ids.is_empty() {
        files.push(current);
    }
    files
}

fn new_file() -> TrainingFile {
    TrainingFile {
        text: "WEBVTT\n\n".to_owned(),
        call_ids: Vec::new(),
    }
}

/// A NOTE block: no blank line inside, and no "-->" (it would end the block).
fn note(call: &CallWords<'_>, offset_ms: u64) -> String {
    let clean = |s: &str| s.replace("-->", "->").replace(['\n', '\r'], " ");
    let mut n = String::from("NOTE ");
    let _ = write!(
        n,
        "call {} \"{}\"{}; cue times shifted by {}",
        call.id,
        clean(call.title),
        call.started
            .map(|s| format!(" started {}", clean(s)))
            .unwrap_or_default(),
        vtt_time(offset_ms)
    );
    n.push_str("\n\n");
    n
}

fn cue(speaker: &str, s: &Segment, offset_ms: u64) -> String {
    let start = offset_ms.saturating_add(s.start_ms);
    let end = offset_ms.saturating_add(s.end_ms.max(s.start_ms + 1));
    format!(
        "{} --> {}\n<v {}>{}\n\n",
        vtt_time(start),
        vtt_time(end),
        vtt_escape(speaker),
        vtt_escape(&s.text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(start: u64, end: u64, text: &str) -> Segment {
        Segment {
            speaker: 0,
            start_ms: start,
            end_ms: end,
            text: text.to_owned(),
        }
    }

    #[test]
    fn calls_follow_each_other_and_times_never_go_back() {
        let a = [
            seg(1_000, 4_000, "First <call>"),
            seg(60_000, 61_000, "later"),
        ];
        let b = [seg(500, 2_000, "second call --> starts early")];
        let files = render(
            &[
                CallWords {
                    id: "1",
                    title: "A --> B",
                    started: Some("2026-10-01T10:00:00Z"),
                    speaker: "Ann",
                    segments: &a,
                },
                CallWords {
                    id: "2",
                    title: "C",
                    started: None,
                    speaker: "Ann",
                    segments: &b,
                },
            ],
            1 << 20,
        );
        assert_eq!(files.len(), 1);
        let text = &files[0].text;
        assert!(text.starts_with("WEBVTT\n\nNOTE call 1 \"A -> B\" started 2026-10-01T10:00:00Z; cue times shifted by 00:00:00.000\n\n"), "{text}");
        assert!(text.contains("<v Ann>First &lt;call&gt;"), "{text}");
        // Call 2 starts after call 1's end (61 s) plus the gap.
        assert!(
            text.contains("NOTE call 2 \"C\"; cue times shifted by 00:01:03.000"),
            "{text}"
        );
        assert!(
            text.contains("00:01:03.500 --> 00:01:05.000\n<v Ann>second call --&gt; starts early"),
            "{text}"
        );
    }

    #[test]
    fn files_are_cut_between_calls_within_the_limit() {
        let words = [seg(0, 1_000, &"x".repeat(300))];
        let calls: Vec<CallWords<'_>> = (0..10)
            .map(|_| CallWords {
                id: "7",
                title: "t",
                started: None,
                speaker: "Ann",
                segments: &words,
            })
            .collect();
        let files = render(&calls, 1_000);
        assert!(files.len() > 1);
        assert!(
            files
                .iter()
                .all(|f| f.text.len() <= 1_000 && f.text.starts_with("WEBVTT\n\n"))
        );
        assert_eq!(files.iter().map(|f| f.call_ids.len()).sum::<usize>(), 10);
    }
}
