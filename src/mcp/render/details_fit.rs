//! Fitting call details into one answer: each call gets an equal share of the response budget
//! and is shortened, step by step, until its text and structured content fit that share. Every
//! cut is named in the call's `cut` list so the agent knows to ask for that call alone.

use super::details::{CallDetails, CallDetailsOutput};
use super::details_text::render_call;
use super::fmt::clip;
use super::{RESPONSE_BUDGET, json_len};

/// How much of each section to keep at one shortening step.
#[derive(Debug, Clone, Copy)]
struct Caps {
    participants: usize,
    talk: usize,
    topics: usize,
    trackers: usize,
    phrases: usize,
    brief: usize,
    key_points: usize,
    item_len: usize,
    highlights: usize,
    outline: usize,
    outline_items: usize,
    structure: usize,
    stats: usize,
    /// Keep the call's link (agents can also get it from gong_list_calls).
    url: bool,
    /// Keep the per-call note on Gong's missing external talk time (the answer's hint says it
    /// once otherwise).
    talk_note: bool,
}

const STEPS: [Caps; 5] = [
    Caps {
        participants: usize::MAX,
        talk: usize::MAX,
        topics: usize::MAX,
        trackers: usize::MAX,
        phrases: usize::MAX,
        brief: usize::MAX,
        key_points: usize::MAX,
        item_len: usize::MAX,
        highlights: usize::MAX,
        outline: usize::MAX,
        outline_items: usize::MAX,
        structure: usize::MAX,
        stats: usize::MAX,
        url: true,
        talk_note: true,
    },
    Caps {
        participants: 16,
        talk: 8,
        topics: 8,
        trackers: 8,
        phrases: 3,
        brief: 700,
        key_points: 5,
        item_len: 240,
        highlights: 4,
        outline: 6,
        outline_items: 2,
        structure: 8,
        stats: 6,
        url: false,
        talk_note: false,
    },
    Caps {
        participants: 8,
        talk: 5,
        topics: 5,
        trackers: 5,
        phrases: 0,
        brief: 350,
        key_points: 3,
        item_len: 160,
        highlights: 2,
        outline: 4,
        outline_items: 1,
        structure: 5,
        stats: 3,
        url: false,
        talk_note: false,
    },
    Caps {
        participants: 4,
        talk: 3,
        topics: 3,
        trackers: 3,
        phrases: 0,
        brief: 160,
        key_points: 0,
        item_len: 100,
        highlights: 0,
        outline: 0,
        outline_items: 0,
        structure: 0,
        stats: 0,
        url: false,
        talk_note: false,
    },
    Caps {
        participants: 0,
        talk: 2,
        topics: 0,
        trackers: 0,
        phrases: 0,
        brief: 0,
        key_points: 0,
        item_len: 0,
        highlights: 0,
        outline: 0,
        outline_items: 0,
        structure: 0,
        stats: 0,
        url: false,
        talk_note: false,
    },
];

/// Marks a section left out whole: those are named once for the answer, not per call.
const DROPPED: &str = "\u{0}";

/// Room for the closing lines (not found, not shown, hint).
const FRAME_RESERVE: usize = 3_000;

/// Bytes a call adds to the answer: its text block and its structured entry.
fn cost(c: &CallDetails) -> usize {
    render_call(c).len() + 1 + json_len(c) + 1
}

