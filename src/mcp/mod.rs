//! The MCP side: the server handler, tool arguments and the tools themselves, the prompts and
//! the resources.

pub mod args;
pub mod error;
pub mod meeting_client;
pub mod progress;
pub mod prompts;
pub mod render;
pub mod resources;
pub mod server;
pub mod tools;

pub use server::{GongMcp, RequestCredentials, Transport, Upstreams};
