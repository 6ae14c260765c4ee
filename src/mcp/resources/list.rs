//! `resources/list`: the tenant's newest calls (at most 100, 25 a page), newest first, each as
//! its details resource. The cursor pins the moment of the first page, so the pages that follow
//! are slices of the same list even as new calls arrive.

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
use crate::gong::types::CallMeta;
use crate::mcp::GongMcp;
use crate::mcp::prompts::sources::SourceTools;
use crate::mcp::render::fmt::fmt_duration;
use crate::meetings::Source;

pub const PAGE: usize = 25;
pub const MAX_LISTED: usize = 100;

#[derive(Serialize, Deserialize)]
struct Cursor {
    /// The first page's moment (Unix seconds).
    t: i64,
    /// Calls already listed.
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
            .filter(|c| c.s < MAX_LISTED)
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
        // Gong's calls, while it is the only recorder with resources.
        let Some(src) = present(&creds).find(|s| s.source == Source::Gong) else {
            return Ok(ListResourcesResult::with_all_items(Vec::new()));
        };
        let Some(client) = self.gong_client(&creds) else {
            return Ok(ListResourcesResult::with_all_items(Vec::new()));
        };
        let cursor = match request.and_then(|r| r.cursor) {
            Some(raw) => Cursor::decode(&raw)?,
            None => Cursor {
                t: Utc::now().trunc_subsecs(0).timestamp(),
                s: 0,
            },
        };
        let to = DateTime::from_timestamp(cursor.t, 0).unwrap_or_default();
        let want = (cursor.s + PAGE).min(MAX_LISTED);
        let work = recent::newest(&client, to, want);
        let calls = match tokio::time::timeout(self.upstreams.tool_timeout, work).await {
            Ok(Ok(calls)) => calls,
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
        let page: Vec<Resource> = calls
            .iter()
            .skip(cursor.s)
            .map(|c| resource(src, c))
            .collect();
        let mut result = ListResourcesResult::with_all_items(page);
        if calls.len() == want && want < MAX_LISTED {
            result.next_cursor = Some(
                Cursor {
                    t: cursor.t,
                    s: want,
                }
                .encode(),
            );
        }
        Ok(result)
    }
}

fn resource(src: &SourceTools, call: &CallMeta) -> Resource {
    let title = call
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| format!("Call {}", call.id));
    let mut about = Vec::new();
    if let Some(started) = &call.started {
        about.push(started.clone());
    }
    if let Some(d) = call.duration {
        about.push(fmt_duration(d.max(0.0) as u64));
    }
    about.push(format!(
        "transcript: {}",
        transcript_uri(src, &call.id, None)
    ));
    Resource::new(details_uri(src, &call.id), title.clone())
        .with_title(title)
        .with_description(about.join("; "))
        .with_mime_type(MIME_TEXT)
}
