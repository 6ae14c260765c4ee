//! Generates a tenant's workspace deterministically from (company, seed, now).
//! Calls' timelines and AI content are built in `content.rs`; transcripts are
//! never stored (see `transcript.rs`).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc, Weekday};
use serde_json::json;

use super::catalog::*;
use super::content;
use super::model::*;
use super::rng::Rng;

/// First call id; every tenant uses the same id sequence on purpose, so tests
/// can ask two tenants for the same id and get different calls.
const CALL_ID_BASE: u64 = 7_000_000_000_000_000_000;
/// Coprime with 10^15, so `i * STEP mod 10^15` never repeats for i < 10^15.
const CALL_ID_STEP: u64 = 982_451_653;

/// The id of the `index`-th call (in start-time order) of every workspace.
pub fn call_id_for_index(index: usize) -> String {
    let offset = (index as u64).wrapping_mul(CALL_ID_STEP) % 1_000_000_000_000_000;
    (CALL_ID_BASE + offset).to_string()
}

/// Lowercase ASCII letters and digits of `s` (for e-mail addresses).
pub(crate) fn ascii_slug(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'Á' => Some('a'),
            'é' | 'è' | 'ê' | 'É' => Some('e'),
            'í' | 'ï' => Some('i'),
            'ó' | 'ö' | 'ô' | 'Ö' => Some('o'),
            'ú' | 'ü' | 'Ü' => Some('u'),
            'ñ' => Some('n'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

pub(crate) fn generate(company: &str, seed: u64, n_calls: usize, now: DateTime<Utc>) -> Workspace {
    generate_with(company, seed, seed, n_calls, now)
}

/// A workspace whose people (users, companies, contacts) come from `people_seed` and whose
/// calls and words come from `conversation_seed`: with Gong's `people_seed`, the same people
/// in other conversations (what another recorder of the same company holds).
pub(crate) fn generate_with(
    company: &str,
    people_seed: u64,
    conversation_seed: u64,
    n_calls: usize,
    now: DateTime<Utc>,
) -> Workspace {
    let seed = people_seed;
    let mut rng = Rng::derive(seed, "workspace", 0);
    let short = company
        .split_whitespace()
        .next()
        .unwrap_or(company)
        .to_string();
    let email_domain = format!(
        "{}.com",
        company
            .split_whitespace()
            .map(ascii_slug)
            .collect::<Vec<_>>()
            .join("-")
    );
    let product = format!("{} {}", short, rng.pick(PRODUCT_SUFFIXES));
    let workspace_id = rng.digits(19);

    let mut taken_names = HashSet::new();
    let users = generate_users(seed, &email_domain, now, &mut taken_names);
    let companies = generate_companies(seed, company, now, &mut taken_names);

    let mut ws = Workspace {
        id: workspace_id,
        name: format!("{short} Sales"),
        description: format!("{company} sales and customer success calls"),
        company: company.to_string(),
        product,
        email_domain,
        seed: conversation_seed,
        users,
        companies,
        calls: Vec::with_capacity(n_calls),
        call_index: HashMap::new(),
    };

    let mut calls: Vec<Call> = (0..n_calls).map(|i| generate_call(&ws, i, now)).collect();
    calls.sort_by_key(|c| c.started);
    // Strictly ascending starts make paging order unambiguous.
    for i in 1..calls.len() {
        if calls[i].started <= calls[i - 1].started {
            calls[i].started = calls[i - 1].started + Duration::seconds(1);
        }
    }
    for (i, call) in calls.iter_mut().enumerate() {
        call.id = call_id_for_index(i);
        call.url = format!("https://app.gong.io/call?id={}", call.id);
        if let Some(url) = &mut call.media_urls.audio_url {
            *url = url.replace("{id}", &call.id);
        }
        if let Some(url) = &mut call.media_urls.video_url {
            *url = url.replace("{id}", &call.id);
        }
    }
    ws.call_index = calls
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i))
        .collect();
    ws.calls = calls;
    ws
}

fn unique_name(rng: &mut Rng, taken: &mut HashSet<(String, String)>) -> (String, String) {
    loop {
        let first = rng.pick(FIRST_NAMES).to_string();
        let last = rng.pick(LAST_NAMES).to_string();
        if taken.insert((first.clone(), last.clone())) {
            return (first, last);
        }
    }
}

