//! The part of Fireflies' GraphQL schema the fake serves, and validation of a query against it:
//! an unknown field or argument, a scalar with a selection or an object without one, and an
//! undeclared variable are GraphQL validation errors, as a real GraphQL server reports them.

use super::graphql::{Field, Operation, Value};

/// (field, object type it returns or `None` for a scalar)
type Fields = &'static [(&'static str, Option<&'static str>)];

const TRANSCRIPT: Fields = &[
    ("id", None),
    ("title", None),
    ("date", None),
    ("dateString", None),
    ("duration", None),
    ("organizer_email", None),
    ("host_email", None),
    ("participants", None),
    ("fireflies_users", None),
    ("transcript_url", None),
    ("audio_url", None),
    ("video_url", None),
    ("meeting_link", None),
    ("calendar_id", None),
    ("cal_id", None),
    ("privacy", None),
    ("meeting_attendees", Some("MeetingAttendee")),
    ("speakers", Some("Speaker")),
    ("sentences", Some("Sentence")),
    ("summary", Some("Summary")),
    ("analytics", Some("Analytics")),
];
const ATTENDEE: Fields = &[
    ("displayName", None),
    ("email", None),
    ("name", None),
    ("phoneNumber", None),
    ("location", None),
];
const SPEAKER: Fields = &[("id", None), ("name", None)];
const SENTENCE: Fields = &[
    ("index", None),
    ("speaker_name", None),
    ("speaker_id", None),
    ("text", None),
    ("raw_text", None),
    ("start_time", None),
    ("end_time", None),
];
const SUMMARY: Fields = &[
    ("overview", None),
    ("short_summary", None),
    ("action_items", None),
    ("keywords", None),
    ("outline", None),
    ("shorthand_bullet", None),
    ("gist", None),
    ("bullet_gist", None),
];
const ANALYTICS: Fields = &[("speakers", Some("SpeakerAnalytics"))];
const SPEAKER_ANALYTICS: Fields = &[
    ("speaker_id", None),
    ("name", None),
    ("duration", None),
    ("word_count", None),
    ("duration_pct", None),
    ("monologues_count", None),
];

pub const TRANSCRIPTS_ARGS: &[&str] = &[
    "keyword",
    "scope",
    "fromDate",
    "toDate",
    "limit",
    "skip",
    "organizers",
    "participants",
    "host_email",
    "organizer_email",
    "participant_email",
    "mine",
    "title",
];

fn fields_of(type_name: &str) -> Fields {
    match type_name {
        "Transcript" => TRANSCRIPT,
        "MeetingAttendee" => ATTENDEE,
        "Speaker" => SPEAKER,
        "Sentence" => SENTENCE,
        "Summary" => SUMMARY,
        "Analytics" => ANALYTICS,
        "SpeakerAnalytics" => SPEAKER_ANALYTICS,
        _ => &[],
    }
}

/// Every validation error of the operation (empty: it may run).
pub fn validate(op: &Operation) -> Vec<String> {
    let mut errors = Vec::new();
    for field in &op.selections {
        let (args, returns): (&[&str], Option<&str>) = match field.name.as_str() {
            "transcripts" => (TRANSCRIPTS_ARGS, Some("Transcript")),
            "transcript" => (&["id"], Some("Transcript")),
            "__typename" => (&[], None),
            other => {
                errors.push(format!("Cannot query field \"{other}\" on type \"Query\"."));
                continue;
            }
        };
        for (name, value) in &field.arguments {
            if !args.contains(&name.as_str()) {
                errors.push(format!(
                    "Unknown argument \"{name}\" on field \"Query.{}\".",
                    field.name
                ));
            }
            check_variables(value, op, &mut errors);
        }
        if let Some(t) = returns {
            check_selection(field, t, &mut errors);
        }
    }
    errors
}

fn check_variables(value: &Value, op: &Operation, errors: &mut Vec<String>) {
    match value {
        Value::Variable(v) if !op.variables.iter().any(|d| &d.name == v) => {
            errors.push(format!("Variable \"${v}\" is not defined."));
        }
        Value::List(items) => items.iter().for_each(|i| check_variables(i, op, errors)),
        Value::Object(fields) => fields.values().for_each(|i| check_variables(i, op, errors)),
        _ => {}
    }
}

fn check_selection(field: &Field, type_name: &str, errors: &mut Vec<String>) {
    if field.selections.is_empty() {
        errors.push(format!(
            "Field \"{}\" of type \"{type_name}\" must have a selection of subfields. Did you mean \"{} {{ ... }}\"?",
            field.name, field.name
        ));
        return;
    }
    for sub in &field.selections {
        if sub.name == "__typename" {
            continue;
        }
        match fields_of(type_name).iter().find(|(n, _)| *n == sub.name) {
            None => errors.push(format!(
                "Cannot query field \"{}\" on type \"{type_name}\".",
                sub.name
            )),
            Some((_, Some(object))) => check_selection(sub, object, errors),
            Some((_, None)) if !sub.selections.is_empty() => errors.push(format!(
                "Field \"{}\" must not have a selection since type \"{}\" has no subfields.",
                sub.name, sub.name
            )),
            Some(_) => {}
        }
        if !sub.arguments.is_empty() {
            errors.push(format!(
                "Unknown argument \"{}\" on field \"{type_name}.{}\".",
                sub.arguments[0].0, sub.name
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fakes::fireflies::graphql::parse;

    #[test]
    fn unknown_fields_arguments_and_variables_are_named() {
        let op = parse("query($a: Int) { transcripts(limit: $b, sort: 1) { id nope speakers sentences { text { x } } } }").unwrap();
        let errors = validate(&op);
        assert!(
            errors.contains(&"Variable \"$b\" is not defined.".to_owned()),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("Unknown argument \"sort\""))
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("Cannot query field \"nope\" on type \"Transcript\"."))
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("\"speakers\" of type \"Speaker\" must have a selection"))
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("\"text\" must not have a selection"))
        );
        let ok = parse(crate::fireflies::graphql::GET_TRANSCRIPT).unwrap();
        assert!(validate(&ok).is_empty(), "{:?}", validate(&ok));
        let ok = parse(crate::fireflies::graphql::LIST_TRANSCRIPTS).unwrap();
        assert!(validate(&ok).is_empty(), "{:?}", validate(&ok));
    }
}
