//! One logical upstream request: paced per tenant, retried within the tool call's deadline, and
//! never retried into a duplicate.
//!
//! Which failures are retried depends on what the upstream may already have done:
//! - refused before acting (429): any request, after the wait it asks for, which holds the whole
//!   tenant (every later request of that tenant waits too);
//! - never sent (the connection could not be made): any request;
//! - maybe acted (5xx, a connection broken mid-request, an unreadable answer): only idempotent
//!   requests (reads, and writes that replace the same thing); a request that creates something
//!   fails instead, and its error says how to check whether it happened.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use super::pacing::Pacer;

/// Retries after the first attempt, at most.
pub const MAX_RETRIES: u32 = 4;

/// When a tool call must be done, and its whole budget (for messages).
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    pub at: Instant,
    pub budget: Duration,
}

impl Deadline {
    pub fn after(budget: Duration) -> Self {
        Self {
            at: Instant::now() + budget,
            budget,
        }
    }

    pub fn remaining(&self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }
}

/// What a failed attempt says about trying again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The upstream refused before acting; try again after this long.
    RateLimited(Duration),
    /// The request never left (no connection): safe to retry any request.
    NotSent,
    /// The upstream may have acted: retried only when the request is idempotent.
    Transient,
    /// Retrying cannot help.
    Final,
}

/// An upstream's error type, as the retry loop needs it.
pub trait RetryError: Sized {
    fn failure(&self) -> Failure;
    /// A short, bounded label for metrics and logs.
    fn kind(&self) -> &'static str;
    /// The tenant's next pacing slot lies `wait` away, past the deadline.
    fn no_slot(wait: Duration) -> Self;
    /// The deadline passed (or no time is left for another attempt).
    fn deadline(budget: Duration) -> Self;
}

/// Who is asking, for pacing and metrics: `upstream` names the metric family
/// (`{upstream}_retries_total`, `{upstream}_limiter_wait_seconds`).
#[derive(Clone, Copy)]
pub struct Request<'a> {
    pub upstream: &'static str,
    pub endpoint: &'static str,
    pub pacer: &'a Pacer,
    pub deadline: Deadline,
    pub idempotent: bool,
}

impl Request<'_> {
    /// Waits for the tenant's next pacing slot, or fails at once if it lies past the deadline.
    pub async fn acquire_slot<E: RetryError>(&self) -> Result<(), E> {
        let waited = self
            .pacer
            .acquire(self.deadline.at)
            .await
            .map_err(|e| E::no_slot(e.wait))?;
        metrics::histogram!(format!("{}_limiter_wait_seconds", self.upstream))
            .record(waited.as_secs_f64());
        Ok(())
    }

    /// Runs `attempt` (given the time left) until it succeeds, fails for good, or another try
    /// would pass the deadline. With `slot_held` the first attempt skips pacing (its caller
    /// already waited for the slot, e.g. to close a batch).
    pub async fn run<T, E, F, Fut>(&self, slot_held: bool, mut attempt: F) -> Result<T, E>
    where
        E: RetryError,
        F: FnMut(Duration) -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let mut retries = 0;
        let mut needs_slot = !slot_held;
        loop {
            if needs_slot {
                self.acquire_slot::<E>().await?;
            }
            needs_slot = true;
            let remaining = self.deadline.remaining();
            if remaining.is_zero() {
                return Err(E::deadline(self.deadline.budget));
            }
            let error = match attempt(remaining).await {
                Ok(value) => return Ok(value),
                Err(e) => e,
            };
            let (wait, rate_limited) = match error.failure() {
                Failure::RateLimited(wait) => {
                    // Everyone of this tenant waits, not only this request.
                    self.pacer.hold_until(Instant::now() + wait);
                    (wait, true)
                }
                Failure::NotSent => (backoff(retries), false),
                Failure::Transient if self.idempotent => (backoff(retries), false),
                Failure::Transient | Failure::Final => return Err(error),
            };
            if retries >= MAX_RETRIES || Instant::now() + wait >= self.deadline.at {
                return Err(error);
            }
            retries += 1;
            metrics::counter!(format!("{}_retries_total", self.upstream), "endpoint" => self.endpoint, "reason" => error.kind())
                .increment(1);
            tracing::debug!(
                upstream = self.upstream,
                endpoint = self.endpoint,
                reason = error.kind(),
                wait_ms = wait.as_millis() as u64,
                "retrying upstream request"
            );
            // After a 429 the pacer holds the next slot; otherwise back off first.
            if !rate_limited {
                tokio::time::sleep(wait).await;
            }
        }
    }
}

/// Full-jitter exponential backoff: 0..(250 ms × 2^n), capped at 4 s.
pub fn backoff(retries: u32) -> Duration {
    let ceiling = Duration::from_millis(250 * (1 << retries.min(4))).min(Duration::from_secs(4));
    ceiling.mul_f64(rand::random::<f64>())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[derive(Debug, PartialEq)]
    enum E {
        Failed(Failure),
        NoSlot,
        Deadline,
    }

    impl RetryError for E {
        fn failure(&self) -> Failure {
            match self {
                E::Failed(f) => *f,
                _ => Failure::Final,
            }
        }
        fn kind(&self) -> &'static str {
            "test"
        }
        fn no_slot(_: Duration) -> Self {
            E::NoSlot
        }
        fn deadline(_: Duration) -> Self {
            E::Deadline
        }
    }

    /// Fails with `failure` `fails` times, then succeeds; returns (result, attempts made).
    async fn attempts(idempotent: bool, failure: Failure, fails: u32) -> (Result<(), E>, u32) {
        let pacer = Pacer::new(0.0);
        let request = Request {
            upstream: "test",
            endpoint: "POST /x",
            pacer: &pacer,
            deadline: Deadline::after(Duration::from_secs(60)),
            idempotent,
        };
        let made = AtomicU32::new(0);
        let result = request
            .run(false, |_| {
                let n = made.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n < fails {
                        Err(E::Failed(failure))
                    } else {
                        Ok(())
                    }
                }
            })
            .await;
        (result, made.load(Ordering::SeqCst))
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_that_may_have_acted_is_retried_only_when_idempotent() {
        assert_eq!(attempts(true, Failure::Transient, 2).await, (Ok(()), 3));
        assert_eq!(
            attempts(false, Failure::Transient, 2).await,
            (Err(E::Failed(Failure::Transient)), 1)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn refusals_and_unsent_requests_are_retried_for_every_request() {
        let wait = Failure::RateLimited(Duration::from_secs(2));
        assert_eq!(attempts(false, wait, 1).await, (Ok(()), 2));
        assert_eq!(attempts(false, Failure::NotSent, 3).await, (Ok(()), 4));
        assert_eq!(
            attempts(true, Failure::Final, 1).await,
            (Err(E::Failed(Failure::Final)), 1)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn retries_stop_at_the_limit_and_before_the_deadline() {
        assert_eq!(
            attempts(true, Failure::NotSent, 100).await.1,
            MAX_RETRIES + 1
        );
        let long = Failure::RateLimited(Duration::from_secs(3600));
        assert_eq!(attempts(true, long, 1).await, (Err(E::Failed(long)), 1));
    }
}
