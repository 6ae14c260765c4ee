//! One tenant's data: minds, their digital twins, snapshots (mind
//! assessments) and artifacts, and the JSON a mind is listed as.
//!
//! A snapshot's status is computed from the time since it was created
//! (`pending`, then `processing`, one `snapshot_step` each, then `completed`
//! or `failed`), so nothing runs in the background; what a completed snapshot
//! adds to its mind (`tokenCount`, the sentences simulations answer with) is
//! likewise computed when asked.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::fakes::mind_reasoner::artifacts::{self, Learned};
use crate::fakes::mind_reasoner::ids::IdGen;
use crate::fakes::mind_reasoner::wire::timestamp;

pub(crate) const DEFAULT_TWIN_NAME: &str = "Default Twin";

#[derive(Debug)]
pub(crate) struct Twin {
    pub id: String,
    pub name: String,
    pub is_default: bool,
}

#[derive(Debug)]
pub(crate) struct Mind {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub email: Option<String>,
    pub image_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub twins: Vec<Twin>,
}

/// When a snapshot's processing ends.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Timing {
    /// Created by this process at that instant: pending, processing, then done.
    Running(Instant),
    /// Finished before the fake started (the pre-existing minds).
    Done(DateTime<Utc>),
}

#[derive(Debug)]
pub(crate) struct Assessment {
    pub id: String,
    pub mind_id: String,
    pub twin_id: String,
    pub artifact_id: String,
    pub started_at: DateTime<Utc>,
    pub timing: Timing,
    pub learned: Learned,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Pending,
    Processing,
    Completed,
    Failed,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Processing => "processing",
            Status::Completed => "completed",
            Status::Failed => "failed",
        }
    }
}

/// An artifact id handed out, and once uploaded its bytes and content type.
#[derive(Debug)]
pub(crate) struct ArtifactSlot {
    pub stored: Option<(Vec<u8>, String)>,
}

/// The time base shared by every tenant: how long each of `pending` and
/// `processing` lasts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Clock {
    pub step: Duration,
    pub now: Instant,
}

impl Assessment {
    pub(crate) fn status(&self, clock: Clock) -> Status {
        let done = || {
            if self.learned == Learned::Unreadable {
                Status::Failed
            } else {
                Status::Completed
            }
        };
        match self.timing {
            Timing::Done(_) => done(),
            Timing::Running(since) => {
                let elapsed = clock.now.saturating_duration_since(since);
                if elapsed < clock.step {
                    Status::Pending
                } else if elapsed < clock.step * 2 {
                    Status::Processing
                } else {
                    done()
                }
            }
        }
    }

    /// When it completed or failed; `None` while still running.
    pub(crate) fn completed_at(&self, clock: Clock) -> Option<DateTime<Utc>> {
        match self.timing {
            Timing::Done(at) => Some(at),
            Timing::Running(_) => matches!(self.status(clock), Status::Completed | Status::Failed)
                .then(|| {
                    self.started_at + chrono::Duration::from_std(clock.step * 2).unwrap_or_default()
                }),
        }
    }

    /// The snapshot status answer: `{id, mindId, status, startedAt, completedAt}`.
    pub(crate) fn status_json(&self, clock: Clock) -> Value {
        json!({
            "id": self.id,
            "mindId": self.mind_id,
            "status": self.status(clock).as_str(),
            "startedAt": timestamp(self.started_at),
            "completedAt": self.completed_at(clock).map(timestamp),
        })
    }

    /// As listed in a twin's `mindAssessments`: the status answer plus `artifactId`.
    pub(crate) fn listing_json(&self, clock: Clock) -> Value {
        let mut v = self.status_json(clock);
        if let Some(obj) = v.as_object_mut() {
            obj.insert("artifactId".into(), Value::String(self.artifact_id.clone()));
        }
        v
    }
}

#[derive(Debug)]
pub(crate) struct TenantData {
    pub ids: IdGen,
    pub organization_id: String,
    pub minds: Vec<Mind>,
    /// In creation order.
    pub assessments: Vec<Assessment>,
    pub artifacts: HashMap<String, ArtifactSlot>,
}

