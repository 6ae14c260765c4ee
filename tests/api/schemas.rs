//! Every tool's published definition (name, description, input and output schema, annotations)
//! is snapshot-tested: a change to what agents read must be a deliberate one.

use crate::helpers::*;

#[tokio::test]
async fn tool_definitions_are_stable() {
    let app = spawn_app().await;
    let client = app
        .client_with(&[
            ("x-gong-access-key", A_KEY),
            ("x-gong-access-secret", A_SECRET),
            ("x-fathom-api-key", FATHOM_KEY_A),
            ("x-fireflies-api-key", FIREFLIES_KEY_A),
        ])
        .await;
    let mut tools = client.list_all_tools().await.unwrap();
    tools.sort_by(|a, b| a.name.cmp(&b.name));
    for tool in tools {
        let annotations = tool.annotations.clone().expect("annotations");
        assert_eq!(annotations.read_only_hint, Some(true));
        assert_eq!(annotations.idempotent_hint, Some(true));
        assert_eq!(annotations.open_world_hint, Some(true));
        assert!(
            tool.output_schema.is_some(),
            "{} has an output schema",
            tool.name
        );
        insta::assert_json_snapshot!(tool.name.to_string(), tool);
    }
}
