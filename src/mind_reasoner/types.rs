//! Mind Reasoner's wire format, read leniently: every field optional, ids as strings or numbers,
//! nulls as absent, unknown fields ignored, and both documented shapes of a created mind.

use serde::Deserialize;
use serde_json::Value;

use crate::upstream::lenient;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Mind {
    #[serde(deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub slug: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub email: Option<String>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub token_count: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient::objects")]
    pub digital_twins: Vec<DigitalTwin>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DigitalTwin {
    #[serde(deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub is_default: Option<bool>,
    #[serde(deserialize_with = "lenient::objects")]
    pub mind_assessments: Vec<SnapshotStatus>,
}

/// A snapshot ("mind assessment") and its training status.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SnapshotStatus {
    #[serde(deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(deserialize_with = "lenient::id")]
    pub mind_id: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub artifact_id: Option<String>,
    #[serde(deserialize_with = "lenient::string_or_empty")]
    pub status: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub started_at: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub completed_at: Option<String>,
}

impl SnapshotStatus {
    /// `completed` or `failed`: waiting longer changes nothing.
    pub fn is_final(&self) -> bool {
        matches!(self.status.as_str(), "completed" | "failed")
    }
}

impl Mind {
    /// The default digital twin (else the first one).
    pub fn default_twin(&self) -> Option<&DigitalTwin> {
        self.digital_twins
            .iter()
            .find(|t| t.is_default == Some(true))
            .or_else(|| self.digital_twins.first())
    }
}

/// `GET /minds`: `{minds: [...]}` (or a bare array).
pub fn decode_minds(body: &[u8]) -> Result<Vec<Mind>, serde_json::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Page {
        Wrapped {
            #[serde(deserialize_with = "lenient::objects")]
            minds: Vec<Mind>,
        },
        Bare(#[serde(deserialize_with = "lenient::objects")] Vec<Mind>),
    }
    Ok(match serde_json::from_slice(body)? {
        Page::Wrapped { minds } | Page::Bare(minds) => minds,
    })
}

/// `POST /minds`: the mind object itself (v1 reference), or `{mind, digitalTwin}` (the MCP tool
/// page). Either way, the mind with its default twin.
pub fn decode_created_mind(body: &[u8]) -> Result<Mind, serde_json::Error> {
    let value: Value = serde_json::from_slice(body)?;
    match value.get("mind").filter(|m| m.is_object()) {
        Some(mind) => {
            let mut parsed = Mind::deserialize(mind)?;
            if let Some(twin) = value.get("digitalTwin").filter(|t| t.is_object()) {
                let twin = DigitalTwin::deserialize(twin)?;
                if !twin.id.is_empty() && parsed.digital_twins.iter().all(|t| t.id != twin.id) {
                    parsed.digital_twins.insert(0, twin);
                }
            }
            Ok(parsed)
        }
        None => Mind::deserialize(&value),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignedUrl {
    #[serde(deserialize_with = "lenient::string_or_empty")]
    pub signed_url: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub file_name: Option<String>,
    #[serde(deserialize_with = "lenient::id")]
    pub artifact_id: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub content_type: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SnapshotCreated {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
    /// The snapshot id.
    #[serde(deserialize_with = "lenient::id", alias = "snapshotId")]
    pub mind_assessment_id: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub artifact_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Simulation {
    #[serde(deserialize_with = "lenient::opt_string", alias = "response")]
    pub message: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub simulation_id: Option<String>,
}

/// `{error, message, code, details}`; a 429's `retryAfter` may sit at the top or in `details`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ErrorBody {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub error: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub code: Option<String>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub retry_after: Option<f64>,
    pub details: Value,
}

impl ErrorBody {
    pub fn retry_after_secs(&self) -> Option<f64> {
        self.retry_after.or_else(|| {
            self.details
                .get("retryAfter")
                .and_then(|v| v.as_f64().or_else(|| v.as_str()?.parse().ok()))
        })
    }

    /// The most specific text: message, else error, else code.
    pub fn text(&self) -> Option<&str> {
        self.message
            .as_deref()
            .or(self.error.as_deref())
            .or(self.code.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shapes_of_a_created_mind_give_the_mind_and_its_default_twin() {
        let tool_page = br#"{"mind":{"id":"m1","name":"Ada","digitalTwins":null},
            "digitalTwin":{"id":"t1","name":"Default Twin","isDefault":true}}"#;
        let reference = br#"{"id":7,"name":"Ada","unknown":[1],
            "digitalTwins":[{"id":"t2","isDefault":false},{"id":"t1","isDefault":true}]}"#;
        let a = decode_created_mind(tool_page).unwrap();
        let b = decode_created_mind(reference).unwrap();
        assert_eq!(
            (a.id.as_str(), a.default_twin().unwrap().id.as_str()),
            ("m1", "t1")
        );
        assert_eq!(
            (b.id.as_str(), b.default_twin().unwrap().id.as_str()),
            ("7", "t1")
        );
    }

    #[test]
    fn minds_lists_wrapped_or_bare_with_nulls() {
        let wrapped = br#"{"minds":[{"id":"a","name":null,"digitalTwins":[{"id":"t","mindAssessments":[{"id":"s","status":"completed"}]}]}]}"#;
        let minds = decode_minds(wrapped).unwrap();
        assert_eq!(
            minds[0].digital_twins[0].mind_assessments[0].status,
            "completed"
        );
        assert_eq!(decode_minds(br#"[{"id":"b"}]"#).unwrap()[0].id, "b");
    }

    #[test]
    fn retry_after_from_the_body_top_or_details() {
        let top: ErrorBody = serde_json::from_str(r#"{"retryAfter":"7"}"#).unwrap();
        let nested: ErrorBody =
            serde_json::from_str(r#"{"details":{"retryAfter":3},"message":"slow"}"#).unwrap();
        assert_eq!(top.retry_after_secs(), Some(7.0));
        assert_eq!(nested.retry_after_secs(), Some(3.0));
        assert_eq!(nested.text(), Some("slow"));
    }
}
