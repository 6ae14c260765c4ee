//! The expensive tools and the company's daily Gong spend: refused before they start once the
//! operator's budget is spent, and each answer ends with what the company has used today.

use crate::gong::GongClient;
use crate::mcp::error::ToolError;

pub async fn refuse_over_budget(gong: &GongClient) -> Result<(), ToolError> {
    let spent = gong.spent_today().await;
    gong.daily_budget()
        .check(spent)
        .map_err(|e| ToolError::Pipeline(e.to_string()))
}

pub async fn spend_line(gong: &GongClient) -> String {
    gong.daily_budget().spend_line(gong.spent_today().await)
}
