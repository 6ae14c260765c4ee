//! A tenant's requests per UTC day, as this replica knows them: counted here, or (in a fleet)
//! the fleet-wide count the shared store returned with each slot, plus the requests sent while
//! the store was unusable, reported to it with the next slot.

use std::sync::Mutex;

use chrono::Utc;

#[derive(Debug, Default)]
pub struct DailyCount {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Days since the Unix epoch (UTC) that `count` belongs to.
    day: i64,
    count: u64,
    /// Sent while the shared store was unusable, not yet added to its count.
    unreported: u64,
}

/// Today's UTC day number.
pub fn utc_day() -> i64 {
    Utc::now().timestamp().div_euclid(86_400)
}

impl DailyCount {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let today = utc_day();
        if state.day != today {
            state.day = today;
            state.count = 0;
        }
        state
    }

    /// One request sent on this replica's own authority; `unreported` when a shared store
    /// should hear of it later.
    pub fn add_local(&self, unreported: bool) {
        let mut state = self.state();
        state.count += 1;
        if unreported {
            state.unreported += 1;
        }
    }

    pub fn unreported(&self) -> u64 {
        self.state().unreported
    }

    /// The shared store counted `spent_today` (after adding `flushed` unreported requests).
    pub fn reported(&self, spent_today: u64, flushed: u64) {
        let mut state = self.state();
        state.count = spent_today;
        state.unreported = state.unreported.saturating_sub(flushed);
    }

    /// Requests of the current UTC day (fleet-wide as of the latest slot, in a fleet).
    pub fn spent_today(&self) -> u64 {
        self.state().count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_requests_count_and_the_shared_count_replaces_them() {
        let daily = DailyCount::default();
        daily.add_local(false);
        daily.add_local(true);
        daily.add_local(true);
        assert_eq!((daily.spent_today(), daily.unreported()), (3, 2));
        daily.reported(40, 2);
        assert_eq!((daily.spent_today(), daily.unreported()), (40, 0));
    }
}