fn millis_time(rng: &mut Rng, base: DateTime<Utc>) -> DateTime<Utc> {
    base + Duration::milliseconds(rng.below(1000) as i64)
}

fn generate_users(
    seed: u64,
    domain: &str,
    now: DateTime<Utc>,
    taken: &mut HashSet<(String, String)>,
) -> Vec<User> {
    use Role::*;
    // (role, title); `None` titles exercise Gong's `"title": null`.
    let plan: [(Role, Option<&str>); 11] = [
        (Manager, Some("VP of Sales")),
        (Manager, Some("Sales Manager")),
        (AccountExecutive, Some("Senior Account Executive")),
        (AccountExecutive, Some("Account Executive")),
        (AccountExecutive, Some("Enterprise Account Executive")),
        (AccountExecutive, None),
        (SalesDevelopment, Some("Sales Development Representative")),
        (SalesDevelopment, None),
        (SalesEngineer, Some("Solutions Engineer")),
        (CustomerSuccess, Some("Customer Success Manager")),
        // A former rep: Gong still lists deactivated users.
        (AccountExecutive, Some("Account Executive")),
    ];
    let zones = [
        Zone::Pacific,
        Zone::Eastern,
        Zone::Central,
        Zone::Pacific,
        Zone::London,
        Zone::Berlin,
    ];
    let mut users: Vec<User> = Vec::with_capacity(plan.len());
    for (i, (role, title)) in plan.iter().enumerate() {
        let mut rng = Rng::derive(seed, "user", i as u64);
        let (first, last) = unique_name(&mut rng, taken);
        let email = format!("{}.{}@{}", ascii_slug(&first), ascii_slug(&last), domain);
        let manager_id = match (i, role) {
            (0, _) => None,
            (1, _) | (_, SalesEngineer) | (_, CustomerSuccess) => Some(users[0].id.clone()),
            _ => Some(users[1].id.clone()),
        };
        let days_ago = rng.range(200, 900) as i64;
        let created = millis_time(&mut rng, now - Duration::days(days_ago));
        users.push(User {
            id: rng.digits(18),
            email,
            first_name: first,
            last_name: last,
            title: title.map(str::to_string),
            role: *role,
            manager_id,
            phone_number: rng
                .chance(0.4)
                .then(|| format!("+1 415-555-{:04}", rng.below(10_000))),
            created,
            zone: if i < 4 {
                Zone::Pacific
            } else {
                *rng.pick(&zones)
            },
            active: i != plan.len() - 1,
            crm_id: rng.sfdc_id("005"),
        });
    }
    users
}

fn generate_companies(
    seed: u64,
    own_company: &str,
    now: DateTime<Utc>,
    taken: &mut HashSet<(String, String)>,
) -> Vec<ExternalCompany> {
    let mut rng = Rng::derive(seed, "companies", 0);
    let mut pool: Vec<&(&str, &str, &str)> = COMPANIES
        .iter()
        .filter(|(name, _, _)| *name != own_company)
        .collect();
    rng.shuffle(&mut pool);
    pool.into_iter()
        .take(12)
        .enumerate()
        .map(|(i, &(name, domain, industry))| {
            let mut rng = Rng::derive(seed, "company", i as u64);
            let contacts = (0..rng.range(2, 5))
                .map(|_| {
                    let (first, last) = unique_name(&mut rng, taken);
                    Contact {
                        crm_id: rng.sfdc_id("003"),
                        email: (!rng.chance(0.1)).then(|| {
                            format!("{}.{}@{}", ascii_slug(&first), ascii_slug(&last), domain)
                        }),
                        title: (!rng.chance(0.15)).then(|| rng.pick(CONTACT_TITLES).to_string()),
                        phone_number: rng
                            .chance(0.3)
                            .then(|| format!("+1 212-555-{:04}", rng.below(10_000))),
                        first_name: first,
                        last_name: last,
                    }
                })
                .collect();
            let kind = if rng.chance(0.25) {
                "Expansion"
            } else {
                "New Business"
            };
            let close = now.date_naive() + Duration::days(rng.range(15, 120) as i64);
            ExternalCompany {
                name: name.to_string(),
                domain: domain.to_string(),
                industry: industry.to_string(),
                account_id: rng.sfdc_id("001"),
                opportunity: Opportunity {
                    id: rng.sfdc_id("006"),
                    name: format!("{name} - {kind}"),
                    stage: rng.pick(OPPORTUNITY_STAGES).to_string(),
                    amount: rng.range(30, 500) * 500,
                    close_date: close,
                },
                contacts,
                competitor: rng.pick(COMPETITORS).to_string(),
                integration: rng.pick(INTEGRATIONS).to_string(),
            }
        })
        .collect()
}

