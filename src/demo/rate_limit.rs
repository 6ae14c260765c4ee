//! Gong's limits: N requests per second and a daily quota, per company
//! (here: per tenant). A sliding log makes "N in any rolling second" exact.
//!
//! Every authenticated request counts toward both limits, including the ones
//! answered 429: a client that ignores `Retry-After` and keeps hammering stays
//! locked out, which is the safe assumption about Gong.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use tokio::time::Instant;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    Allow,
    /// Over the per-second limit or the daily quota: answer 429 with `Retry-After`.
    Reject {
        retry_after_secs: u64,
    },
}

struct State {
    window: VecDeque<Instant>,
    day: Option<NaiveDate>,
    day_count: u32,
}

pub(crate) struct RateLimiter {
    per_second: u32,
    daily: Option<u32>,
    state: Mutex<State>,
}

/// Whole seconds until the next UTC midnight (at least 1).
fn secs_to_midnight(wall: DateTime<Utc>) -> u64 {
    let next = wall
        .date_naive()
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 0));
    next.map(|n| (n.and_utc() - wall).num_seconds().max(1) as u64)
        .unwrap_or(1)
}

impl RateLimiter {
    /// `per_second == 0` means unlimited.
    pub(crate) fn new(per_second: u32, daily: Option<u32>) -> Self {
        RateLimiter {
            per_second,
            daily,
            state: Mutex::new(State {
                window: VecDeque::new(),
                day: None,
                day_count: 0,
            }),
        }
    }

    /// Counts the request arriving at `now` and says whether to serve it.
    pub(crate) fn check(&self, now: Instant, wall: DateTime<Utc>) -> Decision {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(limit) = self.daily {
            let today = wall.date_naive();
            if s.day != Some(today) {
                s.day = Some(today);
                s.day_count = 0;
            }
            s.day_count = s.day_count.saturating_add(1);
            if s.day_count > limit {
                return Decision::Reject {
                    retry_after_secs: secs_to_midnight(wall),
                };
            }
        }
        if self.per_second == 0 {
            return Decision::Allow;
        }
        let second = Duration::from_secs(1);
        while s
            .window
            .front()
            .is_some_and(|&at| now.duration_since(at) >= second)
        {
            s.window.pop_front();
        }
        s.window.push_back(now);
        let limit = self.per_second as usize;
        if s.window.len() <= limit {
            return Decision::Allow;
        }
        // Room opens once all but `limit - 1` of the logged requests are older than 1 s.
        let oldest_blocking = s.window[s.window.len() - limit];
        let wait = (oldest_blocking + second).saturating_duration_since(now);
        Decision::Reject {
            retry_after_secs: wait.as_secs_f64().ceil().max(1.0) as u64,
        }
    }

    /// Forgets the window and the daily count (for tests between phases).
    pub(crate) fn reset(&self) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.window.clear();
        s.day = None;
        s.day_count = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn sliding_window_counts_rejected_requests() {
        let l = RateLimiter::new(3, None);
        let t0 = Instant::now();
        let wall = Utc::now();
        for i in 0..3 {
            assert_eq!(
                l.check(t0 + Duration::from_millis(i * 100), wall),
                Decision::Allow
            );
        }
        assert_eq!(
            l.check(t0 + Duration::from_millis(900), wall),
            Decision::Reject {
                retry_after_secs: 1
            }
        );
        // At t0+1.0 s the first request left the window, but the rejected one
        // at 0.9 s still counts: 0.1, 0.2, 0.9 → full.
        assert!(matches!(
            l.check(t0 + Duration::from_millis(1000), wall),
            Decision::Reject { .. }
        ));
        // At 2.05 s everything up to 1.0 s has aged out → room again.
        assert_eq!(
            l.check(t0 + Duration::from_millis(2050), wall),
            Decision::Allow
        );
    }

    #[test]
    fn daily_quota_retry_after_is_time_to_utc_midnight() {
        let l = RateLimiter::new(0, Some(2));
        let wall = Utc.with_ymd_and_hms(2026, 5, 4, 23, 0, 0).unwrap();
        let t = Instant::now();
        assert_eq!(l.check(t, wall), Decision::Allow);
        assert_eq!(l.check(t, wall), Decision::Allow);
        assert_eq!(
            l.check(t, wall),
            Decision::Reject {
                retry_after_secs: 3600
            }
        );
        let next_day = Utc.with_ymd_and_hms(2026, 5, 5, 0, 0, 1).unwrap();
        assert_eq!(l.check(t, next_day), Decision::Allow);
    }
}