/// Shortens every call by the same step, the least that fits the budget (uniform answers are
/// easier to read than per-call cuts); at the last step, leaves out calls that still do not fit.
pub fn fit(out: &mut CallDetailsOutput) {
    let frame = FRAME_RESERVE + json_len(&out.not_found) + json_len(&out.sections);
    let calls = std::mem::take(&mut out.calls);
    let last = STEPS.len() - 1;
    let mut chosen: Vec<CallDetails> = Vec::new();
    // Sections left out of every call at this step: named once, in the hint.
    let mut dropped: Vec<String> = Vec::new();
    for (step, caps) in STEPS.iter().enumerate() {
        dropped.clear();
        chosen = calls
            .iter()
            .map(|c| {
                let mut short = shorten(c, caps);
                take_dropped(&mut short, &mut dropped);
                short
            })
            .collect();
        let total: usize = frame + chosen.iter().map(cost).sum::<usize>();
        if total <= RESPONSE_BUDGET || step == last {
            break;
        }
    }
    let talk_notes = calls
        .iter()
        .zip(&chosen)
        .filter(|(full, short)| full.talk_time_note.is_some() && short.talk_time_note.is_none())
        .count();
    let mut used = frame;
    for call in chosen {
        let c = cost(&call);
        // Only calls with absurd metadata miss the budget at the last step; the total still
        // holds, by leaving calls out.
        if used + c > RESPONSE_BUDGET {
            out.not_shown.push(call.id);
            continue;
        }
        used += c;
        out.calls.push(call);
    }
    let shortened = out.calls.iter().filter(|c| !c.cut.is_empty()).count();
    let mut hints = Vec::new();
    if !dropped.is_empty() || shortened > 0 {
        let mut what = Vec::new();
        if !dropped.is_empty() {
            what.push(format!("left out {}", dropped.join(", ")));
        }
        if shortened > 0 {
            what.push(format!("shortened {shortened} calls (each lists its cuts)"));
        }
        hints.push(format!(
            "To keep {} calls under the 25k-token tool-result limit, this answer {}. To see everything, ask for fewer calls at once (callId for one), or fewer sections with include (e.g. [\"talkTime\"]).",
            out.calls.len(),
            what.join(" and ")
        ));
    }
    if talk_notes > 0 {
        hints.push(format!(
            "Talk time: Gong omits external speakers on {talk_notes} of these calls; gong_get_transcript gives everyone's."
        ));
    }
    if !out.not_shown.is_empty() {
        hints.push(
            "Some calls did not fit at all: ask for the notShown ids in another call.".to_owned(),
        );
    }
    out.hint = (!hints.is_empty()).then(|| hints.join(" "));
}

/// Moves the names of sections left out whole from the call's `cut` list to `dropped`.
fn take_dropped(call: &mut CallDetails, dropped: &mut Vec<String>) {
    call.cut.retain(|c| match c.strip_prefix(DROPPED) {
        Some(name) => {
            if !dropped.iter().any(|d| d == name) {
                dropped.push(name.to_owned());
            }
            false
        }
        None => true,
    });
}

fn shorten(full: &CallDetails, caps: &Caps) -> CallDetails {
    let mut c = full.clone();
    let mut cut = Vec::new();
    if !caps.url {
        c.call.url = None;
    }
    if !caps.talk_note {
        c.talk_time_note = None;
    }
    list(
        &mut c.participants,
        caps.participants,
        "participants",
        &mut cut,
    );
    list(&mut c.talk_time, caps.talk, "talkTime", &mut cut);
    list(&mut c.topics, caps.topics, "topics", &mut cut);
    list(&mut c.trackers, caps.trackers, "trackers", &mut cut);
    if let Some(trackers) = &mut c.trackers {
        let mut dropped = false;
        for t in trackers.iter_mut() {
            dropped |= t.phrases.len() > caps.phrases;
            t.phrases.truncate(caps.phrases);
        }
        if dropped {
            cut.push("tracker phrases".to_owned());
        }
    }
    if let Some(brief) = &mut c.brief
        && brief.len() > caps.brief
    {
        if caps.brief == 0 {
            c.brief = None;
            cut.push(format!("{DROPPED}brief"));
        } else {
            *brief = clip(brief, caps.brief);
            cut.push("brief shortened".to_owned());
        }
    }
    list(&mut c.key_points, caps.key_points, "keyPoints", &mut cut);
    list(&mut c.highlights, caps.highlights, "highlights", &mut cut);
    list(&mut c.outline, caps.outline, "outline", &mut cut);
    list(&mut c.structure, caps.structure, "structure", &mut cut);
    list(&mut c.interaction_stats, caps.stats, "stats", &mut cut);
    let mut long_items = false;
    let mut shorten_item = |s: &mut String| {
        if s.len() > caps.item_len {
            *s = clip(s, caps.item_len);
            long_items = true;
        }
    };
    c.key_points
        .iter_mut()
        .flatten()
        .for_each(&mut shorten_item);
    for h in c.highlights.iter_mut().flatten() {
        h.items.iter_mut().for_each(&mut shorten_item);
    }
    let mut outline_items = false;
    for o in c.outline.iter_mut().flatten() {
        outline_items |= o.items.len() > caps.outline_items;
        o.items.truncate(caps.outline_items);
        o.items.iter_mut().for_each(&mut shorten_item);
    }
    if outline_items {
        cut.push("outline items".to_owned());
    }
    if long_items {
        cut.push("long items shortened".to_owned());
    }
    c.cut = cut;
    c
}

