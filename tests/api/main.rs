//! One integration-test binary: the real server on a random port, real MCP clients over HTTP
//! (and stdio), the synthetic Gong behind it.

// This binary's logs go into the suite's captured trace log (scanned for secrets), from before
// its first test, whether or not the test starts a server.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static CAPTURE: extern "C" fn() = capture;

extern "C" fn capture() {
    helpers::init_test_log();
}

mod call_details;
mod completions;
mod eras;
mod errors;
mod fathom;
mod faults;
mod fireflies;
mod fleet;
mod gong_fixtures;
mod helpers;
mod hostile;
mod http_security;
mod list_calls;
mod mind_reasoner;
mod ops;
mod outputs;
mod pipeline;
mod pipeline_sources;
mod prompts;
mod proptests;
mod quota;
mod resource_errors;
mod resources;
mod schemas;
mod secrets;
mod soak;
mod stdio;
mod tools_visibility;
mod transcript;
mod transcript_rules;
