//! A mind as the tools show it: one readable line, and the same facts as structured content.

use schemars::JsonSchema;
use serde::Serialize;

use crate::mind_reasoner::types::Mind;

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MindOut {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// The twin create_snapshot and simulate use unless told otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_digital_twin_id: Option<String>,
    pub digital_twins: Vec<TwinOut>,
    /// Training runs, newest last.
    pub snapshots: Vec<SnapshotOut>,
    /// Whether a snapshot has completed, so simulate can answer.
    pub trained: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TwinOut {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub is_default: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotOut {
    pub id: String,
    pub digital_twin_id: String,
    /// pending, processing, completed or failed.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
}

impl MindOut {
    pub fn from_wire(mind: &Mind) -> Self {
        let default_twin = mind.default_twin().map(|t| t.id.clone());
        let snapshots: Vec<SnapshotOut> = mind
            .digital_twins
            .iter()
            .flat_map(|twin| {
                twin.mind_assessments.iter().map(move |s| SnapshotOut {
                    id: s.id.clone(),
                    digital_twin_id: twin.id.clone(),
                    status: s.status.clone(),
                    artifact_id: s.artifact_id.clone(),
                    started_at: s.started_at.clone(),
                    completed_at: s.completed_at.clone(),
                })
            })
            .collect();
        Self {
            id: mind.id.clone(),
            name: mind.name.clone(),
            email: mind.email.clone(),
            slug: mind.slug.clone(),
            trained: snapshots.iter().any(|s| s.status == "completed"),
            digital_twins: mind
                .digital_twins
                .iter()
                .map(|t| TwinOut {
                    id: t.id.clone(),
                    name: t.name.clone(),
                    is_default: default_twin.as_deref() == Some(t.id.as_str()),
                })
                .collect(),
            default_digital_twin_id: default_twin,
            snapshots,
            created_at: mind.created_at.clone(),
        }
    }

    /// `- Ada Lovelace <ada@x.io>: mind m1, default twin t1; 2 snapshots (1 completed, 1 processing); trained`
    pub fn line(&self) -> String {
        let mut line = format!("- {}", self.name.as_deref().unwrap_or("(no name)"));
        if let Some(email) = &self.email {
            line.push_str(&format!(" <{email}>"));
        }
        line.push_str(&format!(": mind {}", self.id));
        if let Some(twin) = &self.default_digital_twin_id {
            line.push_str(&format!(", default twin {twin}"));
        }
        if self.snapshots.is_empty() {
            line.push_str("; no snapshots yet");
        } else {
            let mut counts: Vec<(&str, usize)> = Vec::new();
            for s in &self.snapshots {
                match counts.iter_mut().find(|(status, _)| *status == s.status) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((&s.status, 1)),
                }
            }
            let counts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
            line.push_str(&format!(
                "; {} snapshot{} ({})",
                self.snapshots.len(),
                if self.snapshots.len() == 1 { "" } else { "s" },
                counts.join(", ")
            ));
        }
        line.push_str(if self.trained {
            "; trained"
        } else {
            "; not trained yet"
        });
        line
    }
}
