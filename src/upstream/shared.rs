//! The seam between a tenant's [`Pacer`](super::Pacer) and pacing shared by a fleet of replicas
//! (see `crate::fleet`): the pacer asks for the tenant's next fleet-wide slot, and falls back to
//! pacing alone when the shared store cannot answer.

use std::fmt;
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::time::Instant;

/// What the shared store granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// The slot is `wait` from now; `spent_today` counts this tenant's requests of the UTC day
    /// (fleet-wide, this one included).
    Granted { wait: Duration, spent_today: u64 },
    /// The next slot lies `wait` away, past the caller's deadline; nothing was reserved.
    TooLate(Duration),
    /// The store did not answer (down, slow, restarting): pace in-process instead.
    Unavailable,
}

/// Whether the shared store is usable, as the pacer needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharedMode {
    /// Every slot comes from the store.
    Shared,
    /// The store just came back: other replicas may still pace alone, so slots come from the
    /// store *and* the in-process fallback pacer until they have all switched back.
    Resuming,
    /// The store has been unusable since `since`: pace in-process (at rate / fleet size),
    /// starting one window after `since` so slots the store granted before are not doubled.
    Fallback { since: Instant },
}

/// Fleet-wide slots of one (upstream, tenant).
pub trait SharedSlots: Send + Sync + fmt::Debug {
    fn mode(&self) -> SharedMode;
    /// Reserves the next slot if it is at most `max_wait` away. `unreported` requests were sent
    /// while the store was unusable; they are added to the day's count.
    fn reserve(&self, max_wait: Duration, unreported: u64) -> BoxFuture<'_, Reservation>;
    /// After a 429: no slot of this tenant, on any replica, before `wait` from now.
    fn hold(&self, wait: Duration);
    /// The tenant's fleet-wide requests of the UTC day (`None` when the store is unusable).
    fn spent_today(&self) -> BoxFuture<'_, Option<u64>>;
}
