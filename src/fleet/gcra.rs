//! Fleet-wide slots of one (upstream, tenant): the GCRA script in `gcra.lua`, run by Redis.
//! Implements [`SharedSlots`] for the tenant's [`Pacer`](crate::upstream::Pacer).

use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;

use super::FleetCore;
use crate::upstream::daily::utc_day;
use crate::upstream::shared::{Reservation, SharedMode, SharedSlots};

/// The spread in time from Redis's answer to the upstream that shared slots tolerate: the
/// answer's way back to the replica, its timer and runtime, and the way on to Gong. Larger than
/// one process's jitter: several replicas' lateness adds up.
pub const FLEET_JITTER: Duration = Duration::from_millis(60);

pub fn script() -> redis::Script {
    redis::Script::new(include_str!("gcra.lua"))
}

/// The slot spacing for `requests_per_second`: any `rate + 1` consecutive slots span at least
/// one second plus `jitter` (0 = unpaced).
pub fn interval_micros(requests_per_second: f64, jitter: Duration) -> u64 {
    if requests_per_second <= 0.0 {
        return 0;
    }
    let span = (Duration::from_secs(1) + jitter).as_micros() as f64;
    (span / requests_per_second).ceil() as u64
}

pub struct FleetSlots {
    core: Arc<FleetCore>,
    /// `gong-mcp:{upstream:tenant}` (the braces keep a tenant's keys in one cluster slot).
    prefix: String,
    interval_us: u64,
}

impl std::fmt::Debug for FleetSlots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FleetSlots")
            .field("interval_us", &self.interval_us)
            .finish_non_exhaustive()
    }
}

impl FleetSlots {
    pub(super) fn new(core: Arc<FleetCore>, prefix: String, requests_per_second: f64) -> Self {
        Self {
            core,
            prefix,
            interval_us: interval_micros(requests_per_second, FLEET_JITTER),
        }
    }

    fn tat_key(&self) -> String {
        format!("{}:tat", self.prefix)
    }

    fn day_key(&self) -> String {
        format!("{}:day:{}", self.prefix, utc_day())
    }

    /// Runs the script: `Some((first, second))` as `gcra.lua` returns them.
    async fn invoke(&self, op: &'static str, arg: u64, unreported: u64) -> Option<(i64, i64)> {
        let (tat, day) = (self.tat_key(), self.day_key());
        let script = &self.core.gcra;
        self.core
            .link
            .run("gcra", |mut conn| async move {
                script
                    .key(tat)
                    .key(day)
                    .arg(op)
                    .arg(self.interval_us)
                    .arg(arg)
                    .arg(unreported)
                    .invoke_async::<(i64, i64)>(&mut conn)
                    .await
            })
            .await
    }
}

impl SharedSlots for FleetSlots {
    fn mode(&self) -> SharedMode {
        self.core.link.mode()
    }

    fn reserve(&self, max_wait: Duration, unreported: u64) -> BoxFuture<'_, Reservation> {
        async move {
            let max_us = u64::try_from(max_wait.as_micros()).unwrap_or(u64::MAX / 2);
            match self.invoke("take", max_us, unreported).await {
                Some((-1, wait)) => Reservation::TooLate(Duration::from_micros(wait.max(0) as u64)),
                Some((wait, spent)) => Reservation::Granted {
                    wait: Duration::from_micros(wait.max(0) as u64),
                    spent_today: spent.max(0) as u64,
                },
                None => Reservation::Unavailable,
            }
        }
        .boxed()
    }

    fn spent_today(&self) -> BoxFuture<'_, Option<u64>> {
        let key = self.day_key();
        async move {
            self.core
                .link
                .run("GET", |mut conn| async move {
                    redis::cmd("GET")
                        .arg(key)
                        .query_async::<Option<u64>>(&mut conn)
                        .await
                })
                .await
                .map(Option::unwrap_or_default)
        }
        .boxed()
    }

    fn hold(&self, wait: Duration) {
        let this = Self {
            core: Arc::clone(&self.core),
            prefix: self.prefix.clone(),
            interval_us: self.interval_us,
        };
        let wait_us = u64::try_from(wait.as_micros()).unwrap_or(u64::MAX / 2);
        // The 429's own request is being retried by the caller; the hold reaches the other
        // replicas as fast as Redis answers, without delaying it.
        tokio::spawn(async move {
            this.invoke("hold", wait_us, 0).await;
        });
    }
}
