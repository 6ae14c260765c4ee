//! `POST /simulate`: how would this person respond?
//!
//! The answer is deterministic and comes only from what the twin was trained
//! on (completed snapshots): the transcript cue sharing the most words (of
//! three letters or more) with the message, the earliest on a tie, quoted as
//! `{name} would likely respond: "…"`. A twin trained only on documents
//! answers that it was trained on a document of N bytes.
//!
//! Validation order: JSON object, `selectedSimulationModel` (required in v1;
//! `mind-reasoner-pro` or `mind-reasoner-standard`), `scenario.message`
//! (1 to 10 000 characters after trimming), `mindId`, optional
//! `digitalTwinId` and `runInBackground`, then the mind (404), the twin
//! (404), and whether it has completed training (400). `runInBackground:
//! true` answers 202 with a `simulationId` that nothing else uses (v1 has no
//! endpoint to fetch the result).

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::fakes::mind_reasoner::artifacts::{Learned, best_cue};
use crate::fakes::mind_reasoner::minds::json_object;
use crate::fakes::mind_reasoner::snapshots::mind_not_found;
use crate::fakes::mind_reasoner::state::{AppState, Tenant};
use crate::fakes::mind_reasoner::wire::{ApiError, json_response};

pub(crate) const MODELS: [&str; 2] = ["mind-reasoner-pro", "mind-reasoner-standard"];
pub(crate) const MAX_MESSAGE_CHARS: usize = 10_000;

fn optional_string<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a str>, ApiError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(ApiError::bad_request(format!("{key} must be a string"))),
    }
}

struct Request<'a> {
    message: &'a str,
    mind_id: &'a str,
    twin_id: Option<&'a str>,
    background: bool,
}

fn parse(obj: &Map<String, Value>) -> Result<Request<'_>, ApiError> {
    let allowed = MODELS.join(", ");
    match optional_string(obj, "selectedSimulationModel")? {
        None => {
            return Err(ApiError::bad_request(format!(
                "selectedSimulationModel is required; allowed values: {allowed}"
            )));
        }
        Some(m) if !MODELS.contains(&m) => {
            return Err(ApiError::bad_request(format!(
                "Unknown selectedSimulationModel {m:?}; allowed values: {allowed}"
            )));
        }
        Some(_) => {}
    }
    let message = match obj.get("scenario") {
        Some(Value::Object(scenario)) => optional_string(scenario, "message")
            .map_err(|_| ApiError::bad_request("scenario.message must be a string"))?,
        None | Some(Value::Null) => None,
        Some(_) => return Err(ApiError::bad_request("scenario must be an object")),
    }
    .map(str::trim)
    .unwrap_or("");
    if message.is_empty() {
        return Err(ApiError::bad_request("scenario.message is required"));
    }
    let chars = message.chars().count();
    if chars > MAX_MESSAGE_CHARS {
        return Err(ApiError::bad_request(format!(
            "scenario.message must be at most {MAX_MESSAGE_CHARS} characters (got {chars})"
        )));
    }
    let mind_id = optional_string(obj, "mindId")?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::bad_request("mindId is required"))?;
    let twin_id = optional_string(obj, "digitalTwinId")?.filter(|s| !s.is_empty());
    let background = match obj.get("runInBackground") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(ApiError::bad_request("runInBackground must be a boolean")),
    };
    Ok(Request {
        message,
        mind_id,
        twin_id,
        background,
    })
}

