//! Rights requests in-process, on real SQLite files (WAL, fsync on): the time from
//! a verified request to its effect, for a customer with 1,000 lifecycle events and
//! a disclosure. Setup (the subject, the request, its verification) is not timed.
//! Run: `cargo bench -p custodia-core --bench rights -- --warm-up-time 1 --measurement-time 5`.
//!
//! With `CUSTODIA_BENCH_POSTGRES_URL` (a PostgreSQL account that may create
//! databases), also the same requests reaching the shop of
//! `examples/datasets/shop.toml` seeded with 2,000 customers in a database of its
//! own: p50 and p95 of `Rights::complete` over 200 requests of each kind, each for
//! another customer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use custodia_core::access::{Principal, Role};
use custodia_core::consent::{Catalog, ConsentBook, Consents};
use custodia_core::deadline::WorkingDayCalendar;
use custodia_core::keyring::Keyring;
use custodia_core::rights::{NewRequest, Rights, RightsSettings};
use custodia_core::vault::{NewSubject, Vault};
use custodia_core::writer::{Job, Writer};
use custodia_core::{Clock, SystemClock};
use custodia_crypto::MasterKey;
use custodia_store::{Store, SubjectEvent, Write};
use custodia_store_sqlite::{SqliteKeyStore, SqliteStore};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

const EVENTS: usize = 1_000;

struct Bench {
    _dir: tempfile::TempDir,
    store: Arc<dyn Store>,
    writer: Writer,
    vault: Arc<Vault>,
    rights: Rights,
    clock: Arc<dyn Clock>,
    dpo: Principal,
    n: std::cell::Cell<usize>,
}

fn register_file(path: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    std::fs::read_to_string(root.join(path)).unwrap()
}

async fn bench() -> Bench {
    let register = custodia_register::parse("saas.toml", &register_file("saas.toml")).unwrap();
    bench_with(register, Vec::new()).await
}

async fn bench_with(
    register: custodia_register::ValidRegister,
    datasets: Vec<custodia_connectors::Connected>,
) -> Bench {
    let dir = tempfile::tempdir().unwrap();
    // Cached as `custodia serve` opens an embedded database.
    let store: Arc<dyn Store> = Arc::new(custodia_store::cache::CachingStore::new(
        SqliteStore::open(&dir.path().join("custodia.db"))
            .await
            .unwrap(),
    ));
    let keys = Arc::new(custodia_store::cache::CachingKeyStore::new(
        SqliteKeyStore::open(&dir.path().join("keys.db"))
            .await
            .unwrap(),
    ));
    let register = Arc::new(register);
    let book = Arc::new(ConsentBook::new(Arc::new(Catalog::new(&register))));
    let writer = Writer::start_observed(store.clone(), keys.clone(), audit_key(), book.clone())
        .await
        .unwrap();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let keyring = Arc::new(Keyring::from_key(MasterKey::generate().unwrap()));
    let vault = Arc::new(
        Vault::open(
            store.clone(),
            keys,
            writer.clone(),
            keyring,
            register.clone(),
            clock.clone(),
        )
        .await
        .unwrap(),
    );
    let consents = Arc::new(Consents::new(
        book,
        store.clone(),
        writer.clone(),
        register.clone(),
        clock.clone(),
        1,
    ));
    let settings = RightsSettings::new(
        "http://127.0.0.1".to_owned(),
        WorkingDayCalendar::for_country("FR"),
    );
    let rights = Rights::new(
        store.clone(),
        writer.clone(),
        vault.clone(),
        consents,
        register,
        clock.clone(),
        settings,
    )
    .await
    .unwrap()
    .with_datasets(Arc::new(datasets));
    Bench {
        _dir: dir,
        store,
        writer,
        vault,
        rights,
        clock,
        dpo: Principal {
            id: "user:bench".to_owned(),
            role: Role::Dpo,
        },
        n: std::cell::Cell::new(0),
    }
}

