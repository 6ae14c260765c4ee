//! Fireflies' plan limits as the fake enforces them, per API key: requests per rolling minute
//! (Business and Enterprise: 60) and per UTC day (Free and Pro: 50). Refused requests do not
//! count. A refusal says when a request is allowed again, as a Unix time in milliseconds.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};

/// Which limit refused, and the Unix time in ms when a request is allowed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    PerMinute { retry_at_ms: i64 },
    Daily { retry_at_ms: i64 },
}

pub struct Limits {
    per_minute: u32,
    per_day: u32,
    state: Mutex<State>,
}

struct State {
    recent: VecDeque<Instant>,
    day: NaiveDate,
    today: u32,
}

impl Limits {
    /// 0 = no such limit.
    pub fn new(per_minute: u32, per_day: u32) -> Self {
        Self {
            per_minute,
            per_day,
            state: Mutex::new(State {
                recent: VecDeque::new(),
                day: Utc::now().date_naive(),
                today: 0,
            }),
        }
    }

    pub fn admit(&self) -> Result<(), Refusal> {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let today = Utc::now().date_naive();
        if s.day != today {
            s.day = today;
            s.today = 0;
        }
        if self.per_day > 0 && s.today >= self.per_day {
            let midnight = today
                .succ_opt()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc().timestamp_millis())
                .unwrap_or_default();
            return Err(Refusal::Daily {
                retry_at_ms: midnight,
            });
        }
        let minute = Duration::from_secs(60);
        while s
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= minute)
        {
            s.recent.pop_front();
        }
        if self.per_minute > 0 && s.recent.len() >= self.per_minute as usize {
            let free_in = minute.saturating_sub(now.duration_since(s.recent[0]));
            return Err(Refusal::PerMinute {
                retry_at_ms: Utc::now().timestamp_millis() + free_in.as_millis() as i64,
            });
        }
        s.recent.push_back(now);
        s.today += 1;
        Ok(())
    }

    pub fn reset(&self) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.recent.clear();
        s.today = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_minute_and_daily_limits_refuse_with_the_time_to_retry() {
        let l = Limits::new(2, 3);
        assert!(l.admit().is_ok() && l.admit().is_ok());
        let now_ms = Utc::now().timestamp_millis();
        match l.admit() {
            Err(Refusal::PerMinute { retry_at_ms }) => {
                assert!(retry_at_ms > now_ms + 55_000 && retry_at_ms <= now_ms + 61_000)
            }
            other => panic!("{other:?}"),
        }
        l.reset();
        let l = Limits::new(0, 1);
        assert!(l.admit().is_ok());
        assert!(matches!(l.admit(), Err(Refusal::Daily { .. })));
    }
}
