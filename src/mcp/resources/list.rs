//! `resources/list`: the tenant's newest meetings of each recorder present, newest first, each
//! as its details resource (its transcript's where the recorder has no details): Gong's (at most
//! 100), then Fathom's (30), then Fireflies' (50), in pages of at most 25 that each read one
//! recorder. The cursor pins the moment of the first page, so the pages that follow are slices of
//! the same lists even as new meetings arrive.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, SubsecRound, Utc};
use rmcp::ErrorData;
use rmcp::RoleServer;
use rmcp::model::{ListResourcesResult, PaginatedRequestParams, Resource};
use rmcp::service::RequestContext;
use serde::{Deserialize, Serialize};

use super::uri::{details_uri, transcript_uri};
use super::{MIME_TEXT, present, recent};
use crate::mcp::GongMcp;
use crate::mcp::meeting_client::MeetingClient;
use crate::mcp::prompts::sources::{SOURCES, SourceTools};
use crate::mcp::render::fmt::fmt_duration;
use crate::meetings::MeetingHeader;

pub const PAGE: usize = 25;

#[derive(Serialize, Deserialize)]
struct Cursor {
    /// The first page's moment (Unix seconds).
    t: i64,
    /// The recorder being listed (its index in `SOURCES`).
    #[serde(default)]
    p: usize,
    /// Its meetings already listed.
    s: usize,
}

impl Cursor {
    fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    fn decode(raw: &str) -> Result<Self, ErrorData> {
        URL_SAFE_NO_PAD
            .decode(raw)
            .ok()
            .and_then(|b| serde_json::from_slice::<Cursor>(&b).ok())
            .filter(|c| SOURCES.get(c.p).is_some_and(|src| c.s < src.recent))
            .ok_or_else(|| {
                ErrorData::invalid_params(
                    "Invalid cursor: pass the nextCursor of the previous resources/list answer unchanged, or none for the first page.",
                    None,
                )
            })
    }
}

impl GongMcp {
    pub(crate) async fn resource_list(
        &self,
        request: Option<PaginatedRequestParams>,
        ctx: &RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let creds = self.credentials(ctx);
        let mut cursor = match request.and_then(|r| r.cursor) {
            Some(raw) => Cursor::decode(&raw)?,
            None => Cursor {
                t: Utc::now().trunc_subsecs(0).timestamp(),
                p: 0,
                s: 0,
            },
        };
        let to = DateTime::from_timestamp(cursor.t, 0).unwrap_or_default();
        let budget = self.upstreams.tool_timeout;
        // The recorders from the cursor's on, as present in this request.
        let sources: Vec<(usize, &SourceTools)> = present(&creds)
            .map(|src| {
                (
                    SOURCES
                        .iter()
                        .position(|s| s.source == src.source)
                        .unwrap_or(0),
                    src,
                )
            })
            .filter(|(i, _)| *i >= cursor.p)
            .collect();
        for (n, &(i, src)) in sources.iter().enumerate() {
            if i > cursor.p {
                cursor = Cursor {
                    t: cursor.t,
                    p: i,
                    s: 0,
                };
            }
            let Some(client) =
                MeetingClient::for_source(src.source, &self.upstreams, &creds, budget)
            else {
                continue;
            };
            let want = (cursor.s + PAGE).min(src.recent);
            let meetings =
                match tokio::time::timeout(budget, recent::newest(&client, to, want)).await {
                    Ok(Ok(meetings)) => meetings,
                    Ok(Err(e)) => {
                        tracing::info!(error = e.kind(), "resources/list failed");
                        return Err(ErrorData::internal_error(e.to_string(), None));
                    }
                    Err(_) => {
                        return Err(ErrorData::internal_error(
                            "resources/list did not finish within its deadline; retry",
                            None,
                        ));
                    }
                };
            let page: Vec<Resource> = meetings
                .iter()
                .skip(cursor.s)
                .map(|m| resource(src, m))
                .collect();
            let next = if meetings.len() == want && want < src.recent {
                Some(Cursor {
                    t: cursor.t,
                    p: i,
                    s: want,
                })
            } else {
                sources.get(n + 1).map(|&(p, _)| Cursor {
                    t: cursor.t,
                    p,
                    s: 0,
                })
            };
            // A recorder with nothing to list gives its turn to the next one.
            if page.is_empty() && next.as_ref().is_some_and(|c| c.p != i) {
                continue;
            }
            let mut result = ListResourcesResult::with_all_items(page);
            result.next_cursor = next.map(|c| c.encode());
            return Ok(result);
        }
        Ok(ListResourcesResult::with_all_items(Vec::new()))
    }
}

fn resource(src: &SourceTools, meeting: &MeetingHeader) -> Resource {
    let title = meeting
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| format!("{} {} {}", src.source.name(), src.noun, meeting.id));
    let mut about = Vec::new();
    if let Some(started) = &meeting.started {
        about.push(started.clone());
    }
    if let Some(d) = meeting.duration_seconds {
        about.push(fmt_duration(d.max(0.0) as u64));
    }
    let transcript = transcript_uri(src, &meeting.id, None);
    let uri = match src.details {
        Some(_) => {
            about.push(format!("transcript: {transcript}"));
            details_uri(src, &meeting.id)
        }
        None => transcript,
    };
    Resource::new(uri, title.clone())
        .with_title(title)
        .with_description(about.join("; "))
        .with_mime_type(MIME_TEXT)
}
