//! `completion/complete`: prompt arguments and resource-template variables completed from the
//! caller's own tenant only (a call's participants, recent call titles and ids) or fixed choices.

use std::collections::{BTreeSet, HashMap};

use rmcp::ServiceError;
use rmcp::model::{CompletionContext, ErrorCode};

use crate::helpers::*;
use crate::prompts::{gong_a, gong_and_mind_a, gong_and_mind_b};

#[tokio::test]
async fn completions_come_from_the_callers_own_tenant() {
    let app = spawn_app().await;
    let ws_a = app.gong.workspace(A_KEY).unwrap();
    let ws_b = app.gong.workspace(B_KEY).unwrap();
    let a = app.client_with(&gong_and_mind_a()).await;
    let b = app.client_with(&gong_and_mind_b()).await;

    // speaker: the emails of the call's participants, narrowed by what was typed.
    let call = ws_a
        .calls
        .iter()
        .find(|c| {
            c.parties
                .iter()
                .filter(|p| p.email_address.is_some())
                .count()
                >= 2
        })
        .unwrap();
    let emails: Vec<String> = call
        .parties
        .iter()
        .filter_map(|p| p.email_address.clone())
        .collect();
    let context = |id: &str| {
        Some(CompletionContext::with_arguments(HashMap::from([(
            "callId".to_owned(),
            id.to_owned(),
        )])))
    };
    let all = a
        .complete_prompt_argument("create_mind_from_call", "speaker", "", context(&call.id))
        .await
        .unwrap();
    let got: BTreeSet<&String> = all.values.iter().collect();
    let want: BTreeSet<&String> = emails.iter().collect();
    assert_eq!(got, want);
    let typed: String = emails[0].chars().take(3).collect();
    let narrowed = a
        .complete_prompt_argument(
            "create_mind_from_call",
            "speaker",
            &typed,
            context(&call.id),
        )
        .await
        .unwrap();
    assert!(narrowed.values.contains(&emails[0]), "{narrowed:?}");
    assert!(
        narrowed
            .values
            .iter()
            .all(|v| v.to_lowercase().contains(&typed.to_lowercase()))
    );
    // Tenant B names A's call id: it resolves in B's own Gong (the synthetic tenants number
    // their calls alike), so B gets its own call's people and none of A's.
    let other = b
        .complete_prompt_argument("create_mind_from_call", "speaker", "", context(&call.id))
        .await
        .unwrap();
    let b_emails: BTreeSet<String> = ws_b
        .call(&call.id)
        .map(|c| {
            c.parties
                .iter()
                .filter_map(|p| p.email_address.clone())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        other.values.iter().cloned().collect::<BTreeSet<_>>(),
        b_emails
    );
    assert!(
        other.values.iter().all(|v| !emails.contains(v)),
        "{other:?}"
    );

    // query: titles of the tenant's recent calls.
    let titles_a: BTreeSet<&str> = ws_a.calls.iter().map(|c| c.title.as_str()).collect();
    let titles_b: BTreeSet<&str> = ws_b.calls.iter().map(|c| c.title.as_str()).collect();
    let only_b: BTreeSet<&str> = titles_b.difference(&titles_a).copied().collect();
    assert!(!only_b.is_empty());
    let titles = a
        .complete_prompt_argument("analyze_call_patterns", "query", "", None)
        .await
        .unwrap();
    assert!(!titles.values.is_empty());
    assert!(titles.values.len() <= 100);
    for t in &titles.values {
        assert!(
            titles_a.contains(t.as_str()),
            "{t} is not a title of tenant A"
        );
        assert!(!only_b.contains(t.as_str()), "{t} is tenant B's");
    }
    let word = titles.values[0]
        .split_whitespace()
        .next()
        .unwrap()
        .to_lowercase();
    let narrowed = a
        .complete_prompt_argument("analyze_call_patterns", "query", &word, None)
        .await
        .unwrap();
    assert!(
        narrowed
            .values
            .iter()
            .all(|t| t.to_lowercase().contains(&word))
    );
    assert!(narrowed.values.contains(&titles.values[0]));

    // Fixed choices need no Gong request.
    let scope = a
        .complete_prompt_argument("recent_calls", "scope", "ex", None)
        .await
        .unwrap();
    assert_eq!(scope.values, ["External"]);

    // The {callId} of a resource template: the tenant's own recent call ids.
    let ids = a
        .complete_resource_argument("gong://calls/{callId}", "callId", "", None)
        .await
        .unwrap();
    let recent_a = crate::resources::newest_ids(&ws_a);
    assert_eq!(
        ids.values,
        recent_a.into_iter().take(100).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn completing_an_argument_of_an_unknown_prompt_is_an_error() {
    let app = spawn_app().await;
    let client = app.client_with(&gong_a()).await;
    let err = client
        .complete_prompt_argument("test_prompt_with_arguments", "arg1", "te", None)
        .await
        .unwrap_err();
    let ServiceError::McpError(err) = err else {
        panic!("{err:?}")
    };
    assert_eq!(err.code, ErrorCode::INVALID_PARAMS);
    assert!(err.message.contains("Unknown prompt"), "{}", err.message);
}

#[tokio::test]
async fn fathom_and_fireflies_completions_come_from_the_callers_own_meetings() {
    let app = spawn_app().await;
    for r in &crate::resources::RECORDERS[1..] {
        let mut headers = r.a.to_vec();
        headers.push(("x-mind-reasoner-api-key", MR_KEY_A));
        let a = app.client_with(&headers).await;
        let mut headers_b = r.b.to_vec();
        headers_b.push(("x-mind-reasoner-api-key", MR_KEY_B));
        let b = app.client_with(&headers_b).await;
        let newest = r.newest(&app);
        let mind_prompt = format!("{}_create_mind_from_meeting", r.key);

        // The id of a resource template: the tenant's newest meeting ids, newest first.
        let template = match r.details {
            Some(_) => format!("{}{{{}}}", r.base, r.id_arg),
            None => format!("{}{{{}}}/transcript", r.base, r.id_arg),
        };
        let ids = a
            .complete_resource_argument(&template, r.id_arg, "", None)
            .await
            .unwrap();
        let want: Vec<String> = newest.iter().map(|m| m.1.clone()).collect();
        assert_eq!(ids.values, want, "{}", r.key);
        // The prompt's own id argument completes the same way.
        let ids = a
            .complete_prompt_argument(&mind_prompt, r.id_arg, "", None)
            .await
            .unwrap();
        assert_eq!(ids.values, want, "{}", r.key);

        // speaker: the emails of the meeting named by the context's id argument.
        let m = newest
            .iter()
            .find(|m| m.3.len() >= 2)
            .expect("a meeting with two participants");
        let context = Some(CompletionContext::with_arguments(HashMap::from([(
            r.id_arg.to_owned(),
            m.1.clone(),
        )])));
        let got = a
            .complete_prompt_argument(&mind_prompt, "speaker", "", context.clone())
            .await
            .unwrap();
        let got: BTreeSet<String> = got.values.iter().map(|v| v.to_lowercase()).collect();
        assert_eq!(got, m.3, "{}", r.key);
        // Tenant B naming A's meeting gets none of A's people.
        let other = b
            .complete_prompt_argument(&mind_prompt, "speaker", "", context)
            .await
            .unwrap();
        assert!(
            other
                .values
                .iter()
                .all(|v| !m.3.contains(&v.to_lowercase())),
            "{}: {other:?}",
            r.key
        );

        // query: titles of the tenant's own recent meetings.
        let titles_a: BTreeSet<String> = r.meetings(&app, true).into_iter().map(|m| m.2).collect();
        let titles = a
            .complete_prompt_argument(
                &format!("{}_analyze_meeting_patterns", r.key),
                "query",
                "",
                None,
            )
            .await
            .unwrap();
        assert!(!titles.values.is_empty(), "{}", r.key);
        for t in &titles.values {
            assert!(
                titles_a.contains(t),
                "{}: {t} is not a title of tenant A",
                r.key
            );
        }
        let titles_b = b
            .complete_prompt_argument(
                &format!("{}_analyze_meeting_patterns", r.key),
                "query",
                "",
                None,
            )
            .await
            .unwrap();
        let b_truth: BTreeSet<String> = r.meetings(&app, false).into_iter().map(|m| m.2).collect();
        assert!(
            titles_b.values.iter().all(|t| b_truth.contains(t)),
            "{}",
            r.key
        );
    }
}
