//! The synthetic workspace's data: plain structs with pub fields, read-only
//! ground truth for tests. Field names follow Gong's JSON (snake_cased); how
//! they go on the wire is in `wire.rs`.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use serde_json::Value;

/// One tenant's generated Gong workspace.
#[derive(Debug)]
pub struct Workspace {
    pub id: String,
    /// Workspace name as `GET /v2/workspaces` shows it.
    pub name: String,
    pub description: String,
    /// The tenant's own company (e.g. "Northwind Analytics").
    pub company: String,
    /// The tenant's product, mentioned in transcripts and briefs.
    pub product: String,
    pub email_domain: String,
    pub seed: u64,
    /// Gong users: the tenant's own people.
    pub users: Vec<User>,
    /// Prospects and customers the calls are with.
    pub companies: Vec<ExternalCompany>,
    /// Sorted by `started`, strictly ascending.
    pub calls: Vec<Call>,
    pub(crate) call_index: HashMap<String, usize>,
}

impl Workspace {
    pub fn call(&self, id: &str) -> Option<&Call> {
        self.call_index.get(id).and_then(|&i| self.calls.get(i))
    }

    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    /// The transcript Gong would return for this call, generated on demand from
    /// (seed, call id): same input, same output, nothing stored.
    pub fn transcript(&self, call_id: &str) -> Option<Vec<Monologue>> {
        self.call(call_id)
            .map(|c| super::transcript::generate(self, c))
    }

    /// The talk time, in seconds, of each of the call's `interaction.speakers`: how long that
    /// speaker speaks in the call's transcript (the sum of their sentences' durations), so the
    /// call data and the transcript agree. Worked out from the transcript when first asked for.
    pub fn talk_times<'c>(&self, call: &'c Call) -> &'c [f64] {
        call.talk_times.get_or_init(|| {
            let transcript = super::transcript::generate(self, call);
            call.interaction
                .speakers
                .iter()
                .map(|s| {
                    let ms: u64 = transcript
                        .iter()
                        .filter(|m| m.speaker_id.as_deref() == Some(s.speaker_id.as_str()))
                        .flat_map(|m| &m.sentences)
                        .map(|x| x.end - x.start)
                        .sum();
                    ms as f64 / 1000.0
                })
                .collect()
        })
    }
}

/// Time zones the tenant's people work in; offsets follow US/EU daylight saving
/// so timestamps carry the local offsets real Gong returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    Pacific,
    Central,
    Eastern,
    London,
    Berlin,
}

impl Zone {
    /// UTC offset in seconds at the given instant.
    pub fn offset_secs(self, at: DateTime<Utc>) -> i32 {
        let h = 3600;
        match self {
            Zone::Pacific => us_offset(at, -8 * h),
            Zone::Central => us_offset(at, -6 * h),
            Zone::Eastern => us_offset(at, -5 * h),
            Zone::London => eu_offset(at, 0),
            Zone::Berlin => eu_offset(at, h),
        }
    }
}

fn nth_sunday(year: i32, month: u32, n: u32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Sun, n as u8)
}

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }?;
    let last = first_next.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    Some(last - Duration::days(i64::from(back)))
}

/// US rule: daylight time from the 2nd Sunday of March 02:00 local to the 1st
/// Sunday of November 02:00 local.
fn us_offset(at: DateTime<Utc>, std_secs: i32) -> i32 {
    let y = at.year();
    let (Some(start), Some(end)) = (nth_sunday(y, 3, 2), nth_sunday(y, 11, 1)) else {
        return std_secs;
    };
    let start = Utc.from_utc_datetime(&start.and_hms_opt(2, 0, 0).unwrap_or_default())
        - Duration::seconds(i64::from(std_secs));
    let end = Utc.from_utc_datetime(&end.and_hms_opt(2, 0, 0).unwrap_or_default())
        - Duration::seconds(i64::from(std_secs + 3600));
    if at >= start && at < end {
        std_secs + 3600
    } else {
        std_secs
    }
}

