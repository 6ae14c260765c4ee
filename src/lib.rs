//! gong-mcp: a multi-tenant MCP server (streamable HTTP and stdio) for reading Gong calls.

pub mod config;
pub mod demo;
pub mod fakes;
pub mod fathom;
pub mod fireflies;
pub mod fleet;
pub mod gong;
pub mod healthcheck;
pub mod http;
pub mod mcp;
pub mod meetings;
pub mod mind_reasoner;
pub mod observability;
pub mod startup;
pub mod stdio;
pub mod telemetry;
#[cfg(test)]
mod test_log;
pub mod upstream;
