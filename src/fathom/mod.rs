//! Fathom's public REST API (`/external/v1`), as the tools need it: a tenant's API key, lenient
//! wire types, a client paced to Fathom's 60 requests a minute per key that honours its
//! `RateLimit-*` headers, a per-tenant cache of what cannot change, and the conversion into the
//! one meeting model (`crate::meetings`).
//!
//! Fathom has no meeting-by-id and no search endpoint: meetings are found by listing (with date
//! and invitee filters), in bounded scans whose answers say what was scanned.
//!
//! Facts it is built from: `shared/meetings/FATHOM-FIREFLIES.md` (Fathom section).

mod cache;
pub mod client;
pub mod credentials;
pub mod error;
pub mod meeting;
pub mod service;
mod transport;
pub mod types;

pub use client::{FathomClient, ListQuery, Page};
pub use credentials::FathomKey;
pub use error::FathomError;
pub use service::{FathomService, FathomSettings};

/// The API root Fathom documents.
pub const DEFAULT_BASE_URL: &str = "https://api.fathom.ai/external/v1";
