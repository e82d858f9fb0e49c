"""/metrics as Prometheus reads it: parsed by the reference client's own text parser,
with counters that move with the requests made between two scrapes."""

import sys

from prometheus_client.parser import text_string_to_metric_families
from server import KEY, fetch


def scrape():
    status, headers, text = fetch("/metrics")
    assert status == 200, (status, text)
    assert headers["Content-Type"].startswith("text/plain; version=0.0.4"), headers
    # The parser raises on anything that is not the text format.
    families = {f.name: f for f in text_string_to_metric_families(text)}
    samples = {}
    for family in families.values():
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return families, samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def main():
    families, before = scrape()
    expected_types = {
        "custodia_http_requests": "counter",
        "custodia_http_request_duration_seconds": "histogram",
        "custodia_writer_batch_jobs": "histogram",
        "custodia_writer_commit_duration_seconds": "histogram",
        "custodia_consent_book_subjects": "gauge",
        "custodia_outbox_pending": "gauge",
        "custodia_outbox_failed": "gauge",
        "custodia_outbox_delivery_attempts": "counter",
        "custodia_retention_last_sweep_timestamp_seconds": "gauge",
        "custodia_retention_sweeps": "counter",
        "custodia_retention_subjects": "counter",
        "custodia_audit_checkpoint_timestamp_seconds": "gauge",
        "custodia_audit_checkpoint_age_seconds": "gauge",
    }
    for name, kind in expected_types.items():
        assert name in families, f"no {name} in {sorted(families)}"
        assert families[name].type == kind, (name, families[name].type)
    # The smoke test before this one created subjects: the writer committed them.
    assert value(before, "custodia_writer_batch_jobs_count") > 0, before
    assert value(before, "custodia_consent_book_subjects") > 0, before

    for _ in range(4):
        assert fetch("/privacy-policy")[0] == 200
    for _ in range(2):
        assert fetch("/v1/subjects/00000000-0000-0000-0000-000000000000", "cusk_wrong")[0] == 401
    assert fetch("/v1/subjects?email=nobody%40example.org", KEY)[0] == 200

    _, after = scrape()
    moved = {
        ("GET", "/privacy-policy", "200"): 4,
        ("GET", "/v1/subjects/{id}", "401"): 2,
        ("GET", "/v1/subjects", "200"): 1,
    }
    for (method, route, status), n in moved.items():
        labels = dict(method=method, route=route, status=status)
        delta = value(after, "custodia_http_requests_total", **labels) - value(
            before, "custodia_http_requests_total", **labels
        )
        assert delta == n, (labels, delta)
        count = dict(method=method, route=route)
        seen = value(after, "custodia_http_request_duration_seconds_count", **count) - value(
            before, "custodia_http_request_duration_seconds_count", **count
        )
        assert seen >= n, (count, seen)
    # The first scrape itself is counted by the second.
    scraped = dict(method="GET", route="/metrics", status="200")
    assert value(after, "custodia_http_requests_total", **scraped) == value(
        before, "custodia_http_requests_total", **scraped
    ) + 1
    # No path, query or e-mail in any label.
    for name, labels in after:
        for _, label_value in labels:
            assert "@" not in label_value and "00000000" not in label_value, (name, labels)
    print(f"metrics: {len(families)} families parsed, counters moved as expected")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as failed:
        print(f"metrics: {failed!r}", file=sys.stderr)
        raise
