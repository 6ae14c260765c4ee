//! Every HTTP header name the server reads or writes, in one place.

use http::HeaderName;

/// A tenant's Gong access key.
pub const GONG_ACCESS_KEY: HeaderName = HeaderName::from_static("x-gong-access-key");
/// A tenant's Gong access key secret.
pub const GONG_ACCESS_SECRET: HeaderName = HeaderName::from_static("x-gong-access-secret");
/// A tenant's Gong API host, e.g. `https://us-12345.api.gong.io` (checked against the allow-list).
pub const GONG_BASE_URL: HeaderName = HeaderName::from_static("x-gong-base-url");
/// A tenant's Mind Reasoner API key.
pub const MIND_REASONER_API_KEY: HeaderName = HeaderName::from_static("x-mind-reasoner-api-key");
/// A tenant's Fathom API key.
pub const FATHOM_API_KEY: HeaderName = HeaderName::from_static("x-fathom-api-key");
/// A tenant's Fireflies API key.
pub const FIREFLIES_API_KEY: HeaderName = HeaderName::from_static("x-fireflies-api-key");
/// Correlates a request across our logs and the caller's.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Headers whose values must never reach a log line.
pub const SENSITIVE: [HeaderName; 7] = [
    http::header::AUTHORIZATION,
    http::header::COOKIE,
    GONG_ACCESS_KEY,
    GONG_ACCESS_SECRET,
    MIND_REASONER_API_KEY,
    FATHOM_API_KEY,
    FIREFLIES_API_KEY,
];
