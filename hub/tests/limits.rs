//! What a hub facing the internet must not let a client do (issue 12): make
//! it inflate a body for nobody, hold a connection by sending slowly, or
//! hit the database with the counters' reachability probe.

mod common;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use common::{counter_desk, enroll, Hub, OFFICE_A};
use motcua_hub::api::Settings;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A hub of our own with `settings` on a fresh port, served by `rt`.
fn serve(rt: &tokio::runtime::Runtime, pool: sqlx::PgPool, settings: Settings) -> std::net::SocketAddr {
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(motcua_hub::api::serve_with(
        pool,
        settings,
        listener,
        None,
        std::future::pending(),
    ));
    addr
}

/// A signed-in counter on `hub`: its desk (kept for its folder) and token.
fn signed_in(hub: &Hub, dir: &std::path::Path, counter: i64) -> (motcua::desk::Desk, String) {
    let mut desk = counter_desk(dir, OFFICE_A, counter);
    enroll(hub, &mut desk, &hub.url());
    let token = motcua::sync::enrollment(desk.store()).unwrap().unwrap().token;
    (desk, token)
}

/// Opens a connection and sends `head` (and nothing more): the request
/// stays open on the hub until the connection is dropped.
fn hold(addr: std::net::SocketAddr, head: &str) -> std::net::TcpStream {
    let mut raw = std::net::TcpStream::connect(addr).unwrap();
    raw.write_all(head.as_bytes()).unwrap();
    // Let the hub read the headers and start on the request.
    std::thread::sleep(Duration::from_millis(300));
    raw
}

/// A whole answer: status, headers and body (the connection is closed after it).
fn answer_of(addr: std::net::SocketAddr, request: &str) -> (u16, String) {
    let mut raw = std::net::TcpStream::connect(addr).unwrap();
    raw.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    raw.write_all(request.as_bytes()).unwrap();
    let mut text = String::new();
    let _ = raw.read_to_string(&mut text);
    let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

fn get(path: &str, token: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nhost: hub\r\nauthorization: Bearer {token}\r\nconnection: close\r\n\r\n")
}

/// A hub with `settings` and one signed-in counter of office A.
struct OneCounter {
    hub: Hub,
    addr: std::net::SocketAddr,
    token: String,
    _rt: tokio::runtime::Runtime,
    _desk: motcua::desk::Desk,
    _dir: tempfile::TempDir,
}

fn one_counter(settings: Settings) -> OneCounter {
    let hub = Hub::start();
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    let dir = tempfile::tempdir().unwrap();
    let (desk, token) = signed_in(&hub, dir.path(), 1);
    let rt = runtime();
    let addr = serve(&rt, hub.pool.clone(), settings);
    OneCounter {
        hub,
        addr,
        token,
        _rt: rt,
        _desk: desk,
        _dir: dir,
    }
}

/// `whoami`'s status once the hub has let go of a request held before
/// (200 within 5 s, or the last status seen).
fn whoami_soon(addr: std::net::SocketAddr, token: &str) -> u16 {
    let mut status = 0;
    for _ in 0..50 {
        status = answer_of(addr, &get("/v1/whoami", token)).0;
        if status == 200 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    status
}

/// A push that announces a body and sends one byte of it.
fn stalled_push(token: &str) -> String {
    format!(
        "POST /v1/push HTTP/1.1\r\nhost: hub\r\nauthorization: Bearer {token}\r\n\
         content-type: application/json\r\ncontent-length: 1000\r\n\r\n{{"
    )
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
    let (_desk, token) = signed_in(&hub, dir.path(), 1);
    let rt = runtime();
    let settings = Settings {
        request_timeout: Duration::from_secs(1),
        ..Settings::default()
    };
    let addr = serve(&rt, hub.pool.clone(), settings);
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
    let addr = serve(&rt, dead, Settings::default());
    let get = |query: &str| status_of(addr, &format!("GET /v1/health{query} HTTP/1.1\r\nhost: hub\r\n\r\n"));
    assert_eq!(get(""), "200");
    assert_eq!(get("?deep=0"), "200");
    assert_eq!(get("?deep=1"), "503");
    assert_eq!(get("?deep=maybe"), "400");
}

#[test]
fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let hub = Hub::start();
    let rt = runtime();
    let settings = Settings {
        header_timeout: Duration::from_secs(1),
        ..Settings::default()
    };
    let addr = serve(&rt, hub.pool.clone(), settings);
    let started = Instant::now();
    let mut raw = std::net::TcpStream::connect(addr).unwrap();
    raw.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    // A request line and one header, then silence.
    raw.write_all(b"GET /v1/health HTTP/1.1\r\nhost: hub\r\n").unwrap();
    let mut rest = Vec::new();
    let closed = raw.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(
        closed.is_ok() || waited < Duration::from_secs(25),
        "the hub kept the connection: {closed:?} after {waited:?}"
    );
    assert!(waited < Duration::from_secs(10), "closed only after {waited:?}");
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));
    // A connection that sends nothing at all is closed too.
    let started = Instant::now();
    let mut silent = std::net::TcpStream::connect(addr).unwrap();
    silent.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = silent.read_to_end(&mut Vec::new());
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    // And a prompt client is answered.
    assert_eq!(
        answer_of(
            addr,
            "GET /v1/health HTTP/1.1\r\nhost: hub\r\nconnection: close\r\n\r\n"
        )
        .0,
        200
    );
}

