//! Fireflies' meetings in the shared meeting model, and the provider adapter over a per-request
//! client.
//!
//! Fireflies names voices (`speaker_id`, `speaker_name`) but does not link them to attendees' emails,
//! so a participant gets a voice when its name matches the voice's name; a voice that matches no
//! participant keeps Fireflies' `speaker_name`. Affiliation compares email domains with the
//! organizer's: same domain Internal, another External, Unknown without an organizer email.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::SecondsFormat;

use super::client::FirefliesClient;
use super::error::FirefliesError;
use super::graphql::{ListVariables, MAX_PAGE};
use super::types::{FullTranscript, TranscriptItem, duration_seconds, started};
use crate::mcp::error::ToolError;
use crate::meetings::{
    Affiliation, MeetingHeader, MeetingPage, MeetingProvider, MeetingTranscript, Participant,
    Sentence, Source, Turn, WindowQuery,
};

/// The header of a listed (or fetched) meeting.
pub fn header(item: &TranscriptItem) -> MeetingHeader {
    let mut header = MeetingHeader::new(Source::Fireflies, item.id.clone());
    header.title = item.title.clone();
    header.started = started(item).map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true));
    header.duration_seconds = item.duration.and_then(duration_seconds);
    header.url = item.transcript_url.clone();
    header.participants = participants(item);
    let mut companies: Vec<String> = header
        .participants
        .iter()
        .filter(|p| p.affiliation == Affiliation::External)
        .filter_map(|p| p.company.clone())
        .collect();
    companies.dedup();
    companies.sort();
    companies.dedup();
    header.company = (!companies.is_empty()).then(|| companies.join(", "));
    header
}

fn domain(email: &str) -> Option<String> {
    email
        .rsplit_once('@')
        .map(|(_, d)| d.trim().to_ascii_lowercase())
        .filter(|d| !d.is_empty())
}

/// Attendees (with names) first, then the other participants' and the organizer's emails;
/// one entry per email.
fn participants(item: &TranscriptItem) -> Vec<Participant> {
    let home = item
        .organizer_email
        .as_deref()
        .or(item.host_email.as_deref())
        .and_then(domain);
    let mut out: Vec<Participant> = Vec::new();
    let mut add = |name: Option<String>, email: Option<String>| {
        let email = email
            .map(|e| e.trim().to_owned())
            .filter(|e| e.contains('@'));
        let name = name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        if email.is_none() && name.is_none() {
            return;
        }
        if let Some(e) = &email
            && let Some(existing) = out.iter_mut().find(|p| {
                p.email
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(e))
            })
        {
            if existing.name.is_none() {
                existing.name = name;
            }
            return;
        }
        let their_domain = email.as_deref().and_then(domain);
        let affiliation = match (&home, &their_domain) {
            (Some(h), Some(d)) if h == d => Affiliation::Internal,
            (Some(_), Some(_)) => Affiliation::External,
            _ => Affiliation::Unknown,
        };
        let company = (affiliation == Affiliation::External)
            .then(|| their_domain.clone())
            .flatten();
        out.push(Participant {
            name,
            email,
            affiliation,
            company,
            ..Participant::default()
        });
    };
    for a in &item.meeting_attendees {
        add(a.display_name.clone().or(a.name.clone()), a.email.clone());
    }
    // Fireflies' `participants` may hold several comma-separated emails in one string.
    for p in &item.participants {
        for email in p.split(',') {
            add(None, Some(email.to_owned()));
        }
    }
    for organizer in [&item.organizer_email, &item.host_email]
        .into_iter()
        .flatten()
    {
        add(None, Some(organizer.clone()));
    }
    out
}

/// A voice's id: Fireflies' `speaker_id`, else its name.
fn voice_id(id: Option<&str>, name: Option<&str>) -> Option<String> {
    id.map(str::to_owned)
        .or_else(|| name.map(|n| format!("name:{}", n.trim())))
}

