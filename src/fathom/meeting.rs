//! Fathom's meetings in the one meeting model, and the provider adapter the provider-neutral
//! tools use.
//!
//! Invitees are the participants: affiliation from `is_external`, the company of an external
//! one from their email domain, and their email as the `speaker_id` that links them to the
//! transcript voices Fathom matched to them. A voice Fathom did not match keeps its display
//! name. An entry ends where the next one starts (Fathom gives start times only); the last one
//! is given the time its words take to say, at most to the end of the recording.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::client::{FathomClient, ListQuery};
use super::error::FathomError;
use super::types::{Entry, Meeting, parse_timestamp};
use crate::mcp::error::ToolError;
use crate::meetings::{
    Affiliation, MeetingHeader, MeetingPage, MeetingProvider, MeetingTranscript, Participant,
    Sentence, Source, Turn, WindowQuery,
};

/// Fathom pages listed at most to find meetings by id (10 meetings a page).
pub const MAX_FIND_PAGES: usize = 5;
/// A meeting is created when its recording ends: listing up to this long after a window's end
/// finds every meeting that started inside it.
pub const LONGEST_MEETING: chrono::Duration = chrono::Duration::hours(12);

pub fn parse_time(raw: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw?.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// When the meeting started: the recording's start, else the scheduled one.
pub fn started(m: &Meeting) -> Option<DateTime<Utc>> {
    parse_time(m.recording_start_time.as_deref())
        .or_else(|| parse_time(m.scheduled_start_time.as_deref()))
}

pub fn duration_seconds(m: &Meeting) -> Option<f64> {
    let start = parse_time(m.recording_start_time.as_deref())?;
    let end = parse_time(m.recording_end_time.as_deref())?;
    let secs = (end - start).num_milliseconds() as f64 / 1000.0;
    (secs >= 0.0).then_some(secs)
}

fn lower(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty())
}

fn domain(email: &str) -> Option<String> {
    email
        .rsplit_once('@')
        .map(|(_, d)| d.to_owned())
        .filter(|d| !d.is_empty())
}

pub fn header(m: &Meeting) -> MeetingHeader {
    let mut h = MeetingHeader::new(Source::Fathom, m.recording_id.clone());
    h.title = m.title.clone().or_else(|| m.meeting_title.clone());
    h.started = started(m).map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    h.duration_seconds = duration_seconds(m);
    h.url = m.url.clone().or_else(|| m.share_url.clone());
    for i in &m.calendar_invitees {
        let email = lower(&i.email);
        let affiliation = match i.is_external {
            Some(true) => Affiliation::External,
            Some(false) => Affiliation::Internal,
            None => Affiliation::Unknown,
        };
        h.participants.push(Participant {
            name: i.name.clone(),
            company: email
                .as_deref()
                .filter(|_| affiliation == Affiliation::External)
                .and_then(domain),
            speaker_id: email.clone(),
            email,
            title: None,
            affiliation,
        });
    }
    // The recorder takes part even when not on the invitation (an ad-hoc meeting).
    if let Some(r) = &m.recorded_by {
        let email = lower(&r.email);
        let listed = h
            .participants
            .iter()
            .any(|p| p.email.is_some() && p.email == email);
        if !listed && (email.is_some() || r.name.is_some()) {
            h.participants.push(Participant {
                name: r.name.clone(),
                speaker_id: email.clone(),
                email,
                title: None,
                affiliation: Affiliation::Internal,
                company: None,
            });
        }
    }
    h
}

/// Milliseconds it takes to say `text` (about 2.5 words a second), at least a second.
fn speaking_ms(text: &str) -> u64 {
    (text.split_whitespace().count() as u64 * 400).max(1000)
}