/// Keeps the first `max` items; records "name: k of n" (or "name" when none are kept).
fn list<T>(items: &mut Option<Vec<T>>, max: usize, name: &str, cut: &mut Vec<String>) {
    let Some(v) = items else {
        return;
    };
    if v.len() <= max {
        return;
    }
    let n = v.len();
    if max == 0 {
        *items = None;
        cut.push(format!("{DROPPED}{name}"));
    } else {
        v.truncate(max);
        cut.push(format!("{name}: {max} of {n}"));
    }
}

#[cfg(test)]
mod tests {
    use super::super::details::{Participant, TrackerOut};
    use super::*;

    fn big_call(i: usize) -> CallDetails {
        CallDetails {
            id: format!("{i}"),
            call: crate::mcp::render::call_header::CallHeader {
                title: Some("A call with a reasonably long title about renewal".into()),
                ..Default::default()
            },
            brief: Some("word ".repeat(400)),
            key_points: Some(vec!["a key point of some length ".repeat(5); 12]),
            participants: Some(
                (0..30)
                    .map(|p| Participant {
                        name: Some(format!("Person {p}")),
                        email: Some(format!("p{p}@example.com")),
                        title: None,
                        affiliation: "External".into(),
                        spoke: true,
                    })
                    .collect(),
            ),
            trackers: Some(vec![
                TrackerOut {
                    name: "Pricing".into(),
                    count: 4,
                    phrases: vec!["price".into(); 10],
                };
                20
            ]),
            ..CallDetails::default()
        }
    }

    #[test]
    fn one_call_is_shown_whole_and_a_hundred_fit_the_budget_with_cuts_named() {
        let mut one = CallDetailsOutput {
            calls: vec![big_call(0)],
            not_found: vec![],
            not_shown: vec![],
            sections: vec![],
            hint: None,
        };
        fit(&mut one);
        assert!(one.calls[0].cut.is_empty());
        assert!(one.hint.is_none());

        let mut many = CallDetailsOutput {
            calls: (0..100).map(big_call).collect(),
            not_found: vec!["1".into(); 5],
            not_shown: vec![],
            sections: vec![],
            hint: None,
        };
        fit(&mut many);
        assert_eq!(many.calls.len(), 100);
        let text = super::super::details_text::render(&many);
        assert!(text.len() + json_len(&many) <= RESPONSE_BUDGET);
        // Sections left out whole are named once, in the hint, not per call.
        let hint = many.hint.unwrap();
        for section in ["participants", "trackers", "brief", "keyPoints"] {
            assert!(hint.contains(section), "{hint}");
        }
        assert!(!text.contains("Brief:"));
        // A shortening step that keeps part of a section says so per call.
        let mut ten = CallDetailsOutput {
            calls: (0..20).map(big_call).collect(),
            not_found: vec![],
            not_shown: vec![],
            sections: vec![],
            hint: None,
        };
        fit(&mut ten);
        assert!(
            ten.calls[0]
                .cut
                .iter()
                .any(|c| c.starts_with("participants: ")),
            "{:?}",
            ten.calls[0].cut
        );
        assert!(super::super::details_text::render(&ten).contains("(Cut to fit: participants: "));
    }
}
