//! One HTTP exchange with an upstream, up to a whole answer: sent within a timeout, the body read
//! with a size cap, counted in the upstream's metrics. Transport failures are turned into the
//! upstream's own error type through [`TransportError`]; the status and body are left to it.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::upstream::response::{BodyError, describe_reqwest, read_body, root_cause};

/// A whole answer, whatever its status.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// A request failed before a whole answer arrived.
pub enum SendError<E> {
    /// The timeout passed (the caller knows its deadline, for the message).
    Timeout,
    Failed(E),
}

/// The transport failures every upstream's error type says in its own words.
pub trait TransportError {
    /// The connection could not be made: nothing was sent.
    fn unreachable(host: &str, detail: String) -> Self;
    /// The connection broke before a status arrived.
    fn interrupted(detail: String) -> Self;
    /// The answer could not be read (too large, or cut mid-body).
    fn malformed(detail: String) -> Self;
}

/// `TransportError` and `RetryError` for an upstream's error enum that has the variants
/// `Unreachable { host, detail }`, `Interrupted { detail }`, `Malformed { detail }`,
/// `Upstream { .. }`, `RateLimited { retry_after }`, `Timeout(budget)`, and a `kind()`. Every
/// request of such an upstream is a read, safe to repeat: a 429 waits, a connection never made
/// is retried, a 5xx, a broken connection or an unreadable answer is transient.
macro_rules! upstream_error {
    ($error:ty) => {
        impl $crate::upstream::exchange::TransportError for $error {
            fn unreachable(host: &str, detail: String) -> Self {
                Self::Unreachable {
                    host: host.to_owned(),
                    detail,
                }
            }

            fn interrupted(detail: String) -> Self {
                Self::Interrupted { detail }
            }

            fn malformed(detail: String) -> Self {
                Self::Malformed { detail }
            }
        }

        impl $crate::upstream::RetryError for $error {
            fn failure(&self) -> $crate::upstream::Failure {
                use $crate::upstream::Failure;
                match self {
                    Self::RateLimited { retry_after } => Failure::RateLimited(*retry_after),
                    Self::Unreachable { .. } => Failure::NotSent,
                    Self::Upstream { .. } | Self::Interrupted { .. } | Self::Malformed { .. } => {
                        Failure::Transient
                    }
                    _ => Failure::Final,
                }
            }

            fn kind(&self) -> &'static str {
                <$error>::kind(self)
            }

            fn no_slot(wait: std::time::Duration) -> Self {
                Self::RateLimited { retry_after: wait }
            }

            fn deadline(budget: std::time::Duration) -> Self {
                Self::Timeout(budget)
            }
        }
    };
}
pub(crate) use upstream_error;

/// Where an exchange is counted: `requests_total{label, status}` and
/// `duration_seconds{label}`, `label` being e.g. `endpoint` or `operation`.
#[derive(Clone, Copy)]
pub struct Metered {
    pub requests_total: &'static str,
    pub duration_seconds: &'static str,
    pub label: &'static str,
    pub value: &'static str,
}

impl Metered {
    fn record(&self, status: &str, started: Instant) {
        metrics::counter!(self.requests_total, self.label => self.value, "status" => status.to_owned())
            .increment(1);
        metrics::histogram!(self.duration_seconds, self.label => self.value)
            .record(started.elapsed().as_secs_f64());
    }
}

/// Sends one built request (auth attached) to `host` within `timeout`, reading at most
/// `max_bytes` of answer.
pub async fn send<E: TransportError>(
    request: reqwest::RequestBuilder,
    metered: Metered,
    host: &str,
    max_bytes: usize,
    timeout: Duration,
) -> Result<Answer, SendError<E>> {
    let started = Instant::now();
    let response = match request.timeout(timeout).send().await {
        Ok(r) => r,
        Err(e) if e.is_timeout() => {
            metered.record("timeout", started);
            return Err(SendError::Timeout);
        }
        Err(e) => {
            metered.record("error", started);
            return Err(SendError::Failed(if e.is_connect() {
                E::unreachable(host, describe_reqwest(&e))
            } else {
                E::interrupted(root_cause(&e))
            }));
        }
    };
    let status = response.status();
    let headers = response.headers().clone();
    let body = read_body(response, max_bytes).await;
    metered.record(status.as_str(), started);
    let body = match body {
        Ok(b) => b,
        Err(BodyError::Timeout) => return Err(SendError::Timeout),
        Err(BodyError::TooLarge) => {
            return Err(SendError::Failed(E::malformed(format!(
                "the response is larger than {} MiB",
                max_bytes >> 20
            ))));
        }
        Err(BodyError::Cut(detail)) => {
            return Err(SendError::Failed(E::malformed(format!(
                "the connection broke mid-response: {detail}"
            ))));
        }
    };
    Ok(Answer {
        status,
        headers,
        body,
    })
}