impl Bench {
    /// A customer with 1,000 events and a disclosure, and a verified request of
    /// `kind` from its address; returns the request id.
    async fn verified(&self, kind: &str) -> String {
        let n = self.n.get();
        self.n.set(n + 1);
        self.verified_as(kind, &format!("bench-{n}@example.org"))
            .await
    }

    /// [`Bench::verified`] for the address `email`.
    async fn verified_as(&self, kind: &str, email: &str) -> String {
        let email = email.to_owned();
        let mut data = serde_json::Map::new();
        data.insert("user.contact.email".into(), json!(email));
        data.insert("user.name.first".into(), json!("Ana"));
        data.insert("user.name.last".into(), json!("Lima"));
        let subject = self
            .vault
            .create(
                &self.dpo,
                NewSubject {
                    kind: "customer".into(),
                    data,
                    ..NewSubject::default()
                },
                None,
            )
            .await
            .unwrap();
        let now = self.clock.now();
        let events = (0..EVENTS)
            .map(|i| Write::AddEvent {
                subject_id: subject.clone(),
                event: SubjectEvent {
                    event: if i % 2 == 0 {
                        "last_connection"
                    } else {
                        "transaction"
                    }
                    .into(),
                    at: now - time::Duration::minutes(i as i64),
                    recorded_at: now,
                },
            })
            .collect();
        self.writer
            .submit(Job {
                writes: events,
                ..Job::default()
            })
            .await
            .unwrap();
        self.vault
            .record_disclosure(
                &self.dpo,
                &subject,
                "mailjet",
                vec!["user.contact.email".into()],
                "newsletter",
                None,
            )
            .await
            .unwrap();
        let id = self
            .rights
            .submit(NewRequest {
                kind: kind.into(),
                email: email.clone(),
                ..NewRequest::default()
            })
            .await
            .unwrap();
        let code = self.code(&id).await;
        self.rights.verify(&id, &code).await.unwrap();
        id
    }

    /// The code, read back from the sealed letter in the outbox.
    async fn code(&self, id: &str) -> String {
        let items = self.store.outbox_for_request(id).await.unwrap();
        let (_, text) = self.rights.outbox().open_letter(&items[0]).unwrap();
        text.split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .unwrap()
            .to_owned()
    }
}

fn requests(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let b = runtime.block_on(bench());
    let mut group = c.benchmark_group("rights request, subject with 1,000 events");
    group.sample_size(20);
    for kind in ["access", "erasure"] {
        group.bench_function(kind, |bencher| {
            bencher.iter_custom(|iterations| {
                runtime.block_on(async {
                    let mut total = Duration::ZERO;
                    for _ in 0..iterations {
                        let id = b.verified(kind).await;
                        let start = Instant::now();
                        b.rights.complete(&b.dpo, &id).await.unwrap();
                        total += start.elapsed();
                    }
                    total
                })
            })
        });
    }
    group.finish();
}

/// The same requests reaching a seeded shop: on SQLite always, on PostgreSQL and
/// MariaDB when `CUSTODIA_BENCH_POSTGRES_URL` / `CUSTODIA_BENCH_MARIADB_URL` name a
/// server (its admin database; a `custodia_bench_shop` database is made beside it).
/// p50 and p95 of `Rights::complete`.
fn shop_requests(_: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("shop.db");
    {
        let conn = rusqlite::Connection::open(&sqlite).unwrap();
        conn.execute_batch(&format!(
            "{}{} BEGIN; {} COMMIT;",
            custodia_connectors::fixture::SCHEMA,
            custodia_connectors::fixture::INDEXES,
            custodia_connectors::fixture::seed_sql()
        ))
        .unwrap();
    }
    time_shop(&runtime, "SQLite", format!("sqlite://{}", sqlite.display()));
    match std::env::var("CUSTODIA_BENCH_POSTGRES_URL") {
        Ok(admin) => {
            let url = runtime.block_on(seed_server_shop(&admin));
            time_shop(&runtime, "PostgreSQL", url);
        }
        Err(_) => println!("shop on PostgreSQL: skipped (set CUSTODIA_BENCH_POSTGRES_URL)"),
    }
    match std::env::var("CUSTODIA_BENCH_MARIADB_URL") {
        Ok(admin) => {
            let url = runtime.block_on(seed_server_shop(&admin));
            time_shop(&runtime, "MariaDB", url);
        }
        Err(_) => println!("shop on MariaDB: skipped (set CUSTODIA_BENCH_MARIADB_URL)"),
    }
}

