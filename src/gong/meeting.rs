//! Gong as a meeting provider: its wire types read into the meeting model.

use std::collections::HashMap;
use std::sync::Arc;

use crate::gong::types::{CallMeta, CallTranscript, ExtensiveCall, Party};
use crate::gong::{GongClient, ListCallsQuery};
use crate::mcp::error::ToolError;
use crate::meetings::{
    Affiliation, MeetingHeader, MeetingPage, MeetingProvider, MeetingTranscript, Participant,
    Sentence, Source, Turn, WindowQuery,
};

impl MeetingProvider for GongClient {
    fn source(&self) -> Source {
        Source::Gong
    }

    fn check_id(&self, name: &str, id: &str) -> Result<(), ToolError> {
        crate::mcp::args::validate_call_id(name, id)
    }

    fn requests_sent(&self) -> u32 {
        GongClient::requests_sent(self)
    }

    async fn list_window(&self, query: &WindowQuery) -> Result<MeetingPage, ToolError> {
        let page = self
            .list_calls(&ListCallsQuery {
                from: Some(query.from),
                to: Some(query.to),
                cursor: query.cursor.clone(),
                ..ListCallsQuery::default()
            })
            .await?;
        Ok(MeetingPage {
            meetings: page.calls.iter().map(|c| Arc::new(brief(c))).collect(),
            next_cursor: page.records.cursor.clone(),
        })
    }

    async fn headers(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, Arc<MeetingHeader>>, ToolError> {
        let calls = self.calls_extensive(ids).await?;
        Ok(calls
            .into_iter()
            .map(|(id, call)| (id, Arc::new(header(&call))))
            .collect())
    }

    async fn transcript(&self, id: &str) -> Result<Option<Arc<MeetingTranscript>>, ToolError> {
        let t = GongClient::transcript(self, id).await?;
        Ok(t.map(|t| Arc::new(transcript(&t))))
    }
}

/// A listed call's header: metadata, no parties (the listing has none).
fn brief(meta: &CallMeta) -> MeetingHeader {
    MeetingHeader {
        source: Source::Gong,
        id: meta.id.clone(),
        title: meta.title.clone(),
        started: meta.started.clone(),
        duration_seconds: meta.duration,
        url: meta.url.clone(),
        company: None,
        participants: Vec::new(),
    }
}

/// A call's header: metadata and parties (the company from the CRM account or the external
/// parties' email domains).
pub fn header(call: &ExtensiveCall) -> MeetingHeader {
    MeetingHeader {
        company: company(call),
        participants: call.parties.iter().map(participant).collect(),
        ..brief(&call.meta_data)
    }
}

fn participant(p: &Party) -> Participant {
    Participant {
        name: p.name.clone(),
        email: p.email_address.clone(),
        title: p.title.clone(),
        affiliation: Affiliation::parse(p.affiliation.as_deref()),
        company: None,
        speaker_id: p.speaker_id.clone(),
    }
}

/// The transcript: Gong's monologues are turns; voices are Gong's speaker ids.
pub fn transcript(t: &CallTranscript) -> MeetingTranscript {
    MeetingTranscript {
        meeting_id: t.call_id.clone(),
        turns: t
            .transcript
            .iter()
            .map(|m| Turn {
                speaker_id: m.speaker_id.clone(),
                speaker_name: None,
                topic: m.topic.clone(),
                sentences: m
                    .sentences
                    .iter()
                    .map(|s| Sentence {
                        start_ms: s.start,
                        end_ms: s.end,
                        text: s.text.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The `Name` field of the first CRM object of this type linked to the call.
pub fn crm_name(call: &ExtensiveCall, object_type: &str) -> Option<String> {
    call.context
        .iter()
        .flat_map(|c| c.objects.iter())
        .filter(|o| o.object_type.as_deref() == Some(object_type))
        .flat_map(|o| o.fields.iter())
        .find(|f| f.name.as_deref() == Some("Name"))
        .and_then(|f| f.value.as_str())
        .map(crate::mcp::render::fmt::one_line)
        .filter(|s| !s.is_empty())
}

/// Who the call was with: the CRM account, else the external participants' email domains.
pub fn company(call: &ExtensiveCall) -> Option<String> {
    if let Some(account) = crm_name(call, "Account") {
        return Some(account);
    }
    let mut domains: Vec<&str> = Vec::new();
    for p in &call.parties {
        if p.affiliation.as_deref() != Some("External") {
            continue;
        }
        if let Some((_, domain)) = p.email_address.as_deref().and_then(|e| e.rsplit_once('@'))
            && !domains.contains(&domain)
        {
            domains.push(domain);
        }
    }
    (!domains.is_empty()).then(|| domains.join(", "))
}