/// The header (participants linked to voices by name) and the words of one meeting.
pub fn convert(full: &FullTranscript) -> (MeetingHeader, MeetingTranscript) {
    let mut header = header(&full.item);
    let mut names: HashMap<String, String> = full
        .speakers
        .iter()
        .filter_map(|s| Some((s.id.clone(), s.name.clone()?)))
        .collect();
    let turns: Vec<Turn> = full
        .sentences
        .iter()
        .map(|s| {
            let id = voice_id(s.speaker_id.as_deref(), s.speaker_name.as_deref());
            let name = s
                .speaker_name
                .clone()
                .or_else(|| s.speaker_id.as_ref().and_then(|i| names.get(i).cloned()));
            if let (Some(id), Some(name)) = (&id, &name) {
                names.entry(id.clone()).or_insert_with(|| name.clone());
            }
            let text = if s.text.trim().is_empty() {
                s.raw_text.clone().unwrap_or_default()
            } else {
                s.text.clone()
            };
            let ms = |secs: Option<f64>| {
                secs.filter(|x| x.is_finite() && *x >= 0.0)
                    .map_or(0, |x| (x * 1000.0).round().min(u32::MAX as f64) as u64)
            };
            let start_ms = ms(s.start_time);
            Turn {
                speaker_id: id,
                speaker_name: name,
                topic: None,
                sentences: vec![Sentence {
                    start_ms,
                    end_ms: ms(s.end_time).max(start_ms),
                    text,
                }],
            }
        })
        .filter(|t| !t.sentences[0].text.trim().is_empty())
        .collect();
    for (id, name) in &names {
        let wanted = name.trim().to_lowercase();
        let matched = header.participants.iter_mut().find(|p| {
            p.speaker_id.is_none()
                && (p
                    .name
                    .as_deref()
                    .is_some_and(|n| n.trim().to_lowercase() == wanted)
                    || p.email.as_deref().is_some_and(|e| {
                        e.split('@').next().is_some_and(|local| {
                            local.replace(['.', '_'], " ").to_lowercase() == wanted
                        })
                    }))
        });
        if let Some(p) = matched {
            p.speaker_id = Some(id.clone());
            if p.name.is_none() {
                p.name = Some(name.clone());
            }
        }
    }
    let transcript = MeetingTranscript {
        meeting_id: full.item.id.clone(),
        turns,
    };
    (header, transcript)
}

/// Whether `id` has the shape of a Fireflies transcript id (letters, digits, `-`, `_`).
pub fn check_id(name: &str, id: &str) -> Result<(), ToolError> {
    if !id.is_empty()
        && id.len() <= 100
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Ok(())
    } else {
        Err(ToolError::invalid(
            name,
            format!(
                "{name} must be a Fireflies transcript id (letters and digits, as fireflies_list_transcripts returns it), e.g. \"01JD8Y3Q2V5K7M9N1P3R5T7W9X\"; got '{}'",
                id.chars().take(40).collect::<String>()
            ),
        ))
    }
}

impl MeetingProvider for FirefliesClient {
    fn source(&self) -> Source {
        Source::Fireflies
    }

    fn check_id(&self, name: &str, id: &str) -> Result<(), ToolError> {
        check_id(name, id)
    }

    fn requests_sent(&self) -> u32 {
        FirefliesClient::requests_sent(self)
    }

    /// Fireflies pages newest first with `skip`; the cursor is the next `skip`. Each page is
    /// returned oldest first.
    async fn list_window(&self, query: &WindowQuery) -> Result<MeetingPage, ToolError> {
        let skip: u32 = match &query.cursor {
            Some(c) => c.parse().map_err(|_| {
                ToolError::invalid("cursor", "not a Fireflies cursor of this window")
            })?,
            None => 0,
        };
        let variables = ListVariables {
            from_date: Some(query.from.to_rfc3339_opts(SecondsFormat::Millis, true)),
            to_date: Some(query.to.to_rfc3339_opts(SecondsFormat::Millis, true)),
            limit: MAX_PAGE,
            skip,
            ..ListVariables::default()
        };
        let items = self.list(&variables).await?;
        let full = items.len() as u32 >= MAX_PAGE;
        let mut meetings: Vec<(Option<chrono::DateTime<chrono::Utc>>, Arc<MeetingHeader>)> = items
            .iter()
            .filter_map(|item| {
                let at = started(item);
                // Fireflies' own window may be inclusive at the end: keep [from, to).
                let inside = at.is_none_or(|t| t >= query.from && t < query.to);
                inside.then(|| (at, Arc::new(header(item))))
            })
            .collect();
        meetings.sort_by_key(|(at, _)| *at);
        Ok(MeetingPage {
            meetings: meetings.into_iter().map(|(_, h)| h).collect(),
            next_cursor: full.then(|| (skip + MAX_PAGE).to_string()),
        })
    }

