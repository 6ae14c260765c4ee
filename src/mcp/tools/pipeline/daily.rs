//! The expensive tools and the company's daily Gong spend: refused before they start once the
//! operator's budget is spent, and each answer ends with what the company has used today. Only
//! Gong has a daily company quota that this server budgets; other sources pass.

use crate::mcp::error::ToolError;
use crate::mcp::meeting_client::MeetingClient;

pub async fn refuse_over_budget(meetings: &MeetingClient) -> Result<(), ToolError> {
    let MeetingClient::Gong(gong) = meetings else {
        return Ok(());
    };
    let spent = gong.spent_today().await;
    gong.daily_budget()
        .check(spent)
        .map_err(|e| ToolError::Pipeline(e.to_string()))
}

pub async fn spend_line(meetings: &MeetingClient) -> String {
    match meetings {
        MeetingClient::Gong(gong) => gong.daily_budget().spend_line(gong.spent_today().await),
        _ => String::new(),
    }
}
