//! The expensive tools and the company's daily spend (Gong's, where it is counted): refused
//! before they start once the operator's budget is spent, and each answer ends with what the
//! company has used today.

use crate::mcp::error::ToolError;
use crate::meetings::MeetingProvider;

pub async fn refuse_over_budget(provider: &impl MeetingProvider) -> Result<(), ToolError> {
    match provider.daily_spend().await {
        Some((spent, budget)) => budget
            .check(spent)
            .map_err(|e| ToolError::Pipeline(e.to_string())),
        None => Ok(()),
    }
}

pub async fn spend_line(provider: &impl MeetingProvider) -> String {
    provider
        .daily_spend()
        .await
        .map(|(spent, budget)| budget.spend_line(spent))
        .unwrap_or_default()
}
