//! A tenant's Fathom meetings, drawn from the synthetic Gong workspace's people: the same
//! colleagues and customer contacts, in other conversations (see
//! [`crate::demo::companion_workspace`]). Dialer calls are left out: Fathom records video
//! meetings (Zoom, Google Meet, Teams).

use chrono::{DateTime, Duration, Utc};

use crate::demo::{CallKind, Workspace};

/// One recorded meeting, as the fake serves it.
#[derive(Clone, Debug)]
pub struct FakeMeeting {
    pub recording_id: u64,
    /// Fathom's title for the recording.
    pub title: String,
    /// The calendar event's title.
    pub meeting_title: String,
    pub url: String,
    pub share_url: String,
    /// When Fathom created the recording (a little after it ended); the list's order and its
    /// `created_after`/`created_before` filters use it.
    pub created_at: DateTime<Utc>,
    pub scheduled_start_time: DateTime<Utc>,
    pub scheduled_end_time: DateTime<Utc>,
    pub recording_start_time: DateTime<Utc>,
    pub recording_end_time: DateTime<Utc>,
    pub calendar_invitees: Vec<FakeInvitee>,
    pub recorded_by: FakeInvitee,
    pub transcript: Vec<FakeEntry>,
    pub summary_markdown: String,
    pub action_items: Vec<FakeActionItem>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeInvitee {
    pub name: String,
    pub email: String,
    pub is_external: bool,
}

impl FakeInvitee {
    pub fn domain(&self) -> &str {
        self.email.rsplit('@').next().unwrap_or_default()
    }
}

/// One transcript entry: a speaker's turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeEntry {
    pub display_name: String,
    /// The invitee Fathom matched this voice to; `None` for a voice it could not match.
    pub matched_email: Option<String>,
    pub text: String,
    /// Whole seconds from the start of the recording.
    pub seconds: u64,
}

#[derive(Clone, Debug)]
pub struct FakeActionItem {
    pub description: String,
    pub seconds: u64,
    pub assignee: FakeInvitee,
}

impl FakeMeeting {
    /// `HH:MM:SS`, as Fathom writes transcript timestamps.
    pub fn timestamp(seconds: u64) -> String {
        format!(
            "{:02}:{:02}:{:02}",
            seconds / 3600,
            (seconds / 60) % 60,
            seconds % 60
        )
    }

    pub fn invited(&self, email: &str) -> bool {
        self.calendar_invitees
            .iter()
            .any(|i| i.email.eq_ignore_ascii_case(email))
    }
}

/// splitmix64: small deterministic choices without the demo's private RNG.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The meetings of one tenant, newest first (the order Fathom lists them in).
pub fn meetings(ws: &Workspace, tenant_seed: u64) -> Vec<FakeMeeting> {
    let id_base = 100_000_000 + (mix(tenant_seed) % 800) * 1_000_000;
    let mut out: Vec<FakeMeeting> = ws
        .calls
        .iter()
        .enumerate()
        .filter(|(_, c)| !matches!(c.kind, CallKind::ColdCall | CallKind::Voicemail))
        .map(|(i, call)| {
            let recording_id = id_base + i as u64 * 37 + mix(i as u64) % 17;
            meeting(ws, call, recording_id)
        })
        .collect();
    out.sort_by_key(|m| std::cmp::Reverse(m.created_at));
    out
}

