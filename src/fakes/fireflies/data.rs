//! One tenant's Fireflies meetings, derived from the synthetic Gong workspace of the same company
//! (`crate::demo`): every third call was also recorded by Fireflies' notetaker, so the same people
//! and customers (and their words) appear on both, and a mind can be trained from either.
//!
//! Shaped as Fireflies shows them: ids of 26 upper-case letters and digits; `date` in
//! milliseconds; `duration` in minutes; voices numbered from 0 per meeting, named by the
//! attendee's full name (or, for a voice no attendee has, the first name Fireflies heard);
//! `participants` as emails, the first entry holding two comma-separated addresses as Fireflies'
//! sometimes does.

use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::demo::Workspace;

/// One recorded meeting with everything the fake serves.
#[derive(Debug, Clone)]
pub struct Meeting {
    pub id: String,
    pub title: String,
    pub started: DateTime<Utc>,
    pub duration_minutes: f64,
    pub organizer_email: String,
    pub participants: Vec<String>,
    /// (display name, email)
    pub attendees: Vec<(String, String)>,
    /// (id, name)
    pub speakers: Vec<(u32, String)>,
    pub sentences: Vec<FfSentence>,
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct FfSentence {
    pub speaker_id: u32,
    pub speaker_name: String,
    pub text: String,
    pub start: f64,
    pub end: f64,
}

impl Meeting {
    /// Every email of the meeting (attendees, participants, organizer), lower-case.
    pub fn emails(&self) -> impl Iterator<Item = String> + '_ {
        self.participants
            .iter()
            .flat_map(|p| p.split(','))
            .chain(self.attendees.iter().map(|(_, e)| e.as_str()))
            .chain(std::iter::once(self.organizer_email.as_str()))
            .map(|e| e.trim().to_ascii_lowercase())
    }

    /// The value of one scalar field (or `None` when the name is an object field or unknown).
    pub fn scalar(&self, field: &str) -> Option<Value> {
        Some(match field {
            "id" => json!(self.id),
            "title" => json!(self.title),
            "date" => json!(self.started.timestamp_millis() as f64),
            "dateString" => json!(self.started.to_rfc3339_opts(SecondsFormat::Millis, true)),
            "duration" => json!((self.duration_minutes * 100.0).round() / 100.0),
            "organizer_email" | "host_email" => json!(self.organizer_email),
            "participants" => json!(self.participants),
            "transcript_url" => json!(format!("https://app.fireflies.ai/view/{}", self.id)),
            "audio_url" | "video_url" | "meeting_link" | "calendar_id" | "cal_id" => Value::Null,
            "privacy" => json!("participants"),
            "fireflies_users" => json!([self.organizer_email]),
            _ => return None,
        })
    }
}

const ID_ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A deterministic 26-character id from the tenant seed and the call index.
fn meeting_id(seed: u64, index: usize) -> String {
    let mut x = seed ^ ((index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    (0..26)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ID_ALPHABET[(x % 32) as usize] as char
        })
        .collect()
}

/// The meetings of one tenant, newest first (as Fireflies lists them).
pub fn meetings(ws: &Workspace, seed: u64) -> Vec<Arc<Meeting>> {
    let mut out: Vec<Arc<Meeting>> = ws
        .calls
        .iter()
        .enumerate()
        .filter(|(i, c)| i % 3 == 0 && c.duration >= 120 && c.kind.label() != "Voicemail")
        .map(|(i, call)| {
            let organizer = ws
                .user(&call.primary_user_id)
                .map(|u| u.email.clone())
                .unwrap_or_else(|| format!("team@{}", ws.email_domain));
            let attendees: Vec<(String, String)> = call
                .parties
                .iter()
                .filter_map(|p| Some((p.name.clone()?, p.email_address.clone()?)))
                .collect();
            let mut emails: Vec<String> = attendees.iter().map(|(_, e)| e.clone()).collect();
            if emails.len() >= 2 {
                let second = emails.remove(1);
                emails[0] = format!("{}, {second}", emails[0]);
            }
            let mut speakers: Vec<(u32, String, String)> = Vec::new();
            for (n, voice) in call.voices.iter().enumerate() {
                let name = voice
                    .party
                    .and_then(|p| call.parties.get(p))
                    .and_then(|p| p.name.clone())
                    .unwrap_or_else(|| voice.first_name.clone());
                speakers.push((n as u32, name, voice.speaker_id.clone()));
            }
            let mut sentences = Vec::new();
            for monologue in ws.transcript(&call.id).unwrap_or_default() {
                let Some(&(id, ref name, _)) = speakers
                    .iter()
                    .find(|(_, _, gong)| Some(gong) == monologue.speaker_id.as_ref())
                else {
                    continue;
                };
                for s in monologue.sentences {
                    sentences.push(FfSentence {
                        speaker_id: id,
                        speaker_name: name.clone(),
                        text: s.text,
                        start: s.start as f64 / 1000.0,
                        end: s.end as f64 / 1000.0,
                    });
                }
            }
            let keywords = call
                .segments
                .iter()
                .filter_map(|s| s.topic.map(str::to_owned))
                .take(5)
                .collect();
            Arc::new(Meeting {
                id: meeting_id(seed, i),
                title: call.title.clone(),
                started: call.started,
                duration_minutes: call.duration as f64 / 60.0,
                organizer_email: organizer,
                participants: emails,
                attendees,
                speakers: speakers.into_iter().map(|(id, n, _)| (id, n)).collect(),
                sentences,
                keywords,
            })
        })
        .collect();
    out.sort_by(|a, b| b.started.cmp(&a.started).then(a.id.cmp(&b.id)));
    out
}
