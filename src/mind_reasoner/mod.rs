//! Mind Reasoner's public REST API (v1), as the tools need it: a tenant's API key, lenient wire
//! types, a paced client that never retries a request into a duplicate, uploads to signed URLs
//! on allowed hosts only, and errors phrased for agents.
//!
//! Facts it is built from: `shared/mindreasoner/API-NOTES.md` (endpoints, shapes, limits).

pub mod client;
pub mod credentials;
pub mod error;
pub mod service;
mod transport;
pub mod types;

pub use client::{MindReasonerClient, SimulateRequest, SnapshotSource};
pub use credentials::MindReasonerKey;
pub use error::MindReasonerError;
pub use service::{MindReasonerService, MindReasonerSettings};

/// The v1 API root the integration documents link to.
pub const DEFAULT_BASE_URL: &str = "https://app.mindreasoner.com/api/public/v1";
/// Signed upload URLs are Google Cloud Storage URLs.
pub const DEFAULT_UPLOAD_HOSTS: &str = "storage.googleapis.com";
/// The multipart `file` field's documented limit ("at most 4 MB"): the safe size for a direct upload.
pub const MAX_DIRECT_UPLOAD_BYTES: usize = 4 * 1024 * 1024;
/// The lower of the limits documented for the signed-URL path (50 MB and 100 MB).
pub const MAX_SIGNED_UPLOAD_BYTES: usize = 50 * 1024 * 1024;

/// The artifact types Mind Reasoner trains on.
pub const CONTENT_TYPES: [&str; 3] = [
    "text/vtt",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
];
