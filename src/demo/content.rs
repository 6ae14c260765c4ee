//! What Gong derives from a call once its parties and timeline are known:
//! topics, trackers, Spotlight summaries, interaction stats, comments, media.

use chrono::Duration;

use super::catalog::*;
use super::model::*;
use super::phrases;
use super::rng::Rng;
use super::timeline::{durations_by, round2, segments};

/// Fills timeline, content, interaction, comments and media of a call whose
/// metadata, parties and voices are set.
pub(crate) fn fill(rng: &mut Rng, ws: &Workspace, call: &mut Call) {
    let duration_ms = u64::from(call.duration) * 1000;
    call.segments = segments(rng, call.kind, duration_ms);
    call.content.structure = durations_by(&call.segments, |s| Some(s.section));
    call.content.topics = durations_by(&call.segments, |s| s.topic);
    call.content.trackers = trackers(rng, ws, call);
    fill_ai(rng, ws, call);
    fill_interaction(rng, call);
    fill_comments(rng, ws, call);
    call.media_urls = MediaUrls {
        audio_url: Some(format!(
            "https://media.gong-demo.invalid/{}/{{id}}.mp3?X-Amz-Expires=28800",
            ws.id
        )),
        video_url: (call.media == "Video").then(|| {
            format!(
                "https://media.gong-demo.invalid/{}/{{id}}.mp4?X-Amz-Expires=28800",
                ws.id
            )
        }),
    };
}

/// (name, type, phrases, topics it fires in, mentions per minute there)
type TrackerDef = (
    &'static str,
    &'static str,
    Vec<String>,
    &'static [&'static str],
    f64,
);

fn trackers(rng: &mut Rng, ws: &Workspace, call: &Call) -> Vec<Tracker> {
    let company = call.company.and_then(|i| ws.companies.get(i));
    let competitor = company
        .map(|c| c.competitor.clone())
        .unwrap_or_else(|| rng.pick(COMPETITORS).to_string());
    let integration = company
        .map(|c| c.integration.clone())
        .unwrap_or_else(|| "Salesforce".into());
    let defs: [TrackerDef; 6] = [
        (
            "Competitors",
            "KEYWORD",
            vec![competitor.clone(), other_competitor(rng, &competitor)],
            &["Competition", "Objections", "Deal Strategy"],
            0.8,
        ),
        (
            "Pricing",
            "KEYWORD",
            vec!["pricing".into(), "discount".into(), "per seat".into()],
            &["Pricing", "Objections"],
            1.2,
        ),
        (
            "Budget",
            "KEYWORD",
            vec!["budget".into(), "sign-off".into()],
            &["Pricing", "Timeline", "Forecast"],
            0.6,
        ),
        (
            "Security",
            "KEYWORD",
            vec!["SOC 2".into(), "SSO".into(), "GDPR".into()],
            &["Security"],
            1.0,
        ),
        (
            "Integrations",
            "KEYWORD",
            vec![integration, "API".into()],
            &["Integrations", "Product Demo", "Onboarding"],
            0.8,
        ),
        (
            "Next Steps",
            "SMART",
            vec![],
            &["Next Steps", "Wrap-up"],
            1.5,
        ),
    ];
    defs.into_iter()
        .enumerate()
        .map(|(k, (name, kind, phrases, topics, rate))| {
            let mut occurrences: Vec<(Occurrence, usize)> = Vec::new();
            if !call.voices.is_empty() {
                for s in call
                    .segments
                    .iter()
                    .filter(|s| s.topic.is_some_and(|t| topics.contains(&t)))
                {
                    let minutes = (s.end_ms - s.start_ms) as f64 / 60_000.0;
                    let n = (minutes * rate * (0.5 + rng.f64())).round() as u64;
                    for _ in 0..n {
                        let t = (s.start_ms + rng.below(s.end_ms - s.start_ms + 1)) as f64 / 1000.0;
                        let v = rng.pick(&call.voices);
                        let phrase = rng.below(phrases.len().max(1) as u64) as usize;
                        occurrences.push((
                            Occurrence {
                                start_time: round2(t),
                                speaker_id: v.speaker_id.clone(),
                            },
                            phrase,
                        ));
                    }
                }
            }
            occurrences.sort_by(|a, b| a.0.start_time.total_cmp(&b.0.start_time));
            let tracker_phrases = phrases
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    let occ: Vec<Occurrence> = occurrences
                        .iter()
                        .filter(|(_, pi)| *pi == i)
                        .map(|(o, _)| o.clone())
                        .collect();
                    (!occ.is_empty()).then(|| TrackerPhrase {
                        phrase: p.clone(),
                        count: occ.len() as u32,
                        occurrences: occ,
                    })
                })
                .collect();
            Tracker {
                id: Rng::derive(ws.seed, "tracker", k as u64).digits(14),
                name: name.to_string(),
                kind,
                count: occurrences.len() as u32,
                occurrences: occurrences.into_iter().map(|(o, _)| o).collect(),
                phrases: tracker_phrases,
            }
        })
        .collect()
}

