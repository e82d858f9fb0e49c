//! Several `custodia serve` processes on one PostgreSQL database behave as one
//! service (issue 18): each letter in the shared outbox is sent once, whichever
//! instance picks it.

use std::time::{Duration, Instant};

use crate::install::install_prepared;
use crate::rights::Mailbox;
use crate::support::{Server, request};
use serde_json::json;

/// 100 requests filed alternately through two instances: each confirmation letter
/// reaches the real SMTP server exactly once, though both instances read the shared
/// outbox (each wakes on its own requests and polls for the rest).
#[test]
fn two_instances_send_each_letter_once() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let Some(url) = rt.block_on(crate::pg::fresh_postgres_database()) else {
        return;
    };
    let mail = Mailbox::start();
    let config = format!(
        "trusted_proxies = [\"127.0.0.1/32\"]\n\
         [smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\n\
         from = \"Pivoine <privacy@pivoine.example>\"\n",
        mail.server.addr.port()
    );
    let inst = install_prepared(Some(url.clone()), &config, |_| {});
    let data = inst.data();
    let second = Server::start(
        inst.dir.path(),
        &[
            "--data-dir",
            data.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &url,
        ],
    );
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