/// `name` lowercased, runs of anything but letters and digits turned into
/// single dashes; `"mind"` if nothing is left.
pub(crate) fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for ch in name.chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() {
            slug.push(ch);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "mind".to_string()
    } else {
        slug
    }
}

impl TenantData {
    pub(crate) fn new(tag: &str) -> Self {
        let mut ids = IdGen::new(tag);
        let organization_id = ids.next_id();
        TenantData {
            ids,
            organization_id,
            minds: Vec::new(),
            assessments: Vec::new(),
            artifacts: HashMap::new(),
        }
    }

    pub(crate) fn mind(&self, id: &str) -> Option<&Mind> {
        self.minds.iter().find(|m| m.id == id)
    }

    /// A new mind with its default twin; slugs are made unique with `-2`, `-3`…
    pub(crate) fn create_mind(
        &mut self,
        name: &str,
        email: Option<String>,
        created_at: DateTime<Utc>,
    ) -> &Mind {
        let base = slugify(name);
        let mut slug = base.clone();
        let mut n = 1;
        while self.minds.iter().any(|m| m.slug == slug) {
            n += 1;
            slug = format!("{base}-{n}");
        }
        let id = self.ids.next_id();
        let twin = Twin {
            id: self.ids.next_id(),
            name: DEFAULT_TWIN_NAME.to_string(),
            is_default: true,
        };
        self.minds.push(Mind {
            id,
            name: name.to_string(),
            slug,
            email,
            image_url: None,
            created_at,
            twins: vec![twin],
        });
        self.minds.last().expect("just pushed")
    }

    /// A fresh artifact id for a signed-URL upload (`file_name` defaults to the id).
    pub(crate) fn issue_artifact(&mut self, file_name: Option<&str>) -> (String, String) {
        let id = self.ids.next_id();
        let file_name = file_name.map_or_else(|| id.clone(), str::to_string);
        self.artifacts
            .insert(id.clone(), ArtifactSlot { stored: None });
        (id, file_name)
    }

    /// Bytes uploaded straight away (a multipart `file`).
    pub(crate) fn store_new_artifact(&mut self, bytes: Vec<u8>, content_type: &str) -> String {
        let id = self.ids.next_id();
        self.artifacts.insert(
            id.clone(),
            ArtifactSlot {
                stored: Some((bytes, content_type.to_string())),
            },
        );
        id
    }

    /// Starts training `twin_id` of `mind_id` on the artifact; returns the snapshot id.
    pub(crate) fn create_assessment(
        &mut self,
        mind_id: &str,
        twin_id: &str,
        artifact_id: &str,
        started_at: DateTime<Utc>,
        timing: Timing,
    ) -> String {
        let learned = match self
            .artifacts
            .get(artifact_id)
            .and_then(|a| a.stored.as_ref())
        {
            Some((bytes, ct)) => artifacts::learn(bytes, ct),
            None => Learned::Unreadable,
        };
        let id = self.ids.next_id();
        self.assessments.push(Assessment {
            id: id.clone(),
            mind_id: mind_id.to_string(),
            twin_id: twin_id.to_string(),
            artifact_id: artifact_id.to_string(),
            started_at,
            timing,
            learned,
        });
        id
    }

    pub(crate) fn assessment(&self, mind_id: &str, id: &str) -> Option<&Assessment> {
        self.assessments
            .iter()
            .find(|a| a.id == id && a.mind_id == mind_id)
    }

    /// What the twin was trained on, oldest first (completed snapshots only).
    pub(crate) fn learned(&self, twin_id: &str, clock: Clock) -> Vec<&Learned> {
        self.assessments
            .iter()
            .filter(|a| a.twin_id == twin_id && a.status(clock) == Status::Completed)
            .map(|a| &a.learned)
            .collect()
    }

