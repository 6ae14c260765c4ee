//! A call's timeline: the segments (topic, agenda section, time span) that
//! `content.topics`/`structure`, trackers, outline and the transcript all follow.

use super::model::*;
use super::rng::Rng;

/// (topic, structure section, relative weight) per kind of call.
fn plan(kind: CallKind) -> &'static [(&'static str, &'static str, u32)] {
    use CallKind::*;
    match kind {
        Discovery => &[
            ("Call Setup", "Meeting Setup", 3),
            ("Small Talk", "Introduction", 5),
            ("Discovery", "Discovery", 40),
            ("Integrations", "Discovery", 10),
            ("Competition", "Discovery", 7),
            ("Timeline", "Discovery", 10),
            ("Pricing", "Pricing", 8),
            ("Next Steps", "Next Steps", 10),
            ("Wrap-up", "Next Steps", 4),
        ],
        Demo => &[
            ("Call Setup", "Meeting Setup", 3),
            ("Small Talk", "Introduction", 4),
            ("Discovery", "Discovery", 10),
            ("Product Demo", "Demo", 40),
            ("Integrations", "Demo", 14),
            ("Security", "Q&A", 6),
            ("Objections", "Q&A", 8),
            ("Next Steps", "Next Steps", 10),
            ("Wrap-up", "Next Steps", 4),
        ],
        TechnicalDeepDive => &[
            ("Call Setup", "Meeting Setup", 3),
            ("Small Talk", "Introduction", 3),
            ("Integrations", "Technical Discussion", 35),
            ("Security", "Technical Discussion", 25),
            ("Product Demo", "Demo", 20),
            ("Timeline", "Q&A", 5),
            ("Next Steps", "Next Steps", 7),
            ("Wrap-up", "Next Steps", 3),
        ],
        Pricing => &[
            ("Small Talk", "Introduction", 4),
            ("Pricing", "Pricing", 38),
            ("Objections", "Pricing", 18),
            ("Competition", "Q&A", 12),
            ("Timeline", "Q&A", 12),
            ("Next Steps", "Next Steps", 12),
            ("Wrap-up", "Next Steps", 4),
        ],
        SecurityReview => &[
            ("Call Setup", "Meeting Setup", 3),
            ("Security", "Technical Discussion", 60),
            ("Integrations", "Technical Discussion", 15),
            ("Timeline", "Q&A", 8),
            ("Next Steps", "Next Steps", 10),
            ("Wrap-up", "Next Steps", 4),
        ],
        Onboarding => &[
            ("Call Setup", "Meeting Setup", 3),
            ("Small Talk", "Introduction", 5),
            ("Onboarding", "Onboarding Plan", 45),
            ("Integrations", "Onboarding Plan", 20),
            ("Timeline", "Onboarding Plan", 12),
            ("Next Steps", "Next Steps", 12),
            ("Wrap-up", "Next Steps", 3),
        ],
        BusinessReview => &[
            ("Small Talk", "Introduction", 5),
            ("Adoption", "Business Review", 35),
            ("Product Demo", "Roadmap", 15),
            ("Pricing", "Renewal", 10),
            ("Objections", "Q&A", 8),
            ("Next Steps", "Next Steps", 12),
            ("Wrap-up", "Next Steps", 3),
        ],
        ColdCall => &[
            ("Call Setup", "Introduction", 8),
            ("Discovery", "Discovery", 40),
            ("Objections", "Objection Handling", 30),
            ("Next Steps", "Next Steps", 22),
        ],
        Voicemail => &[("Voicemail", "Voicemail", 100)],
        PipelineReview => &[
            ("Small Talk", "Introduction", 5),
            ("Pipeline", "Pipeline Review", 55),
            ("Forecast", "Forecast", 25),
            ("Next Steps", "Next Steps", 15),
        ],
        DealStrategy => &[
            ("Deal Strategy", "Deal Review", 55),
            ("Competition", "Deal Review", 20),
            ("Pricing", "Deal Review", 10),
            ("Next Steps", "Next Steps", 15),
        ],
        Coaching => &[
            ("Small Talk", "Introduction", 8),
            ("Coaching", "Call Review", 70),
            ("Next Steps", "Next Steps", 22),
        ],
    }
}

pub(crate) fn segments(rng: &mut Rng, kind: CallKind, duration_ms: u64) -> Vec<Segment> {
    let plan = plan(kind);
    let weights: Vec<f64> = plan
        .iter()
        .map(|&(_, _, w)| f64::from(w) * (0.7 + rng.f64() * 0.6))
        .collect();
    let total: f64 = weights.iter().sum();
    let mut out = Vec::with_capacity(plan.len());
    let mut start = 0u64;
    let mut acc = 0.0;
    for (i, &(topic, section, _)) in plan.iter().enumerate() {
        acc += weights[i];
        let end = if i + 1 == plan.len() {
            duration_ms
        } else {
            (duration_ms as f64 * acc / total) as u64
        };
        // Small talk and call setup often go unlabelled: `"topic": null`.
        let unlabelled = topic == "Voicemail"
            || (matches!(topic, "Call Setup" | "Small Talk") && rng.chance(0.5));
        out.push(Segment {
            topic: (!unlabelled).then_some(topic),
            theme: topic,
            section,
            start_ms: start,
            end_ms: end,
        });
        start = end;
    }
    out
}

fn secs(ms: u64) -> u32 {
    (ms / 1000) as u32
}

pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Sums per name, keeping first-seen order.
pub(crate) fn durations_by(
    segs: &[Segment],
    key: impl Fn(&Segment) -> Option<&'static str>,
) -> Vec<(String, u32)> {
    let mut out: Vec<(String, u32)> = Vec::new();
    for s in segs {
        if let Some(name) = key(s) {
            let d = secs(s.end_ms - s.start_ms);
            match out.iter_mut().find(|(n, _)| n == name) {
                Some((_, total)) => *total += d,
                None => out.push((name.to_string(), d)),
            }
        }
    }
    out
}