fn pick_kind(rng: &mut Rng, index: usize) -> CallKind {
    use CallKind::*;
    // A few guaranteed long calls (>= 1 h) regardless of the draw.
    if index % 50 == 13 {
        return TechnicalDeepDive;
    }
    let table: [(CallKind, u64); 12] = [
        (Discovery, 18),
        (Demo, 16),
        (TechnicalDeepDive, 6),
        (Pricing, 9),
        (SecurityReview, 5),
        (Onboarding, 5),
        (BusinessReview, 5),
        (ColdCall, 12),
        (Voicemail, 5),
        (PipelineReview, 6),
        (DealStrategy, 6),
        (Coaching, 4),
    ];
    let total: u64 = table.iter().map(|(_, w)| w).sum();
    let mut roll = rng.below(total);
    for (kind, w) in table {
        if roll < w {
            return kind;
        }
        roll -= w;
    }
    Discovery
}

/// Duration in seconds for a kind; `index % 50 == 13` calls run over an hour.
fn pick_duration(rng: &mut Rng, kind: CallKind, index: usize) -> u32 {
    use CallKind::*;
    let minutes = |rng: &mut Rng, lo: u64, hi: u64| (rng.range(lo * 60, hi * 60 + 1)) as u32;
    if index % 50 == 13 {
        return minutes(rng, 62, 75);
    }
    match kind {
        Discovery => minutes(rng, 20, 45),
        Demo => minutes(rng, 30, 58),
        TechnicalDeepDive => minutes(rng, 45, 70),
        Pricing => minutes(rng, 20, 40),
        SecurityReview => minutes(rng, 25, 50),
        Onboarding => minutes(rng, 30, 55),
        BusinessReview => minutes(rng, 30, 55),
        // Dialer calls: some well under two minutes.
        ColdCall if rng.chance(0.3) => rng.range(70, 119) as u32,
        ColdCall => minutes(rng, 2, 9),
        Voicemail => rng.range(25, 110) as u32,
        PipelineReview => minutes(rng, 25, 55),
        DealStrategy => minutes(rng, 15, 30),
        Coaching => minutes(rng, 20, 40),
    }
}

fn users_with(ws: &Workspace, role: Role) -> Vec<&User> {
    ws.users
        .iter()
        .filter(|u| u.active && u.role == role)
        .collect()
}

pub(crate) fn pick_user<'a>(rng: &mut Rng, ws: &'a Workspace, role: Role) -> &'a User {
    let list = users_with(ws, role);
    if list.is_empty() {
        &ws.users[0]
    } else {
        list[rng.below(list.len() as u64) as usize]
    }
}

fn pick_host<'a>(rng: &mut Rng, ws: &'a Workspace, kind: CallKind) -> &'a User {
    use CallKind::*;
    let role = match kind {
        ColdCall | Voicemail if rng.chance(0.8) => Role::SalesDevelopment,
        Onboarding | BusinessReview => Role::CustomerSuccess,
        PipelineReview | Coaching => Role::Manager,
        _ => Role::AccountExecutive,
    };
    pick_user(rng, ws, role)
}

