//! The connection to Redis and whether it is usable. Every command has a tight timeout; a
//! connection failure or a timeout switches this replica to fallback (in-process pacing and
//! cache) at once, logged and counted once per transition, and a probe every half second
//! switches it back as soon as Redis answers again. Redis failing never fails a tool call.

use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::time::Instant;

use super::FleetError;
use super::url::RedisUrl;
use crate::upstream::shared::SharedMode;

/// How often a replica in fallback asks Redis whether it is back.
pub const PROBE_INTERVAL: Duration = Duration::from_millis(500);

/// After Redis returns, how long this replica also keeps to its fallback rate: long enough for
/// every other replica's probe to have seen Redis back, plus one of Gong's windows.
pub const RESUME_GRACE: Duration = Duration::from_millis(500 + 1000 + 30);

pub struct Link {
    manager: ConnectionManager,
    timeout: Duration,
    up: AtomicBool,
    /// When `up` last changed.
    since: Mutex<Instant>,
}

impl Link {
    /// Connects lazily: a Redis that is down at start leaves the replica in fallback.
    pub fn new(url: &RedisUrl, timeout: Duration) -> Result<Self, FleetError> {
        let client = redis::Client::open(url.expose()).map_err(|_| FleetError::BadUrl {
            reason: "the Redis client does not accept it",
        })?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout.max(Duration::from_millis(500))))
            .set_response_timeout(Some(timeout))
            .set_number_of_retries(2)
            .set_min_delay(Duration::from_millis(50))
            .set_max_delay(Duration::from_millis(400));
        let manager =
            client
                .get_connection_manager_lazy(config)
                .map_err(|_| FleetError::BadUrl {
                    reason: "the Redis client does not accept it",
                })?;
        metrics::gauge!("fleet_redis_up").set(0.0);
        Ok(Self {
            manager,
            timeout,
            up: AtomicBool::new(false),
            // Long ago: a replica that finds Redis up at start has no fallback to leave.
            since: Mutex::new(Instant::now() - RESUME_GRACE),
        })
    }

    fn since(&self) -> Instant {
        *self.since.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::Acquire)
    }

    pub fn mode(&self) -> SharedMode {
        let since = self.since();
        if !self.is_up() {
            SharedMode::Fallback { since }
        } else if since.elapsed() < RESUME_GRACE {
            SharedMode::Resuming
        } else {
            SharedMode::Shared
        }
    }

    /// Runs one command on the shared connection, within the timeout. `None` when Redis is
    /// unusable (the replica is then in fallback) or answered with an error.
    pub async fn run<T, F, Fut>(&self, what: &'static str, command: F) -> Option<T>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        if !self.is_up() {
            return None;
        }
        match tokio::time::timeout(self.timeout, command(self.manager.clone())).await {
            Ok(Ok(value)) => Some(value),
            Ok(Err(e)) if !(e.is_io_error() || e.is_timeout() || e.is_connection_dropped()) => {
                // Redis answered, with an error (a full memory, say): this command failed,
                // Redis did not.
                metrics::counter!("fleet_redis_errors_total", "command" => what).increment(1);
                tracing::debug!(command = what, kind = ?e.kind(), "Redis answered with an error");
                None
            }
            Ok(Err(e)) => {
                self.set_up(false, what, Some(format!("{:?}", e.kind())));
                None
            }
            Err(_) => {
                self.set_up(false, what, Some("timeout".into()));
                None
            }
        }
    }

    /// Asks Redis whether it is there (PING, within the timeout) and records the answer.
    pub async fn probe(&self) -> bool {
        let mut manager = self.manager.clone();
        let ping = redis::cmd("PING");
        let ok = matches!(
            tokio::time::timeout(self.timeout, ping.query_async::<String>(&mut manager)).await,
            Ok(Ok(_))
        );
        self.set_up(ok, "PING", (!ok).then(|| "no answer".into()));
        ok
    }

    /// The first probe: Redis up at start is shared mode at once (no fallback to leave).
    pub async fn probe_at_start(&self) -> bool {
        let up = self.probe().await;
        if up {
            *self.since.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now() - RESUME_GRACE;
        }
        up
    }

    /// Records a transition (once: the first caller to see it logs it).
    fn set_up(&self, up: bool, command: &'static str, reason: Option<String>) {
        if self.up.swap(up, Ordering::AcqRel) == up {
            return;
        }
        *self.since.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
        metrics::gauge!("fleet_redis_up").set(if up { 1.0 } else { 0.0 });
        let to = if up { "shared" } else { "fallback" };
        metrics::counter!("fleet_mode_transitions_total", "to" => to).increment(1);
        if up {
            tracing::info!("Redis answers again: shared pacing, budget and cache resume");
        } else {
            tracing::warn!(
                command,
                reason = reason.as_deref().unwrap_or(""),
                "Redis is unusable: pacing each tenant in-process at rate / fleet size, caching in-process, until it answers again"
            );
        }
    }

    /// While the replica is in fallback, probes every [`PROBE_INTERVAL`]; stops with the link.
    pub fn spawn_prober(link: &std::sync::Arc<Self>) {
        let weak = std::sync::Arc::downgrade(link);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(PROBE_INTERVAL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(link) = weak.upgrade() else { return };
                if !link.is_up() {
                    link.probe().await;
                }
            }
        });
    }
}