fn meeting(ws: &Workspace, call: &crate::demo::Call, recording_id: u64) -> FakeMeeting {
    let h = mix(recording_id);
    let invitees: Vec<FakeInvitee> = call
        .parties
        .iter()
        .filter(|p| p.methods.contains(&"Invitee"))
        .filter_map(|p| {
            Some(FakeInvitee {
                name: p.name.clone()?,
                email: p.email_address.clone()?,
                is_external: p.affiliation != "Internal",
            })
        })
        .collect();
    let host = ws.user(&call.primary_user_id);
    let recorded_by = FakeInvitee {
        name: host.map(|u| u.full_name()).unwrap_or_default(),
        email: host.map(|u| u.email.clone()).unwrap_or_default(),
        is_external: false,
    };
    let transcript = transcript(ws, call, &invitees);
    // Sub-second precision is dropped: Fathom's times are whole seconds.
    let start = trunc(call.started);
    let end = start + Duration::seconds(i64::from(call.duration));
    let token: String = format!("{:x}", h).chars().take(10).collect();
    let company = call.company.and_then(|i| ws.companies.get(i));
    FakeMeeting {
        recording_id,
        title: call.title.clone(),
        meeting_title: call.title.clone(),
        url: format!("https://fathom.video/calls/{recording_id}"),
        share_url: format!("https://fathom.video/share/{token}"),
        created_at: end + Duration::seconds(60 + (h % 240) as i64),
        scheduled_start_time: trunc(call.scheduled),
        scheduled_end_time: trunc(call.scheduled)
            + Duration::seconds(i64::from(call.duration.div_ceil(900) * 900)),
        recording_start_time: start,
        recording_end_time: end,
        summary_markdown: summary(call),
        action_items: action_items(
            &invitees,
            &recorded_by,
            company.map(|c| c.name.as_str()),
            h,
            call.duration,
        ),
        calendar_invitees: invitees,
        recorded_by,
        transcript,
    }
}

fn trunc(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

/// One entry per turn. A voice is matched to an invitee by email when its party was invited;
/// other voices (guests who joined without an invitation, dial-ins) keep their display name.
fn transcript(
    ws: &Workspace,
    call: &crate::demo::Call,
    invitees: &[FakeInvitee],
) -> Vec<FakeEntry> {
    let Some(monologues) = ws.transcript(&call.id) else {
        return Vec::new();
    };
    monologues
        .into_iter()
        .filter(|m| !m.sentences.is_empty())
        .map(|m| {
            let voice = m
                .speaker_id
                .as_deref()
                .and_then(|id| call.voices.iter().find(|v| v.speaker_id == id));
            let party = voice
                .and_then(|v| v.party)
                .and_then(|p| call.parties.get(p));
            let matched = party
                .and_then(|p| p.email_address.as_deref())
                .and_then(|e| invitees.iter().find(|i| i.email == e));
            let display_name = match (matched, party, voice) {
                (Some(i), _, _) => i.name.clone(),
                (None, Some(p), _) if p.name.is_some() => p.name.clone().unwrap_or_default(),
                (_, _, Some(v)) => v.first_name.clone(),
                _ => "Unknown".to_owned(),
            };
            let text: Vec<&str> = m.sentences.iter().map(|s| s.text.as_str()).collect();
            FakeEntry {
                display_name,
                matched_email: matched.map(|i| i.email.clone()),
                text: text.join(" "),
                seconds: m.sentences[0].start / 1000,
            }
        })
        .collect()
}

fn summary(call: &crate::demo::Call) -> String {
    let mut md = String::from("## Meeting Purpose\n\n");
    md.push_str(call.content.brief.as_deref().unwrap_or(&call.title));
    if let Some(points) = &call.content.key_points {
        md.push_str("\n\n## Key Takeaways\n\n");
        for p in points {
            md.push_str("- ");
            md.push_str(p);
            md.push('\n');
        }
    }
    md.trim_end().to_owned()
}

fn action_items(
    invitees: &[FakeInvitee],
    host: &FakeInvitee,
    company: Option<&str>,
    h: u64,
    duration: u32,
) -> Vec<FakeActionItem> {
    let customer = invitees.iter().find(|i| i.is_external);
    let first = |i: &FakeInvitee| {
        i.name
            .split_whitespace()
            .next()
            .unwrap_or("them")
            .to_owned()
    };
    let mut items = vec![FakeActionItem {
        description: match (customer, company) {
            (Some(c), Some(co)) => format!(
                "Send {} the recap and proposed next steps for {co}",
                first(c)
            ),
            _ => "Share the notes and owners of each next step with the team".to_owned(),
        },
        seconds: u64::from(duration) * 9 / 10,
        assignee: host.clone(),
    }];
    if let Some(c) = customer.filter(|_| !h.is_multiple_of(3)) {
        items.push(FakeActionItem {
            description: "Confirm the evaluation timeline with the stakeholders".to_owned(),
            seconds: u64::from(duration) * 3 / 4,
            assignee: c.clone(),
        });
    }
    items
}
