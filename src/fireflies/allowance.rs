//! Each tenant's Fireflies requests per UTC day, counted in this process: Fireflies' Free and Pro
//! plans allow 50 requests a day, so a request past the operator's allowance is refused here, at
//! once and saying so, instead of spending the tenant's last requests on retries.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};

use super::error::FirefliesError;
use crate::upstream::TenantKey;

pub struct DailyAllowance {
    /// Requests per tenant per UTC day; 0 = no daily cap.
    limit: u64,
    days: moka::sync::Cache<TenantKey, Arc<Mutex<(NaiveDate, u64)>>>,
}

impl DailyAllowance {
    pub fn new(limit: u64) -> Self {
        Self {
            limit,
            // A day's count must outlive idle hours: kept a day and a bit after its last use.
            days: moka::sync::Cache::builder()
                .time_to_idle(Duration::from_secs(25 * 3600))
                .max_capacity(100_000)
                .build(),
        }
    }

    /// Counts one request of `tenant` now, or refuses it when today's allowance is spent.
    pub fn spend(&self, tenant: TenantKey, now: DateTime<Utc>) -> Result<(), FirefliesError> {
        if self.limit == 0 {
            return Ok(());
        }
        let today = now.date_naive();
        let day = self
            .days
            .get_with(tenant, || Arc::new(Mutex::new((today, 0))));
        let mut day = day.lock().unwrap_or_else(|p| p.into_inner());
        if day.0 != today {
            *day = (today, 0);
        }
        if day.1 >= self.limit {
            metrics::counter!("fireflies_daily_allowance_refusals_total").increment(1);
            return Err(FirefliesError::DailyAllowance {
                used: day.1,
                limit: self.limit,
                resets: tomorrow(today),
            });
        }
        day.1 += 1;
        Ok(())
    }

    /// Requests `tenant` made today (for messages and tests).
    pub fn used(&self, tenant: TenantKey, now: DateTime<Utc>) -> u64 {
        self.days
            .get(&tenant)
            .map(|d| {
                let d = d.lock().unwrap_or_else(|p| p.into_inner());
                if d.0 == now.date_naive() { d.1 } else { 0 }
            })
            .unwrap_or(0)
    }

    pub fn limit(&self) -> u64 {
        self.limit
    }
}

fn tomorrow(today: NaiveDate) -> DateTime<Utc> {
    today
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
        .unwrap_or_else(Utc::now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstream::TenantHasher;
    use chrono::TimeZone;

    #[test]
    fn the_allowance_is_per_tenant_and_per_utc_day() {
        let h = TenantHasher::random();
        let (a, b) = (h.tenant_key(&["a"]), h.tenant_key(&["b"]));
        let allowance = DailyAllowance::new(2);
        let day1 = Utc.with_ymd_and_hms(2026, 11, 29, 23, 59, 0).unwrap();
        allowance.spend(a, day1).unwrap();
        allowance.spend(a, day1).unwrap();
        let refused = allowance.spend(a, day1).unwrap_err().to_string();
        assert!(refused.contains("2 of 2 requests today"), "{refused}");
        assert!(refused.contains("2026-11-30 00:00 UTC"), "{refused}");
        allowance.spend(b, day1).unwrap();
        let day2 = day1 + chrono::Duration::minutes(2);
        allowance.spend(a, day2).unwrap();
        assert_eq!(allowance.used(a, day2), 1);
        assert!(DailyAllowance::new(0).spend(a, day1).is_ok());
    }
}
