//! A company's Gong requests per UTC day, against Gong's 10,000 and the operator's
//! `--gong-daily-budget`: a line for the answers of tools that spend a lot, and the refusal of
//! expensive work once the budget is spent. Counted fleet-wide in Redis in fleet mode (with each
//! slot, by `gcra.lua`), in-process otherwise; the metric is labelled by nothing secret.

use chrono::{Timelike, Utc};

/// Gong's own daily limit per company.
pub const GONG_DAILY_QUOTA: u64 = 10_000;

/// Expensive work was refused: the company's spend today reached the operator's budget.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Refused to start: this company has used ~{spent} of Gong's {GONG_DAILY_QUOTA} daily requests through this service today (UTC), and the operator stops expensive work at {budget} (GONG_MCP_GONG_DAILY_BUDGET) so the rest stays for other uses. gong_list_calls, gong_get_call_details and gong_get_transcript still work; this tool works again after 00:00 UTC (in about {hours_left} h), or when the operator raises the budget."
)]
pub struct BudgetExceeded {
    pub spent: u64,
    pub budget: u64,
    pub hours_left: u32,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct DailyBudget {
    /// `None`: no budget of our own (Gong's limit still applies).
    pub limit: Option<u64>,
}

impl DailyBudget {
    /// Refuses expensive work when `spent` has reached the budget.
    pub fn check(&self, spent: u64) -> Result<(), BudgetExceeded> {
        metrics::histogram!("gong_tenant_daily_requests").record(spent as f64);
        match self.limit {
            Some(budget) if spent >= budget => {
                metrics::counter!("gong_daily_budget_refusals_total").increment(1);
                Err(BudgetExceeded {
                    spent,
                    budget,
                    hours_left: 24 - Utc::now().hour(),
                })
            }
            _ => Ok(()),
        }
    }

    /// The line an expensive tool's answer ends with.
    pub fn spend_line(&self, spent: u64) -> String {
        let budget = match self.limit {
            Some(b) => format!(" (this service's budget: {b})"),
            None => String::new(),
        };
        format!(
            "This company has used ~{spent} of Gong's {GONG_DAILY_QUOTA} daily requests through this service today (UTC){budget}.\n"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_is_refused_once_the_budget_is_spent_and_says_why() {
        let budget = DailyBudget { limit: Some(500) };
        assert_eq!(budget.check(499), Ok(()));
        let err = budget.check(500).unwrap_err();
        assert!(err.to_string().contains("~500 of Gong's 10000"), "{err}");
        assert!(err.to_string().contains("GONG_MCP_GONG_DAILY_BUDGET"));
        assert_eq!(DailyBudget::default().check(1_000_000), Ok(()));
        assert!(
            budget
                .spend_line(42)
                .starts_with("This company has used ~42 of Gong's 10000")
        );
    }
}
