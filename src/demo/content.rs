//! Per-call details: who took part, the call's timeline (segments) and what
//! Gong derives from it (topics, trackers, AI summaries, interaction stats).

use chrono::Duration;

use super::catalog::*;
use super::model::*;
use super::phrases;
use super::rng::Rng;

fn internal_party(rng: &mut Rng, u: &User, speaks: bool) -> Party {
    Party {
        id: rng.digits(19),
        name: Some(u.full_name()),
        email_address: Some(u.email.clone()),
        title: u.title.clone(),
        user_id: Some(u.id.clone()),
        speaker_id: speaks.then(|| rng.digits(19)),
        affiliation: "Internal",
        methods: vec!["Invitee", "Attendee"],
        phone_number: None,
        context: Some(CrmObject {
            object_type: "User",
            object_id: u.crm_id.clone(),
            fields: vec![],
        }),
    }
}

fn external_party(
    rng: &mut Rng,
    c: &Contact,
    company: &ExternalCompany,
    speaks: bool,
    attended: bool,
) -> Party {
    Party {
        id: rng.digits(19),
        name: Some(c.full_name()),
        email_address: c.email.clone(),
        title: c.title.clone(),
        user_id: None,
        speaker_id: (speaks && attended).then(|| rng.digits(19)),
        affiliation: "External",
        methods: if attended {
            vec!["Invitee", "Attendee"]
        } else {
            vec!["Invitee"]
        },
        phone_number: c.phone_number.clone(),
        context: Some(CrmObject {
            object_type: "Contact",
            object_id: c.crm_id.clone(),
            fields: vec![("Account_Name__c".into(), serde_json::json!(company.name))],
        }),
    }
}

fn first_word(s: &Option<String>) -> String {
    s.as_deref()
        .and_then(|n| n.split_whitespace().next())
        .unwrap_or("there")
        .to_string()
}

/// Parties (as `/v2/calls/extensive` lists them) and voices (who is heard in
/// the transcript). Imported dialer calls carry no `speakerId` on parties, and
/// some calls have a voice no party carries, as real Gong data does.
#[allow(clippy::too_many_arguments)]
pub(crate) fn parties_and_voices(
    rng: &mut Rng,
    ws: &Workspace,
    kind: CallKind,
    host: &User,
    company: Option<&ExternalCompany>,
    contact: Option<&Contact>,
    index: usize,
    silent: bool,
) -> (Vec<Party>, Vec<Voice>) {
    use CallKind::*;
    let mut parties = Vec::new();
    let mut voices = Vec::new();
    let voice_of = |parties: &Vec<Party>, i: usize, weight: u32| -> Option<Voice> {
        let p: &Party = parties.get(i)?;
        Some(Voice {
            speaker_id: p.speaker_id.clone()?,
            party: Some(i),
            internal: p.affiliation == "Internal",
            first_name: first_word(&p.name),
            weight,
        })
    };

    if matches!(kind, ColdCall | Voicemail) {
        let mut host_party = internal_party(rng, host, false);
        host_party.methods = vec!["Attendee"];
        host_party.context = None;
        parties.push(host_party);
        if let (Some(company), Some(contact)) = (company, contact)
            && !rng.chance(0.25)
        {
            let mut p = external_party(rng, contact, company, false, true);
            p.methods = vec!["Attendee"];
            if p.phone_number.is_none() {
                p.phone_number = Some(format!("+1 646-555-{:04}", rng.below(10_000)));
            }
            parties.push(p);
        }
        if !silent {
            // Dialer audio is diarized, but nothing links the voices to parties.
            voices.push(Voice {
                speaker_id: rng.digits(19),
                party: None,
                internal: true,
                first_name: host.first_name.clone(),
                weight: 55,
            });
            if kind == ColdCall {
                voices.push(Voice {
                    speaker_id: rng.digits(19),
                    party: None,
                    internal: false,
                    first_name: contact
                        .map(|c| c.first_name.clone())
                        .unwrap_or_else(|| "there".into()),
                    weight: 45,
                });
            }
        }
        return (parties, voices);
    }

    parties.push(internal_party(rng, host, true));
    if kind.is_internal() {
        let others = ws
            .users
            .iter()
            .filter(|u| u.active && u.id != host.id)
            .collect::<Vec<_>>();
        let n = rng.range(1, 4) as usize;
        let mut picked = others.clone();
        rng.shuffle(&mut picked);
        for u in picked.into_iter().take(n) {
            parties.push(internal_party(rng, u, true));
        }
    } else {
        let extra_internal = match kind {
            Demo | TechnicalDeepDive | SecurityReview if rng.chance(0.8) => {
                Some(Role::SalesEngineer)
            }
            Pricing | BusinessReview if rng.chance(0.4) => Some(Role::Manager),
            Discovery if rng.chance(0.3) => Some(Role::SalesDevelopment),
            _ => None,
        };
        if let Some(role) = extra_internal {
            let u = super::data::pick_user(rng, ws, role);
            if u.id != host.id {
                let speaks = rng.chance(0.9);
                parties.push(internal_party(rng, u, speaks));
            }
        }
        if let Some(company) = company {
            let mut contacts: Vec<&Contact> = company.contacts.iter().collect();
            rng.shuffle(&mut contacts);
            let attending = rng.range(1, contacts.len().min(3) as u64 + 1) as usize;
            for (i, c) in contacts.iter().enumerate() {
                if i < attending {
                    let speaks = rng.chance(0.92) || i == 0;
                    parties.push(external_party(rng, c, company, speaks, true));
                } else if rng.chance(0.3) {
                    parties.push(external_party(rng, c, company, false, false));
                }
            }
        }
        if rng.chance(0.06) {
            // Someone who joined from an unknown address.
            let name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
            parties.push(Party {
                id: rng.digits(19),
                name: Some(name),
                email_address: None,
                title: None,
                user_id: None,
                speaker_id: Some(rng.digits(19)),
                affiliation: "Unknown",
                methods: vec!["Attendee"],
                phone_number: None,
                context: None,
            });
        }
    }
    let n_ext = parties
        .iter()
        .filter(|p| p.affiliation != "Internal")
        .count()
        .max(1) as u32;
    for i in 0..parties.len() {
        let weight = match (i, parties[i].affiliation) {
            (0, _) => {
                if kind.is_internal() {
                    40
                } else {
                    45
                }
            }
            (_, "Internal") => {
                if kind.is_internal() {
                    30
                } else {
                    15
                }
            }
            _ => 40 / n_ext + 5,
        };
        if let Some(v) = voice_of(&parties, i, weight) {
            voices.push(v);
        }
    }
    if index % 41 == 7 {
        // A dial-in guest the transcript hears but no party carries.
        voices.push(Voice {
            speaker_id: rng.digits(19),
            party: None,
            internal: false,
            first_name: rng.pick(FIRST_NAMES).to_string(),
            weight: 12,
        });
    }
    (parties, voices)
}

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

fn segments(rng: &mut Rng, kind: CallKind, duration_ms: u64) -> Vec<Segment> {
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

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Sums per name, keeping first-seen order.
fn durations_by(
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
    let total_weight: u32 = call.voices.iter().map(|v| v.weight).sum::<u32>().max(1);
    let spoken = f64::from(call.duration) * 0.85;
    call.interaction.speakers = call
        .voices
        .iter()
        .filter_map(|v| {
            let p = call.parties.get(v.party?)?;
            p.user_id.as_ref()?;
            Some(SpeakerTalk {
                id: p.id.clone(),
                user_id: p.user_id.clone(),
                talk_time: round2(spoken * f64::from(v.weight) / f64::from(total_weight)),
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
