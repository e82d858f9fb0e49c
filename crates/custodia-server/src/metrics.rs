//! Operations: one log line and one count per request, and `GET /metrics` in the
//! Prometheus text format, answered only to the addresses in `metrics_allow`.
//!
//! Requests are labelled by route template (`/v1/subjects/{id}`), never by the path
//! itself: no identifier, e-mail or token reaches a label or a log line, and the
//! number of series stays bounded.

use crate::client::{ClientAddr, Networks};
use crate::{ApiError, AppState};
use axum::extract::{MatchedPath, State};
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use custodia_core::telemetry::{CheckpointStats, OutboxStats, SweepStats, WriterStats};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};
use std::net::IpAddr;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

/// The route label of a request no route matched (a 404 of any path).
const UNMATCHED: &str = "unmatched";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

/// What the core's background services measure (each keeps its own figures).
pub struct CoreFigures {
    pub writer: WriterStats,
    pub outbox: OutboxStats,
    pub sweeps: SweepStats,
    pub checkpoints: CheckpointStats,
    /// The writer's durable audit head, to tell how long it has waited for a
    /// checkpoint.
    pub durable_head: tokio::sync::watch::Receiver<(i64, String)>,
}

/// The registry and the figures read when `/metrics` is asked for.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram>,
    book_subjects: Gauge,
    book_visitors: Gauge,
    outbox_pending: Gauge,
    outbox_failed: Gauge,
    checkpoint_age: Gauge<f64, AtomicU64>,
    checkpoints: CheckpointStats,
    durable_head: tokio::sync::watch::Receiver<(i64, String)>,
    started: f64,
    allow: Networks,
}

impl Metrics {
    /// `allow`: who may read `/metrics`; `now_unix`: the start, from which the
    /// checkpoint age counts until the first checkpoint.
    pub fn new(core: CoreFigures, allow: Networks, now_unix: f64) -> Metrics {
        let mut registry = Registry::with_prefix("custodia");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status",
            requests.clone(),
        );
        let durations = Family::<RouteLabels, Histogram>::new_with_constructor(
            (|| Histogram::new(custodia_core::telemetry::duration_buckets())) as fn() -> Histogram,
        );
        registry.register_with_unit(
            "http_request_duration",
            "Time from a request's arrival to its response's headers",
            Unit::Seconds,
            durations.clone(),
        );
        registry.register(
            "writer_batch_jobs",
            "Jobs (each request's writes and audit entries) stored in one commit",
            core.writer.batch_jobs,
        );
        registry.register_with_unit(
            "writer_commit_duration",
            "Time from a batch being handed to the database to its being durable",
            Unit::Seconds,
            core.writer.commit_seconds,
        );
        let book_subjects = Gauge::default();
        registry.register(
            "consent_book_subjects",
            "Subjects held in memory for consent decisions",
            book_subjects.clone(),
        );
        let book_visitors = Gauge::default();
        registry.register(
            "consent_book_visitors",
            "Banner visitors held in memory for consent decisions",
            book_visitors.clone(),
        );
        let outbox_pending = Gauge::default();
        registry.register(
            "outbox_pending",
            "Letters and webhooks waiting to be delivered",
            outbox_pending.clone(),
        );
        let outbox_failed = Gauge::default();
        registry.register(
            "outbox_failed",
            "Letters and webhooks given up on (listed on the console's dashboard)",
            outbox_failed.clone(),
        );
        registry.register(
            "outbox_delivery_attempts",
            "Delivery attempts by this process, by outcome: delivered, retry, failed",
            core.outbox.attempts,
        );
        registry.register(
            "retention_last_sweep_timestamp_seconds",
            "Unix time at which this process's last retention sweep ended (0: none yet)",
            core.sweeps.last_sweep,
        );
        registry.register(
            "retention_sweeps",
            "Retention sweeps run by this process",
            core.sweeps.sweeps,
        );
        registry.register(
            "retention_subjects",
            "Subjects acted on by retention sweeps, by action: erased, reduced, anonymised, archived, held",
            core.sweeps.actions,
        );
        registry.register(
            "audit_checkpoint_timestamp_seconds",
            "Unix time of the last audit checkpoint this process stored (0: none yet)",
            core.checkpoints.last_checkpoint.clone(),
        );
        let checkpoint_age = Gauge::<f64, AtomicU64>::default();
        registry.register_with_unit(
            "audit_checkpoint_age",
            "How long the newest durable audit entry has waited for a checkpoint (0: covered)",
            Unit::Seconds,
            checkpoint_age.clone(),
        );
        Metrics {
            registry,
            requests,
            durations,
            book_subjects,
            book_visitors,
            outbox_pending,
            outbox_failed,
            checkpoint_age,
            checkpoints: core.checkpoints,
            durable_head: core.durable_head,
            started: now_unix,
            allow,
        }
    }

    fn allows(&self, ip: IpAddr) -> bool {
        self.allow.contains(ip)
    }

    /// Counts and logs one request: method, route template, status and latency.
    /// Never the query string, a body, a header or the client's address.
    pub fn record<B>(&self, method: &Method, response: &Response<B>, started: Instant) {
        let seconds = started.elapsed().as_secs_f64();
        let status = response.status().as_u16();
        // Put there by the routes' own layer (`no_store`): this runs outside them.
        let route = response
            .extensions()
            .get::<MatchedPath>()
            .map_or(UNMATCHED, MatchedPath::as_str);
        self.count(method, route, status, seconds);
        let latency_ms = (seconds * 1e6).round() / 1e3;
        if status >= 500 {
            tracing::warn!(target: "custodia::http", method = %method, route, status, latency_ms, "request");
        } else {
            tracing::info!(target: "custodia::http", method = %method, route, status, latency_ms, "request");
        }
    }

    fn count(&self, method: &Method, route: &str, status: u16, seconds: f64) {
        let method = method_label(method);
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route: route.to_owned(),
                status,
            })
            .inc();
        self.durations
            .get_or_create(&RouteLabels {
                method,
                route: route.to_owned(),
            })
            .observe(seconds);
    }

    fn checkpoint_age_at(&self, now_unix: f64) -> f64 {
        let head = self.durable_head.borrow().0;
        if head <= self.checkpoints.last_seq.get() {
            return 0.0;
        }
        let since = self.checkpoints.last_checkpoint.get().max(self.started);
        (now_unix - since).max(0.0)
    }
}

