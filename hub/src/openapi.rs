//! The OpenAPI document of the wire protocol, generated from the wire types.
//! `hub/openapi.json` is its committed copy (`motcua-hub openapi`); a test
//! fails when they differ, and checks every documented route against the
//! running hub.

use motcua_domain::wire::{
    ApiError, EnrollRequest, EnrollResponse, Health, PullResponse, PushRequest, PushResponse, RestorePage, WhoAmI,
    MAX_BODY_BYTES, MAX_PAGE, PROTOCOL_HEADER, PROTOCOL_VERSION,
};
use schemars::generate::SchemaSettings;
use serde_json::{json, Value};

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn answer(description: &str, schema: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": reference(schema) } } })
}

fn errors(codes: &[(&str, &str)]) -> serde_json::Map<String, Value> {
    codes
        .iter()
        .map(|(status, description)| (status.to_string(), answer(description, "ApiError")))
        .collect()
}

fn responses(ok: (&str, &str), failures: &[(&str, &str)]) -> Value {
    let mut all = errors(failures);
    all.insert("200".into(), answer(ok.0, ok.1));
    Value::Object(all)
}

pub fn document() -> Value {
    let mut generator = SchemaSettings::openapi3().into_generator();
    generator.subschema_for::<Health>();
    generator.subschema_for::<EnrollRequest>();
    generator.subschema_for::<EnrollResponse>();
    generator.subschema_for::<WhoAmI>();
    generator.subschema_for::<PushRequest>();
    generator.subschema_for::<PushResponse>();
    generator.subschema_for::<PullResponse>();
    generator.subschema_for::<RestorePage>();
    generator.subschema_for::<ApiError>();
    let schemas = generator.take_definitions(true);
    let auth = json!([{ "bearer": [] }]);
    let protocol = json!({
        "name": PROTOCOL_HEADER, "in": "header", "required": false,
        "description": "The protocol version the counter speaks; another version is answered 426.",
        "schema": { "type": "integer", "enum": [PROTOCOL_VERSION] }
    });
    let auth_errors = [
        ("401", "Token missing, unknown, expired or revoked"),
        ("408", "Request took too long"),
        ("426", "Another protocol version"),
        ("429", "Too many requests of this device at once (Retry-After); retry"),
        (
            "503",
            "Database unavailable, or the hub busy (Retry-After); retry with backoff",
        ),
    ];
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "motcua hub sync protocol",
            "version": PROTOCOL_VERSION.to_string(),
            "description": format!("Counters push their events and pull the province's changes. Request bodies may be gzip-compressed (Content-Encoding: gzip); answers are compressed when asked (Accept-Encoding: gzip). A body over {MAX_BODY_BYTES} bytes after decompression is answered 413 (the counter splits its page). Every event id is stored at most once, so any request may be repeated after a failure.")
        },
        "paths": {
            "/v1/health": { "get": {
                "operationId": "health",
                "summary": "Reachability probe and the hub's clock (no database unless deep=1)",
                "parameters": [
                    { "name": "deep", "in": "query", "required": false, "schema": { "type": "string", "enum": ["0", "1", "true", "false"] },
                      "description": "1: also check that the database answers." }
                ],
                "responses": responses(("The hub answers (and, with deep=1, its database)", "Health"), &[
                    ("400", "deep is not 0 or 1"),
                    ("408", "Request took too long"),
                    ("503", "Database unavailable"),
                ])
            }},
            "/v1/enroll": { "post": {
                "operationId": "enroll",
                "summary": "Exchange a one-time enrollment code for a device token",
                "parameters": [protocol.clone()],
                "requestBody": { "required": true, "content": { "application/json": { "schema": reference("EnrollRequest") } } },
                "responses": responses(("Enrolled (or the same device retrying)", "EnrollResponse"), &[
                    ("400", "Malformed request"),
                    ("413", "Body too large"),
                    ("403", "Code unknown, expired, or spent by another device"),
                    ("408", "Request (body included) took too long"),
                    ("426", "Another protocol version"),
                    ("503", "Database unavailable, or the hub busy (Retry-After); retry with backoff"),
                ])
            }},
            "/v1/whoami": { "get": {
                "operationId": "whoami",
                "summary": "The office and counter of this token",
                "security": auth.clone(),
                "parameters": [protocol.clone()],
                "responses": responses(("The device", "WhoAmI"), &auth_errors)
            }},
            "/v1/push": { "post": {
                "operationId": "push",
                "summary": format!("Send up to {MAX_PAGE} events in creation order; one answer per event"),
                "security": auth.clone(),
                "parameters": [protocol.clone()],
                "requestBody": { "required": true, "content": { "application/json": { "schema": reference("PushRequest") } } },
                "responses": responses(("Per-event outcome: accepted, duplicate or rejected", "PushResponse"), &[
                    ("400", "Malformed request"),
                    ("401", "Token missing, unknown, expired or revoked"),
                    ("408", "Request (body included) took too long; send less"),
                    ("413", "More events than one page holds, or a body too large"),
                    ("426", "Another protocol version"),
                    ("429", "Too many requests of this device at once (Retry-After); retry"),
                    ("503", "Database unavailable, or the hub busy (Retry-After); retry with backoff"),
                ])
            }},
            "/v1/pull": { "get": {
                "operationId": "pull",
                "summary": "Changes for this device's office after the cursor",
                "security": auth.clone(),
                "parameters": [
                    protocol.clone(),
                    { "name": "cursor", "in": "query", "required": false, "schema": { "type": "integer", "format": "int64", "minimum": 0 },
                      "description": "The cursor of the previous answer; 0 the first time." },
                    { "name": "limit", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1, "maximum": MAX_PAGE } }
                ],
                "responses": responses(("A page of changes and the next cursor", "PullResponse"), &[
                    ("400", "Malformed query, or a limit or cursor out of range"),
                    ("401", "Token missing, unknown, expired or revoked"),
                    ("408", "Request (body included) took too long; send less"),
                    ("426", "Another protocol version"),
                    ("429", "Too many requests of this device at once (Retry-After); retry"),
                    ("503", "Database unavailable, or the hub busy (Retry-After); retry with backoff"),
                ])
            }},
            "/v1/restore": { "get": {
                "operationId": "restore",
                "summary": "This counter's dossiers with all their events, for a PC that replaces a lost one",
                "security": auth,
                "parameters": [
                    protocol,
                    { "name": "after", "in": "query", "required": false, "schema": { "type": "string", "format": "uuid" },
                      "description": "The id of the last dossier of the previous page; absent the first time." },
                    { "name": "limit", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1, "maximum": MAX_PAGE } }
                ],
                "responses": responses(("A page of dossiers in id order", "RestorePage"), &[
                    ("400", "Malformed query, or a limit or cursor out of range"),
                    ("401", "Token missing, unknown, expired or revoked"),
                    ("408", "Request (body included) took too long; send less"),
                    ("426", "Another protocol version"),
                    ("429", "Too many restore pages this minute, or too many requests of this device at once (Retry-After)"),
                    ("503", "Database unavailable, or the hub busy (Retry-After); retry with backoff"),
                ])
            }},
            "/metrics": { "get": {
                "operationId": "metrics",
                "summary": "This hub process's figures in Prometheus text format (no personal data)",
                "responses": {
                    "200": { "description": "Requests, latencies, events by outcome, refusals by code, load shed, devices seen today",
                             "content": { "text/plain": { "schema": { "type": "string" } } } },
                    "408": { "description": "Request took too long" }
                }
            }}
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": Value::Object(schemas)
        }
    })
}

/// The document as committed: pretty JSON with a final newline.
pub fn document_text() -> String {
    let mut text = serde_json::to_string_pretty(&document()).unwrap_or_default();
    text.push('\n');
    text
}
