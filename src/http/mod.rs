//! The HTTP side: router, access control, credential middleware, header names.

pub mod access;
pub mod credentials;
pub mod headers;
pub mod router;
