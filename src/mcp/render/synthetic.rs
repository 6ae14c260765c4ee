//! Synthetic transcripts of any length in Gong's wire format, for the rendering tests and the
//! render benchmark (the demo Gong's calls last at most about an hour).

use serde_json::{Value, json};

use crate::gong::types::{CallTranscript, ExtensiveCall};

const WORDS: &[&str] = &[
    "we",
    "need",
    "the",
    "integration",
    "pricing",
    "security",
    "review",
    "team",
    "next",
    "quarter",
    "okay",
    "right",
    "so",
    "budget",
    "timeline",
    "renewal",
    "Salesforce",
    "dashboard",
    "data",
    "makes",
    "sense",
    "yeah",
    "exactly",
    "contract",
    "legal",
    "sign-off",
    "rollout",
    "users",
    "question",
    "about",
    "SSO",
    "onboarding",
    "great",
    "thanks",
    "follow",
    "up",
    "email",
];

/// Shape of a synthetic call.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub sentences: usize,
    pub seconds: u64,
    /// Average words per sentence (each sentence has 1 to 2×this−1 words).
    pub words_per_sentence: usize,
    pub speakers: usize,
    pub seed: u64,
}

/// Gong's `/v2/calls/transcript` body and `/v2/calls/extensive` call for the shape, as JSON.
pub fn raw_call(shape: Shape) -> (Value, Value) {
    let mut rng = shape.seed.max(1);
    let mut next = move |n: u64| {
        // xorshift: deterministic, dependency-free.
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n.max(1)
    };
    let speakers = shape.speakers.max(1);
    let step_ms = shape.seconds * 1000 / shape.sentences.max(1) as u64;
    let mut monologues: Vec<Value> = Vec::new();
    let mut sentences: Vec<Value> = Vec::new();
    let mut speaker = 0;
    let mut topic = 0;
    for i in 0..shape.sentences {
        let start = i as u64 * step_ms;
        let words = 1 + next(2 * shape.words_per_sentence.max(1) as u64 - 1) as usize;
        let text: Vec<&str> = (0..words)
            .map(|_| WORDS[next(WORDS.len() as u64) as usize])
            .collect();
        sentences.push(json!({"start": start, "end": start + step_ms * 9 / 10, "text": format!("{}.", text.join(" "))}));
        // A monologue ends after 1-6 sentences; sometimes the same speaker goes on.
        if next(4) == 0 || i + 1 == shape.sentences {
            if next(200) == 0 {
                topic += 1;
            }
            monologues.push(json!({
                "speakerId": format!("{}", 5_000_000 + speaker),
                "topic": format!("Topic {}", topic % 12),
                "sentences": std::mem::take(&mut sentences),
            }));
            if next(5) != 0 {
                speaker = (speaker + 1 + next(speakers as u64 - 1) as usize) % speakers;
            }
        }
    }
    let transcript = json!({
        "requestId": "synthetic",
        "records": {"totalRecords": 1, "currentPageSize": 1, "currentPageNumber": 0},
        "callTranscripts": [{"callId": "7000000000000000001", "transcript": monologues}],
    });
    let parties: Vec<Value> = (0..speakers)
        .map(|s| {
            json!({
                "id": format!("{}", 9_000 + s),
                "name": format!("Person {s} Example"),
                "emailAddress": format!("person{s}@{}.com", if s % 2 == 0 { "northwind" } else { "acme" }),
                "title": if s % 3 == 0 { Value::Null } else { json!("Director") },
                "speakerId": format!("{}", 5_000_000 + s),
                "affiliation": if s % 2 == 0 { "Internal" } else { "External" },
            })
        })
        .collect();
    let call = json!({
        "metaData": {"id": "7000000000000000001", "title": "Synthetic long call", "duration": shape.seconds,
                     "started": "2026-11-03T14:00:00Z", "url": "https://app.gong.io/call?id=7000000000000000001"},
        "parties": parties,
    });
    (transcript, call)
}

