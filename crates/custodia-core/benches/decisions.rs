//! In-process consent decisions: one answer from the in-memory book, as the server's
//! decision routes compute it, over a book of 100,000 subjects with choices.
//! Run: `cargo bench -p custodia-core -- --warm-up-time 1 --measurement-time 3`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use custodia_core::consent::{Catalog, ConsentBook};
use custodia_core::writer::CommitObserver;
use custodia_store::{ConsentRecord, SubjectRecord, Write};
use time::macros::datetime;

const SUBJECTS: usize = 100_000;

fn book() -> (ConsentBook, Vec<String>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/saas.toml");
    let register = custodia_register::load(&path).unwrap();
    let catalog = Arc::new(Catalog::new(&register));
    let fingerprint = catalog.purpose("newsletter").unwrap().fingerprint.clone();
    let book = ConsentBook::new(catalog);
    let at = datetime!(2026-11-01 00:00 UTC);
    let ids: Vec<String> = (0..SUBJECTS)
        .map(|i| format!("0193a1b2-0000-7000-8000-{i:012}"))
        .collect();
    let mut writes = Vec::with_capacity(SUBJECTS * 2);
    for (i, id) in ids.iter().enumerate() {
        writes.push(Write::CreateSubject {
            subject: SubjectRecord {
                id: id.clone(),
                kind: "customer".to_owned(),
                age_status: "adult".to_owned(),
                parental_consent_at: None,
                created_at: at,
                updated_at: at,
                erased_at: None,
            },
            fields: Vec::new(),
            indexes: Vec::new(),
        });
        writes.push(Write::RecordConsent(ConsentRecord {
            id: format!("c-{i}"),
            subject_id: Some(id.clone()),
            visitor_id: None,
            purpose: "newsletter".to_owned(),
            service: None,
            state: if i % 3 == 0 { "withdrawn" } else { "given" }.to_owned(),
            method: "form".to_owned(),
            recorded_at: at,
            expires_at: None,
            policy_version: 1,
            purpose_fingerprint: fingerprint.clone(),
            text_sha256: "0".repeat(64),
            banner_version: None,
            ip_prefix: None,
            user_agent: None,
            jurisdiction: None,
            gpc: false,
            recorded_by: "subject".to_owned(),
        }));
    }
    book.committed(&writes);
    (book, ids)
}

fn decisions(c: &mut Criterion) {
    let (book, ids) = book();
    let now = datetime!(2026-11-22 00:00 UTC);
    let mut group = c.benchmark_group("decision");
    group.throughput(Throughput::Elements(1));
    let mut i = 0usize;
    group.bench_function("consent purpose", |b| {
        b.iter(|| {
            i = (i + 7919) % SUBJECTS;
            book.decide(black_box(&ids[i]), black_box("newsletter"), now)
                .unwrap()
        })
    });
    group.bench_function("contract purpose", |b| {
        b.iter(|| {
            i = (i + 7919) % SUBJECTS;
            book.decide(black_box(&ids[i]), black_box("payments"), now)
                .unwrap()
        })
    });
    let batch: Vec<&str> = ids.iter().take(1000).map(String::as_str).collect();
    group.throughput(Throughput::Elements(1000));
    group.bench_function("batch of 1000", |b| {
        b.iter(|| {
            book.decide_many(black_box(batch.iter().copied()), "newsletter", now)
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, decisions);
criterion_main!(benches);
