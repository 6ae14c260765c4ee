//! Fakes of upstream services, for `--demo` and the tests, kept apart from production code.

pub mod fathom;
pub mod fireflies;
pub mod mind_reasoner;
