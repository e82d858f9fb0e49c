//! Crypto-shredding, a tampered audit log, and master-key rotation, checked on the
//! stored bytes themselves.

use crate::install::{Install, install};
use custodia_core::keyring::Keyring;
use custodia_crypto::field_aad;
use custodia_store::{KeyStore, Store, StoredSubject};
use serde_json::json;

fn create(inst: &Install) -> String {
    let body = json!({"kind": "customer", "data": {"user.contact.email": "shred@example.org", "user.name.last": "Moreau"}});
    let r = inst.server().call(
        "POST",
        "/v1/subjects",
        Some(inst.key("dpo")),
        Some(&body.to_string()),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_str().unwrap().to_owned()
}

/// Decrypts a subject's fields from a copy of its rows with whatever the key store
/// still holds: what an attacker with a backup and the master key could do.
async fn read_copy(
    copy: &StoredSubject,
    keys: &dyn KeyStore,
    keyring: &Keyring,
) -> Option<Vec<String>> {
    let id = &copy.record.id;
    let wrapped = keys.data_key(id).await.unwrap()?;
    let key = keyring.unwrap(&wrapped, id.as_bytes()).unwrap();
    Some(
        copy.fields
            .iter()
            .map(|f| {
                let plain = key.open(&f.sealed, &field_aad(id, &f.category)).unwrap();
                String::from_utf8(plain.to_vec()).unwrap()
            })
            .collect(),
    )
}

async fn open_stores(
    inst: &Install,
    db: Option<&std::path::Path>,
) -> (Box<dyn Store>, Box<dyn KeyStore>) {
    match &inst.database_url {
        None => (
            Box::new(
                custodia_store_sqlite::SqliteStore::open(db.unwrap())
                    .await
                    .unwrap(),
            ),
            Box::new(
                custodia_store_sqlite::SqliteKeyStore::open(&inst.data().join("keys.db"))
                    .await
                    .unwrap(),
            ),
        ),
        Some(url) => (
            Box::new(
                custodia_store_postgres::PostgresStore::connect(url)
                    .await
                    .unwrap(),
            ),
            Box::new(
                custodia_store_postgres::PostgresKeyStore::connect(url)
                    .await
                    .unwrap(),
            ),
        ),
    }
}

fn shredding(database_url: Option<String>) {
    let inst = install(database_url);
    let id = create(&inst);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let keyring = Keyring::from_file(&inst.data().join("master.key")).unwrap();

    // A backup taken before erasure: the database files (SQLite) or the rows (PostgreSQL).
    let backup_dir = tempfile::tempdir().unwrap();
    let backup_db = backup_dir.path().join("backup.db");
    if inst.database_url.is_none() {
        let out = std::process::Command::new("sqlite3")
            .arg(inst.data().join("custodia.db"))
            .arg(format!(".backup '{}'", backup_db.display()))
            .output();
        // Without the sqlite3 tool, copy the files (WAL included) as a backup script would.
        if !out.is_ok_and(|o| o.status.success()) {
            std::fs::copy(inst.data().join("custodia.db"), &backup_db).unwrap();
            let _ = std::fs::copy(
                inst.data().join("custodia.db-wal"),
                backup_dir.path().join("backup.db-wal"),
            );
        }
    }
    let copy: StoredSubject = rt.block_on(async {
        let (store, keys) = open_stores(&inst, Some(&backup_db)).await;
        let copy = store.subject(&id).await.unwrap().unwrap();
        // Positive control: with the key still there, the backup is readable.
        let plain = read_copy(&copy, keys.as_ref(), &keyring).await.unwrap();
        assert!(
            plain.iter().any(|p| p.contains("shred@example.org")),
            "{plain:?}"
        );
        copy
    });

    let r = inst.server().call(
        "DELETE",
        &format!("/v1/subjects/{id}"),
        Some(inst.key("dpo")),
        None,
    );
    assert_eq!(r.status, 204);

    rt.block_on(async {
        let (store, keys) = open_stores(&inst, Some(&backup_db)).await;
        // The backup still holds the ciphertext: the SQLite backup file, or the rows
        // read from PostgreSQL before erasure (the live database no longer has them).
        let still = if inst.database_url.is_none() {
            store.subject(&id).await.unwrap().unwrap()
        } else {
            let live = store.subject(&id).await.unwrap().unwrap();
            assert!(live.fields.is_empty() && live.record.erased_at.is_some());
            copy.clone()
        };
        assert_eq!(still.fields, copy.fields);
        // ...but no key opens it any more.
        assert!(read_copy(&still, keys.as_ref(), &keyring).await.is_none());
        assert!(keys.data_key(&id).await.unwrap().is_none());
    });
    let verify = inst.cli(&["audit", "verify"]);
    assert!(
        verify.status.success(),
        "the chain survives erasure: {}",
        String::from_utf8_lossy(&verify.stderr)
    );
}

#[test]
fn erasure_makes_earlier_backups_unreadable_on_sqlite() {
    shredding(None);
}

#[test]
fn erasure_makes_earlier_backups_unreadable_on_postgres() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let Some(url) = rt.block_on(crate::pg::fresh_postgres_database()) else {
        return;
    };
    shredding(Some(url));
}

