//! What `GET /metrics` tells the province's monitoring (Prometheus text
//! format 0.0.4): requests and their latency per route, events ingested by
//! outcome, refusals by code, load shed, and devices seen today.
//!
//! The figures are this process's own since it started (each hub behind a
//! load balancer is scraped on its own); nothing here is needed for
//! correctness, and none of it names a citizen, a dossier or a device.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

use motcua_domain::wire::{EventAck, Outcome};

/// Upper bounds (seconds) of the latency histogram's buckets: from a
/// cached health probe to a page pushed at the 120 s request limit.
const BUCKETS: [f64; 13] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0,
];

#[derive(Default)]
struct Histogram {
    /// Observations at or under each bucket's bound (not yet cumulative).
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        if let Some(i) = BUCKETS.iter().position(|b| seconds <= *b) {
            self.counts[i] += 1;
        }
        self.count += 1;
        self.sum += seconds;
    }
}

#[derive(Default)]
struct Figures {
    requests: BTreeMap<(String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
    events: BTreeMap<&'static str, u64>,
    refusals: BTreeMap<String, u64>,
    shed: BTreeMap<&'static str, u64>,
}

/// The process's figures, shared by every request.
#[derive(Default)]
pub struct Metrics {
    figures: Mutex<Figures>,
}

/// What the scrape reads from outside this process's memory.
pub struct Gauges {
    pub in_flight: usize,
    /// None when the database did not answer: the sample is left out.
    pub devices_seen_today: Option<i64>,
    pub pool_size: u32,
    pub pool_idle: usize,
}

impl Metrics {
    fn with<R>(&self, f: impl FnOnce(&mut Figures) -> R) -> R {
        // A panic while holding the lock leaves figures, not invariants: go on.
        let mut guard = self.figures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut guard)
    }

    /// One answered request: `route` is the matched path (`other` when none).
    pub fn request(&self, route: &str, status: u16, took: Duration) {
        self.with(|f| {
            *f.requests.entry((route.to_string(), status)).or_default() += 1;
            f.latency
                .entry(route.to_string())
                .or_default()
                .observe(took.as_secs_f64());
        });
    }

    /// The hub's answers to one pushed page.
    pub fn ingested(&self, acks: &[EventAck]) {
        self.with(|f| {
            for ack in acks {
                let outcome = match ack.outcome {
                    Outcome::Accepted => "accepted",
                    Outcome::Duplicate => "duplicate",
                    Outcome::Rejected => "rejected",
                };
                *f.events.entry(outcome).or_default() += 1;
                if let Some(code) = &ack.code {
                    *f.refusals.entry(code.clone()).or_default() += 1;
                }
            }
        });
    }

    /// A request refused by a limit before any work: `busy` (total),
    /// `device` (one device's share), `restore` (restore pages per minute).
    pub fn shed(&self, limit: &'static str) {
        self.with(|f| *f.shed.entry(limit).or_default() += 1);
    }

    pub fn render(&self, gauges: &Gauges) -> String {
        let mut out = String::new();
        let o = &mut out;
        family(o, "build_info", "gauge", "The hub's version.");
        let _ = writeln!(
            o,
            "motcua_hub_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        self.with(|f| {
            family(
                o,
                "requests_total",
                "counter",
                "Requests answered, by route and status.",
            );
            for ((route, status), n) in &f.requests {
                let _ = writeln!(
                    o,
                    "motcua_hub_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                    label(route)
                );
            }
            let latency = "motcua_hub_request_duration_seconds";
            family(
                o,
                "request_duration_seconds",
                "histogram",
                "Time to answer a request, by route.",
            );
            for (route, h) in &f.latency {
                let route = label(route);
                let mut cumulative = 0;
                for (bound, n) in BUCKETS.iter().zip(h.counts) {
                    cumulative += n;
                    let _ = writeln!(o, "{latency}_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}");
                }
                let _ = writeln!(o, "{latency}_bucket{{route=\"{route}\",le=\"+Inf\"}} {}", h.count);
                let _ = writeln!(o, "{latency}_sum{{route=\"{route}\"}} {}", h.sum);
                let _ = writeln!(o, "{latency}_count{{route=\"{route}\"}} {}", h.count);
            }
            family(o, "events_total", "counter", "Pushed events answered, by outcome.");
            for outcome in ["accepted", "duplicate", "rejected"] {
                let n = f.events.get(outcome).copied().unwrap_or(0);
                let _ = writeln!(o, "motcua_hub_events_total{{outcome=\"{outcome}\"}} {n}");
            }
            family(
                o,
                "event_rejections_total",
                "counter",
                "Pushed events refused, by code.",
            );
            for (code, n) in &f.refusals {
                let _ = writeln!(o, "motcua_hub_event_rejections_total{{code=\"{}\"}} {n}", label(code));
            }
            family(
                o,
                "requests_shed_total",
                "counter",
                "Requests refused by a limit before any work, by limit.",
            );
            for limit in ["busy", "device", "restore"] {
                let n = f.shed.get(limit).copied().unwrap_or(0);
                let _ = writeln!(o, "motcua_hub_requests_shed_total{{limit=\"{limit}\"}} {n}");
            }
        });
        family(
            o,
            "requests_in_flight",
            "gauge",
            "Requests being answered now by this process.",
        );
        let _ = writeln!(o, "motcua_hub_requests_in_flight {}", gauges.in_flight);
        if let Some(n) = gauges.devices_seen_today {
            family(
                o,
                "devices_seen_today",
                "gauge",
                "Devices that reached the hub since midnight, Vietnam time (every hub on this database).",
            );
            let _ = writeln!(o, "motcua_hub_devices_seen_today {n}");
        }
        family(
            o,
            "db_connections",
            "gauge",
            "Database connections of this process, by state.",
        );
        let used = (gauges.pool_size as usize).saturating_sub(gauges.pool_idle);
        let _ = writeln!(o, "motcua_hub_db_connections{{state=\"idle\"}} {}", gauges.pool_idle);
        let _ = writeln!(o, "motcua_hub_db_connections{{state=\"used\"}} {used}");
        out
    }
}

/// A family's HELP and TYPE lines; its samples follow them.
fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP motcua_hub_{name} {help}\n# TYPE motcua_hub_{name} {kind}");
}

/// A label value as the text format wants it escaped.
fn label(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_family_is_together_and_the_histogram_is_cumulative() {
        let m = Metrics::default();
        m.request("/v1/push", 200, Duration::from_millis(30));
        m.request("/v1/push", 200, Duration::from_millis(300));
        m.request("/v1/push", 413, Duration::from_millis(1));
        let text = m.render(&Gauges {
            in_flight: 1,
            devices_seen_today: Some(2),
            pool_size: 4,
            pool_idle: 3,
        });
        assert!(text.contains("motcua_hub_requests_total{route=\"/v1/push\",status=\"200\"} 2\n"));
        assert!(text.contains("motcua_hub_request_duration_seconds_bucket{route=\"/v1/push\",le=\"0.05\"} 2\n"));
        assert!(text.contains("motcua_hub_request_duration_seconds_bucket{route=\"/v1/push\",le=\"0.5\"} 3\n"));
        assert!(text.contains("motcua_hub_request_duration_seconds_count{route=\"/v1/push\"} 3\n"));
        assert!(text.contains("motcua_hub_db_connections{state=\"used\"} 1\n"));
        // Every sample line follows its own family's TYPE line.
        let mut current = String::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                current = rest.split(' ').next().unwrap().to_string();
            } else if !line.starts_with('#') {
                assert!(line.starts_with(&current), "{line} outside {current}");
            }
        }
    }
}
