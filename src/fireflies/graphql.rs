//! The GraphQL documents this server sends. User input only ever travels in `variables`, never in
//! the query text.

use serde::Serialize;

/// One page of meetings: the filters Fireflies applies itself.
pub const LIST_TRANSCRIPTS: &str = "query Transcripts($keyword: String, $scope: String, $fromDate: DateTime, $toDate: DateTime, $limit: Int, $skip: Int, $participants: [String]) {
  transcripts(keyword: $keyword, scope: $scope, fromDate: $fromDate, toDate: $toDate, limit: $limit, skip: $skip, participants: $participants) {
    id
    title
    date
    dateString
    duration
    organizer_email
    host_email
    participants
    transcript_url
    meeting_attendees { displayName email name }
  }
}";

/// One meeting with its words.
pub const GET_TRANSCRIPT: &str = "query Transcript($transcriptId: String!) {
  transcript(id: $transcriptId) {
    id
    title
    date
    dateString
    duration
    organizer_email
    host_email
    participants
    transcript_url
    meeting_attendees { displayName email name }
    speakers { id name }
    sentences { index speaker_name speaker_id text raw_text start_time end_time }
    summary { overview short_summary action_items keywords }
  }
}";

/// `scope` of a keyword search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Title,
    Sentences,
    All,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Title => "title",
            Scope::Sentences => "sentences",
            Scope::All => "all",
        }
    }
}

/// The largest `limit` Fireflies accepts.
pub const MAX_PAGE: u32 = 50;

/// The variables of [`LIST_TRANSCRIPTS`]; absent filters are left out.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ListVariables {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// ISO-8601 date-times.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_date: Option<String>,
    pub limit: u32,
    pub skip: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<String>>,
}

#[derive(Serialize)]
pub struct Body<'a, V: Serialize> {
    pub query: &'a str,
    pub variables: V,
}