#[test]
fn audit_verify_names_the_first_altered_or_removed_entry() {
    let mut inst = install(None);
    for _ in 0..3 {
        create(&inst);
    }
    inst.stop();
    let ok = inst.cli(&["audit", "verify"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).starts_with("audit log intact: "));

    let db = inst.data().join("custodia.db");
    let saved = tempfile::tempdir().unwrap();
    let suffixes = ["", "-wal"];
    for suffix in suffixes {
        let _ = std::fs::copy(
            format!("{}{suffix}", db.display()),
            saved.path().join(format!("pristine{suffix}")),
        );
    }
    let restore = || {
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        for suffix in suffixes {
            let _ = std::fs::copy(
                saved.path().join(format!("pristine{suffix}")),
                format!("{}{suffix}", db.display()),
            );
        }
    };

    crate::support::sqlite_query(
        &db,
        "UPDATE audit_log SET action = 'subject.read' WHERE seq = 5",
    );
    let altered = inst.cli(&["audit", "verify"]);
    assert_eq!(altered.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&altered.stderr);
    assert!(
        stderr.contains("audit log broken at entry 5: entry 5 was altered"),
        "{stderr}"
    );

    restore();
    crate::support::sqlite_query(&db, "DELETE FROM audit_log WHERE seq = 4");
    let removed = inst.cli(&["audit", "verify"]);
    assert_eq!(removed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&removed.stderr).contains("entry 4 is missing"));

    // Swapping two entries' contents (keeping seq) breaks at the first one.
    restore();
    crate::support::sqlite_query(
        &db,
        "UPDATE audit_log SET seq = 1000000 WHERE seq = 6; UPDATE audit_log SET seq = 6 WHERE seq = 7; UPDATE audit_log SET seq = 7 WHERE seq = 1000000",
    );
    let reordered = inst.cli(&["audit", "verify"]);
    assert_eq!(reordered.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&reordered.stderr).contains("broken at entry 6"));
}

#[test]
fn master_key_rotation_rewraps_keys_while_serving() {
    let mut inst = install(None);
    let ids: Vec<String> = (0..5).map(|_| create(&inst)).collect();
    let before = std::fs::read(inst.data().join("master.key")).unwrap();
    let out = inst.cli(&["keys", "rotate", "--grace", "6"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("5 data keys and 4 system keys rewrapped"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_ne!(
        std::fs::read(inst.data().join("master.key")).unwrap(),
        before
    );
    // The running server still reads every subject, and creates new ones.
    for id in &ids {
        assert_eq!(
            inst.server()
                .call(
                    "GET",
                    &format!("/v1/subjects/{id}"),
                    Some(inst.key("dpo")),
                    None
                )
                .status,
            200
        );
    }
    let fresh = create(&inst);
    // Without the retired key, everything still opens: nothing depends on it.
    inst.stop();
    for entry in std::fs::read_dir(inst.data()).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("master.key.retired-")
        {
            std::fs::remove_file(path).unwrap();
        }
    }
    let again = inst.cli(&["keys", "rotate", "--grace", "0"]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    inst.start();
    for id in ids.iter().chain([&fresh]) {
        let r = inst.server().call(
            "GET",
            &format!("/v1/subjects/{id}"),
            Some(inst.key("dpo")),
            None,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["data"]["user.contact.email"], "shred@example.org");
    }
    // Both rotations are in the audit log, and the chain (now under a rewrapped
    // audit key) still verifies.
    let audit = inst
        .server()
        .call("GET", "/v1/audit?limit=1000", Some(inst.key("dpo")), None)
        .json();
    let rotations = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "keys.rotate" && e["outcome"] == "ok" && e["principal"] == "cli")
        .count();
    assert_eq!(rotations, 2, "{audit}");
    let verified = inst.cli(&["audit", "verify"]);
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
}
