//! The HTTP side: router, credential middleware, header names.

pub mod credentials;
pub mod headers;
pub mod router;