/// A fresh `custodia_bench_shop` database beside `admin`'s, seeded; its URL.
async fn seed_server_shop(admin: &str) -> String {
    use sqlx::Connection;
    let (base, _) = admin.rsplit_once('/').unwrap();
    let url = format!("{base}/custodia_bench_shop");
    // MariaDB indexes foreign keys itself and has no index on `lower(column)`.
    let indexes = if admin.starts_with("postgres") {
        custodia_connectors::fixture::INDEXES
    } else {
        ""
    };
    let script = format!(
        "{}{indexes}{}",
        custodia_connectors::fixture::SCHEMA,
        custodia_connectors::fixture::seed_sql()
    );
    let recreate = [
        "DROP DATABASE IF EXISTS custodia_bench_shop",
        "CREATE DATABASE custodia_bench_shop",
    ];
    if admin.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(admin).await.unwrap();
        for statement in recreate {
            sqlx::raw_sql(statement).execute(&mut conn).await.unwrap();
        }
        let mut shop = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(script))
            .execute(&mut shop)
            .await
            .unwrap();
    } else {
        let mut conn = sqlx::MySqlConnection::connect(admin).await.unwrap();
        for statement in recreate {
            sqlx::raw_sql(statement).execute(&mut conn).await.unwrap();
        }
        let mut shop = sqlx::MySqlConnection::connect(&url).await.unwrap();
        // One statement at a time: MySQL's protocol runs one per query here.
        for statement in script.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            sqlx::raw_sql(sqlx::AssertSqlSafe(statement.to_owned()))
                .execute(&mut shop)
                .await
                .unwrap();
        }
    }
    url
}

/// 200 access requests then 200 erasures of other customers against the shop at
/// `url`, each `Rights::complete` timed.
fn time_shop(runtime: &tokio::runtime::Runtime, name: &str, url: String) {
    let b = runtime.block_on(async {
        let source = register_file("saas.toml") + &register_file("datasets/shop.toml");
        let register = custodia_register::parse("saas.toml", &source).unwrap();
        let datasets = vec![custodia_connectors::Connected::new(
            register.datasets[0].clone(),
            custodia_connectors::Link::Sql {
                reader: custodia_connectors::open(&url, true).unwrap(),
                writer: custodia_connectors::open(&url, false).unwrap(),
            },
        )];
        bench_with(register, datasets).await
    });
    const REQUESTS: i64 = 200;
    for (kind, first) in [("access", 1), ("erasure", 1 + REQUESTS)] {
        let mut times = runtime.block_on(async {
            let mut times = Vec::new();
            for customer in first..first + REQUESTS {
                let email = custodia_connectors::fixture::email_of(customer);
                let id = b.verified_as(kind, &email).await;
                let start = Instant::now();
                b.rights.complete(&b.dpo, &id).await.unwrap();
                times.push(start.elapsed());
            }
            times
        });
        times.sort();
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        println!(
            "shop on {name}, {kind}: p50 {:.2} ms, p95 {:.2} ms ({} requests)",
            at(0.50).as_secs_f64() * 1e3,
            at(0.95).as_secs_f64() * 1e3,
            times.len()
        );
    }
}

criterion_group!(benches, requests, shop_requests);
criterion_main!(benches);

fn audit_key() -> Arc<custodia_crypto::AuditKey> {
    Arc::new(custodia_crypto::AuditKey::new(
        &custodia_crypto::SecretKey::generate().unwrap(),
    ))
}
