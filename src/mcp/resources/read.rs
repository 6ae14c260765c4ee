//! `resources/read`: a meeting's details or a page of its transcript, produced by the very code
//! of its provider's tools (`gong_get_call_details`, `fathom_get_transcript`, …) with their
//! default arguments (`answer`), so a resource says exactly what the tool says. A transcript page that is not the last ends with the URI of
//! the next page (also in the content's `_meta.nextUri`).

use rmcp::ErrorData;
use rmcp::RoleServer;
use rmcp::model::{
    CacheScope, MetaObject, ProtocolVersion, ReadResourceRequestParams, ReadResourceResult,
    ResourceContents,
};
use rmcp::service::RequestContext;
use serde_json::json;

use super::MIME_TEXT;
use super::answer::answer;
use super::uri::{Kind, ResourceUri, not_found, parse, transcript_uri};
use crate::mcp::GongMcp;
use crate::mcp::error::ToolError;
use crate::mcp::meeting_client::MeetingClient;
use crate::mcp::tools::ToolOutput;

impl GongMcp {
    pub(crate) async fn resource_read(
        &self,
        request: &ReadResourceRequestParams,
        ctx: &RequestContext<RoleServer>,
    ) -> Result<ReadResourceResult, ErrorData> {
        let uri = request.uri.as_str();
        let parsed = parse(uri)?;
        let creds = self.credentials(ctx);
        let budget = self.upstreams.tool_timeout;
        let source = parsed.src.source;
        // The request's own credentials, or nothing: the URI never selects a tenant.
        let Some(client) = MeetingClient::for_source(source, &self.upstreams, &creds, budget)
        else {
            return Err(not_found(
                uri,
                format!(
                    "Resource not found: reading {} resources needs {} credentials, and this request carries none.",
                    source.name(),
                    source.name()
                ),
            ));
        };
        let work = answer(&client, &parsed.kind, parsed.id.clone());
        let output = tokio::select! {
            _ = ctx.ct.cancelled() => {
                return Err(ErrorData::internal_error("request cancelled", None));
            }
            done = tokio::time::timeout(budget, work) => {
                done.unwrap_or(Err(ToolError::Deadline(budget.as_secs())))
            }
        };
        let output = output.map_err(|e| read_error(uri, e))?;
        let mut result = ReadResourceResult::new(vec![contents(&parsed, uri, output)]);
        if ctx
            .protocol_version()
            .is_some_and(|v| v >= ProtocolVersion::V_2026_07_28)
        {
            // One tenant's call: never from a shared cache.
            result = result.with_ttl_ms(0);
            result.cache_scope = Some(CacheScope::Private);
        }
        Ok(result)
    }
}

fn contents(parsed: &ResourceUri, uri: &str, output: ToolOutput) -> ResourceContents {
    let next = output
        .structured()
        .pointer("/page/nextOffset")
        .and_then(|n| n.as_u64());
    let mut text = output.text().to_owned();
    let mut meta = MetaObject::new();
    if let (Kind::Transcript { .. }, Some(n)) = (&parsed.kind, next) {
        let next_uri = transcript_uri(parsed.src, &parsed.id, Some(n as usize));
        text.push_str(&format!("\n\nNext page of this transcript: {next_uri}"));
        meta.insert("nextUri".into(), json!(next_uri));
        meta.insert("nextOffset".into(), json!(n));
    }
    let contents = ResourceContents::text(text, uri).with_mime_type(MIME_TEXT);
    if meta.is_empty() {
        contents
    } else {
        contents.with_meta(meta)
    }
}

/// A failed read as a JSON-RPC error that carries the URI: an unknown meeting (ours or the
/// provider's "not found") is "not found", a bad offset an invalid parameter, anything else
/// (the provider's other errors, the deadline) says what happened and what to do, as the tool
/// would.
fn read_error(uri: &str, e: ToolError) -> ErrorData {
    tracing::info!(error = e.kind(), "resources/read failed");
    let data = Some(json!({ "uri": uri }));
    match e {
        ToolError::InvalidArgument { .. } => ErrorData::invalid_params(e.to_string(), data),
        e if e.kind() == "not_found" => ErrorData::resource_not_found(e.to_string(), data),
        other => ErrorData::internal_error(other.to_string(), data),
    }
}
