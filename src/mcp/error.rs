//! Why a tool call failed, as the agent reads it in an `isError` result.

use crate::fathom::FathomError;
use crate::fireflies::FirefliesError;
use crate::gong::GongError;
use crate::mind_reasoner::MindReasonerError;

#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    #[error("Invalid argument `{name}`: {message}")]
    InvalidArgument { name: String, message: String },
    /// Nothing to return for what was asked, with what to try instead.
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Gong(#[from] GongError),
    #[error("{0}")]
    MindReasoner(#[from] MindReasonerError),
    #[error("{0}")]
    Fathom(#[from] FathomError),
    #[error("{0}")]
    Fireflies(#[from] FirefliesError),
    /// A multi-step tool failed partway: what was done, what failed, how to continue.
    #[error("{0}")]
    Pipeline(String),
    #[error(
        "Gong tools are not available: this request carries no Gong credentials. Send both the X-Gong-Access-Key and X-Gong-Access-Secret headers (a Gong access key pair from Admin center > Settings > Ecosystem > API)."
    )]
    MissingHttpCredentials,
    #[error(
        "Gong tools are not available: no Gong credentials. Set both GONG_ACCESS_KEY and GONG_ACCESS_SECRET in the environment of gong-mcp (a Gong access key pair from Admin center > Settings > Ecosystem > API)."
    )]
    MissingStdioCredentials,
    #[error(
        "Mind Reasoner tools are not available: this request carries no Mind Reasoner API key. Send it in the X-Mind-Reasoner-Api-Key header (or as Authorization: Bearer when this server has no access tokens configured); the operator can set a default with MIND_REASONER_API_KEY."
    )]
    MissingMindReasonerKeyHttp,
    #[error(
        "Mind Reasoner tools are not available: no Mind Reasoner API key. Set MIND_REASONER_API_KEY in the environment of gong-mcp."
    )]
    MissingMindReasonerKeyStdio,
    #[error(
        "Fathom tools are not available: this request carries no Fathom API key. Send it in the X-Fathom-Api-Key header (a key from Fathom under Settings > API Access); the operator can set a default with FATHOM_API_KEY."
    )]
    MissingFathomKeyHttp,
    #[error(
        "Fathom tools are not available: no Fathom API key. Set FATHOM_API_KEY in the environment of gong-mcp (a key from Fathom under Settings > API Access)."
    )]
    MissingFathomKeyStdio,
    #[error(
        "Fireflies tools are not available: this request carries no Fireflies API key. Send it in the X-Fireflies-Api-Key header (Fireflies: Integrations > Fireflies API); the operator can set a default with FIREFLIES_API_KEY."
    )]
    MissingFirefliesKeyHttp,
    #[error(
        "Fireflies tools are not available: no Fireflies API key. Set FIREFLIES_API_KEY in the environment of gong-mcp (Fireflies: Integrations > Fireflies API)."
    )]
    MissingFirefliesKeyStdio,
    /// A tool that needs both Gong credentials and a Mind Reasoner key lacks one.
    #[error("{0}")]
    MissingPipelineCredentials(String),
    #[error(
        "This tool call did not finish within its deadline of {0} s; retry, or ask for less (a narrower date range, fewer call ids)."
    )]
    Deadline(u64),
}

impl ToolError {
    pub fn invalid(name: &str, message: impl Into<String>) -> Self {
        ToolError::InvalidArgument {
            name: name.to_owned(),
            message: message.into(),
        }
    }

    /// A bounded label for metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            ToolError::InvalidArgument { .. } => "invalid_argument",
            ToolError::NotFound(_) => "not_found",
            ToolError::Gong(e) => e.kind(),
            ToolError::MindReasoner(e) => e.kind(),
            ToolError::Fathom(e) => e.kind(),
            ToolError::Fireflies(e) => e.kind(),
            ToolError::Pipeline(_) => "pipeline",
            ToolError::MissingHttpCredentials
            | ToolError::MissingStdioCredentials
            | ToolError::MissingMindReasonerKeyHttp
            | ToolError::MissingMindReasonerKeyStdio
            | ToolError::MissingFathomKeyHttp
            | ToolError::MissingFathomKeyStdio
            | ToolError::MissingFirefliesKeyHttp
            | ToolError::MissingFirefliesKeyStdio
            | ToolError::MissingPipelineCredentials(_) => "no_credentials",
            ToolError::Deadline(_) => "timeout",
        }
    }
}