/// EU rule: summer time from the last Sunday of March to the last Sunday of
/// October, switching at 01:00 UTC.
fn eu_offset(at: DateTime<Utc>, std_secs: i32) -> i32 {
    let y = at.year();
    let (Some(start), Some(end)) = (last_sunday(y, 3), last_sunday(y, 10)) else {
        return std_secs;
    };
    let start = Utc.from_utc_datetime(&start.and_hms_opt(1, 0, 0).unwrap_or_default());
    let end = Utc.from_utc_datetime(&end.and_hms_opt(1, 0, 0).unwrap_or_default());
    if at >= start && at < end {
        std_secs + 3600
    } else {
        std_secs
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    AccountExecutive,
    SalesDevelopment,
    SalesEngineer,
    CustomerSuccess,
    Manager,
}

/// A Gong user (an internal person of the tenant's company).
#[derive(Clone, Debug)]
pub struct User {
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// `None` for some users: Gong returns `"title": null` when unset.
    pub title: Option<String>,
    pub role: Role,
    pub manager_id: Option<String>,
    pub phone_number: Option<String>,
    pub created: DateTime<Utc>,
    pub zone: Zone,
    pub active: bool,
    /// Salesforce User id, for party context.
    pub crm_id: String,
}

impl User {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// A prospect or customer, with its CRM account and open opportunity.
#[derive(Clone, Debug)]
pub struct ExternalCompany {
    pub name: String,
    pub domain: String,
    pub industry: String,
    pub account_id: String,
    pub opportunity: Opportunity,
    pub contacts: Vec<Contact>,
    /// Who they are comparing the tenant with (drives the Competitors tracker).
    pub competitor: String,
    /// The system they want integrated first.
    pub integration: String,
}

#[derive(Clone, Debug)]
pub struct Opportunity {
    pub id: String,
    pub name: String,
    pub stage: String,
    pub amount: u64,
    pub close_date: NaiveDate,
}

#[derive(Clone, Debug)]
pub struct Contact {
    pub crm_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub title: Option<String>,
    pub phone_number: Option<String>,
}

impl Contact {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// What a call is about; drives title, topics, content and transcript.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallKind {
    Discovery,
    Demo,
    TechnicalDeepDive,
    Pricing,
    SecurityReview,
    Onboarding,
    BusinessReview,
    ColdCall,
    Voicemail,
    PipelineReview,
    DealStrategy,
    Coaching,
}

impl CallKind {
    pub fn is_internal(self) -> bool {
        matches!(
            self,
            CallKind::PipelineReview | CallKind::DealStrategy | CallKind::Coaching
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            CallKind::Discovery => "Discovery",
            CallKind::Demo => "Product Demo",
            CallKind::TechnicalDeepDive => "Technical Deep Dive",
            CallKind::Pricing => "Pricing Review",
            CallKind::SecurityReview => "Security Review",
            CallKind::Onboarding => "Onboarding Kickoff",
            CallKind::BusinessReview => "QBR",
            CallKind::ColdCall => "Prospecting Call",
            CallKind::Voicemail => "Voicemail",
            CallKind::PipelineReview => "Pipeline Review",
            CallKind::DealStrategy => "Deal Strategy",
            CallKind::Coaching => "Call Coaching",
        }
    }
}

/// One recorded call with everything the endpoints can serve.
#[derive(Clone, Debug)]
pub struct Call {
    pub id: String,
    pub url: String,
    pub title: String,
    pub scheduled: DateTime<Utc>,
    /// Sub-second precision on some calls (rendered with microseconds).
    pub started: DateTime<Utc>,
    /// Offset the timestamps are rendered in (the host's local time).
    pub utc_offset_secs: i32,
    /// Seconds.
    pub duration: u32,
    pub primary_user_id: String,
    pub direction: &'static str,
    pub scope: &'static str,
    pub system: &'static str,
    pub media: &'static str,
    pub language: &'static str,
    pub workspace_id: String,
    pub sdr_disposition: Option<String>,
    pub client_unique_id: Option<String>,
    pub custom_data: Option<String>,
    pub purpose: Option<String>,
    pub meeting_url: Option<String>,
    pub is_private: bool,
    pub calendar_event_id: Option<String>,
    pub kind: CallKind,
    /// Index into `Workspace::companies` for external calls.
    pub company: Option<usize>,
    /// Imported from a dialer: parties carry no `speakerId`.
    pub imported: bool,
    /// CRM objects linked to the call (Account, Opportunity); empty if none.
    pub context: Vec<CrmObject>,
    pub parties: Vec<Party>,
    /// Everyone heard in the transcript, including speakers no party carries.
    pub voices: Vec<Voice>,
    /// The call's timeline, which both `content` and the transcript follow.
    pub segments: Vec<Segment>,
    pub content: Content,
    pub interaction: Interaction,
    /// `Workspace::talk_times`, once worked out.
    pub talk_times: std::sync::OnceLock<Vec<f64>>,
    pub public_comments: Vec<Comment>,
    pub media_urls: MediaUrls,
}

#[derive(Clone, Debug)]
pub struct CrmObject {
    /// "Account" | "Opportunity" on calls; "Contact" | "User" | "Lead" on parties.
    pub object_type: &'static str,
    pub object_id: String,
    pub fields: Vec<(String, Value)>,
}

#[derive(Clone, Debug)]
pub struct Party {
    pub id: String,
    pub name: Option<String>,
    pub email_address: Option<String>,
    pub title: Option<String>,
    /// Set only for Gong users.
    pub user_id: Option<String>,
    /// Set only for parties who spoke (and never on imported calls).
    pub speaker_id: Option<String>,
    pub affiliation: &'static str,
    pub methods: Vec<&'static str>,
    pub phone_number: Option<String>,
    pub context: Option<CrmObject>,
}

/// A speaker heard in the transcript.
#[derive(Clone, Debug)]
pub struct Voice {
    pub speaker_id: String,
    /// Index into `Call::parties` of the party with this `speakerId`; `None`
    /// when no party carries it (unattributed speaker, imported call).
    pub party: Option<usize>,
    pub internal: bool,
    pub first_name: String,
    /// Relative share of talk time.
    pub weight: u32,
}

#[derive(Clone, Debug)]
pub struct Segment {
    /// Topic label on the transcript's monologues (`None`: `"topic": null`).
    pub topic: Option<&'static str>,
    /// What is being talked about, even when `topic` is unlabelled.
    pub theme: &'static str,
    /// Agenda item this part of the call belongs to (`content.structure`).
    pub section: &'static str,
    pub start_ms: u64,
    pub end_ms: u64,
}

#[derive(Clone, Debug, Default)]
pub struct Content {
    pub structure: Vec<(String, u32)>,
    pub topics: Vec<(String, u32)>,
    pub trackers: Vec<Tracker>,
    pub brief: Option<String>,
    pub outline: Option<Vec<OutlineSection>>,
    pub highlights: Option<Vec<HighlightSection>>,
    pub key_points: Option<Vec<String>>,
    pub call_outcome: Option<CallOutcome>,
}

#[derive(Clone, Debug)]
pub struct Tracker {
    pub id: String,
    pub name: String,
    /// "KEYWORD" | "SMART"
    pub kind: &'static str,
    pub count: u32,
    pub occurrences: Vec<Occurrence>,
    pub phrases: Vec<TrackerPhrase>,
}

#[derive(Clone, Debug)]
pub struct TrackerPhrase {
    pub phrase: String,
    pub count: u32,
    pub occurrences: Vec<Occurrence>,
}

#[derive(Clone, Debug)]
pub struct Occurrence {
    /// Seconds from call start.
    pub start_time: f64,
    pub speaker_id: String,
}

#[derive(Clone, Debug)]
pub struct OutlineSection {
    pub section: String,
    pub start_time: f64,
    pub duration: f64,
    pub items: Vec<(String, f64)>,
}

#[derive(Clone, Debug)]
pub struct HighlightSection {
    pub title: String,
    pub items: Vec<(String, Vec<f64>)>,
}

#[derive(Clone, Debug)]
pub struct CallOutcome {
    pub id: String,
    pub category: String,
    pub name: String,
}

#[derive(Clone, Debug, Default)]
pub struct Interaction {
    /// Internal speakers only: Gong's `interaction.speakers` omits externals.
    pub speakers: Vec<SpeakerTalk>,
    pub stats: Vec<(String, f64)>,
    pub video: Vec<(String, f64)>,
    pub questions_company: u32,
    pub questions_non_company: u32,
}

#[derive(Clone, Debug)]
pub struct SpeakerTalk {
    /// The party id.
    pub id: String,
    pub user_id: Option<String>,
    /// The speaker's id in the transcript; its talk time is [`Workspace::talk_times`]'s.
    pub speaker_id: String,
}

#[derive(Clone, Debug)]
pub struct Comment {
    pub id: String,
    pub audio_start_time: f64,
    pub audio_end_time: f64,
    pub commenter_user_id: String,
    pub comment: String,
    pub posted: DateTime<Utc>,
    pub in_reply_to: Option<String>,
    pub during_call: bool,
}

#[derive(Clone, Debug, Default)]
pub struct MediaUrls {
    pub audio_url: Option<String>,
    pub video_url: Option<String>,
}

/// One speaker's turn in a transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Monologue {
    pub speaker_id: Option<String>,
    pub topic: Option<String>,
    pub sentences: Vec<Sentence>,
}

/// Times in milliseconds from call start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub start: u64,
    pub end: u64,
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daylight_saving_offsets() {
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap();
        let winter = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        assert_eq!(Zone::Pacific.offset_secs(summer), -7 * 3600);
        assert_eq!(Zone::Pacific.offset_secs(winter), -8 * 3600);
        assert_eq!(Zone::London.offset_secs(winter), 0);
        assert_eq!(Zone::Berlin.offset_secs(summer), 2 * 3600);
        // US switch 2026-03-08 10:00 UTC for Pacific.
        let before = Utc.with_ymd_and_hms(2026, 3, 8, 9, 59, 0).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 3, 8, 10, 0, 0).unwrap();
        assert_eq!(Zone::Pacific.offset_secs(before), -8 * 3600);
        assert_eq!(Zone::Pacific.offset_secs(after), -7 * 3600);
    }
}