/// A weekday business-hours slot in the host's zone within the last 60 days,
/// ending before `now`.
fn pick_schedule(rng: &mut Rng, zone: Zone, duration: u32, now: DateTime<Utc>) -> DateTime<Utc> {
    for _ in 0..20 {
        let day = now - Duration::days(rng.range(0, 60) as i64);
        let offset = zone.offset_secs(day);
        let local_date = (day + Duration::seconds(i64::from(offset))).date_naive();
        let weekend = matches!(local_date.weekday(), Weekday::Sat | Weekday::Sun);
        if weekend && !rng.chance(0.05) {
            continue;
        }
        let minutes = rng.range(8 * 4, 18 * 4) * 15;
        let Some(local) = local_date.and_hms_opt(0, 0, 0) else {
            continue;
        };
        let utc = Utc.from_utc_datetime(&local) + Duration::minutes(minutes as i64)
            - Duration::seconds(i64::from(offset));
        let earliest = now - Duration::days(60);
        if utc >= earliest && utc + Duration::seconds(i64::from(duration) + 600) <= now {
            return utc;
        }
    }
    // Fallback when `now` leaves no room (e.g. odd test clocks): a fixed slot.
    now - Duration::days(1) - Duration::seconds(i64::from(duration))
}

fn slug_title(s: &str) -> String {
    s.split_whitespace().next().unwrap_or(s).to_string()
}

fn generate_call(ws: &Workspace, index: usize, now: DateTime<Utc>) -> Call {
    use CallKind::*;
    let mut rng = Rng::derive(ws.seed, "call", index as u64);
    let kind = pick_kind(&mut rng, index);
    let duration = pick_duration(&mut rng, kind, index);
    let host = pick_host(&mut rng, ws, kind);
    let company_idx = (!kind.is_internal()).then(|| rng.below(ws.companies.len() as u64) as usize);
    let company = company_idx.and_then(|i| ws.companies.get(i));
    let dialer = matches!(kind, ColdCall | Voicemail);

    let scheduled = pick_schedule(&mut rng, host.zone, duration, now);
    let (system, media, direction) = if dialer {
        (
            *rng.pick(&["Outreach", "Salesloft", "Aircall"]),
            "Audio",
            "Outbound",
        )
    } else {
        let system = *rng.pick(&["Zoom", "Zoom", "Zoom", "Google Meet", "Microsoft Teams"]);
        (
            system,
            if rng.chance(0.9) { "Video" } else { "Audio" },
            "Conference",
        )
    };
    let mut started = if dialer {
        scheduled + Duration::seconds(rng.range(0, 3000) as i64)
    } else {
        scheduled + Duration::seconds(rng.range(0, 420) as i64) - Duration::seconds(60)
    };
    if system == "Zoom" || rng.chance(0.3) {
        // Real Gong timestamps often carry microseconds.
        started += Duration::microseconds(rng.range(1, 1_000_000) as i64);
    }
    let scheduled = if dialer {
        started - Duration::nanoseconds(i64::from(started.timestamp_subsec_nanos()))
    } else {
        scheduled
    };

    let contact = company.and_then(|c| c.contacts.get(rng.below(c.contacts.len() as u64) as usize));
    let silent = kind == Voicemail && rng.chance(0.3);
    let (parties, voices) = super::parties::parties_and_voices(
        &mut rng, ws, kind, host, company, contact, index, silent,
    );
    let title = call_title(&mut rng, kind, host, company, contact, &parties, ws);
    let imported = dialer;
    let scope = if silent {
        "Unknown"
    } else if kind.is_internal() {
        "Internal"
    } else {
        "External"
    };
    let context = company
        .filter(|_| !rng.chance(0.1))
        .map(crm_context)
        .unwrap_or_default();

    let meeting_url = (!dialer && rng.chance(0.85)).then(|| match system {
        "Zoom" => format!("https://zoom.us/j/{}", rng.digits(10)),
        "Google Meet" => format!(
            "https://meet.google.com/{}-{}-{}",
            letters(&mut rng, 3),
            letters(&mut rng, 4),
            letters(&mut rng, 3)
        ),
        _ => format!(
            "https://teams.microsoft.com/l/meetup-join/19%3ameeting_{}",
            letters(&mut rng, 24)
        ),
    });
    let calendar_event_id =
        (!dialer && rng.chance(0.7)).then(|| format!("{}@google.com", letters(&mut rng, 26)));
    let sdr_disposition = dialer.then(|| {
        if kind == Voicemail {
            "Left voicemail".to_string()
        } else {
            rng.pick(SDR_DISPOSITIONS).to_string()
        }
    });
    let client_unique_id = dialer.then(|| letters(&mut rng, 19).to_uppercase());
    let purpose = rng.chance(0.25).then(|| kind.label().to_string());
    let custom_data = rng.chance(0.05).then(|| "Conference Call".to_string());
    let is_private = if kind == Coaching {
        rng.chance(0.5)
    } else {
        rng.chance(0.02)
    };

    let mut call = Call {
        id: String::new(),
        url: String::new(),
        title,
        scheduled,
        started,
        utc_offset_secs: host.zone.offset_secs(started),
        duration,
        primary_user_id: host.id.clone(),
        direction,
        scope,
        system,
        media,
        language: if silent { "und" } else { "eng" },
        workspace_id: ws.id.clone(),
        sdr_disposition,
        client_unique_id,
        custom_data,
        purpose,
        meeting_url,
        is_private,
        calendar_event_id,
        kind,
        company: company_idx,
        imported,
        context,
        parties,
        voices,
        segments: Vec::new(),
        content: Content::default(),
        interaction: Interaction::default(),
        talk_times: std::sync::OnceLock::new(),
        public_comments: Vec::new(),
        media_urls: MediaUrls::default(),
    };
    content::fill(&mut rng, ws, &mut call);
    call
}

