//! The library's unit tests log into the suite's captured trace log too (see
//! [`crate::telemetry::capture_test_log`]): installed before `main` of the unit-test binary by
//! an ELF constructor, so no unit test runs, and logs, uncaptured.

#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static CAPTURE: extern "C" fn() = capture;

extern "C" fn capture() {
    crate::telemetry::capture_test_log("gong-mcp library unit tests");
}