/// What `name` would say to `message`, from what it learned.
pub(crate) fn respond_as(name: &str, learned: &[&Learned], message: &str) -> String {
    let cues: Vec<&str> = learned
        .iter()
        .filter_map(|l| match l {
            Learned::Transcript(cues) => Some(cues.iter().map(String::as_str)),
            _ => None,
        })
        .flatten()
        .collect();
    if let Some(cue) = best_cue(&cues, message) {
        return format!("{name} would likely respond: \"{cue}\"");
    }
    let docs: Vec<usize> = learned
        .iter()
        .filter_map(|l| match l {
            Learned::Document { bytes, .. } => Some(*bytes),
            _ => None,
        })
        .collect();
    let total: usize = docs.iter().sum();
    if docs.len() == 1 {
        format!("{name} was trained on a document of {total} bytes and would answer from it.")
    } else {
        format!(
            "{name} was trained on {} documents of {total} bytes in total and would answer from them.",
            docs.len()
        )
    }
}

pub(crate) fn simulate(
    state: &AppState,
    tenant: &Tenant,
    body: &[u8],
) -> Result<Response, ApiError> {
    let obj = json_object(body)?;
    let req = parse(&obj)?;
    let mut data = tenant.data();
    let mind = data
        .mind(req.mind_id)
        .ok_or_else(|| mind_not_found(req.mind_id))?;
    let twin = match req.twin_id {
        Some(want) => mind.twins.iter().find(|t| t.id == want),
        None => mind.twins.iter().find(|t| t.is_default),
    }
    .ok_or_else(|| {
        ApiError::not_found(format!(
            "Digital twin {} not found for mind {}",
            req.twin_id.unwrap_or("(default)"),
            req.mind_id
        ))
    })?;
    let learned = data.learned(&twin.id, state.clock());
    if learned.is_empty() {
        return Err(ApiError::bad_request(format!(
            "mind {} has no completed training yet; wait for its snapshot to complete",
            req.mind_id
        )));
    }
    let answer = respond_as(&mind.name, &learned, req.message);
    drop(learned);
    if req.background {
        let id = data.ids.next_id();
        return Ok(json_response(
            StatusCode::ACCEPTED,
            &json!({ "message": "Simulation started in background", "simulationId": id }),
        ));
    }
    Ok(json_response(StatusCode::OK, &json!({ "message": answer })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn validates_in_order() {
        let msg = |v: Value| parse(&obj(v)).err().map(|e| e.message);
        let m = msg(json!({"scenario": {"message": "hi"}, "mindId": "m"})).unwrap();
        assert!(
            m.contains("selectedSimulationModel is required") && m.contains("mind-reasoner-pro")
        );
        let m = msg(
            json!({"selectedSimulationModel": "gpt", "scenario": {"message": "hi"}, "mindId": "m"}),
        )
        .unwrap();
        assert!(m.contains("mind-reasoner-standard"));
        let base = |message: Value| json!({"selectedSimulationModel": "mind-reasoner-pro", "scenario": {"message": message}, "mindId": "m"});
        assert!(
            msg(base(json!("  ")))
                .unwrap()
                .contains("scenario.message is required")
        );
        assert!(
            msg(base(json!("x".repeat(10_001))))
                .unwrap()
                .contains("at most 10000")
        );
        assert_eq!(msg(base(json!("x".repeat(10_000)))), None);
        let mut v = base(json!("hi"));
        v["runInBackground"] = json!("yes");
        assert!(msg(v).unwrap().contains("runInBackground"));
        let mut v = base(json!("hi"));
        v["mindId"] = Value::Null;
        assert!(msg(v).unwrap().contains("mindId is required"));
    }

    #[test]
    fn answers_from_training() {
        let t = Learned::Transcript(vec![
            "Pricing is per seat.".into(),
            "SSO comes first.".into(),
        ]);
        assert_eq!(
            respond_as("Dana", &[&t], "Tell me about SSO"),
            "Dana would likely respond: \"SSO comes first.\""
        );
        let d = Learned::Document {
            bytes: 1200,
            content_type: "application/pdf".into(),
        };
        assert_eq!(
            respond_as("Dana", &[&d], "anything"),
            "Dana was trained on a document of 1200 bytes and would answer from it."
        );
        assert!(respond_as("Dana", &[&d, &t], "pricing").contains("Pricing is per seat."));
    }
}
