//! The counter's side of the HTTP link (blocking; runs on a background
//! thread in the app and on the main thread in the CLI).

use std::io::{Read, Write};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::wire::{
    ApiError, EnrollRequest, EnrollResponse, Health, PullResponse, PushRequest, PushResponse, RestorePage, WhoAmI,
    PROTOCOL_HEADER, PROTOCOL_VERSION,
};

/// Why one request failed, sorted by what the run does about it.
#[derive(Debug, Clone)]
pub enum LinkError {
    /// No answer: no route, refused, reset, timed out, cut in the middle.
    /// Retried with backoff.
    Unreachable(String),
    /// The hub answered 5xx (or 429). Retried with backoff, not sooner
    /// than its `Retry-After` says.
    Server {
        status: u16,
        detail: String,
        retry_after: Option<Duration>,
    },
    /// 401/403: the token is unknown, revoked or not for this office. Stops the run.
    Auth(ApiError),
    /// 408 or 413, from the hub or a proxy on the way: the request was too
    /// big or too slow to pass. A push splits its page; nothing is refused.
    TooLarge { status: u16, detail: String },
    /// Another 4xx: the hub refuses this request as it is. Not retried.
    Refused { status: u16, error: ApiError },
    /// A plain `http://` hub this counter was not allowed to use: tokens
    /// and citizens' data never cross a link in clear. Not retried.
    Insecure,
}

/// Whether the link to the hub must be encrypted. Only tests and a
/// province's trial set-up on one machine may use plain HTTP, and only when
/// asked for at enrollment (`motcua enroll --insecure-http`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    TlsOnly,
    PlainHttpAllowed,
}

impl Transport {
    /// Refuses `http://` under [`Transport::TlsOnly`].
    pub fn admits(self, url: &str) -> bool {
        self == Transport::PlainHttpAllowed || !url.trim().to_ascii_lowercase().starts_with("http://")
    }
}

/// The most the counter reads of one answer, decompressed: far above any
/// page the protocol allows (a pull page with a whole catalog), far below
/// what would hurt a counter PC.
pub const MAX_ANSWER_BYTES: usize = 64 << 20;

/// The longest `Retry-After` the counter honours: a hub asking for more is
/// tried again after this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

impl LinkError {
    /// Worth sending again as it is: no answer, a server error, or a
    /// proxy's timeout (408). A 413 is not: the page must shrink.
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            LinkError::Unreachable(_) | LinkError::Server { .. } | LinkError::TooLarge { status: 408, .. }
        )
    }

    /// How long the hub asked to be left alone (`Retry-After`, seconds),
    /// at most [`MAX_RETRY_AFTER`].
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            LinkError::Server { retry_after, .. } => retry_after.map(|d| d.min(MAX_RETRY_AFTER)),
            _ => None,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            LinkError::Unreachable(d) => d.clone(),
            LinkError::Server { status, detail, .. } | LinkError::TooLarge { status, detail } => {
                format!("HTTP {status}: {detail}")
            }
            LinkError::Auth(e) => e.message.clone(),
            LinkError::Refused { status, error } => format!("HTTP {status}: {}", error.message),
            LinkError::Insecure => crate::messages::HUB_URL_INSECURE.to_string(),
        }
    }
}

pub type LinkResult<T> = std::result::Result<T, LinkError>;

/// How long one request may take.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(60),
        }
    }
}

pub struct HubLink {
    base: String,
    token: Option<String>,
    client: reqwest::blocking::Client,
}

