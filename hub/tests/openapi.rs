//! The committed OpenAPI document is the code's: same schemas, same routes,
//! and each route answers with a status the document lists.

mod common;

use std::collections::BTreeSet;

use motcua_hub::{api, openapi};

#[test]
fn committed_document_is_generated_from_the_wire_types() {
    let committed = include_str!("../openapi.json");
    assert!(
        committed == openapi::document_text(),
        "hub/openapi.json is stale: run `cargo run -p motcua-hub -- openapi > hub/openapi.json`"
    );
}

#[test]
fn documented_routes_are_the_served_routes() {
    let doc = openapi::document();
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| ops.as_object().unwrap().keys().map(move |m| (m.clone(), path.clone())))
        .collect();
    // The router is built from api::routes() alone.
    let served: BTreeSet<(String, String)> = api::routes()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    assert_eq!(documented, served);

    // Every documented operation, called without credentials and with an
    // empty body, answers with one of its documented statuses.
    let hub = common::Hub::start();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    motcua::sync::http::install_crypto_provider();
    let client = reqwest::Client::new();
    for (method, path) in &served {
        let url = format!("{}{path}", hub.url());
        let request = match method.as_str() {
            "get" => client.get(&url),
            _ => client.post(&url).header("content-type", "application/json").body("{}"),
        };
        let status = rt.block_on(request.send()).unwrap().status().as_u16().to_string();
        let listed = &doc["paths"][path][method]["responses"];
        assert!(
            listed.get(&status).is_some(),
            "{method} {path} answered {status}, not in the document"
        );
    }
    let health: motcua::sync::wire::Health = rt
        .block_on(async {
            client
                .get(format!("{}/v1/health", hub.url()))
                .send()
                .await?
                .json()
                .await
        })
        .unwrap();
    assert_eq!(health.protocol, motcua::sync::wire::PROTOCOL_VERSION);
    let unknown = rt
        .block_on(client.get(format!("{}/v1/nothing", hub.url())).send())
        .unwrap();
    assert_eq!(unknown.status(), 404);
}
