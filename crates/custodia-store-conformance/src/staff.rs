//! Staff accounts, sessions and API keys.

use time::macros::datetime;

use super::fixtures::{
    api_key, apply_invalid, apply_version_conflict, apply_writes, blob, expected_api_key,
    expected_session, expected_user, session, unique, user,
};
use custodia_store::policy::to_stored_instant;
use custodia_store::{Batch, SecondFactor, Store, Write};

/// Every staff check; none needs an empty store.
pub async fn run_all(store: &dyn Store) {
    users_round_trip_and_are_listed_by_email(store).await;
    users_are_disabled_and_enabled_again(store).await;
    passwords_are_replaced(store).await;
    sessions_are_created_read_and_deleted(store).await;
    api_keys_are_created_listed_and_revoked(store).await;
    user_sessions_are_listed_oldest_first(store).await;
    second_factors_round_trip_and_swap_by_version(store).await;
}

pub async fn user_sessions_are_listed_oldest_first(store: &dyn Store) {
    let b = store.backend();
    let at = datetime!(2025-03-01 09:00:00.5 UTC);
    let (owner, other) = (
        user(&unique("u"), &format!("{}@example.org", unique("s")), at),
        user(&unique("u"), &format!("{}@example.org", unique("s")), at),
    );
    let later = session(&unique("t"), &owner.id, at + time::Duration::minutes(5));
    let earlier = session(&unique("t"), &owner.id, at);
    let others = session(&unique("t"), &other.id, at);
    apply_writes(
        store,
        vec![
            Write::CreateUser(owner.clone()),
            Write::CreateUser(other.clone()),
            Write::CreateSession(later.clone()),
            Write::CreateSession(earlier.clone()),
            Write::CreateSession(others),
        ],
        "creating sessions",
    )
    .await;
    assert_eq!(
        store.user_sessions(&owner.id).await.unwrap(),
        vec![expected_session(&earlier), expected_session(&later)],
        "[{b}] a user's sessions, oldest first, no one else's"
    );
    assert_eq!(
        store.user_sessions(&unique("nobody")).await.unwrap(),
        Vec::new(),
        "[{b}] sessions of an unknown user"
    );
}

pub async fn second_factors_round_trip_and_swap_by_version(store: &dyn Store) {
    let b = store.backend();
    let at = datetime!(2025-03-02 10:00:00.123456789 UTC);
    let owner = user(&unique("u"), &format!("{}@example.org", unique("f")), at);
    apply_writes(
        store,
        vec![Write::CreateUser(owner.clone())],
        "creating a user",
    )
    .await;
    assert_eq!(
        store.second_factor(&owner.id).await.unwrap(),
        None,
        "[{b}] none yet"
    );
    let pending = SecondFactor {
        user_id: owner.id.clone(),
        secret_sealed: blob(41, 57),
        confirmed_at: None,
        last_step: None,
        recovery_hashes: vec![vec![1u8; 32], vec![2u8; 32]],
        created_at: at,
        version: 1,
    };
    let put = |factor: &SecondFactor, expected_version| Write::PutSecondFactor {
        factor: factor.clone(),
        expected_version,
    };
    apply_writes(store, vec![put(&pending, None)], "enrolling").await;
    let stored = |f: &SecondFactor| SecondFactor {
        created_at: to_stored_instant(f.created_at),
        confirmed_at: f.confirmed_at.map(to_stored_instant),
        ..f.clone()
    };
    assert_eq!(
        store.second_factor(&owner.id).await.unwrap(),
        Some(stored(&pending)),
        "[{b}] a pending factor round-trips"
    );
    // A new enrolment (no expected version) replaces the pending one.
    let replaced = SecondFactor {
        secret_sealed: blob(42, 57),
        ..pending.clone()
    };
    apply_writes(store, vec![put(&replaced, None)], "enrolling again").await;
    let confirmed = SecondFactor {
        confirmed_at: Some(at + time::Duration::seconds(30)),
        last_step: Some(58_000_000),
        recovery_hashes: vec![vec![2u8; 32]],
        version: 2,
        ..replaced.clone()
    };
    apply_writes(store, vec![put(&confirmed, Some(1))], "confirming").await;
    assert_eq!(
        store.second_factor(&owner.id).await.unwrap(),
        Some(stored(&confirmed)),
        "[{b}] a confirmed factor round-trips"
    );
    // A second use against the version it read loses: each code counts once.
    apply_version_conflict(
        store,
        Batch {
            writes: vec![put(
                &SecondFactor {
                    version: 2,
                    last_step: Some(58_000_001),
                    ..confirmed.clone()
                },
                Some(1),
            )],
            audit: Vec::new(),
        },
        "a stale version",
    )
    .await;
    assert_eq!(
        store.second_factor(&owner.id).await.unwrap(),
        Some(stored(&confirmed)),
        "[{b}] a lost race writes nothing"
    );
    apply_invalid(
        store,
        Batch {
            writes: vec![put(
                &SecondFactor {
                    user_id: unique("nobody"),
                    ..pending.clone()
                },
                None,
            )],
            audit: Vec::new(),
        },
        "a factor for a missing user",
    )
    .await;
    apply_writes(
        store,
        vec![Write::DeleteSecondFactor {
            user_id: owner.id.clone(),
        }],
        "removing",
    )
    .await;
    assert_eq!(
        store.second_factor(&owner.id).await.unwrap(),
        None,
        "[{b}] removed"
    );
    apply_version_conflict(
        store,
        Batch {
            writes: vec![put(&confirmed, Some(2))],
            audit: Vec::new(),
        },
        "swapping a removed factor",
    )
    .await;
}