#[test]
fn one_device_cannot_hold_more_than_its_share() {
    let hub = Hub::start();
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    let (dir1, dir2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (_one, token1) = signed_in(&hub, dir1.path(), 1);
    let (_two, token2) = signed_in(&hub, dir2.path(), 2);
    let rt = runtime();
    let settings = Settings {
        per_device: 1,
        ..Settings::default()
    };
    let addr = serve(&rt, hub.pool.clone(), settings);
    let held = hold(addr, &stalled_push(&token1));
    let (status, text) = answer_of(addr, &get("/v1/whoami", &token1));
    assert_eq!(status, 429, "{text}");
    assert!(text.to_ascii_lowercase().contains("retry-after: 1"), "{text}");
    assert!(text.contains("too_many_requests"), "{text}");
    // Another counter is not held up by it.
    assert_eq!(answer_of(addr, &get("/v1/whoami", &token2)).0, 200);
    // The held request ends with its connection; the device's share is back.
    drop(held);
    assert_eq!(whoami_soon(addr, &token1), 200);
}

#[test]
fn past_the_total_limit_the_hub_sheds_load_but_still_answers_its_probes() {
    let served = one_counter(Settings {
        max_in_flight: 1,
        ..Settings::default()
    });
    let (addr, token) = (served.addr, served.token.clone());
    // Somebody's enrollment, stalled mid-body, takes the only place.
    let held = hold(
        addr,
        "POST /v1/enroll HTTP/1.1\r\nhost: hub\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{",
    );
    let (status, text) = answer_of(addr, &get("/v1/whoami", &token));
    assert_eq!(status, 503, "{text}");
    assert!(text.to_ascii_lowercase().contains("retry-after: 5"), "{text}");
    assert!(text.contains("\"busy\""), "{text}");
    assert_eq!(answer_of(addr, &get("/v1/health", "")).0, 200);
    let (status, metrics) = answer_of(addr, &get("/metrics", ""));
    assert_eq!(status, 200);
    assert!(
        metrics.contains("motcua_hub_requests_shed_total{limit=\"busy\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("motcua_hub_requests_in_flight 1"), "{metrics}");
    drop(held);
    assert_eq!(whoami_soon(addr, &token), 200);
}

#[test]
fn restore_pages_are_paced_per_device_and_logged() {
    let served = one_counter(Settings {
        restore_pages_per_minute: 2,
        ..Settings::default()
    });
    let (hub, addr, token) = (&served.hub, served.addr, served.token.clone());
    let statuses: Vec<u16> = (0..3)
        .map(|_| answer_of(addr, &get("/v1/restore?limit=10", &token)).0)
        .collect();
    assert_eq!(statuses, [200, 200, 429]);
    let (_, text) = answer_of(addr, &get("/v1/restore?limit=10", &token));
    assert!(text.contains("restore_rate_limited"), "{text}");
    assert!(text.to_ascii_lowercase().contains("retry-after: 60"), "{text}");
    let log = hub
        .block(motcua_hub::register::restore_log(&hub.pool, Some(OFFICE_A), 10))
        .unwrap();
    assert_eq!(log.len(), 4);
    assert_eq!(log.iter().filter(|r| r.refused).count(), 2);
    assert!(log.iter().all(|r| r.office == OFFICE_A && r.counter == 1));
}

#[test]
fn metrics_count_requests_events_and_the_devices_seen_today() {
    let hub = Hub::start();
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    let dir = tempfile::tempdir().unwrap();
    let rt = runtime();
    let addr = serve(&rt, hub.pool.clone(), Settings::default());
    let mut desk = counter_desk(dir.path(), OFFICE_A, 1);
    enroll(&hub, &mut desk, &format!("http://{addr}"));
    let at = common::counter::vn(2026, 11, 30, 8, 0);
    for _ in 0..3 {
        desk.receive(&common::counter::reception("1.004873"), at).unwrap();
    }
    let report = common::sync(&mut desk, 100);
    assert!(report.error.is_none(), "{:?}", report.error);
    let accepted = report.pushed.accepted;
    let (status, text) = answer_of(addr, &get("/metrics", ""));
    assert_eq!(status, 200);
    assert!(text.contains("content-type: text/plain; version=0.0.4"), "{text}");
    assert!(
        text.contains(&format!("motcua_hub_events_total{{outcome=\"accepted\"}} {accepted}\n")),
        "{text}"
    );
    assert!(
        text.contains("motcua_hub_requests_total{route=\"/v1/push\",status=\"200\"}"),
        "{text}"
    );
    assert!(
        text.contains("motcua_hub_request_duration_seconds_count{route=\"/v1/pull\"}"),
        "{text}"
    );
    assert!(text.contains("motcua_hub_devices_seen_today 1\n"), "{text}");
    // No citizen, dossier or device is named.
    let device = desk.office().unwrap().device_id;
    assert!(!text.contains(&device));
    assert!(!text.contains(OFFICE_A));
}

#[test]
fn the_token_lifetime_is_a_setting() {
    let hub = Hub::start();
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    let rt = runtime();
    let settings = Settings {
        token_days: 3,
        ..Settings::default()
    };
    let addr = serve(&rt, hub.pool.clone(), settings);
    let dir = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(dir.path(), OFFICE_A, 1);
    let before = chrono::Utc::now();
    enroll(&hub, &mut desk, &format!("http://{addr}"));
    let devices = hub
        .block(motcua_hub::register::devices(
            &hub.pool,
            Some(OFFICE_A),
            chrono::Utc::now(),
        ))
        .unwrap();
    let expires = devices[0].expires_at;
    assert!(expires > before + chrono::Duration::days(3) - chrono::Duration::minutes(1));
    assert!(expires < chrono::Utc::now() + chrono::Duration::days(3) + chrono::Duration::minutes(1));
}

/// A counter's 10 dossiers on the hub, and a fresh PC enrolled in its
/// place that will restore them through a hub pacing restores to 2 pages
/// per 2 s.
fn replacement_pc_and_paced_hub(
    hub: &Hub,
    rt: &tokio::runtime::Runtime,
    old: &std::path::Path,
    new: &std::path::Path,
) -> (motcua::desk::Desk, std::net::SocketAddr) {
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    let mut lost = counter_desk(old, OFFICE_A, 1);
    enroll(hub, &mut lost, &hub.url());
    let mut at = common::counter::vn(2026, 11, 30, 8, 0);
    for _ in 0..10 {
        at += chrono::Duration::minutes(3);
        lost.receive(&common::counter::reception("1.004873"), at).unwrap();
    }
    assert!(common::sync(&mut lost, 50).error.is_none());
    let settings = Settings {
        restore_pages_per_minute: 2,
        restore_window: Duration::from_secs(2),
        ..Settings::default()
    };
    let addr = serve(rt, hub.pool.clone(), settings);
    let mut pc = counter_desk(new, OFFICE_A, 1);
    enroll(hub, &mut pc, &format!("http://{addr}"));
    (pc, addr)
}

/// Restore pages `pc` was given and refused (the lost PC's own first sync
/// read one too).
fn restore_pages(hub: &Hub, pc: &motcua::desk::Desk) -> (usize, usize) {
    let device = pc.office().unwrap().device_id;
    let log = hub
        .block(motcua_hub::register::restore_log(&hub.pool, Some(OFFICE_A), 100))
        .unwrap();
    let mine = || log.iter().filter(|r| r.device_id == device);
    (
        mine().filter(|r| !r.refused).count(),
        mine().filter(|r| r.refused).count(),
    )
}

#[test]
fn a_paced_restore_waits_as_the_hub_asks_and_finishes_in_one_run() {
    let hub = Hub::start();
    let rt = runtime();
    let (old, new) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut pc, _addr) = replacement_pc_and_paced_hub(&hub, &rt, old.path(), new.path());
    let started = Instant::now();
    // Pages of 2: five pages of dossiers, two allowed per 2 s.
    let report = common::sync(&mut pc, 2);
    assert!(report.error.is_none(), "{:?}", report.error);
    assert_eq!(report.restored.added, 10);
    let (served, refused) = restore_pages(&hub, &pc);
    assert_eq!(served, 5);
    assert!(refused >= 1, "the hub paced the restore");
    // It waited as told (Retry-After: 2), not the test's 2–20 ms backoff.
    assert!(started.elapsed() >= Duration::from_secs(2), "{:?}", started.elapsed());
}

#[test]
fn a_restore_cut_short_goes_on_where_it_stopped() {
    let hub = Hub::start();
    let rt = runtime();
    let (old, new) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut pc, _addr) = replacement_pc_and_paced_hub(&hub, &rt, old.path(), new.path());
    // No retries: each run stops at the first 429, the next goes on.
    let mut options = common::fast_options(2);
    options.retry.attempts = 1;
    let mut added = 0;
    let mut runs = 0;
    loop {
        runs += 1;
        assert!(runs < 20, "the restore never finished");
        let report = pc.sync(&options, &chrono::Utc::now, &mut |_| {}).unwrap();
        added += report.restored.added;
        match report.error {
            None => break,
            Some(e) => {
                assert_eq!(e.code, "hub_unavailable", "{e:?}");
                std::thread::sleep(Duration::from_millis(700));
            }
        }
    }
    assert!(runs > 1, "the pace cut the restore at least once");
    assert_eq!(added, 10);
    // Every page was served once: no run started again from the first.
    assert_eq!(restore_pages(&hub, &pc).0, 5);
}

#[test]
fn a_body_that_is_not_a_json_object_is_refused() {
    // serde reads a struct from an array of its fields too; the protocol
    // has no such form (Schemathesis sent `[[]]` as a push).
    let served = one_counter(Settings::default());
    for (path, body) in [
        ("/v1/push", "[[]]"),
        ("/v1/enroll", r#"["K7QX","pc","0123456789abcdef0123456789abcdef"]"#),
    ] {
        let (status, text) = answer_of(
            served.addr,
            &format!(
                "POST {path} HTTP/1.1\r\nhost: hub\r\nauthorization: Bearer {}\r\ncontent-type: application/json\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                served.token,
                body.len()
            ),
        );
        assert_eq!(status, 400, "{path}: {text}");
        assert!(text.contains("bad_request"), "{text}");
    }
}
