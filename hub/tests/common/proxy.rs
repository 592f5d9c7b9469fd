//! A proxy between counters and the hub that breaks things on purpose:
//! drops connections, loses answers (whole or cut in the middle), sends a
//! request twice, delays, answers 5xx — or shapes the link like a slow
//! mountain line (bandwidth, round trip, packet loss).

use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    /// Close the connection without forwarding.
    DropRequest,
    /// Forward, then close without answering: the hub acted, the ack is lost.
    DropAnswer,
    /// Forward, then send half the answer and close.
    CutAnswer,
    /// Forward the request twice at once; answer with the first.
    Duplicate,
    /// Wait, then forward normally.
    Delay,
    /// Answer 503 without forwarding.
    Unavailable,
    /// Forward, then answer 502: the hub acted, the ack is lost behind a gateway.
    BadGatewayAfter,
    /// Answer 408 without forwarding, as a proxy whose read timed out.
    RequestTimeout,
}

const RANDOM_FAULTS: &[Fault] = &[
    Fault::DropRequest,
    Fault::DropAnswer,
    Fault::CutAnswer,
    Fault::Duplicate,
    Fault::Delay,
    Fault::Unavailable,
    Fault::BadGatewayAfter,
];

/// A slow link: bandwidth both ways, round trip, and packet loss (each lost
/// 1460-byte segment costs a retransmission timeout).
#[derive(Debug, Clone, Copy)]
pub struct Shaping {
    pub bits_per_second: u64,
    pub rtt: Duration,
    pub loss: f64,
}

impl Shaping {
    fn transfer(&self, bytes: usize) -> Duration {
        let mut t = Duration::from_secs_f64(bytes as f64 * 8.0 / self.bits_per_second as f64);
        let segments = bytes.div_ceil(1460).max(1);
        for _ in 0..segments {
            if fastrand::f64() < self.loss {
                t += self.rtt + Duration::from_millis(200);
            }
        }
        t
    }
}

#[derive(Default)]
pub struct ProxyState {
    /// Probability of a random fault per request (0 = a clean link).
    pub fault_rate: Mutex<f64>,
    /// Faults to apply to the next requests, in order, before random ones.
    pub script: Mutex<VecDeque<Fault>>,
    pub injected: AtomicUsize,
    pub requests: AtomicUsize,
    pub bytes_up: AtomicUsize,
    pub bytes_down: AtomicUsize,
    pub by_kind: Mutex<BTreeMap<String, usize>>,
    pub shaping: Mutex<Option<Shaping>>,
    /// Bodies larger than this are answered 413 by the proxy itself.
    pub body_limit: Mutex<Option<usize>>,
    pub stopped: AtomicBool,
    /// Requests forwarded to each target.
    pub by_target: Mutex<BTreeMap<SocketAddr, usize>>,
}

pub struct FaultProxy {
    rt: tokio::runtime::Runtime,
    pub addr: SocketAddr,
    pub state: Arc<ProxyState>,
}

impl FaultProxy {
    pub fn start(target: SocketAddr) -> FaultProxy {
        FaultProxy::balance(&[target])
    }

    /// A load balancer in front of several hubs: each request goes to one
    /// of `targets` at random (a duplicated one to two at random).
    pub fn balance(targets: &[SocketAddr]) -> FaultProxy {
        let targets: Arc<Vec<SocketAddr>> = Arc::new(targets.to_vec());
        motcua::sync::http::install_crypto_provider();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let state = Arc::new(ProxyState::default());
        let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let client = reqwest::Client::builder()
            .no_gzip()
            .no_proxy()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let shared = state.clone();
        rt.spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    continue;
                };
                let state = shared.clone();
                let client = client.clone();
                let targets = targets.clone();
                tokio::spawn(async move {
                    let _ = handle(socket, targets, state, client).await;
                });
            }
        });
        FaultProxy { rt, addr, state }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set_fault_rate(&self, rate: f64) {
        *self.state.fault_rate.lock().unwrap() = rate;
    }

    pub fn script(&self, faults: &[Fault]) {
        self.state.script.lock().unwrap().extend(faults.iter().copied());
    }

    pub fn shape(&self, shaping: Option<Shaping>) {
        *self.state.shaping.lock().unwrap() = shaping;
    }

    /// Answer 413 to every body over `limit` bytes (as sent, compressed).
    pub fn limit_body(&self, limit: Option<usize>) {
        *self.state.body_limit.lock().unwrap() = limit;
    }

    pub fn injected(&self) -> usize {
        self.state.injected.load(Ordering::SeqCst)
    }

    pub fn requests(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }

    pub fn by_target(&self) -> BTreeMap<SocketAddr, usize> {
        self.state.by_target.lock().unwrap().clone()
    }

    pub fn by_kind(&self) -> BTreeMap<String, usize> {
        self.state.by_kind.lock().unwrap().clone()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.state.stopped.store(true, Ordering::SeqCst);
        let _ = &self.rt;
    }
}

struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    raw_len: usize,
}

