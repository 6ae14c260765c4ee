//! Per-tenant pacing of Gong requests.
//!
//! Gong allows 3 requests per second per company and may count them in any rolling second. A token
//! bucket that bursts 3 at once and then refills breaks such a window, so requests are spaced
//! evenly instead: each one takes the next free slot, `interval` after the previous one. A 429's
//! `Retry-After` pushes every later slot of the tenant past the wait.
//!
//! Two kinds of lateness would otherwise put a 4th request into one of Gong's seconds:
//! - a request let go late (a busy runtime polls its task after its slot): the pacer plans from
//!   the moment each request was actually let go, not from the slot it was given, so the next
//!   one still leaves a full `interval` later;
//! - the way from the pacer to Gong (building the request, the connection, the network) taking
//!   longer for one request than for another: `interval` covers up to `jitter` of that, by
//!   spacing `rate` requests over one second plus `jitter`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use super::daily::DailyCount;
use super::shared::SharedSlots;

mod fleet;

/// The spread in time from the pacer to Gong that [`Pacer::new`] tolerates.
pub const DEFAULT_JITTER: Duration = Duration::from_millis(30);

#[derive(Debug)]
pub struct Pacer {
    interval: Duration,
    state: Mutex<State>,
    /// Requests let go today (fleet-wide, when `shared`).
    daily: DailyCount,
    /// In a fleet: slots shared by every replica; `interval` is then the fallback's (rate divided
    /// by the fleet size), used while the shared store is unusable.
    shared: Option<Arc<dyn SharedSlots>>,
}

#[derive(Debug)]
struct State {
    /// The slot the next caller reserves.
    next_slot: Instant,
    /// When the latest request was let go (its `acquire` returned).
    last_sent: Option<Instant>,
}

/// The pacer could not give a slot before the deadline; `wait` is how long it would have taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoSlotBeforeDeadline {
    pub wait: Duration,
}

impl Pacer {
    /// `requests_per_second` of 0 disables pacing; tolerates [`DEFAULT_JITTER`].
    pub fn new(requests_per_second: f64) -> Self {
        Self::with_jitter(requests_per_second, DEFAULT_JITTER)
    }

    /// A pacer whose requests may reach Gong up to `jitter` later than it lets them go (relative
    /// to one another) and still never exceed `requests_per_second` in any rolling second: any
    /// `rate + 1` consecutive requests are let go at least one second plus `jitter` apart.
    pub fn with_jitter(requests_per_second: f64, jitter: Duration) -> Self {
        let interval = if requests_per_second > 0.0 {
            // Rounded up to the nanosecond, so `rate` intervals never fall short of the span.
            let span = (Duration::from_secs(1) + jitter).as_nanos() as f64;
            Duration::from_nanos((span / requests_per_second).ceil() as u64)
        } else {
            Duration::ZERO
        };
        Self {
            interval,
            state: Mutex::new(State {
                next_slot: Instant::now(),
                last_sent: None,
            }),
            daily: DailyCount::default(),
            shared: None,
        }
    }

    /// A pacer of one tenant in a fleet: slots from `shared`, or, while it is unusable, from
    /// this replica alone at `requests_per_second / fleet_size`.
    pub fn shared(requests_per_second: f64, fleet_size: u32, shared: Arc<dyn SharedSlots>) -> Self {
        let mut pacer = Self::new(requests_per_second / f64::from(fleet_size.max(1)));
        pacer.shared = Some(shared);
        pacer
    }

    /// This tenant's requests of the current UTC day (fleet-wide as of its latest slot, in a
    /// fleet).
    pub fn spent_today(&self) -> u64 {
        self.daily.spent_today()
    }