pub async fn users_round_trip_and_are_listed_by_email(store: &dyn Store) {
    let b = store.backend();
    let at = datetime!(2025-02-01 09:00:00.123456789 UTC);
    let tag = unique("staff");
    let mut users = vec![
        user(&unique("u"), &format!("zoé.{tag}@exemple.fr"), at),
        user(&unique("u"), &format!("alice.{tag}@example.org"), at),
        user(&unique("u"), &format!("bob.{tag}@example.org"), at),
    ];
    users[0].role = "recipient_crm_équipe".to_owned();
    users[1].disabled_at = Some(datetime!(2025-02-02 00:00:00.000000001 UTC));
    apply_writes(
        store,
        users.iter().cloned().map(Write::CreateUser).collect(),
        "creating users",
    )
    .await;

    for u in &users {
        let want = Some(expected_user(u));
        assert_eq!(store.user(&u.id).await.unwrap(), want, "[{b}] user by id");
        assert_eq!(
            store.user_by_email(&u.email).await.unwrap(),
            want,
            "[{b}] user by email"
        );
    }
    assert_eq!(
        store
            .user_by_email(&users[1].email.to_uppercase())
            .await
            .unwrap(),
        None,
        "[{b}] emails are stored normalised and matched exactly"
    );
    for missing in [unique("nobody").as_str(), "", "nul\0id"] {
        assert_eq!(
            store.user(missing).await.unwrap(),
            None,
            "[{b}] user({missing:?})"
        );
        assert_eq!(
            store.user_by_email(missing).await.unwrap(),
            None,
            "[{b}] user_by_email({missing:?})"
        );
    }

    let listed: Vec<_> = store
        .users()
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.email.contains(&tag))
        .collect();
    let mut want: Vec<_> = users.iter().map(expected_user).collect();
    want.sort_by(|a, b| a.email.cmp(&b.email));
    assert_eq!(listed, want, "[{b}] users listed by email");
    let all = store.users().await.unwrap();
    assert!(
        all.windows(2).all(|w| w[0].email <= w[1].email),
        "[{b}] users() is sorted by email"
    );
}

/// Disabling sets `disabled_at`; `None` enables the account again.
pub async fn users_are_disabled_and_enabled_again(store: &dyn Store) {
    let b = store.backend();
    let at = datetime!(2025-02-03 00:00 UTC);
    let id = unique("leaver");
    apply_writes(
        store,
        vec![Write::CreateUser(user(
            &id,
            &format!("{id}@example.org"),
            at,
        ))],
        "creating a user",
    )
    .await;
    let disabled_at = datetime!(2025-02-04 17:00:00.999999999 +01:00);
    apply_writes(
        store,
        vec![Write::SetUserDisabled {
            user_id: id.clone(),
            disabled_at: Some(disabled_at),
        }],
        "disabling",
    )
    .await;
    assert_eq!(
        store.user(&id).await.unwrap().unwrap().disabled_at,
        Some(datetime!(2025-02-04 16:00:00.999999 UTC)),
        "[{b}] disabled_at"
    );
    apply_writes(
        store,
        vec![Write::SetUserDisabled {
            user_id: id.clone(),
            disabled_at: None,
        }],
        "enabling again",
    )
    .await;
    assert_eq!(
        store.user(&id).await.unwrap().unwrap().disabled_at,
        None,
        "[{b}] disabled_at after enabling again"
    );
}

pub async fn passwords_are_replaced(store: &dyn Store) {
    let b = store.backend();
    let at = datetime!(2025-02-05 00:00 UTC);
    let id = unique("password");
    let u = user(&id, &format!("{id}@example.org"), at);
    apply_writes(store, vec![Write::CreateUser(u.clone())], "creating a user").await;
    let new_hash = "$argon2id$v=19$m=19456,t=2,p=1$bm91dmVhdQ$nouveau".to_owned();
    apply_writes(
        store,
        vec![Write::SetUserPassword {
            user_id: id.clone(),
            password_hash: new_hash.clone(),
        }],
        "changing a password",
    )
    .await;
    let mut want = expected_user(&u);
    want.password_hash = new_hash;
    assert_eq!(
        store.user(&id).await.unwrap(),
        Some(want),
        "[{b}] password_hash"
    );
}

