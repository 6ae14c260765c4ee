//! MCP progress notifications for long tools: sent on the request's own response stream when
//! the client asked for them (a `progressToken` in `_meta`), a no-op otherwise, so clients that
//! send no token still get a plain JSON answer.

use rmcp::RoleServer;
use rmcp::model::{ProgressNotificationParam, ProgressToken};
use rmcp::service::{Peer, RequestContext};

#[derive(Clone)]
pub struct Progress {
    target: Option<(Peer<RoleServer>, ProgressToken)>,
}

impl Progress {
    pub fn from_request(ctx: &RequestContext<RoleServer>) -> Self {
        Self {
            target: ctx
                .meta
                .get_progress_token()
                .map(|token| (ctx.peer.clone(), token)),
        }
    }

    /// Reports `progress` of `total` with a short message. A notification that cannot be sent
    /// (the client went away) changes nothing for the work itself.
    pub async fn report(&self, progress: u64, total: Option<u64>, message: impl Into<String>) {
        let Some((peer, token)) = &self.target else {
            return;
        };
        let mut param = ProgressNotificationParam::new(token.clone(), progress as f64);
        param.total = total.map(|t| t as f64);
        param.message = Some(message.into());
        if let Err(e) = peer.notify_progress(param).await {
            tracing::debug!(error = %e, "progress notification not sent");
        }
    }
}