pub fn transcript(id: &str, entries: &[Entry], duration_seconds: Option<f64>) -> MeetingTranscript {
    let starts: Vec<Option<u64>> = entries
        .iter()
        .map(|e| {
            e.timestamp
                .as_deref()
                .and_then(parse_timestamp)
                .map(|s| s * 1000)
        })
        .collect();
    let end_of_meeting = duration_seconds.map(|d| (d * 1000.0) as u64);
    let mut last_start = 0;
    let mut turns = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let text = e.text.trim();
        if text.is_empty() {
            continue;
        }
        // An entry without a readable time follows the one before it.
        let start = starts[i].unwrap_or(last_start).max(last_start);
        last_start = start;
        let next = starts[i + 1..]
            .iter()
            .flatten()
            .copied()
            .find(|&s| s > start);
        let end = match next {
            Some(next) => next,
            None => {
                let said = start + speaking_ms(text);
                end_of_meeting
                    .filter(|&end| end > start)
                    .map_or(said, |end| said.min(end))
            }
        };
        let matched = lower(&e.speaker.matched_calendar_invitee_email);
        let name = e.speaker.display_name.clone();
        turns.push(Turn {
            speaker_id: matched.or_else(|| name.clone()),
            speaker_name: name,
            topic: None,
            sentences: vec![Sentence {
                start_ms: start,
                end_ms: end,
                text: text.to_owned(),
            }],
        });
    }
    MeetingTranscript {
        meeting_id: id.to_owned(),
        turns,
    }
}

/// What a search by id through the listing did.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub meetings: usize,
    pub pages: usize,
    /// The listing ended before the page budget did.
    pub complete: bool,
}

impl Scan {
    /// "listed 50 meetings (5 pages, newest first)" and whether that was all.
    pub fn describe(&self) -> String {
        format!(
            "Fathom has no meeting-by-id lookup, so this listed {} meetings ({} page{}, newest first){}",
            self.meetings,
            self.pages,
            if self.pages == 1 { "" } else { "s" },
            if self.complete {
                ": every meeting this key can see"
            } else {
                ""
            }
        )
    }
}

/// The meetings among `ids`: from the cache of earlier listings, else by listing newest first,
/// at most `max_pages` pages.
pub async fn find(
    client: &FathomClient,
    ids: &[String],
    max_pages: usize,
) -> Result<(HashMap<String, Arc<Meeting>>, Option<Scan>), FathomError> {
    let mut found: HashMap<String, Arc<Meeting>> = ids
        .iter()
        .filter_map(|id| client.cached_meeting(id).map(|m| (id.clone(), m)))
        .collect();
    if found.len() == ids.len() {
        return Ok((found, None));
    }
    let mut scan = Scan::default();
    let mut q = ListQuery::default();
    while scan.pages < max_pages {
        let page = client.list_meetings(&q).await?;
        scan.pages += 1;
        scan.meetings += page.meetings.len();
        for m in page.meetings {
            if ids.contains(&m.recording_id) {
                found.insert(m.recording_id.clone(), m);
            }
        }
        match page.next_cursor {
            _ if found.len() == ids.len() => break,
            Some(c) => q.cursor = Some(c),
            None => {
                scan.complete = true;
                break;
            }
        }
    }
    Ok((found, Some(scan)))
}

/// Fathom's recording ids are whole numbers (sent as digit strings); `name` is the argument.
pub fn check_id(name: &str, id: &str) -> Result<(), ToolError> {
    if !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ToolError::invalid(
            name,
            format!(
                "{name} must be a Fathom meeting id (its recording id: digits, as fathom_list_meetings returns it), e.g. \"123456789\"; got '{}'",
                id.chars().take(40).collect::<String>()
            ),
        ))
    }
}

impl MeetingProvider for FathomClient {
    fn source(&self) -> Source {
        Source::Fathom
    }

    fn check_id(&self, name: &str, id: &str) -> Result<(), ToolError> {
        check_id(name, id)
    }

    fn requests_sent(&self) -> u32 {
        FathomClient::requests_sent(self)
    }

    async fn list_window(&self, query: &WindowQuery) -> Result<MeetingPage, ToolError> {
        let page = self
            .list_meetings(&ListQuery {
                created_after: Some(query.from),
                created_before: Some(query.to + LONGEST_MEETING),
                invitees: Vec::new(),
                cursor: query.cursor.clone(),
            })
            .await?;
        // Fathom lists newest first: each page is put oldest first.
        let mut meetings: Vec<(DateTime<Utc>, Arc<MeetingHeader>)> = page
            .meetings
            .iter()
            .filter_map(|m| Some((started(m)?, m)))
            .filter(|(at, _)| *at >= query.from && *at < query.to)
            .map(|(at, m)| (at, Arc::new(header(m))))
            .collect();
        meetings.sort_by_key(|(at, _)| *at);
        Ok(MeetingPage {
            meetings: meetings.into_iter().map(|(_, h)| h).collect(),
            next_cursor: page.next_cursor,
        })
    }

