//! Costs of the cryptographic building blocks, per call.
//! Run: `cargo bench -p custodia-crypto -- --warm-up-time 1 --measurement-time 3`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use custodia_crypto::{
    AuditKey, BlindIndexKey, CheckpointClaim, GENESIS_HASH, MasterKey, SecretKey, chain_hash,
    field_aad, hash_password, normalize,
};

fn seal_open(c: &mut Criterion) {
    let key = SecretKey::generate().unwrap();
    let aad = field_aad("0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b", "email");
    let mut group = c.benchmark_group("field");
    for (name, len) in [("32B", 32usize), ("1KiB", 1024)] {
        let plaintext = vec![0x5Au8; len];
        let sealed = key.seal(&plaintext, &aad).unwrap();
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_function(format!("seal/{name}"), |b| {
            b.iter(|| key.seal(black_box(&plaintext), black_box(&aad)).unwrap())
        });
        group.bench_function(format!("open/{name}"), |b| {
            b.iter(|| key.open(black_box(&sealed), black_box(&aad)).unwrap())
        });
    }
    group.finish();
}

fn wrap_unwrap(c: &mut Criterion) {
    let master = MasterKey::generate().unwrap();
    let key = SecretKey::generate().unwrap();
    let context = b"0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b";
    let wrapped = master.wrap(&key, context).unwrap();
    c.bench_function("key/wrap", |b| {
        b.iter(|| master.wrap(black_box(&key), black_box(context)).unwrap())
    });
    c.bench_function("key/unwrap", |b| {
        b.iter(|| {
            master
                .unwrap(black_box(&wrapped), black_box(context))
                .unwrap()
        })
    });
}

fn blind_index(c: &mut Criterion) {
    let key = BlindIndexKey::new(SecretKey::generate().unwrap());
    let email = normalize::email("Alice.Smith@Example.org").unwrap();
    c.bench_function("blind_index/email", |b| {
        b.iter(|| key.digest(black_box("email"), black_box(&email)))
    });
    c.bench_function("normalize/email", |b| {
        b.iter(|| normalize::email(black_box("  Alice.Smith@Example.ORG ")).unwrap())
    });
}

fn password(c: &mut Criterion) {
    let mut group = c.benchmark_group("password");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.bench_function("hash_password", |b| {
        b.iter(|| hash_password(black_box("correct horse battery staple")).unwrap())
    });
    group.finish();
}

fn chain(c: &mut Criterion) {
    let entry = br#"{"action":"field_read","actor":"staff:7","at":"2025-03-01T12:00:00Z","subject":"p-0193a1b2","fields":["email"]}"#;
    c.bench_function("chain_hash", |b| {
        b.iter(|| chain_hash(black_box(GENESIS_HASH), black_box(entry)))
    });
    let key = AuditKey::new(&SecretKey::generate().unwrap());
    c.bench_function("audit_link", |b| {
        b.iter(|| key.link(black_box(GENESIS_HASH), black_box(entry)))
    });
    let claim = CheckpointClaim {
        chain: 0,
        seq: 1_000_000,
        head: GENESIS_HASH,
        at_micros: 1_765_000_000_000_000,
        keyed_from: 1,
    };
    c.bench_function("sign_checkpoint", |b| {
        b.iter(|| key.sign_checkpoint(black_box(&claim)))
    });
}

criterion_group!(
    benches,
    seal_open,
    wrap_unwrap,
    blind_index,
    password,
    chain
);
criterion_main!(benches);
