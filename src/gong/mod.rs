//! Gong's REST API v2, as the tools need it: credentials, wire types, a paced, caching,
//! retrying client, and errors phrased for agents.

pub mod base_url;
mod batch;
mod cache;
pub mod client;
mod coalesce;
pub mod credentials;
pub mod error;
pub mod meeting;
pub mod service;
mod transport;
pub mod types;

pub use base_url::BaseUrlError;
pub use client::{GongClient, ListCallsQuery, MAX_CALL_IDS_PER_REQUEST};
pub use credentials::{GongCredentials, TenantHasher, TenantKey};
pub use error::GongError;
pub use service::{GongService, GongSettings};
