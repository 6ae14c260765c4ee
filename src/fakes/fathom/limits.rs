//! Fathom's limit: `per_minute` requests per API key in any rolling 60 s (60 by default), told on
//! every answer as `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds until
//! a request is allowed again). Refused requests do not count: a client that waits
//! `RateLimit-Reset` gets through.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

const WINDOW: Duration = Duration::from_secs(60);

pub(crate) struct RateLimiter {
    per_minute: u32,
    window: Mutex<VecDeque<Instant>>,
}

/// What the headers of one answer say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Quota {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until a request is allowed again (0 when one is allowed now).
    pub reset_secs: u64,
    pub admitted: bool,
}

impl RateLimiter {
    /// `per_minute == 0` means unlimited.
    pub(crate) fn new(per_minute: u32) -> Self {
        RateLimiter {
            per_minute,
            window: Mutex::new(VecDeque::new()),
        }
    }

    pub(crate) fn admit(&self, now: Instant) -> Quota {
        if self.per_minute == 0 {
            return Quota {
                limit: 0,
                remaining: 0,
                reset_secs: 0,
                admitted: true,
            };
        }
        let mut w = self.window.lock().unwrap_or_else(|e| e.into_inner());
        while w
            .front()
            .is_some_and(|&at| now.duration_since(at) >= WINDOW)
        {
            w.pop_front();
        }
        let admitted = w.len() < self.per_minute as usize;
        if admitted {
            w.push_back(now);
        }
        let remaining = self.per_minute.saturating_sub(w.len() as u32);
        let reset_secs = match w.front() {
            Some(&oldest) if remaining == 0 => {
                let left = WINDOW.saturating_sub(now.duration_since(oldest));
                left.as_secs() + u64::from(left.subsec_nanos() > 0)
            }
            _ => 0,
        };
        Quota {
            limit: self.per_minute,
            remaining,
            reset_secs,
            admitted,
        }
    }

    pub(crate) fn reset(&self) {
        self.window
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixty_a_minute_then_refused_until_the_oldest_ages_out() {
        let l = RateLimiter::new(3);
        let t0 = Instant::now();
        let at = |s| t0 + Duration::from_secs(s);
        assert_eq!(l.admit(at(0)).remaining, 2);
        assert_eq!(l.admit(at(10)).remaining, 1);
        let third = l.admit(at(20));
        assert_eq!((third.remaining, third.reset_secs), (0, 40));
        let refused = l.admit(at(30));
        assert!(!refused.admitted);
        assert_eq!(refused.reset_secs, 30);
        assert!(l.admit(at(60)).admitted, "the first aged out");
        assert!(RateLimiter::new(0).admit(at(0)).admitted);
    }
}