fn letters(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'a' + rng.below(26) as u8))
        .collect()
}

fn crm_context(c: &ExternalCompany) -> Vec<CrmObject> {
    vec![
        CrmObject {
            object_type: "Opportunity",
            object_id: c.opportunity.id.clone(),
            fields: vec![
                ("StageName".into(), json!(c.opportunity.stage)),
                ("Amount".into(), json!(c.opportunity.amount)),
                (
                    "CloseDate".into(),
                    json!(c.opportunity.close_date.format("%Y-%m-%d").to_string()),
                ),
                ("Name".into(), json!(c.opportunity.name)),
            ],
        },
        CrmObject {
            object_type: "Account",
            object_id: c.account_id.clone(),
            fields: vec![
                ("Website".into(), json!(c.domain)),
                ("Name".into(), json!(c.name)),
                ("Industry".into(), json!(c.industry)),
            ],
        },
    ]
}

fn call_title(
    rng: &mut Rng,
    kind: CallKind,
    host: &User,
    company: Option<&ExternalCompany>,
    contact: Option<&Contact>,
    parties: &[Party],
    ws: &Workspace,
) -> String {
    use CallKind::*;
    let us = slug_title(&ws.company);
    let c = company.map(|c| c.name.as_str()).unwrap_or("Prospect");
    let person = contact
        .map(Contact::full_name)
        .unwrap_or_else(|| c.to_string());
    if !kind.is_internal() && !matches!(kind, ColdCall | Voicemail) && rng.chance(0.05) {
        return format!("{}'s Zoom Meeting", host.full_name());
    }
    match kind {
        Discovery => match rng.below(3) {
            0 => format!("{c} <> {us} | Discovery"),
            1 => format!("{us} / {c} - Intro Call"),
            _ => format!("Discovery call: {c}"),
        },
        Demo => match rng.below(2) {
            0 => format!("{c} <> {us} | Product Demo"),
            _ => format!("{} demo for {c}", ws.product),
        },
        TechnicalDeepDive => match rng.below(2) {
            0 => format!("{c} | Technical Deep Dive"),
            _ => format!("{c} x {us}: Architecture Workshop"),
        },
        Pricing => match rng.below(2) {
            0 => format!("{c} <> {us} | Pricing Review"),
            _ => format!("{c} - Commercials"),
        },
        SecurityReview => format!("Security review - {c}"),
        Onboarding => format!("{c} Onboarding Kickoff"),
        BusinessReview => format!("{c} <> {us} Quarterly Business Review"),
        ColdCall | Voicemail => format!("Call with {person}"),
        PipelineReview => (*rng.pick(&[
            "Weekly Pipeline Review",
            "Forecast Call",
            "Team Pipeline Sync",
        ]))
        .to_string(),
        DealStrategy => format!("Deal Strategy: {c}"),
        Coaching => {
            let rep = parties
                .get(1)
                .and_then(|p| p.name.as_deref())
                .unwrap_or("Team");
            let rep = rep.split_whitespace().next().unwrap_or(rep);
            format!("1:1 {} / {rep}", host.first_name)
        }
    }
}
