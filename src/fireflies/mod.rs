//! Fireflies' GraphQL API, as the tools need it: a tenant's API key, lenient wire types, a client
//! paced per tenant and counted against a daily allowance (Fireflies' Free and Pro plans allow 50
//! requests a day), rate limits read from GraphQL error codes, a cache of finished transcripts,
//! and the conversion into the shared meeting model.
//!
//! Facts it is built from: `shared/meetings/FATHOM-FIREFLIES.md` (Fireflies section).

mod allowance;
mod cache;
pub mod client;
pub mod config;
pub mod credentials;
pub mod error;
pub mod graphql;
pub mod meeting;
pub mod service;
mod transport;
pub mod types;

pub use client::FirefliesClient;
pub use credentials::FirefliesKey;
pub use error::FirefliesError;
pub use service::{FirefliesService, FirefliesSettings};

/// Fireflies' GraphQL endpoint (the full URL).
pub const DEFAULT_API_URL: &str = "https://api.fireflies.ai/graphql";
