//! The one meeting model every recorder is read into (Gong, Fathom, Fireflies), and the
//! operations a provider adapter implements. The renderer (`crate::mcp::render`), the speaker
//! listing and the mind pipeline work on these types only; each provider's folder converts its
//! wire types into them and no provider module imports another.

mod model;
mod provider;

pub use model::{
    Affiliation, MeetingHeader, MeetingTranscript, Participant, Sentence, Source, Turn,
};
pub use provider::{MeetingPage, MeetingProvider, WindowQuery};
