//! Requests per API key in any rolling second (a sliding log, so the limit is
//! exact). Mind Reasoner publishes no numbers; the fake's default is 10.
//!
//! Every authenticated request counts, including the ones answered 429, as in
//! the demo Gong: a client that ignores `Retry-After: 1` stays locked out, one
//! that waits a second gets through.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

pub(crate) struct RateLimiter {
    per_second: u32,
    window: Mutex<VecDeque<Instant>>,
}

impl RateLimiter {
    /// `per_second == 0` means unlimited.
    pub(crate) fn new(per_second: u32) -> Self {
        RateLimiter {
            per_second,
            window: Mutex::new(VecDeque::new()),
        }
    }

    /// Counts the request arriving at `now`; `false` means answer 429.
    pub(crate) fn admit(&self, now: Instant) -> bool {
        if self.per_second == 0 {
            return true;
        }
        let mut w = self.window.lock().unwrap_or_else(|e| e.into_inner());
        while w
            .front()
            .is_some_and(|&at| now.duration_since(at) >= Duration::from_secs(1))
        {
            w.pop_front();
        }
        w.push_back(now);
        w.len() <= self.per_second as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_second_counts_rejected_requests() {
        let l = RateLimiter::new(2);
        let t0 = Instant::now();
        let at = |ms| t0 + Duration::from_millis(ms);
        assert!(l.admit(at(0)));
        assert!(l.admit(at(100)));
        assert!(!l.admit(at(900)));
        // 0 aged out, but 100 and the rejected 900 still fill the window.
        assert!(!l.admit(at(1000)));
        assert!(l.admit(at(2000)));
        assert!(RateLimiter::new(0).admit(at(0)));
    }
}