    fn twin_json(&self, mind: &Mind, twin: &Twin, clock: Clock) -> Value {
        let assessments: Vec<Value> = self
            .assessments
            .iter()
            .filter(|a| a.twin_id == twin.id)
            .map(|a| a.listing_json(clock))
            .collect();
        json!({
            "id": twin.id,
            "name": twin.name,
            "mindId": mind.id,
            "isDefault": twin.is_default,
            "mindAssessments": assessments,
        })
    }

    /// A mind as `GET /minds` lists it.
    pub(crate) fn mind_json(&self, mind: &Mind, clock: Clock) -> Value {
        let mine = || self.assessments.iter().filter(|a| a.mind_id == mind.id);
        let token_count: u64 = mine()
            .filter(|a| a.status(clock) == Status::Completed)
            .map(|a| a.learned.word_count())
            .sum();
        let updated_at = mine()
            .filter_map(|a| a.completed_at(clock))
            .chain(mine().map(|a| a.started_at))
            .fold(mind.created_at, DateTime::max);
        let twins: Vec<Value> = mind
            .twins
            .iter()
            .map(|t| self.twin_json(mind, t, clock))
            .collect();
        json!({
            "id": mind.id,
            "name": mind.name,
            "slug": mind.slug,
            "email": mind.email,
            "imageUrl": mind.image_url,
            "socialMedia": null,
            "scope": "private",
            "isSelf": false,
            "tokenCount": token_count,
            "organizationId": self.organization_id,
            "createdAt": timestamp(mind.created_at),
            "updatedAt": timestamp(updated_at),
            "digitalTwins": twins,
        })
    }

    pub(crate) fn minds_json(&self, clock: Clock) -> Vec<Value> {
        self.minds
            .iter()
            .map(|m| self.mind_json(m, clock))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("  Dana  O'Neil, VP "), "dana-o-neil-vp");
        assert_eq!(slugify("Zoë Ångström"), "zoë-ångström");
        assert_eq!(slugify("!!!"), "mind");
    }

    #[test]
    fn snapshot_goes_pending_processing_then_done() {
        let mut t = TenantData::new("tag");
        let now = Instant::now();
        let wall = Utc::now();
        let mind_id = t.create_mind("Dana", None, wall).id.clone();
        let twin_id = t.mind(&mind_id).unwrap().twins[0].id.clone();
        let good = t.store_new_artifact(
            b"WEBVTT\n\n00:01.000 --> 00:02.000\nHello there friend\n".to_vec(),
            "text/vtt",
        );
        let bad = t.store_new_artifact(Vec::new(), "text/vtt");
        let s1 = t.create_assessment(&mind_id, &twin_id, &good, wall, Timing::Running(now));
        let s2 = t.create_assessment(&mind_id, &twin_id, &bad, wall, Timing::Running(now));
        let step = Duration::from_secs(1);
        let at = |ms| Clock {
            step,
            now: now + Duration::from_millis(ms),
        };
        let status = |id: &str, ms| t.assessment(&mind_id, id).unwrap().status(at(ms));
        assert_eq!(status(&s1, 0), Status::Pending);
        assert_eq!(status(&s1, 1000), Status::Processing);
        assert_eq!(status(&s1, 2000), Status::Completed);
        assert_eq!(status(&s2, 2000), Status::Failed);
        let mind = t.mind(&mind_id).unwrap();
        assert_eq!(t.mind_json(mind, at(1999))["tokenCount"], 0);
        assert_eq!(t.mind_json(mind, at(2000))["tokenCount"], 3);
        assert_eq!(t.learned(&twin_id, at(2000)).len(), 1);
        assert!(t.assessment("other-mind", &s1).is_none());
    }

    #[test]
    fn same_name_twice_gets_a_second_slug() {
        let mut t = TenantData::new("tag");
        let a = t.create_mind("Dana", None, Utc::now()).id.clone();
        let b = t.create_mind("Dana", None, Utc::now()).id.clone();
        assert_ne!(a, b);
        assert_eq!(t.mind(&b).unwrap().slug, "dana-2");
    }
}
