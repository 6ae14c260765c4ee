//! `create_snapshot` and `get_snapshot_status` (which can wait on the server for the end of
//! training, so an agent need not poll).

use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::mcp::error::ToolError;
use crate::mcp::progress::Progress;
use crate::mcp::tools::ToolOutput;
use crate::mind_reasoner::types::SnapshotStatus;
use crate::mind_reasoner::{MindReasonerClient, SnapshotSource};

/// Longest server-side wait of one get_snapshot_status call.
pub const MAX_WAIT_SECONDS: u64 = 25;
/// Time between status checks while waiting.
const POLL_EVERY: Duration = Duration::from_secs(2);

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateSnapshotArgs {
    /// The mind's id (from create_mind, get_all_minds or search_minds).
    pub mind_id: String,
    /// The digital twin to train (create_mind's digitalTwinId, or the mind's
    /// defaultDigitalTwinId in get_all_minds).
    pub digital_twin_id: String,
    /// From get_signed_upload_url, after upload_file_to_signed_url succeeded.
    pub artifact_id: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(transform = crate::mcp::args::optional_not_nullable)]
pub struct SnapshotStatusArgs {
    /// The mind's id (from create_mind, get_all_minds or search_minds).
    pub mind_id: String,
    /// The snapshot id (create_snapshot's snapshotId, Mind Reasoner's mindAssessmentId).
    pub snapshot_id: String,
    /// Wait up to this many seconds (0-25) for the snapshot to complete or fail before
    /// answering. Default 0: answer at once.
    #[serde(default)]
    #[schemars(range(min = 0, max = 25), example = 25)]
    pub wait_seconds: Option<u64>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateSnapshotOutput {
    pub mind_id: String,
    pub digital_twin_id: String,
    /// get_snapshot_status takes it (Mind Reasoner's mindAssessmentId).
    pub snapshot_id: String,
    pub artifact_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotStatusOutput {
    pub mind_id: String,
    pub snapshot_id: String,
    /// pending, processing, completed or failed.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
    /// Seconds this call waited on the server.
    pub waited_seconds: u64,
    /// What to do next.
    pub next: String,
    /// When to ask again, while training goes on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub poll_again_in_seconds: Option<u64>,
}

/// An id argument: trimmed, non-empty, printable, at most 200 characters.
pub(super) fn required_id<'a>(name: &str, raw: &'a str) -> Result<&'a str, ToolError> {
    let id = raw.trim();
    if id.is_empty() || id.chars().count() > 200 || id.chars().any(char::is_control) {
        return Err(ToolError::invalid(
            name,
            format!(
                "{name} must be a Mind Reasoner id as another tool returned it (1-200 printable characters)"
            ),
        ));
    }
    Ok(id)
}

pub async fn create(
    client: &MindReasonerClient,
    args: CreateSnapshotArgs,
) -> Result<ToolOutput, ToolError> {
    let mind_id = required_id("mindId", &args.mind_id)?;
    let twin = required_id("digitalTwinId", &args.digital_twin_id)?;
    let artifact = required_id("artifactId", &args.artifact_id)?;
    let created = client
        .create_snapshot(
            mind_id,
            Some(twin),
            &SnapshotSource::Artifact(artifact.to_owned()),
        )
        .await?;
    let text = format!(
        "Training started: snapshot {} of mind {mind_id} (digital twin {twin}) from artifact {artifact}. Training typically takes 5-15 minutes. Next: get_snapshot_status {{\"mindId\": \"{mind_id}\", \"snapshotId\": \"{}\", \"waitSeconds\": 25}}.",
        created.mind_assessment_id, created.mind_assessment_id
    );
    let output = CreateSnapshotOutput {
        mind_id: mind_id.to_owned(),
        digital_twin_id: twin.to_owned(),
        snapshot_id: created.mind_assessment_id,
        artifact_id: created.artifact_id.unwrap_or_else(|| artifact.to_owned()),
        message: created.message,
    };
    Ok(ToolOutput::new(text, &output))
}

pub async fn status(
    client: &MindReasonerClient,
    args: SnapshotStatusArgs,
    tool_budget: Duration,
    progress: Progress,
) -> Result<ToolOutput, ToolError> {
    let mind_id = required_id("mindId", &args.mind_id)?;
    let snapshot_id = required_id("snapshotId", &args.snapshot_id)?;
    let wait = args.wait_seconds.unwrap_or(0);
    if wait > MAX_WAIT_SECONDS {
        return Err(ToolError::invalid(
            "waitSeconds",
            format!("waitSeconds must be 0-{MAX_WAIT_SECONDS}; call again to wait longer"),
        ));
    }
    // Leave room within the tool deadline for the last check and the answer.
    let wait = Duration::from_secs(wait).min(tool_budget.saturating_sub(Duration::from_secs(4)));
    let started = tokio::time::Instant::now();
    let mut current = client.snapshot_status(mind_id, snapshot_id).await?;
    while !current.is_final() && started.elapsed() + POLL_EVERY <= wait {
        let waited = started.elapsed().as_secs();
        progress
            .report(
                waited,
                Some(wait.as_secs()),
                format!("snapshot {}, waited {waited} s", current.status),
            )
            .await;
        tokio::time::sleep(POLL_EVERY).await;
        current = client.snapshot_status(mind_id, snapshot_id).await?;
    }
    Ok(render_status(
        mind_id,
        snapshot_id,
        &current,
        started.elapsed(),
    ))
}

fn render_status(
    mind_id: &str,
    snapshot_id: &str,
    s: &SnapshotStatus,
    waited: Duration,
) -> ToolOutput {
    let (next, poll) = match s.status.as_str() {
        "completed" => (
            format!("The mind is trained on this file: simulate {{\"mindId\": \"{mind_id}\", \"message\": …}} asks it how its person would respond."),
            None,
        ),
        "failed" => (
            "Training failed: the file could not be used (empty, unreadable, or not a transcript). Upload a valid WebVTT, PDF or DOCX file (get_signed_upload_url, upload_file_to_signed_url) and create_snapshot again.".to_owned(),
            None,
        ),
        other => {
            // The docs advise 30 s for the first 5 minutes, then 60 s.
            let poll = 30;
            (
                format!("Still {}: training typically takes 5-15 minutes. Call get_snapshot_status again with waitSeconds 25 (or in about {poll} s).", if other.is_empty() { "in progress" } else { other }),
                Some(poll),
            )
        }
    };
    let text = format!(
        "Snapshot {snapshot_id} of mind {mind_id}: {}{}{}. {next}",
        if s.status.is_empty() {
            "unknown"
        } else {
            &s.status
        },
        s.started_at
            .as_deref()
            .map(|t| format!(", started {t}"))
            .unwrap_or_default(),
        s.completed_at
            .as_deref()
            .map(|t| format!(", finished {t}"))
            .unwrap_or_default(),
    );
    let output = SnapshotStatusOutput {
        mind_id: mind_id.to_owned(),
        snapshot_id: snapshot_id.to_owned(),
        status: s.status.clone(),
        started_at: s.started_at.clone(),
        completed_at: s.completed_at.clone(),
        waited_seconds: waited.as_secs(),
        next,
        poll_again_in_seconds: poll,
    };
    ToolOutput::new(text, &output)
}
