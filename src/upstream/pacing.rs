//! Per-tenant pacing of Gong requests.
//!
//! Gong allows 3 requests per second per company and may count them in any rolling second. A token
//! bucket that bursts 3 at once and then refills breaks such a window, so requests are spaced
//! evenly instead: each one takes the next free slot, `interval` after the previous one. A 429's
//! `Retry-After` pushes every later slot of the tenant past the wait.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug)]
pub struct Pacer {
    interval: Duration,
    next_slot: Mutex<Instant>,
}

/// The pacer could not give a slot before the deadline; `wait` is how long it would have taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoSlotBeforeDeadline {
    pub wait: Duration,
}

impl Pacer {
    /// `requests_per_second` of 0 disables pacing. A small margin keeps two requests that leave
    /// `interval` apart from landing inside one second at Gong through network jitter.
    pub fn new(requests_per_second: f64) -> Self {
        let interval = if requests_per_second > 0.0 {
            Duration::from_secs_f64(1.0 / requests_per_second) + Duration::from_millis(7)
        } else {
            Duration::ZERO
        };
        Self {
            interval,
            next_slot: Mutex::new(Instant::now()),
        }
    }

    /// Waits for this request's slot. Returns how long it waited, or fails at once (reserving
    /// nothing) if the slot lies beyond `deadline`.
    pub async fn acquire(&self, deadline: Instant) -> Result<Duration, NoSlotBeforeDeadline> {
        let now = Instant::now();
        let slot = {
            let mut next = self.next_slot.lock().unwrap_or_else(|p| p.into_inner());
            let slot = (*next).max(now);
            if slot > deadline {
                return Err(NoSlotBeforeDeadline { wait: slot - now });
            }
            *next = slot + self.interval;
            slot
        };
        if slot > now {
            tokio::time::sleep_until(slot).await;
        }
        Ok(slot - now)
    }

    /// After a 429: no request of this tenant leaves before `until`.
    pub fn hold_until(&self, until: Instant) {
        let mut next = self.next_slot.lock().unwrap_or_else(|p| p.into_inner());
        if *next < until {
            *next = until;
        }
    }

    /// The time until the next free slot (zero if one is free now).
    #[cfg(test)]
    pub fn backlog(&self) -> Duration {
        let next = *self.next_slot.lock().unwrap_or_else(|p| p.into_inner());
        next.saturating_duration_since(Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn slots_are_evenly_spaced_so_no_rolling_second_holds_more_than_the_rate() {
        let pacer = Pacer::new(3.0);
        let start = Instant::now();
        let deadline = start + Duration::from_secs(60);
        let mut sent = Vec::new();
        for _ in 0..12 {
            pacer.acquire(deadline).await.unwrap();
            sent.push(Instant::now() - start);
        }
        for window in sent.windows(4) {
            assert!(window[3] - window[0] > Duration::from_secs(1), "{window:?}");
        }
        // And not much slower than the limit: 12 requests in a little over 11/3 s.
        assert!(sent[11] < Duration::from_millis(3800), "{:?}", sent[11]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_slot_past_the_deadline_fails_fast_and_reserves_nothing() {
        let pacer = Pacer::new(3.0);
        pacer.hold_until(Instant::now() + Duration::from_secs(3600));
        let err = pacer
            .acquire(Instant::now() + Duration::from_secs(30))
            .await
            .unwrap_err();
        assert!(err.wait > Duration::from_secs(3500));
        assert!(pacer.backlog() <= Duration::from_secs(3600));
    }

    #[tokio::test(start_paused = true)]
    async fn zero_rate_disables_pacing() {
        let pacer = Pacer::new(0.0);
        let deadline = Instant::now() + Duration::from_secs(1);
        for _ in 0..100 {
            assert_eq!(pacer.acquire(deadline).await.unwrap(), Duration::ZERO);
        }
    }
}