    /// Fireflies has no lookup of several meetings by id: one `transcript(id:)` each (cached,
    /// and what a later transcript read needs anyway).
    async fn headers(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, Arc<MeetingHeader>>, ToolError> {
        let mut out = HashMap::new();
        for id in ids {
            match self.transcript(id).await {
                Ok(full) => {
                    out.insert(id.clone(), Arc::new(convert(&full).0));
                }
                Err(FirefliesError::NotFound(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(out)
    }

    async fn transcript(&self, id: &str) -> Result<Option<Arc<MeetingTranscript>>, ToolError> {
        match FirefliesClient::transcript(self, id).await {
            Ok(full) => Ok(Some(Arc::new(convert(&full).1))),
            Err(FirefliesError::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fireflies::types::{Attendee, Speaker, WireSentence};

    fn sentence(id: Option<&str>, name: Option<&str>, start: f64, text: &str) -> WireSentence {
        WireSentence {
            speaker_id: id.map(str::to_owned),
            speaker_name: name.map(str::to_owned),
            start_time: Some(start),
            end_time: Some(start + 2.5),
            text: text.to_owned(),
            ..WireSentence::default()
        }
    }

    #[test]
    fn voices_are_linked_to_attendees_by_name_and_affiliation_follows_the_organizer_domain() {
        let full = FullTranscript {
            item: TranscriptItem {
                id: "01KFF".into(),
                title: Some("Acme sync".into()),
                date: Some(1_764_000_000_000.0),
                duration: Some(30.0),
                organizer_email: Some("ana@northwind.com".into()),
                participants: vec!["ana@northwind.com, bo@acme.io".into(), "cy@acme.io".into()],
                meeting_attendees: vec![
                    Attendee {
                        display_name: Some("Ana Silva".into()),
                        email: Some("ana@northwind.com".into()),
                        name: None,
                    },
                    Attendee {
                        display_name: Some("Bo Chen".into()),
                        email: Some("bo@acme.io".into()),
                        name: None,
                    },
                ],
                ..TranscriptItem::default()
            },
            speakers: vec![
                Speaker {
                    id: "0".into(),
                    name: Some("Ana Silva".into()),
                },
                Speaker {
                    id: "1".into(),
                    name: Some("Bo Chen".into()),
                },
            ],
            sentences: vec![
                sentence(Some("0"), Some("Ana Silva"), 0.0, "Hello."),
                sentence(Some("1"), None, 3.0, "Hi Ana."),
                sentence(Some("7"), Some("Guest 7"), 6.25, "Can you hear me?"),
                sentence(None, Some("Dee"), 9.0, "Yes."),
            ],
            summary: None,
        };
        let (header, transcript) = convert(&full);
        assert_eq!(header.started.as_deref(), Some("2025-11-24T16:00:00Z"));
        assert_eq!(header.duration_seconds, Some(1800.0));
        assert_eq!(header.company.as_deref(), Some("acme.io"));
        let by_email = |e: &str| {
            header
                .participants
                .iter()
                .find(|p| p.email.as_deref() == Some(e))
                .unwrap()
        };
        assert_eq!(header.participants.len(), 3);
        assert_eq!(
            by_email("ana@northwind.com").affiliation,
            Affiliation::Internal
        );
        assert_eq!(
            by_email("ana@northwind.com").speaker_id.as_deref(),
            Some("0")
        );
        assert_eq!(by_email("bo@acme.io").affiliation, Affiliation::External);
        assert_eq!(by_email("bo@acme.io").speaker_id.as_deref(), Some("1"));
        assert_eq!(by_email("cy@acme.io").speaker_id, None);
        assert_eq!(transcript.turns.len(), 4);
        // A sentence without a name takes its voice's name from `speakers`.
        assert_eq!(transcript.turns[1].speaker_name.as_deref(), Some("Bo Chen"));
        // Voices no participant has keep Fireflies' names.
        assert_eq!(transcript.turns[2].speaker_name.as_deref(), Some("Guest 7"));
        assert_eq!(transcript.turns[3].speaker_id.as_deref(), Some("name:Dee"));
        assert_eq!(transcript.turns[2].sentences[0].start_ms, 6250);
        assert_eq!(transcript.turns[2].sentences[0].end_ms, 8750);
    }

    #[test]
    fn without_an_organizer_affiliation_is_unknown() {
        let item = TranscriptItem {
            id: "x".into(),
            participants: vec!["a@b.com".into()],
            ..TranscriptItem::default()
        };
        let h = header(&item);
        assert_eq!(h.participants[0].affiliation, Affiliation::Unknown);
        assert_eq!(h.company, None);
    }
}