/// Methods by name; anything else as `other`, so a client cannot add series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Operations metrics in the Prometheus text format (version 0.0.4).
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Metrics in the Prometheus text format", content_type = "text/plain"),
              (status = 403, description = "The client's address is not in `metrics_allow`", body = crate::error::Problem)))]
pub async fn metrics(
    State(state): State<AppState>,
    client: ClientAddr,
) -> Result<Response, ApiError> {
    let metrics = &state.metrics;
    if !metrics.allows(client.ip) {
        return Err(ApiError::Forbidden(
            "metrics are answered only to the addresses in metrics_allow".to_owned(),
        ));
    }
    let book = state.consents.book().size();
    metrics.book_subjects.set(gauge_value(book.subjects as u64));
    metrics.book_visitors.set(gauge_value(book.visitors as u64));
    metrics
        .outbox_pending
        .set(gauge_value(state.rights.outbox_pending().await?));
    metrics
        .outbox_failed
        .set(gauge_value(state.rights.outbox_failed().await?));
    let now = custodia_core::telemetry::unix_seconds(state.clock.now());
    metrics.checkpoint_age.set(metrics.checkpoint_age_at(now));
    let mut text = String::new();
    prometheus_client::encoding::prometheus_text::encode(&mut text, &metrics.registry)
        .map_err(|e| ApiError::Internal(format!("encoding the metrics: {e}")))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(prometheus_client::encoding::prometheus_text::CONTENT_TYPE),
        )],
        text,
    )
        .into_response())
}

fn gauge_value(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics(allow: &[&str]) -> Metrics {
        let (_, head) = tokio::sync::watch::channel((0, String::new()));
        let core = CoreFigures {
            writer: WriterStats::default(),
            outbox: OutboxStats::default(),
            sweeps: SweepStats::default(),
            checkpoints: CheckpointStats::default(),
            durable_head: head,
        };
        Metrics::new(core, Networks::parse(allow).unwrap(), 1_000.0)
    }

    #[test]
    fn only_listed_networks_are_allowed_and_mapped_addresses_count_as_ipv4() {
        let m = metrics(&["127.0.0.0/8", "::1/128", "10.1.0.0/16"]);
        for ok in ["127.0.0.1", "::1", "10.1.2.3", "::ffff:127.0.0.1"] {
            assert!(m.allows(ok.parse().unwrap()), "{ok}");
        }
        for refused in ["10.2.0.1", "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1"] {
            assert!(!m.allows(refused.parse().unwrap()), "{refused}");
        }
    }

    #[test]
    fn unknown_methods_share_one_label() {
        let m = Method::from_bytes(b"PROPFIND").unwrap();
        assert_eq!(method_label(&m), "other");
        assert_eq!(method_label(&Method::GET), "GET");
    }
}