/// A moment within the segment, in seconds.
fn random_time(rng: &mut Rng, s: &Segment) -> f64 {
    round2((s.start_ms + rng.below(s.end_ms - s.start_ms + 1)) as f64 / 1000.0)
}

/// Draws `n` texts, dropping repeats (small pools make repeats likely).
fn distinct(n: u64, mut draw: impl FnMut() -> String) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for _ in 0..n {
        let t = draw();
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

fn other_competitor(rng: &mut Rng, not: &str) -> String {
    let others: Vec<&str> = COMPETITORS.iter().copied().filter(|c| *c != not).collect();
    rng.pick(&others).to_string()
}

fn fill_ai(rng: &mut Rng, ws: &Workspace, call: &mut Call) {
    use CallKind::*;
    let outcome = |o: &(&str, &str, &str)| CallOutcome {
        id: o.0.into(),
        category: o.1.into(),
        name: o.2.into(),
    };
    let external = !call.kind.is_internal();
    if call.kind == Voicemail || call.voices.is_empty() {
        call.content.call_outcome = Some(outcome(rng.pick(OUTCOMES_UNANSWERED)));
        return;
    }
    // Spotlight needs a real conversation and post-processing; some calls lack it.
    if call.duration < 120 || rng.chance(0.1) {
        if call.kind == ColdCall && rng.chance(0.7) {
            call.content.call_outcome = Some(outcome(rng.pick(OUTCOMES_ANSWERED)));
        }
        return;
    }
    let ctx = phrases::Ctx::new(ws, call);
    call.content.brief = Some(phrases::brief(rng, &ctx, call));
    let mut outline = Vec::with_capacity(call.segments.len());
    for s in &call.segments {
        let n = rng.range(1, 4);
        let texts = distinct(n, || {
            phrases::outline_item(rng, &ctx, s.topic.unwrap_or(s.section))
        });
        let mut times: Vec<f64> = texts.iter().map(|_| random_time(rng, s)).collect();
        times.sort_by(f64::total_cmp);
        outline.push(OutlineSection {
            section: s.topic.unwrap_or(s.section).to_string(),
            start_time: round2(s.start_ms as f64 / 1000.0),
            duration: round2((s.end_ms - s.start_ms) as f64 / 1000.0),
            items: texts.into_iter().zip(times).collect(),
        });
    }
    call.content.outline = Some(outline);
    let first_segment = |topic: &str, section: &str| {
        call.segments
            .iter()
            .find(|s| s.topic == Some(topic) || s.section == section)
            .cloned()
    };
    let next_seg = first_segment("Next Steps", "Next Steps");
    let mut highlights = vec![HighlightSection {
        title: "Next steps".into(),
        items: distinct(rng.range(1, 4), || phrases::next_step(rng, &ctx))
            .into_iter()
            .map(|t| (t, next_seg.iter().map(|s| random_time(rng, s)).collect()))
            .collect(),
    }];
    if external {
        let pain_seg = first_segment("Discovery", "Discovery");
        highlights.push(HighlightSection {
            title: "Pain points".into(),
            items: distinct(rng.range(1, 3), || phrases::pain_point(rng, &ctx))
                .into_iter()
                .map(|t| (t, pain_seg.iter().map(|s| random_time(rng, s)).collect()))
                .collect(),
        });
    }
    call.content.highlights = Some(highlights);
    let kind = call.kind;
    call.content.key_points = Some(distinct(rng.range(3, 6), || {
        phrases::key_point(rng, &ctx, kind)
    }));
    if external {
        call.content.call_outcome = Some(outcome(rng.pick(OUTCOMES_ANSWERED)));
    }
}

fn fill_interaction(rng: &mut Rng, call: &mut Call) {
    call.interaction.speakers = call
        .voices
        .iter()
        .filter_map(|v| {
            let p = call.parties.get(v.party?)?;
            p.user_id.as_ref()?;
            Some(SpeakerTalk {
                id: p.id.clone(),
                user_id: p.user_id.clone(),
                speaker_id: v.speaker_id.clone(),
            })
        })
        .collect();
    if call.voices.is_empty() {
        return;
    }
    let minutes = f64::from(call.duration) / 60.0;
    call.interaction.stats = vec![
        ("Talk Ratio".into(), round2(0.3 + rng.f64() * 0.45)),
        (
            "Longest Monologue".into(),
            (20.0 + rng.f64() * 180.0)
                .round()
                .min(f64::from(call.duration)),
        ),
        (
            "Longest Customer Story".into(),
            (10.0 + rng.f64() * 140.0)
                .round()
                .min(f64::from(call.duration)),
        ),
        ("Interactivity".into(), round2(1.0 + rng.f64() * 8.0)),
        ("Patience".into(), round2(0.3 + rng.f64() * 1.5)),
    ];
    if call.media == "Video" {
        let d = f64::from(call.duration);
        let presentation = round2(d * rng.f64() * 0.5);
        let browser = round2((d - presentation) * rng.f64() * 0.4);
        call.interaction.video = vec![
            ("Browser".into(), browser),
            ("Presentation".into(), presentation),
            ("WebcamPrimaryUser".into(), round2(d * 0.3 * rng.f64())),
            ("WebcamNonCompany".into(), round2(d * 0.3 * rng.f64())),
            (
                "Webcam".into(),
                round2((d - presentation - browser).max(0.0)),
            ),
        ];
    }
    call.interaction.questions_company = (minutes * (0.2 + rng.f64() * 0.5)).round() as u32;
    call.interaction.questions_non_company = (minutes * (0.1 + rng.f64() * 0.4)).round() as u32;
}

fn fill_comments(rng: &mut Rng, ws: &Workspace, call: &mut Call) {
    if call.voices.is_empty() || !rng.chance(0.15) {
        return;
    }
    let commenter = ws
        .user(&call.primary_user_id)
        .and_then(|u| u.manager_id.clone())
        .unwrap_or_else(|| ws.users[0].id.clone());
    let ctx = phrases::Ctx::new(ws, call);
    let mut first_id: Option<String> = None;
    for i in 0..rng.range(1, 3) {
        let at = round2(rng.below(u64::from(call.duration) * 1000) as f64 / 1000.0);
        let during = rng.chance(0.2);
        let posted = if during {
            call.started + Duration::milliseconds((at * 1000.0) as i64)
        } else {
            call.started
                + Duration::seconds(i64::from(call.duration))
                + Duration::minutes(rng.range(10, 1200) as i64)
                + Duration::microseconds(rng.below(1_000_000) as i64)
        };
        let id = rng.digits(19);
        call.public_comments.push(Comment {
            id: id.clone(),
            audio_start_time: at,
            audio_end_time: at,
            commenter_user_id: if i == 0 {
                commenter.clone()
            } else {
                call.primary_user_id.clone()
            },
            comment: phrases::comment(rng, &ctx),
            posted,
            in_reply_to: if i == 0 { None } else { first_id.clone() },
            during_call: during,
        });
        first_id.get_or_insert(id);
    }
}
