//! The hub over TLS with the province's own certificate authority, and a
//! graceful stop. Its own test binary: it sets MOTCUA_HUB_CA for the process.

mod common;

use std::process::Command;

use common::{counter, counter_desk, enroll, sync, Hub, OFFICE_A};

#[test]
fn serves_over_tls_and_stops_gracefully() {
    let hub = Hub::start();
    hub.add_office(OFFICE_A, "UBND xã Hòa An");
    let dir = tempfile::tempdir().unwrap();
    // The province's own certificate authority, and the hub's certificate signed by it.
    let p = |name: &str| dir.path().join(name);
    let (ca, cert, key) = (p("ca.pem"), p("hub.pem"), p("hub.key"));
    std::fs::write(
        p("ext.cnf"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=So TTTT Cao Bang CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "hub.key",
        "-out",
        "hub.csr",
    ]);
    openssl(&[
        "x509",
        "-req",
        "-in",
        "hub.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
        "-out",
        "hub.pem",
    ]);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = Command::new(env!("CARGO_BIN_EXE_motcua-hub"))
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--header-timeout",
            "2",
        ])
        .arg("--tls-cert")
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .env("DATABASE_URL", &hub.database_url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // A client that connects and never starts its TLS handshake is let go.
    let started = std::time::Instant::now();
    let mut idle = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    idle.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    let closed = std::io::Read::read(&mut idle, &mut [0u8; 64]);
    assert!(
        matches!(closed, Ok(0)) || matches!(&closed, Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset),
        "{closed:?}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // The counter trusts the province's own certificate authority.
    std::env::set_var("MOTCUA_HUB_CA", &ca);
    let data = tempfile::tempdir().unwrap();
    let mut desk = counter_desk(data.path(), OFFICE_A, 1);
    enroll(&hub, &mut desk, &format!("https://127.0.0.1:{port}"));
    desk.receive(&counter::reception("1.004873"), counter::vn(2026, 11, 3, 8, 0))
        .unwrap();
    let report = sync(&mut desk, 50);
    assert_eq!(
        report.pushed.accepted,
        1 + common::SET_UP_FACTS as i64,
        "{:?}",
        report.error
    );
    // SIGTERM: finishes and exits cleanly, with structured logs.
    let pid = server.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let out = server.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let logs = String::from_utf8_lossy(&out.stderr);
    let first: serde_json::Value = serde_json::from_str(logs.lines().next().unwrap()).expect("JSON log lines");
    assert!(first.get("level").is_some());
}