/// Sessions by token hash (not UTF-8); one deleted, then all of a user's, leaving the
/// other user's. Deleting a session that does not exist is not an error (logging out
/// twice).
pub async fn sessions_are_created_read_and_deleted(store: &dyn Store) {
    let b = store.backend();
    let at = datetime!(2025-02-06 08:00:00.5 UTC);
    let alice = unique("alice");
    let bob = unique("bob");
    let mut sessions: Vec<_> = (0..3).map(|_| session(&unique("s"), &alice, at)).collect();
    sessions[0].token_hash = blob(60, 32);
    sessions[1].csrf_token = "jeton-csrf-é✓".to_owned();
    let bobs = session(&unique("s"), &bob, at);
    let mut writes = vec![
        Write::CreateUser(user(&alice, &format!("{alice}@example.org"), at)),
        Write::CreateUser(user(&bob, &format!("{bob}@example.org"), at)),
    ];
    writes.extend(sessions.iter().cloned().map(Write::CreateSession));
    writes.push(Write::CreateSession(bobs.clone()));
    apply_writes(store, writes, "creating sessions").await;

    for s in sessions.iter().chain([&bobs]) {
        assert_eq!(
            store.session(&s.token_hash).await.unwrap(),
            Some(expected_session(s)),
            "[{b}] session read back"
        );
    }
    assert_eq!(
        store.session(&blob(61, 32)).await.unwrap(),
        None,
        "[{b}] unknown session"
    );

    apply_writes(
        store,
        vec![
            Write::DeleteSession {
                token_hash: sessions[0].token_hash.clone(),
            },
            Write::DeleteSession {
                token_hash: blob(62, 32),
            },
        ],
        "deleting a session, and one that does not exist",
    )
    .await;
    assert_eq!(
        store.session(&sessions[0].token_hash).await.unwrap(),
        None,
        "[{b}] deleted session"
    );
    assert!(
        store
            .session(&sessions[1].token_hash)
            .await
            .unwrap()
            .is_some(),
        "[{b}] a session deleted with another"
    );

    apply_writes(
        store,
        vec![Write::DeleteUserSessions {
            user_id: alice.clone(),
        }],
        "deleting a user's sessions",
    )
    .await;
    for s in &sessions {
        assert_eq!(
            store.session(&s.token_hash).await.unwrap(),
            None,
            "[{b}] a session left after DeleteUserSessions"
        );
    }
    assert_eq!(
        store.session(&bobs.token_hash).await.unwrap(),
        Some(expected_session(&bobs)),
        "[{b}] another user's session after DeleteUserSessions"
    );
    apply_writes(
        store,
        vec![Write::DeleteUserSessions {
            user_id: alice.clone(),
        }],
        "deleting the sessions of a user who has none",
    )
    .await;
}

/// API keys by hash, listed by (created_at, id); revoking sets `revoked_at`.
pub async fn api_keys_are_created_listed_and_revoked(store: &dyn Store) {
    let b = store.backend();
    let at = datetime!(2025-02-07 00:00 UTC);
    let mut keys = vec![
        api_key(&unique("key-b"), at + time::Duration::seconds(1)),
        api_key(&unique("key-z"), at),
        api_key(&unique("key-a"), at),
    ];
    keys[0].key_hash = blob(70, 32);
    keys[1].name = "Intégration « CRM » 🔑".to_owned();
    apply_writes(
        store,
        keys.iter().cloned().map(Write::CreateApiKey).collect(),
        "creating API keys",
    )
    .await;
    for k in &keys {
        assert_eq!(
            store.api_key_by_hash(&k.key_hash).await.unwrap(),
            Some(expected_api_key(k)),
            "[{b}] API key by hash"
        );
    }
    assert_eq!(
        store.api_key_by_hash(&blob(71, 32)).await.unwrap(),
        None,
        "[{b}] unknown API key"
    );
    let ids: Vec<&str> = keys.iter().map(|k| k.id.as_str()).collect();
    let listed: Vec<_> = store
        .api_keys()
        .await
        .unwrap()
        .into_iter()
        .filter(|k| ids.contains(&k.id.as_str()))
        .collect();
    let want = vec![
        expected_api_key(&keys[2]),
        expected_api_key(&keys[1]),
        expected_api_key(&keys[0]),
    ];
    assert_eq!(listed, want, "[{b}] API keys listed by (created_at, id)");

    let revoked_at = datetime!(2025-02-08 12:34:56.654321987 UTC);
    apply_writes(
        store,
        vec![Write::RevokeApiKey {
            id: keys[1].id.clone(),
            revoked_at,
        }],
        "revoking an API key",
    )
    .await;
    let got = store
        .api_key_by_hash(&keys[1].key_hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        got.revoked_at,
        Some(datetime!(2025-02-08 12:34:56.654321 UTC)),
        "[{b}] revoked_at"
    );
    assert_eq!(
        store.api_key_by_hash(&keys[0].key_hash).await.unwrap(),
        Some(expected_api_key(&keys[0])),
        "[{b}] another key after a revocation"
    );
}
