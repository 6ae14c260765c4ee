//! `create_mind_from_call { callId | query, speaker }` (the id argument is each provider's own:
//! `meetingId`, `transcriptId`): find the call, then train a Mind Reasoner mind on one
//! speaker's words in it with `create_mind_from_calls`.

use chrono::{DateTime, Utc};
use rmcp::ErrorData;
use serde_json::json;

use super::PromptSpec;
use super::args::{ArgSpec, PromptArgs, invalid, json_args, list_args};
use super::complete::Completer;
use super::sources::{MIND_FROM_CALLS, SIMULATE, SNAPSHOT_STATUS, SourceTools};

pub const SPEC: PromptSpec = PromptSpec {
    family: "create_mind_from_call",
    title: "Create a mind from a call",
    needs_mind_reasoner: true,
    description,
    args,
    render,
};

fn args(src: &SourceTools) -> Vec<ArgSpec> {
    let noun = src.noun;
    vec![
        ArgSpec::new(
            src.source.id_arg(),
            format!(
                "The {noun}'s id, as {} shows it. Give this or `query`.",
                src.list
            ),
        )
        .completed_by(Completer::MeetingIds),
        ArgSpec::new(
            "query",
            format!("Words of the {noun}'s title, to find it (when you have no id)."),
        )
        .completed_by(Completer::MeetingTitles),
        ArgSpec::new(
            "speaker",
            "Whose words train the mind: the speaker's email (safest) or name.",
        )
        .required()
        .completed_by(Completer::SpeakersOfMeeting),
    ]
}

fn description(src: &SourceTools) -> String {
    format!(
        "Train a Mind Reasoner mind on what one speaker said in a {} {}: find the {}, then {MIND_FROM_CALLS}.",
        src.source.name(),
        src.noun,
        src.noun
    )
}

fn render(src: &SourceTools, args: &PromptArgs, _now: DateTime<Utc>) -> Result<String, ErrorData> {
    let id_arg = src.source.id_arg();
    let meeting_id = args.meeting_id(src)?;
    let query = args.get("query");
    let speaker = args.get("speaker").unwrap_or_default();
    let noun = src.noun;
    let find = match (meeting_id, query) {
        (Some(id), _) => match &src.details {
            Some(d) if d.batch => format!(
                "1. Check the {noun}: call {} with {}. Make sure {speaker} took part (by email or name); if not, tell me who did and stop.\n",
                d.tool,
                json_args(&[(id_arg, json!(id)), ("include", json!(["participants"]))])
            ),
            Some(d) => format!(
                "1. Check the {noun}: call {} with {}. Make sure {speaker} took part (by email or name); if not, tell me who did and stop.\n",
                d.tool,
                json_args(&[(id_arg, json!(id))])
            ),
            None => format!(
                "1. Check the {noun}: call {} with {}. Make sure {speaker} spoke in it; if not, tell me who did and stop.\n",
                src.transcript,
                json_args(&[(id_arg, json!(id)), ("speaker", json!(speaker))])
            ),
        },
        (None, Some(q)) => format!(
            "1. Find the {noun}: call {list} with {args} (the last 30 days; add fromDate to look further back). Pick the {noun} {speaker} took part in; if several match, list them and ask me which; if none, say so and stop.\n",
            list = src.list,
            args = list_args(src, &[("query", json!(q))], true),
        ),
        (None, None) => {
            return Err(invalid(
                id_arg,
                format!("give {id_arg} (the {noun}'s id) or query (words of its title)"),
            ));
        }
    };
    let id_value = meeting_id.unwrap_or("<the id from step 1>");
    let mind_args = json_args(&[
        ("callIds", json!([id_value])),
        ("speaker", json!(speaker)),
        ("source", json!(src.mind_source_arg())),
    ]);
    Ok(format!(
        "Train a Mind Reasoner mind on what {speaker} said in one {source} {noun}.\n\n\
         {find}\
         2. Call {MIND_FROM_CALLS} with {mind_args} (add \"mindName\" to name the mind; by default it is the speaker's name, and an existing mind of that name is trained again).\n\
         3. Call {SNAPSHOT_STATUS} with {{\"mindId\": \"<mindId>\", \"snapshotId\": \"<snapshotId>\", \"waitSeconds\": 25}} from step 2's answer, again until the status is completed or failed.\n\
         4. Tell me the mind's name and id, the words it was trained on (below 5,000 words the mind is thin: say so), and the status. Then offer to ask it something with {SIMULATE} {{\"mindId\": \"<mindId>\", \"message\": \"<question>\"}}.",
        source = src.source.name(),
    ))
}