/// The same call, decoded as the Gong client decodes it.
pub fn call(shape: Shape) -> (CallTranscript, ExtensiveCall) {
    let (raw_transcript, raw_call) = raw_call(shape);
    let transcript = raw_transcript["callTranscripts"][0].clone();
    (
        serde_json::from_value(transcript).unwrap_or_default(),
        serde_json::from_value(raw_call).unwrap_or_default(),
    )
}

/// A cue of a WebVTT file, as `parse_webvtt` reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    pub start_ms: u64,
    pub end_ms: u64,
    pub voice: String,
    pub text: String,
}

/// Checks a WebVTT file the way a strict reader would (signature, cue timings `hh:mm:ss.mmm`
/// with end after start, start times in order, one `<v Name>` payload line, NOTE blocks free of
/// `-->`) and returns its cues with `&amp;`/`&lt;`/`&gt;` decoded.
pub fn parse_webvtt(file: &str) -> Result<Vec<Cue>, String> {
    let body = file
        .strip_prefix("WEBVTT\n\n")
        .ok_or("does not start with the WEBVTT signature and a blank line")?;
    let mut cues: Vec<Cue> = Vec::new();
    for block in body.split("\n\n").filter(|b| !b.trim().is_empty()) {
        if block.starts_with("NOTE") {
            if block.contains("-->") {
                return Err(format!("NOTE block contains -->: {block:?}"));
            }
            continue;
        }
        let mut lines = block.lines();
        let timing = lines.next().unwrap_or_default();
        let (start, end) = timing
            .split_once(" --> ")
            .ok_or_else(|| format!("bad timing line {timing:?}"))?;
        let (start_ms, end_ms) = (vtt_ms(start)?, vtt_ms(end)?);
        if end_ms <= start_ms {
            return Err(format!("cue ends before it starts: {timing:?}"));
        }
        if cues.last().is_some_and(|c| c.start_ms > start_ms) {
            return Err(format!("cue starts before the previous one: {timing:?}"));
        }
        let payload: Vec<&str> = lines.collect();
        let [line] = payload.as_slice() else {
            return Err(format!("cue payload is not one line: {block:?}"));
        };
        if line.contains("-->") {
            return Err(format!("cue payload contains -->: {line:?}"));
        }
        let (voice, text) = line
            .strip_prefix("<v ")
            .and_then(|rest| rest.split_once('>'))
            .ok_or_else(|| format!("cue payload has no <v Name> tag: {line:?}"))?;
        if text.contains('<') || text.contains('>') {
            return Err(format!("unescaped markup in cue text: {line:?}"));
        }
        let decode = |s: &str| {
            s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        };
        cues.push(Cue {
            start_ms,
            end_ms,
            voice: decode(voice),
            text: decode(text),
        });
    }
    Ok(cues)
}

/// "hh:mm:ss.mmm" (hours may have more digits) in milliseconds.
fn vtt_ms(t: &str) -> Result<u64, String> {
    let bad = || format!("bad WebVTT timestamp {t:?}");
    let (hms, ms) = t.split_once('.').ok_or_else(bad)?;
    let parts: Vec<&str> = hms.split(':').collect();
    let [h, m, s] = parts.as_slice() else {
        return Err(bad());
    };
    let num = |x: &str, len: Option<usize>| {
        (x.bytes().all(|b| b.is_ascii_digit()) && !x.is_empty() && len.is_none_or(|l| x.len() == l))
            .then(|| x.parse::<u64>().ok())
            .flatten()
            .ok_or_else(bad)
    };
    let (h, m, s, ms) = (
        num(h, None)?,
        num(m, Some(2))?,
        num(s, Some(2))?,
        num(ms, Some(3))?,
    );
    if h < 10 && parts[0].len() < 2 || m > 59 || s > 59 {
        return Err(bad());
    }
    Ok(((h * 60 + m) * 60 + s) * 1000 + ms)
}
