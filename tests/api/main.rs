//! One integration-test binary: the real server on a random port, real MCP clients over HTTP
//! (and stdio), the synthetic Gong behind it.

mod call_details;
mod eras;
mod errors;
mod faults;
mod gong_fixtures;
mod helpers;
mod hostile;
mod http_security;
mod list_calls;
mod ops;
mod outputs;
mod proptests;
mod quota;
mod schemas;
mod secrets;
mod soak;
mod stdio;
mod tools_visibility;
mod transcript;