    async fn headers(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, Arc<MeetingHeader>>, ToolError> {
        let (found, _) = find(self, ids, MAX_FIND_PAGES).await?;
        Ok(found
            .into_iter()
            .map(|(id, m)| (id, Arc::new(header(&m))))
            .collect())
    }

    async fn transcript(&self, id: &str) -> Result<Option<Arc<MeetingTranscript>>, ToolError> {
        let entries = match FathomClient::transcript(self, id).await {
            Ok(e) => e,
            Err(FathomError::NotFound(_)) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let duration = self.cached_meeting(id).and_then(|m| duration_seconds(&m));
        Ok(Some(Arc::new(transcript(id, &entries, duration))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fathom::types::{Invitee, Person, Speaker};

    fn entry(name: &str, email: Option<&str>, text: &str, at: &str) -> Entry {
        Entry {
            speaker: Speaker {
                display_name: Some(name.into()),
                matched_calendar_invitee_email: email.map(Into::into),
            },
            text: text.into(),
            timestamp: Some(at.into()),
        }
    }

    #[test]
    fn invitees_become_participants_linked_by_email() {
        let m = Meeting {
            recording_id: "42".into(),
            title: Some("Acme / Northwind".into()),
            recording_start_time: Some("2026-11-02T15:00:00Z".into()),
            recording_end_time: Some("2026-11-02T15:30:00Z".into()),
            calendar_invitees: vec![
                Invitee {
                    name: Some("Ava Patel".into()),
                    email: Some("Ava.Patel@northwind-analytics.com".into()),
                    is_external: Some(false),
                },
                Invitee {
                    name: Some("Liam Chen".into()),
                    email: Some("liam@acmelogistics.com".into()),
                    is_external: Some(true),
                },
            ],
            recorded_by: Some(Person {
                name: Some("Ava Patel".into()),
                email: Some("ava.patel@northwind-analytics.com".into()),
                team: None,
            }),
            ..Meeting::default()
        };
        let h = header(&m);
        assert_eq!(h.started.as_deref(), Some("2026-11-02T15:00:00Z"));
        assert_eq!(h.duration_seconds, Some(1800.0));
        assert_eq!(
            h.participants.len(),
            2,
            "the recorder is an invitee already"
        );
        let liam = &h.participants[1];
        assert_eq!(liam.affiliation, Affiliation::External);
        assert_eq!(liam.company.as_deref(), Some("acmelogistics.com"));
        assert_eq!(liam.speaker_id.as_deref(), Some("liam@acmelogistics.com"));
        assert_eq!(h.participants[0].company, None);
        assert_eq!(
            h.participants[0].speaker_id.as_deref(),
            Some("ava.patel@northwind-analytics.com")
        );
    }

    #[test]
    fn entries_end_where_the_next_starts_and_unmatched_voices_keep_their_name() {
        let entries = vec![
            entry(
                "Ava Patel",
                Some("AVA.PATEL@northwind-analytics.com"),
                "Hi all.",
                "00:00:05",
            ),
            entry("Dial-in 2", None, "Hello, can you hear me?", "00:00:09"),
            entry(
                "Ava Patel",
                Some("ava.patel@northwind-analytics.com"),
                "Yes, loud and clear.",
                "00:01:00",
            ),
        ];
        let t = transcript("42", &entries, Some(61.5));
        assert_eq!(t.turns.len(), 3);
        assert_eq!(
            t.turns[0].speaker_id.as_deref(),
            Some("ava.patel@northwind-analytics.com")
        );
        assert_eq!(
            (
                t.turns[0].sentences[0].start_ms,
                t.turns[0].sentences[0].end_ms
            ),
            (5000, 9000)
        );
        assert_eq!(t.turns[1].speaker_id.as_deref(), Some("Dial-in 2"));
        assert_eq!(t.turns[1].speaker_name.as_deref(), Some("Dial-in 2"));
        assert_eq!(t.turns[1].sentences[0].end_ms, 60_000);
        // The last: its words take 1.6 s, but the recording ends 1.5 s after it starts.
        assert_eq!(t.turns[2].sentences[0].end_ms, 61_500);
        let t = transcript("42", &entries, None);
        assert_eq!(t.turns[2].sentences[0].end_ms, 61_600);
    }
}
