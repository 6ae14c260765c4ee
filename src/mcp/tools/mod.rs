//! The tools: Gong's three (each fetches what it needs from Gong and hands it to `render`, which
//! shapes the text and the structured content (with its JSON schema).

pub mod call_details;
pub mod fathom;
pub mod fireflies;
pub mod list_calls;
pub mod mind_reasoner;
pub mod pipeline;
pub mod transcript;

use rmcp::model::{CallToolResult, ContentBlock};
use serde::Serialize;

/// A successful tool answer: readable text plus the same facts as structured JSON.
pub struct ToolOutput {
    text: String,
    structured: serde_json::Value,
}

impl ToolOutput {
    pub fn new<T: Serialize>(text: String, structured: &T) -> Self {
        Self {
            text,
            structured: serde_json::to_value(structured).unwrap_or(serde_json::Value::Null),
        }
    }

    /// The text, as the tool's first content block carries it.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn structured(&self) -> &serde_json::Value {
        &self.structured
    }

    pub fn into_result(self) -> CallToolResult {
        let mut result = CallToolResult::success(vec![ContentBlock::text(self.text)]);
        result.structured_content = Some(self.structured);
        result
    }
}