    /// Like [`Self::spent_today`], asking the shared store first in a fleet (other replicas
    /// may have spent since this one's latest slot).
    pub async fn spent_today_fresh(&self) -> u64 {
        if let Some(shared) = &self.shared
            && let Some(spent) = shared.spent_today().await
        {
            let unreported = self.daily.unreported();
            self.daily.reported(spent + unreported, 0);
        }
        self.daily.spent_today()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for this request's slot. Returns how long it waited, or fails (at once, reserving
    /// nothing, if the reserved slot already lies beyond `deadline`; or when the request before
    /// it left so late that this one's slot moves past `deadline`).
    pub async fn acquire(&self, deadline: Instant) -> Result<Duration, NoSlotBeforeDeadline> {
        let start = Instant::now();
        match &self.shared {
            None => {
                self.acquire_local(deadline).await?;
                self.daily.add_local(false);
            }
            Some(shared) => self.acquire_shared(shared.as_ref(), deadline).await?,
        }
        Ok(Instant::now() - start)
    }

    async fn acquire_local(&self, deadline: Instant) -> Result<Duration, NoSlotBeforeDeadline> {
        let start = Instant::now();
        if self.interval.is_zero() {
            // Unpaced, but a wait the upstream asked for (`hold_until`) still holds.
            let held = self.state().next_slot;
            if held <= start {
                return Ok(Duration::ZERO);
            }
            if held > deadline {
                return Err(NoSlotBeforeDeadline { wait: held - start });
            }
            tokio::time::sleep_until(held).await;
            return Ok(held - start);
        }
        let mut slot = {
            let mut state = self.state();
            let slot = state.next_slot.max(start);
            if slot > deadline {
                return Err(NoSlotBeforeDeadline { wait: slot - start });
            }
            state.next_slot = slot + self.interval;
            slot
        };
        loop {
            if slot > Instant::now() {
                tokio::time::sleep_until(slot).await;
            }
            let now = Instant::now();
            let mut state = self.state();
            // A full interval after the request let go before this one, however late that was.
            let earliest = state.last_sent.map_or(now, |last| last + self.interval);
            if now >= earliest {
                state.last_sent = Some(now);
                // Slots not yet handed out are planned from this actual send, too.
                state.next_slot = state.next_slot.max(now + self.interval);
                return Ok(now - start);
            }
            if earliest > deadline {
                return Err(NoSlotBeforeDeadline {
                    wait: earliest - start,
                });
            }
            slot = earliest;
        }
    }

    /// After a 429: no request of this tenant leaves before `until` (on any replica, in a fleet).
    pub fn hold_until(&self, until: Instant) {
        if let Some(shared) = &self.shared {
            shared.hold(until.saturating_duration_since(Instant::now()));
        }
        self.hold_local_until(until);
    }

    /// Holds this replica's own slots (not the fleet's) until `until`.
    fn hold_local_until(&self, until: Instant) {
        let mut state = self.state();
        if state.next_slot < until {
            state.next_slot = until;
        }
    }

    /// The time until the next free slot (zero if one is free now).
    #[cfg(test)]
    pub fn backlog(&self) -> Duration {
        self.state()
            .next_slot
            .saturating_duration_since(Instant::now())
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

    /// Gong's limit as the synthetic Gong enforces it: no 4 requests within one rolling second.
    fn four_in_one_second(sent: &[Duration]) -> Option<&[Duration]> {
        sent.windows(4)
            .find(|w| w[3] - w[0] < Duration::from_secs(1))
    }

    /// 40 concurrent requests through one pacer at 3/s, on a paused clock. Two kinds of lateness,
    /// from a seeded RNG: the runtime stalls (the clock jumps up to `stall_ms` while no task
    /// runs, so a request whose slot falls inside the stall is let go late), and each request
    /// reaches Gong up to `jitter_ms` after it was let go. Returns the arrival times at Gong.
    async fn arrivals_with_lateness(seed: u64, stall_ms: u64, jitter_ms: u64) -> Vec<Duration> {
        use rand::{Rng, SeedableRng};
        let pacer = std::sync::Arc::new(Pacer::new(3.0));
        let start = Instant::now();
        let deadline = start + Duration::from_secs(600);
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let requests: Vec<_> = (0..40)
            .map(|_| {
                let (pacer, jitter) = (
                    std::sync::Arc::clone(&pacer),
                    Duration::from_millis(rng.random_range(0..=jitter_ms)),
                );
                tokio::spawn(async move {
                    pacer.acquire(deadline).await.unwrap();
                    Instant::now() + jitter - start
                })
            })
            .collect();
        let stalls = tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(rng.random_range(1..400))).await;
                tokio::time::advance(Duration::from_millis(rng.random_range(0..=stall_ms))).await;
            }
        });
        let mut sent = Vec::new();
        for r in requests {
            sent.push(r.await.unwrap());
        }
        stalls.abort();
        sent.sort();
        sent
    }

    #[tokio::test(start_paused = true)]
    async fn send_jitter_and_stalls_never_put_four_requests_in_one_rolling_second() {
        // Spacing 3 requests over 1.03 s costs 3% of the rate, plus up to 1 ms per request
        // (tokio's timer fires on whole milliseconds, and each request is planned from the last
        // actual send); no more.
        let interval = Duration::from_nanos(343_333_334) + Duration::from_millis(1);
        for seed in 0..20 {
            let sent = arrivals_with_lateness(seed, 0, 30).await;
            assert_eq!(four_in_one_second(&sent), None, "30 ms jitter, seed {seed}");
            assert!(sent[39] - sent[0] <= interval * 39 + Duration::from_millis(30));
            let sent = arrivals_with_lateness(seed, 150, 30).await;
            assert_eq!(
                four_in_one_second(&sent),
                None,
                "150 ms stalls, seed {seed}"
            );
        }
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
    async fn an_unpaced_tenant_still_waits_for_what_the_upstream_asked() {
        let pacer = Pacer::new(0.0);
        let start = Instant::now();
        pacer.hold_until(start + Duration::from_secs(2));
        let waited = pacer
            .acquire(start + Duration::from_secs(60))
            .await
            .unwrap();
        assert_eq!(waited, Duration::from_secs(2));
        pacer.hold_until(Instant::now() + Duration::from_secs(120));
        let err = pacer
            .acquire(Instant::now() + Duration::from_secs(30))
            .await
            .unwrap_err();
        assert_eq!(err.wait, Duration::from_secs(120));
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
