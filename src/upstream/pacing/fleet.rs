//! A [`Pacer`]'s slots in a fleet: from the shared store, or, while it is unusable, from this
//! replica alone at rate / fleet size, arranged so that neither switch-over puts more than the
//! rate into one of the upstream's seconds:
//!
//! - the store grants slots at most [`SHARED_HORIZON`] ahead (a caller further back in the
//!   queue asks again later), so when it fails, every slot it granted lies within the horizon;
//!   fallback slots start a horizon plus one window (a second plus jitter) after the failure;
//! - when the store returns, a replica takes both a fallback slot and a shared one for
//!   [`RESUME_GRACE`](crate::fleet::link::RESUME_GRACE), until every replica has seen it back; a
//!   request that waited for a fallback slot while the store came back takes a shared one too.

use std::time::Duration;

use tokio::time::Instant;

use super::{DEFAULT_JITTER, NoSlotBeforeDeadline, Pacer};
use crate::upstream::shared::{Reservation, SharedMode, SharedSlots};

/// How far ahead the shared store grants a slot.
pub const SHARED_HORIZON: Duration = Duration::from_secs(1);

/// A request let go later than this after its shared slot (a busy runtime polled it late)
/// gives the slot up and asks for a new one: sent that late it could share one of the
/// upstream's seconds with the next `rate` slots, which other replicas send on time.
pub const LATE_SLOT: Duration = Duration::from_millis(20);

impl Pacer {
    /// A fleet-wide slot; in-process pacing while the shared store is unusable.
    pub(super) async fn acquire_shared(
        &self,
        shared: &dyn SharedSlots,
        deadline: Instant,
    ) -> Result<(), NoSlotBeforeDeadline> {
        let mut local_held = false;
        loop {
            match shared.mode() {
                SharedMode::Fallback { since } if !local_held => {
                    self.acquire_fallback(since, deadline).await?;
                    // The store may have come back meanwhile: then take a shared slot too.
                    local_held = true;
                    continue;
                }
                SharedMode::Fallback { .. } => {
                    self.daily.add_local(true);
                    return Ok(());
                }
                SharedMode::Resuming if !local_held => {
                    // Replicas still pacing alone spend rate / fleet size each: so does this one.
                    self.acquire_local(deadline).await?;
                    local_held = true;
                }
                SharedMode::Shared if !local_held => {
                    // A 429 seen here holds this replica at once, before the store has heard.
                    let held = self.state().next_slot;
                    if held > deadline {
                        return Err(NoSlotBeforeDeadline {
                            wait: held.saturating_duration_since(Instant::now()),
                        });
                    }
                    sleep_until_if_ahead(held).await;
                }
                _ => {}
            }
            let asked = Instant::now();
            let max_wait = deadline.saturating_duration_since(asked);
            let unreported = self.daily.unreported();
            match shared
                .reserve(max_wait.min(SHARED_HORIZON), unreported)
                .await
            {
                Reservation::Granted { wait, spent_today } => {
                    self.daily.reported(spent_today, unreported);
                    // Redis ran the script just after it was asked: the slot is `wait` after
                    // that (an answer read late by a busy runtime does not move it).
                    let slot = asked + wait;
                    sleep_until_if_ahead(slot).await;
                    if Instant::now() <= slot + LATE_SLOT {
                        return Ok(());
                    }
                    metrics::counter!("fleet_slots_given_up_total").increment(1);
                }
                Reservation::TooLate(wait) if wait > max_wait => {
                    return Err(NoSlotBeforeDeadline { wait });
                }
                // Further back in the queue than the horizon: ask again when nearer.
                Reservation::TooLate(wait) => {
                    tokio::time::sleep(wait.saturating_sub(SHARED_HORIZON / 2)).await;
                }
                Reservation::Unavailable => {
                    if !local_held {
                        let since = match shared.mode() {
                            SharedMode::Fallback { since } => since,
                            // The store answered with an error but is there: pace alone.
                            _ => Instant::now(),
                        };
                        self.acquire_fallback(since, deadline).await?;
                    }
                    self.daily.add_local(true);
                    return Ok(());
                }
            }
        }
    }

    /// A fallback slot after the shared store failed at `since`: not before every slot it
    /// granted (within the horizon) is a full window in the past.
    async fn acquire_fallback(
        &self,
        since: Instant,
        deadline: Instant,
    ) -> Result<(), NoSlotBeforeDeadline> {
        self.hold_local_until(since + SHARED_HORIZON + Duration::from_secs(1) + DEFAULT_JITTER);
        self.acquire_local(deadline).await?;
        Ok(())
    }
}

/// Sleeps until `at` only if it is still ahead: tokio rounds a deadline up to its next 1 ms
/// tick, so sleeping until a moment already past (the usual granted slot, `wait` 0) would
/// still cost up to a millisecond per request.
async fn sleep_until_if_ahead(at: Instant) {
    if at > Instant::now() {
        tokio::time::sleep_until(at).await;
    }
}