async fn read_request(socket: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Request> {
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_string();
            let mut lines = head.split("\r\n");
            let mut first = lines.next()?.split(' ');
            let method = first.next()?.to_string();
            let path = first.next()?.to_string();
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                .collect();
            let length: usize = headers
                .iter()
                .find(|(k, _)| k == "content-length")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            while buffer.len() < end + 4 + length {
                let mut chunk = [0u8; 16384];
                let n = socket.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buffer.extend_from_slice(&chunk[..n]);
            }
            let body = buffer[end + 4..end + 4 + length].to_vec();
            let raw_len = end + 4 + length;
            buffer.drain(..raw_len);
            return Some(Request {
                method,
                path,
                headers,
                body,
                raw_len,
            });
        }
        let mut chunk = [0u8; 16384];
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
}

async fn forward(client: &reqwest::Client, target: SocketAddr, r: &Request) -> Option<Vec<u8>> {
    let method = reqwest::Method::from_bytes(r.method.as_bytes()).ok()?;
    let mut builder = client.request(method, format!("http://{target}{}", r.path));
    for (k, v) in &r.headers {
        if !matches!(
            k.as_str(),
            "host" | "content-length" | "connection" | "transfer-encoding"
        ) {
            builder = builder.header(k.as_str(), v.as_str());
        }
    }
    let response = builder.body(r.body.clone()).send().await.ok()?;
    let status = response.status();
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    let mut headers = String::new();
    for (k, v) in response.headers() {
        if !matches!(k.as_str(), "content-length" | "connection" | "transfer-encoding") {
            headers.push_str(&format!("{}: {}\r\n", k, v.to_str().unwrap_or("")));
        }
    }
    let body = response.bytes().await.ok()?;
    out.push_str(&headers);
    out.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&body);
    Some(bytes)
}

fn canned(status: u16, reason: &str) -> Vec<u8> {
    let body = format!("{{\"code\":\"proxy_{status}\",\"message\":\"{reason}\"}}");
    format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

async fn handle(
    mut socket: TcpStream,
    targets: Arc<Vec<SocketAddr>>,
    state: Arc<ProxyState>,
    client: reqwest::Client,
) -> Option<()> {
    let mut buffer = Vec::new();
    let pick = || targets[fastrand::usize(..targets.len())];
    loop {
        let request = read_request(&mut socket, &mut buffer).await?;
        let target = pick();
        *state.by_target.lock().unwrap().entry(target).or_default() += 1;
        state.requests.fetch_add(1, Ordering::SeqCst);
        state.bytes_up.fetch_add(request.raw_len, Ordering::SeqCst);
        let shaping = *state.shaping.lock().unwrap();
        if let Some(s) = shaping {
            tokio::time::sleep(s.rtt / 2 + s.transfer(request.raw_len)).await;
        }
        let scripted = state.script.lock().unwrap().pop_front();
        let rate = *state.fault_rate.lock().unwrap();
        let fault = scripted
            .or_else(|| (fastrand::f64() < rate).then(|| RANDOM_FAULTS[fastrand::usize(..RANDOM_FAULTS.len())]));
        if let Some(f) = fault {
            state.injected.fetch_add(1, Ordering::SeqCst);
            *state.by_kind.lock().unwrap().entry(format!("{f:?}")).or_default() += 1;
        }
        let too_big = state.body_limit.lock().unwrap().is_some_and(|l| request.body.len() > l);
        if too_big {
            *state
                .by_kind
                .lock()
                .unwrap()
                .entry("PayloadTooLarge".into())
                .or_default() += 1;
            let page = "<html><body>413 Request Entity Too Large</body></html>";
            let answer = format!(
                "HTTP/1.1 413 Request Entity Too Large\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\r\n{page}",
                page.len()
            );
            socket.write_all(answer.as_bytes()).await.ok()?;
            continue;
        }
        let answer = match fault {
            Some(Fault::DropRequest) => return None,
            Some(Fault::RequestTimeout) => canned(408, "Request Timeout"),
            Some(Fault::Unavailable) => canned(503, "Service Unavailable"),
            Some(Fault::DropAnswer) => {
                forward(&client, target, &request).await;
                return None;
            }
            Some(Fault::CutAnswer) => {
                let answer = forward(&client, target, &request).await?;
                let _ = socket.write_all(&answer[..answer.len() / 2]).await;
                return None;
            }
            Some(Fault::BadGatewayAfter) => {
                forward(&client, target, &request).await;
                canned(502, "Bad Gateway")
            }
            Some(Fault::Duplicate) => {
                let (first, _) = tokio::join!(forward(&client, target, &request), forward(&client, pick(), &request));
                first?
            }
            Some(Fault::Delay) => {
                tokio::time::sleep(Duration::from_millis(fastrand::u64(5..80))).await;
                forward(&client, target, &request).await?
            }
            None => forward(&client, target, &request).await?,
        };
        if let Some(s) = shaping {
            tokio::time::sleep(s.rtt / 2 + s.transfer(answer.len())).await;
        }
        state.bytes_down.fetch_add(answer.len(), Ordering::SeqCst);
        socket.write_all(&answer).await.ok()?;
    }
}
