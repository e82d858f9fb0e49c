//! Several `custodia serve` processes on one PostgreSQL database behave as one
//! service (issue 18): each follows the others' writes within a second (consents,
//! erasures, revoked keys), each letter in the shared outbox is sent once, whichever
//! instance picks it, and neither a SIGKILL nor a database restart loses an
//! acknowledged write.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::consent::{assert_all_stored, consent, create, decision};
use crate::install::{Install, install_prepared};
use crate::rights::Mailbox;
use crate::support::{Server, request, try_request};
use serde_json::{Value, json};

/// How soon another instance must see a write.
const FOLLOWED_WITHIN: Duration = Duration::from_secs(1);

/// An installation on the database at `url` and a second instance beside it.
pub fn two_instances(url: &str, config: &str) -> (Install, Server) {
    let inst = install_prepared(Some(url.to_owned()), config, |_| {});
    let second = another_instance(&inst, url);
    (inst, second)
}

/// One more `custodia serve` of `inst`'s data directory on the database at `url`.
fn another_instance(inst: &Install, url: &str) -> Server {
    let data = inst.data();
    Server::start(
        inst.dir.path(),
        &[
            "--data-dir",
            data.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            url,
        ],
    )
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Polls `seen` until it holds (at most 10 s) and returns how long that took.
fn until(what: &str, mut seen: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !seen() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{what}: not seen after 10 s"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    started.elapsed()
}

fn followed(what: &str, seen: impl FnMut() -> bool) {
    let took = until(what, seen);
    assert!(
        took <= FOLLOWED_WITHIN,
        "{what}: seen after {took:?}, more than {FOLLOWED_WITHIN:?}"
    );
}

#[test]
fn each_instance_decides_on_what_the_other_recorded_within_a_second() {
    let Some(url) = runtime().block_on(crate::pg::fresh_postgres_database()) else {
        return;
    };
    let (inst, b) = two_instances(&url, "");
    let a = inst.server();
    let dpo = inst.key("dpo");
    let reason = |s: &Server, subject: &str| -> Value {
        decision(s, dpo, subject, "newsletter")["reason"].clone()
    };
    let ann = create(a, dpo, "customer", "ann@example.org");
    followed("a subject created through A, on B", || {
        reason(&b, &ann) == "no_consent"
    });
    let given =
        json!({"subject_id": ann, "purpose": "newsletter", "state": "given", "method": "api"});
    assert_eq!(consent(a, dpo, given).status, 201);
    followed("a consent given through A, on B", || {
        reason(&b, &ann) == "consent_given"
    });
    let withdrawn =
        json!({"subject_id": ann, "purpose": "newsletter", "state": "withdrawn", "method": "api"});
    assert_eq!(consent(&b, dpo, withdrawn).status, 201);
    followed("a withdrawal through B, on A", || {
        reason(a, &ann) == "consent_withdrawn"
    });
    let r = b.call("DELETE", &format!("/v1/subjects/{ann}"), Some(dpo), None);
    assert_eq!(r.status, 204, "{}", r.body);
    followed("an erasure through B, on A", || reason(a, &ann) == "erased");
    // Lookups by e-mail answer from each instance's book too.
    let bob = create(&b, dpo, "customer", "bob@example.org");
    let batch = json!({"purpose": "newsletter", "emails": ["bob@example.org"]}).to_string();
    followed("a subject created through B, found by e-mail on A", || {
        let r = a.call("POST", "/v1/decisions/batch", Some(dpo), Some(&batch));
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["denied"][0]["reason"] == "no_consent"
    });
    assert_eq!(reason(a, &bob), "no_consent");
}

#[test]
fn a_key_revoked_through_one_instance_is_refused_by_the_other_within_a_second() {
    let Some(url) = runtime().block_on(crate::pg::fresh_postgres_database()) else {
        return;
    };
    let (inst, b) = two_instances(&url, "");
    let a = inst.server();
    let admin = inst.key("admin");
    let r = a.call(
        "POST",
        "/v1/staff/api-keys",
        Some(admin),
        Some(&json!({"name": "export", "role": "auditor"}).to_string()),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let secret = r.json()["key"].as_str().unwrap().to_owned();
    let id = r.json()["api_key"]["id"].as_str().unwrap().to_owned();
    // B answers from its credential cache from now on.
    assert_eq!(
        b.call("GET", "/v1/audit?limit=1", Some(&secret), None)
            .status,
        200
    );
    let r = a.call(
        "DELETE",
        &format!("/v1/staff/api-keys/{id}"),
        Some(admin),
        None,
    );
    assert_eq!(r.status, 204, "{}", r.body);
    followed("a key revoked through A, on B", || {
        b.call("GET", "/v1/audit?limit=1", Some(&secret), None)
            .status
            == 401
    });
}

/// Consents posted through both instances by concurrent clients, each client on
/// its own subject: the writes acknowledged, with their ids.
struct Load {
    acknowledged: Arc<Mutex<Vec<String>>>,
    statuses: Arc<Mutex<Vec<(u16, bool)>>>,
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Load {
    fn start(bases: &[String], dpo: &str, subjects: &[String]) -> Load {
        let load = Load {
            acknowledged: Arc::default(),
            statuses: Arc::default(),
            stop: Arc::default(),
            threads: Vec::new(),
        };
        let threads = subjects
            .iter()
            .enumerate()
            .map(|(i, subject)| {
                let base = bases[i % bases.len()].clone();
                let (acknowledged, statuses, stop) =
                    (load.acknowledged.clone(), load.statuses.clone(), load.stop.clone());
                let (auth, subject) = (format!("Bearer {dpo}"), subject.clone());
                std::thread::spawn(move || {
                    let mut n = 0;
                    while !stop.load(Ordering::Relaxed) {
                        let state = if n % 2 == 0 { "given" } else { "withdrawn" };
                        let body = json!({"subject_id": subject, "purpose": "newsletter", "state": state, "method": "api"}).to_string();
                        // Refused or reset once its instance is gone: stop.
                        let Ok(r) = try_request("POST", &format!("{base}/v1/consents"), &[("authorization", &auth)], Some(&body)) else {
                            break;
                        };
                        statuses.lock().unwrap().push((r.status, r.header("retry-after").is_some()));
                        if r.status == 201 {
                            let id = r.json()["records"][0]["id"].as_str().unwrap().to_owned();
                            acknowledged.lock().unwrap().push(id);
                            n += 1;
                        } else {
                            std::thread::sleep(Duration::from_millis(50));
                        }
                    }
                })
            })
            .collect();
        Load { threads, ..load }
    }

    fn acknowledged(&self) -> usize {
        self.acknowledged.lock().unwrap().len()
    }

    fn finish(self) -> (Vec<String>, Vec<(u16, bool)>) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads {
            let _ = t.join();
        }
        let acknowledged = self.acknowledged.lock().unwrap().clone();
        let statuses = self.statuses.lock().unwrap().clone();
        (acknowledged, statuses)
    }
}

/// Subjects created through `s`, once `other` knows them too.
fn subjects(s: &Server, other: &Server, dpo: &str, n: usize, prefix: &str) -> Vec<String> {
    let subjects: Vec<String> = (0..n)
        .map(|i| create(s, dpo, "customer", &format!("{prefix}{i}@example.org")))
        .collect();
    for subject in &subjects {
        until("a subject created on one instance, on the other", || {
            decision(other, dpo, subject, "newsletter")["reason"] == "no_consent"
        });
    }
    subjects
}

#[test]
fn one_instance_killed_under_write_load_loses_no_acknowledged_write() {
    let Some(url) = runtime().block_on(crate::pg::fresh_postgres_database()) else {
        return;
    };
    let (inst, b) = two_instances(&url, "");
    let a = inst.server();
    let dpo = inst.key("dpo");
    let subjects = subjects(a, &b, dpo, 8, "kill");
    let load = Load::start(&[a.base.clone(), b.base.clone()], dpo, &subjects);
    until("writes through both instances", || {
        load.acknowledged() > 100
    });
    b.stop("-KILL");
    // A goes on alone.
    let before = load.acknowledged();
    until("writes through A after B died", || {
        load.acknowledged() > before + 50
    });
    let (acknowledged, statuses) = load.finish();
    assert!(
        statuses.iter().all(|(s, _)| *s == 201),
        "only 201s (a client stops when its instance is gone): {statuses:?}"
    );
    assert_all_stored(a, dpo, &subjects, &acknowledged);
    assert_audit_verifies(&inst);
}

/// The audit chains both instances appended to verify, checkpoints included; returns
/// what `audit verify` printed.
fn assert_audit_verifies(inst: &Install) -> String {
    let verify = inst.cli(&["audit", "verify"]);
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
    assert!(verify.status.success(), "{printed}");
    printed
}

/// The chain of the entry recording `subject`'s creation.
fn creation_chain(s: &Server, dpo: &str, subject: &str) -> i64 {
    let r = s.call(
        "GET",
        &format!("/v1/audit?subject={subject}"),
        Some(dpo),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let entries = r.json();
    let created = entries
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "subject.create")
        .unwrap_or_else(|| panic!("no creation entry: {entries}"));
    created["chain"].as_i64().unwrap()
}

#[test]
fn each_instance_appends_to_an_audit_chain_of_its_own_and_a_cut_in_either_shows() {
    let Some(url) = runtime().block_on(crate::pg::fresh_postgres_database()) else {
        return;
    };
    let (inst, b) = two_instances(&url, "");
    let a = inst.server();
    let dpo = inst.key("dpo");
    let mut through_b = Vec::new();
    for i in 0..20 {
        create(a, dpo, "customer", &format!("chain-a{i}@example.com"));
        through_b.push(create(
            &b,
            dpo,
            "customer",
            &format!("chain-b{i}@example.com"),
        ));
    }
    let through_a = create(a, dpo, "customer", "chain-a@example.com");
    let (chain_a, chain_b) = (
        creation_chain(a, dpo, &through_a),
        creation_chain(a, dpo, &through_b[0]),
    );
    assert_ne!(chain_a, chain_b, "the two instances share a chain");
    assert_eq!(creation_chain(&b, dpo, &through_b[19]), chain_b);

    // A killed instance's chain is free again (its session lock went with its
    // connection): the next instance to start takes it rather than a new one.
    b.stop("-KILL");
    let c = another_instance(&inst, &url);
    let through_c = create(&c, dpo, "customer", "chain-c@example.com");
    assert_eq!(creation_chain(a, dpo, &through_c), chain_b);
    let printed = assert_audit_verifies(&inst);
    assert!(printed.contains(" chains, head "), "{printed}");

    // One chain paged by `after`: its entries only, each linked to the one before.
    let mut tail: Vec<Value> = Vec::new();
    loop {
        let after = tail.last().map_or(0, |e| e["seq"].as_i64().unwrap());
        let r = a.call(
            "GET",
            &format!("/v1/audit?chain={chain_b}&after={after}&limit=7"),
            Some(dpo),
            None,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let page = r.json().as_array().unwrap().clone();
        if page.is_empty() {
            break;
        }
        tail.extend(page);
    }
    assert!(
        tail.len() >= 21,
        "{} entries in chain {chain_b}",
        tail.len()
    );
    for pair in tail.windows(2) {
        assert_eq!(pair[1]["chain"], chain_b);
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"], "{pair:?}");
    }

    // An entry taken out of the middle of B's chain breaks it.
    let middle = {
        let r = a.call(
            "GET",
            &format!("/v1/audit?subject={}", through_b[10]),
            Some(dpo),
            None,
        );
        r.json()[0]["seq"].as_i64().unwrap()
    };
    runtime().block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::query("DELETE FROM audit_log WHERE seq = $1")
            .bind(middle)
            .execute(&mut conn)
            .await
            .unwrap();
    });
    let verify = inst.cli(&["audit", "verify"]);
    let printed = String::from_utf8_lossy(&verify.stderr);
    assert!(!verify.status.success(), "a cut chain verified: {printed}");
    assert!(printed.contains("does not follow entry"), "{printed}");
}

#[test]
fn a_database_restart_under_load_gets_503_then_loses_no_acknowledged_write() {
    let Some(pg) = crate::pg::OwnPostgres::start() else {
        return;
    };
    let (inst, b) = two_instances(&pg.url(), "");
    let a = inst.server();
    let dpo = inst.key("dpo");
    let subjects = subjects(a, &b, dpo, 6, "restart");
    let load = Load::start(&[a.base.clone(), b.base.clone()], dpo, &subjects);
    until("writes before the restart", || load.acknowledged() > 50);
    pg.down();
    let statuses = load.statuses.clone();
    until("writes answered 503 while the database is down", || {
        statuses.lock().unwrap().iter().any(|(s, _)| *s == 503)
    });
    // Decisions answer from memory meanwhile, on both instances, with a key last
    // checked against the database before it went away, longer ago than the
    // credential cache keeps an answer (5 s).
    std::thread::sleep(Duration::from_secs(6));
    for s in [a, &b] {
        for subject in &subjects {
            let r = s.call(
                "GET",
                &format!("/v1/decisions?subject_id={subject}&purpose=newsletter"),
                Some(dpo),
                None,
            );
            assert_eq!(
                r.status, 200,
                "a decision while the database is down: {}",
                r.body
            );
        }
    }
    pg.up();
    let before = load.acknowledged();
    until("writes through both instances after the restart", || {
        load.acknowledged() > before + 50
    });
    let (acknowledged, statuses) = load.finish();
    let unexpected: Vec<_> = statuses
        .iter()
        .filter(|(s, retry_after)| !(*s == 201 || (*s == 503 && *retry_after)))
        .collect();
    assert!(
        unexpected.is_empty(),
        "only 201, and 503 with Retry-After: {unexpected:?}"
    );
    assert_all_stored(a, dpo, &subjects, &acknowledged);
    assert_all_stored(&b, dpo, &subjects, &acknowledged);
    assert_audit_verifies(&inst);
}

/// 100 requests filed alternately through two instances: each confirmation letter
/// reaches the real SMTP server exactly once, though both instances read the shared
/// outbox (each wakes on its own requests and polls for the rest).
#[test]
fn two_instances_send_each_letter_once() {
    let Some(url) = runtime().block_on(crate::pg::fresh_postgres_database()) else {
        return;
    };
    let mail = Mailbox::start();
    let config = format!(
        "trusted_proxies = [\"127.0.0.1/32\"]\n\
         [smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\n\
         from = \"Pivoine <privacy@pivoine.example>\"\n",
        mail.server.addr.port()
    );
    let (inst, second) = two_instances(&url, &config);
    let instances = [inst.server(), &second];
    const LETTERS: usize = 100;
    for i in 0..LETTERS {
        let r = request(
            "POST",
            &instances[i % 2].url("/v1/requests"),
            &[
                ("content-type", "application/json"),
                ("x-forwarded-for", &format!("192.0.2.{}", i + 1)),
            ],
            Some(&json!({"kind": "access", "email": format!("twice{i}@example.org")}).to_string()),
        );
        assert_eq!(r.status, 202, "{}", r.body);
    }
    // Every letter arrives...
    let deadline = Instant::now() + Duration::from_secs(60);
    while mail.server.messages().len() < LETTERS && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    // ...and no second copy comes after a poll of both instances (every 5 s).
    std::thread::sleep(Duration::from_secs(6));
    let mut recipients: Vec<String> = mail
        .server
        .messages()
        .into_iter()
        .flat_map(|m| m.recipients)
        .collect();
    recipients.sort();
    let sent = recipients.len();
    recipients.dedup();
    assert_eq!(
        (sent, recipients.len()),
        (LETTERS, LETTERS),
        "letters sent, and distinct recipients"
    );
}
