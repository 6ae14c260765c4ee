//! Scripted failures of the synthetic Fireflies, applied in order to the next authenticated
//! requests (they win over the rate limits; a faulted request still counts).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq)]
pub enum FfFault {
    /// An HTTP status with an HTML body (a proxy's error page).
    Status(u16),
    /// HTTP 200 with a body that is not JSON.
    Malformed,
    /// Answer normally after this long.
    Delay(Duration),
    /// `too_many_requests` with `retryAfter` = now + `wait` (Unix ms), under this HTTP status.
    RateLimited { wait: Duration, status: u16 },
    /// A GraphQL error with this code and message, HTTP 200.
    Code { code: String, message: String },
}

#[derive(Default)]
pub struct FfFaults {
    queue: Mutex<VecDeque<FfFault>>,
}

impl FfFaults {
    pub fn push(&self, fault: FfFault) {
        self.queue
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push_back(fault);
    }

    pub fn next(&self) -> Option<FfFault> {
        self.queue
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop_front()
    }

    pub fn clear(&self) {
        self.queue.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}
