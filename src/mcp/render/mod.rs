//! Turning Gong's data into what agents read: compact text, and structured content that fits
//! the context budget.
//!
//! Budgets are measured in UTF-8 bytes, which is at least the character count and tracks tokens
//! better for non-Latin scripts (a CJK character is three bytes and about one token).

pub mod call_header;
pub mod calls;
pub mod details;
pub mod details_fit;
pub mod details_text;
pub mod fmt;
pub mod paging;
pub mod synthetic;
pub mod transcript;
pub mod transcript_out;
pub mod transcript_page;
#[cfg(test)]
mod transcript_props;
mod transcript_text;

use serde::Serialize;

/// The most one answer may hold, text and structured content together. Claude Code refuses tool
/// results over 25,000 tokens; JSON runs about 3.2 characters a token, so 80,000 stays under.
pub const RESPONSE_BUDGET: usize = 80_000;

/// Bytes of `value` as compact JSON (what goes over the wire as structured content).
pub fn json_len<T: Serialize>(value: &T) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}
pub(crate) use transcript_text::vtt_escape;
