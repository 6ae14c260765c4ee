//! The text of `gong_get_call_details`: a compact block per call, one line per section.

use std::fmt::Write;

use super::details::{CallDetails, CallDetailsOutput, Named, Participant};
use super::fmt::{fmt_clock, fmt_duration, fmt_started};

pub fn render(out: &CallDetailsOutput) -> String {
    let mut text = String::new();
    for c in &out.calls {
        text.push_str(&render_call(c));
        text.push('\n');
    }
    if !out.not_found.is_empty() {
        let _ = writeln!(
            text,
            "Not found: {} (check the ids with gong_list_calls).",
            out.not_found.join(", ")
        );
    }
    if !out.not_shown.is_empty() {
        let _ = writeln!(
            text,
            "Not shown (answer budget): {}. Ask for them in another call.",
            out.not_shown.join(", ")
        );
    }
    if let Some(hint) = &out.hint {
        let _ = writeln!(text, "{hint}");
    }
    text
}

pub fn render_call(c: &CallDetails) -> String {
    let mut t = String::with_capacity(1024);
    let _ = writeln!(
        t,
        "## {} (call {})",
        c.call.title.as_deref().unwrap_or("untitled call"),
        c.id
    );
    let mut facts: Vec<String> = vec![
        c.call
            .started
            .as_deref()
            .map(fmt_started)
            .unwrap_or_else(|| "?".into()),
        c.call
            .duration_seconds
            .map(fmt_duration)
            .unwrap_or_else(|| "?".into()),
    ];
    facts.extend(
        [&c.scope, &c.direction, &c.system, &c.call.url]
            .into_iter()
            .flatten()
            .cloned(),
    );
    let _ = writeln!(t, "{}", facts.join(" | "));
    if c.crm_account.is_some() || c.crm_opportunity.is_some() {
        let mut crm = Vec::new();
        if let Some(a) = &c.crm_account {
            crm.push(format!("account {a}"));
        }
        if let Some(o) = &c.crm_opportunity {
            crm.push(format!("opportunity {o}"));
        }
        let _ = writeln!(t, "CRM: {}", crm.join("; "));
    }
    if let Some(people) = &c.participants {
        participants(&mut t, people);
    }
    if let Some(talk) = c.talk_time.as_ref().filter(|v| !v.is_empty()) {
        let items: Vec<String> = talk
            .iter()
            .map(|s| format!("{} {} ({}%)", s.name, fmt_duration(s.seconds), s.percent))
            .collect();
        let _ = writeln!(t, "Talk time: {}", items.join(", "));
    }
    if let Some(note) = &c.talk_time_note {
        let _ = writeln!(t, "({note})");
    }
    named_line(&mut t, "Topics", c.topics.as_deref());
    if let Some(trackers) = c.trackers.as_ref().filter(|v| !v.is_empty()) {
        let items: Vec<String> = trackers
            .iter()
            .map(|tr| {
                if tr.phrases.is_empty() {
                    format!("{} ×{}", tr.name, tr.count)
                } else {
                    format!("{} ×{} ({})", tr.name, tr.count, tr.phrases.join(", "))
                }
            })
            .collect();
        let _ = writeln!(t, "Trackers: {}", items.join("; "));
    }
    if let Some(outcome) = &c.call_outcome {
        let _ = writeln!(t, "Outcome: {outcome}");
    }
    if let Some(brief) = &c.brief {
        let _ = writeln!(t, "Brief: {brief}");
    }
    if let Some(points) = c.key_points.as_ref().filter(|v| !v.is_empty()) {
        t.push_str("Key points:\n");
        for p in points {
            let _ = writeln!(t, "- {p}");
        }
    }
    if let Some(highlights) = c.highlights.as_ref().filter(|v| !v.is_empty()) {
        t.push_str("Highlights:\n");
        for h in highlights {
            let _ = writeln!(t, "- {}: {}", h.title, join_items(&h.items));
        }
    }
    if let Some(outline) = c.outline.as_ref().filter(|v| !v.is_empty()) {
        t.push_str("Outline:\n");
        for o in outline {
            let _ = write!(t, "- ");
            if let Some(s) = o.start_seconds {
                let _ = write!(t, "[{}] ", fmt_clock(s));
            }
            let _ = write!(t, "{}", o.section);
            if let Some(d) = o.duration_seconds {
                let _ = write!(t, " ({})", fmt_duration(d));
            }
            if !o.items.is_empty() {
                let _ = write!(t, ": {}", join_items(&o.items));
            }
            t.push('\n');
        }
    }
    named_line(&mut t, "Structure", c.structure.as_deref());
    if let Some(stats) = c.interaction_stats.as_ref().filter(|v| !v.is_empty()) {
        let items: Vec<String> = stats
            .iter()
            .map(|s| format!("{} {}", s.name, s.value))
            .collect();
        let _ = writeln!(t, "Interaction: {}", items.join(", "));
    }
    if !c.cut.is_empty() {
        let _ = writeln!(t, "(Cut to fit: {}.)", c.cut.join(", "));
    }
    t
}

/// "Internal: Ann Lee <ann@x.com>, CFO; Bo (did not speak)" — one line per affiliation.
fn participants(t: &mut String, people: &[Participant]) {
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for p in people {
        let mut entry = p
            .name
            .clone()
            .or_else(|| p.email.clone())
            .unwrap_or_else(|| "(no name)".to_owned());
        if let (Some(e), Some(_)) = (&p.email, &p.name) {
            let _ = write!(entry, " <{e}>");
        }
        if let Some(title) = &p.title {
            let _ = write!(entry, ", {title}");
        }
        if !p.spoke {
            entry.push_str(" (did not speak)");
        }
        match groups.iter_mut().find(|(a, _)| *a == p.affiliation) {
            Some((_, list)) => list.push(entry),
            None => groups.push((p.affiliation.as_str(), vec![entry])),
        }
    }
    for (affiliation, list) in groups {
        let _ = writeln!(t, "{affiliation}: {}", list.join("; "));
    }
}

fn named_line(t: &mut String, label: &str, items: Option<&[Named]>) {
    if let Some(items) = items.filter(|v| !v.is_empty()) {
        let list: Vec<String> = items
            .iter()
            .map(|n| format!("{} {}", n.name, fmt_duration(n.duration_seconds)))
            .collect();
        let _ = writeln!(t, "{label}: {}", list.join(", "));
    }
}

/// Items one after another: a space after a full stop, "; " otherwise.
fn join_items(items: &[String]) -> String {
    let mut out = String::new();
    for item in items {
        if !out.is_empty() {
            out.push_str(if out.ends_with(['.', '!', '?']) {
                " "
            } else {
                "; "
            });
        }
        out.push_str(item);
    }
    out
}
