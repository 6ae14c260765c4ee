//! Transcripts are generated on request from (workspace seed, call id) and the
//! call's stored timeline; nothing is kept in memory. Sentence times are in
//! milliseconds from call start, as Gong's are.

use std::collections::VecDeque;

use super::model::{Call, CallKind, Monologue, Sentence, Voice, Workspace};
use super::phrases::{self, BACKCHANNELS, Ctx};
use super::rng::{Rng, hash_str};

/// Picks the next speaker by talk-time weight, never the one who just spoke
/// (unless only one voice is heard).
fn next_voice(rng: &mut Rng, voices: &[Voice], last: Option<usize>) -> usize {
    let weight = |i: usize, v: &Voice| {
        if voices.len() > 1 && Some(i) == last {
            0
        } else {
            u64::from(v.weight.max(1))
        }
    };
    let total: u64 = voices.iter().enumerate().map(|(i, v)| weight(i, v)).sum();
    let mut roll = rng.below(total);
    for (i, v) in voices.iter().enumerate() {
        let w = weight(i, v);
        if roll < w {
            return i;
        }
        roll -= w;
    }
    0
}

/// Milliseconds it takes to say `text` (about 2.6 words a second).
fn speaking_ms(rng: &mut Rng, text: &str) -> u64 {
    let words = text.split_whitespace().count() as u64;
    words * rng.range(330, 450) + rng.range(150, 400)
}

pub(crate) fn generate(ws: &Workspace, call: &Call) -> Vec<Monologue> {
    if call.voices.is_empty() {
        return Vec::new();
    }
    let mut rng = Rng::derive(ws.seed, "transcript", hash_str(&call.id));
    let ctx = Ctx::new(ws, call);
    let internal_call = call.kind.is_internal();
    let mut out: Vec<Monologue> = Vec::new();
    let mut t = rng.range(300, 2500);
    let mut last: Option<usize> = None;
    let mut recent: VecDeque<&'static str> = VecDeque::with_capacity(RECENT + 1);
    // A voicemail is a short message followed by silence until the dialer hangs up.
    let speech_end = if call.kind == CallKind::Voicemail {
        40_000
    } else {
        u64::MAX
    };
    for seg in &call.segments {
        let (host_lines, other_lines) = phrases::topic_lines(seg.theme);
        let seg_end = seg.end_ms.min(speech_end);
        while t + 1500 < seg_end {
            let vi = next_voice(&mut rng, &call.voices, last);
            let voice = &call.voices[vi];
            // The host's side: the host on internal calls, our people otherwise.
            let host_side = if internal_call {
                vi == 0
            } else {
                voice.internal
            };
            let lines = if host_side { host_lines } else { other_lines };
            let addressed = last
                .and_then(|l| call.voices.get(l))
                .filter(|_| last != Some(vi))
                .map(|v| v.first_name.as_str())
                .unwrap_or(&ctx.contact);
            let short_turn = rng.chance(0.22);
            // Small talk and set-up come in short turns; substance in longer ones.
            let max = if lines.len() < 8 { 3 } else { 8 };
            let count = if short_turn { 1 } else { rng.range(1, max + 1) };
            let mut sentences = Vec::with_capacity(count as usize);
            for _ in 0..count {
                if t + 800 >= seg_end {
                    break;
                }
                let text = if short_turn && rng.chance(0.7) {
                    (*rng.pick(BACKCHANNELS)).to_string()
                } else {
                    let line = fresh_line(&mut rng, lines, &mut recent);
                    phrases::fill(&mut rng, &ctx, line, addressed)
                };
                let end = (t + speaking_ms(&mut rng, &text)).min(seg_end);
                sentences.push(Sentence {
                    start: t,
                    end,
                    text,
                });
                t = end + rng.range(60, 600);
            }
            if sentences.is_empty() {
                break;
            }
            out.push(Monologue {
                speaker_id: Some(voice.speaker_id.clone()),
                topic: seg.topic.map(str::to_string),
                sentences,
            });
            last = Some(vi);
            t += rng.range(150, 1200);
        }
    }
    out
}

/// How many recent lines a new one should differ from.
const RECENT: usize = 6;

/// A line not used in the last few sentences, when the pool allows.
fn fresh_line(
    rng: &mut Rng,
    lines: &'static [&'static str],
    recent: &mut VecDeque<&'static str>,
) -> &'static str {
    if lines.is_empty() {
        return "Okay.";
    }
    let mut line = *rng.pick(lines);
    for _ in 0..4 {
        if !recent.contains(&line) {
            break;
        }
        line = *rng.pick(lines);
    }
    recent.push_back(line);
    if recent.len() > RECENT {
        recent.pop_front();
    }
    line
}
