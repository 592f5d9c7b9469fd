//! What a hub facing the internet must not let a client do (issue 12): make
//! it inflate a body for nobody, hold a connection by sending slowly, or
//! hit the database with the counters' reachability probe.

mod common;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use common::{counter_desk, enroll, Hub, OFFICE_A};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A hub router of our own on a fresh port, served by `rt`.
fn serve(rt: &tokio::runtime::Runtime, router: axum::Router) -> std::net::SocketAddr {
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(motcua_hub::api::serve_router(router, listener, std::future::pending()));
    addr
}

fn status_of(addr: std::net::SocketAddr, request: &str) -> String {
    let mut raw = std::net::TcpStream::connect(addr).unwrap();
    raw.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    raw.write_all(request.as_bytes()).unwrap();
    let mut head = [0u8; 12];
    raw.read_exact(&mut head).unwrap();
    String::from_utf8_lossy(&head[9..12]).to_string()
}

#[test]
fn a_request_from_nobody_is_refused_before_its_body_is_inflated() {
    let hub = Hub::start();
    // 64 MiB of spaces, a few dozen KiB gzipped: with a token it would be
    // inflated up to the limit and answered 413; without one, never read.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..64 {
        gz.write_all(&[b' '; 1 << 20]).unwrap();
    }
    let bomb = gz.finish().unwrap();
    motcua::sync::http::install_crypto_provider();
    let rt = runtime();
    let answer = rt
        .block_on(
            reqwest::Client::new()
                .post(format!("{}/v1/push", hub.url()))
                .bearer_auth("not-a-token")
                .header("content-type", "application/json")
                .header("content-encoding", "gzip")
                .body(bomb)
                .send(),
        )
        .unwrap();
    assert_eq!(answer.status(), 401);
    let error: motcua::sync::wire::ApiError = rt.block_on(answer.json()).unwrap();
    assert_eq!(error.code, "auth_invalid");
}

#[test]
fn a_client_that_stalls_mid_body_is_cut_off_with_408() {
    let hub = Hub::start();
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    let dir = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(dir.path(), OFFICE_A, 1);
    enroll(&hub, &mut desk, &hub.url());
    let token = motcua::sync::enrollment(desk.store()).unwrap().unwrap().token;
    let rt = runtime();
    let addr = serve(
        &rt,
        motcua_hub::api::router_with(hub.pool.clone(), Duration::from_secs(1)),
    );
    // Signed in, announces 1,000 bytes, sends one, then nothing.
    let started = Instant::now();
    let status = status_of(
        addr,
        &format!(
            "POST /v1/push HTTP/1.1\r\nhost: hub\r\nauthorization: Bearer {token}\r\n\
             content-type: application/json\r\ncontent-length: 1000\r\n\r\n{{"
        ),
    );
    assert_eq!(status, "408");
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
}

#[test]
fn the_reachability_probe_needs_no_database_unless_asked() {
    // A hub whose database is down (nothing listens on port 1).
    let rt = runtime();
    let dead = rt.block_on(async {
        sqlx::postgres::PgPoolOptions::new()
            .acquire_timeout(Duration::from_secs(2))
            .connect_lazy("postgres://nobody@127.0.0.1:1/none")
            .unwrap()
    });
    let addr = serve(&rt, motcua_hub::api::router(dead));
    let get = |query: &str| status_of(addr, &format!("GET /v1/health{query} HTTP/1.1\r\nhost: hub\r\n\r\n"));
    assert_eq!(get(""), "200");
    assert_eq!(get("?deep=0"), "200");
    assert_eq!(get("?deep=1"), "503");
    assert_eq!(get("?deep=maybe"), "400");
}
