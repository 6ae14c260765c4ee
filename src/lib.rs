//! gong-mcp: a multi-tenant MCP server (streamable HTTP and stdio) for reading Gong calls.

pub mod gong;