/// rustls needs one process-wide crypto provider; ring builds everywhere
/// this app runs. Installing twice is harmless.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl HubLink {
    /// `base` is the hub's address, e.g. `https://hub.caobang.gov.vn`.
    /// A PEM file named by `MOTCUA_HUB_CA` is trusted in addition to the
    /// system's roots (a province running its own certificate authority).
    pub fn new(base: &str, token: Option<String>, timeouts: Timeouts, transport: Transport) -> LinkResult<HubLink> {
        if !transport.admits(base) {
            return Err(LinkError::Insecure);
        }
        install_crypto_provider();
        let mut builder = reqwest::blocking::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.request)
            .user_agent(concat!("motcua/", env!("CARGO_PKG_VERSION")));
        if let Some(path) = std::env::var_os("MOTCUA_HUB_CA") {
            let pem = std::fs::read(&path)
                .map_err(|e| LinkError::Unreachable(format!("{}: {e}", std::path::Path::new(&path).display())))?;
            let cert = reqwest::Certificate::from_pem(&pem).map_err(|e| LinkError::Unreachable(e.to_string()))?;
            builder = builder.add_root_certificate(cert);
        }
        let client = builder.build().map_err(|e| LinkError::Unreachable(e.to_string()))?;
        Ok(HubLink {
            base: base.trim_end_matches('/').to_string(),
            token,
            client,
        })
    }

    pub fn health(&self) -> LinkResult<Health> {
        self.get("/v1/health", &[])
    }

    pub fn whoami(&self) -> LinkResult<WhoAmI> {
        self.get("/v1/whoami", &[])
    }

    pub fn enroll(&self, request: &EnrollRequest) -> LinkResult<EnrollResponse> {
        self.post("/v1/enroll", request)
    }

    pub fn push(&self, request: &PushRequest) -> LinkResult<PushResponse> {
        self.post("/v1/push", request)
    }

    pub fn pull(&self, cursor: i64, limit: usize) -> LinkResult<PullResponse> {
        self.get(
            "/v1/pull",
            &[("cursor", cursor.to_string()), ("limit", limit.to_string())],
        )
    }

    pub fn restore(&self, after: Option<uuid::Uuid>, limit: usize) -> LinkResult<RestorePage> {
        let mut query = vec![("limit", limit.to_string())];
        if let Some(id) = after {
            query.push(("after", id.to_string()));
        }
        self.get("/v1/restore", &query)
    }

    fn get<T: DeserializeOwned>(&self, path: &str, query: &[(&str, String)]) -> LinkResult<T> {
        let request = self.client.get(format!("{}{path}", self.base)).query(query);
        self.send(request)
    }

    fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> LinkResult<T> {
        let compressed = encode_body(body)?;
        let request = self
            .client
            .post(format!("{}{path}", self.base))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::CONTENT_ENCODING, "gzip")
            .body(compressed);
        self.send(request)
    }

    fn send<T: DeserializeOwned>(&self, mut request: reqwest::blocking::RequestBuilder) -> LinkResult<T> {
        request = request.header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().map_err(|e| LinkError::Unreachable(error_chain(&e)))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        // Reading the body can fail too: an answer cut in the middle is a
        // lost answer. Read decompressed, and no more than the cap.
        let mut bytes = Vec::new();
        response
            .take(MAX_ANSWER_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| LinkError::Unreachable(error_chain(&e)))?;
        if bytes.len() > MAX_ANSWER_BYTES {
            return Err(LinkError::Refused {
                status,
                error: ApiError {
                    code: "answer_too_large".to_string(),
                    message: crate::messages::answer_too_large(MAX_ANSWER_BYTES >> 20),
                },
            });
        }
        if (200..300).contains(&status) {
            return serde_json::from_slice(&bytes)
                .map_err(|e| LinkError::Unreachable(format!("câu trả lời không đọc được: {e}")));
        }
        let error: ApiError = serde_json::from_slice(&bytes).unwrap_or_else(|_| ApiError {
            code: format!("http_{status}"),
            message: String::from_utf8_lossy(&bytes).chars().take(200).collect(),
        });
        Err(match status {
            401 | 403 => LinkError::Auth(error),
            408 | 413 => LinkError::TooLarge {
                status,
                detail: error.message,
            },
            429 | 500..=599 => LinkError::Server {
                status,
                detail: error.message,
                retry_after,
            },
            _ => LinkError::Refused { status, error },
        })
    }
}

/// A request body as it travels: JSON, gzip-compressed.
pub fn encode_body<B: Serialize>(body: &B) -> LinkResult<Vec<u8>> {
    let json = serde_json::to_vec(body).map_err(|e| LinkError::Unreachable(e.to_string()))?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&json).map_err(|e| LinkError::Unreachable(e.to_string()))?;
    gz.finish().map_err(|e| LinkError::Unreachable(e.to_string()))
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    use super::*;

    #[test]
    fn a_plain_http_hub_is_refused_unless_allowed() {
        let tls_only = HubLink::new("http://127.0.0.1:9", None, Timeouts::default(), Transport::TlsOnly);
        assert!(matches!(tls_only, Err(LinkError::Insecure)));
        assert!(HubLink::new(
            "http://127.0.0.1:9",
            None,
            Timeouts::default(),
            Transport::PlainHttpAllowed
        )
        .is_ok());
        assert!(HubLink::new("https://127.0.0.1:9", None, Timeouts::default(), Transport::TlsOnly).is_ok());
    }

    /// A "hub" that answers every request with `body`, gzip-encoded.
    fn answering(body_len: usize) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let chunk = vec![b' '; 1 << 20];
        let mut left = body_len;
        while left > 0 {
            let n = left.min(chunk.len());
            gz.write_all(&chunk[..n]).unwrap();
            left -= n;
        }
        let bomb = gz.finish().unwrap();
        std::thread::spawn(move || {
            if let Ok((mut s, _)) = listener.accept() {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    bomb.len()
                );
                let _ = s.write_all(head.as_bytes());
                let _ = s.write_all(&bomb);
            }
        });
        format!("http://{addr}")
    }

    #[test]
    fn an_answer_past_the_cap_is_not_read_into_memory() {
        // 80 MiB of spaces: under 100 KiB on the wire.
        let url = answering(80 << 20);
        let link = HubLink::new(&url, None, Timeouts::default(), Transport::PlainHttpAllowed).unwrap();
        match link.health() {
            Err(LinkError::Refused { error, .. }) => assert_eq!(error.code, "answer_too_large"),
            other => panic!("{other:?}"),
        }
        // Under the cap it is read (and here fails as JSON, not as size).
        let url = answering(1 << 20);
        let link = HubLink::new(&url, None, Timeouts::default(), Transport::PlainHttpAllowed).unwrap();
        assert!(matches!(link.health(), Err(LinkError::Unreachable(_))));
    }
}
