//! Staff second factor (TOTP, RFC 6238) with one-time recovery codes, the second
//! step of a sign-in, and sessions listed and revoked by their owner or an admin.
//!
//! A secret is sealed under the key store's `second_factor` system key (wrapped by
//! the master key, rewrapped when it rotates). Each accepted code moves the stored
//! factor's version by compare-and-swap, so a code (or recovery code) used by two
//! requests at once is accepted once. A pending sign-in is `user.expiry.mac`, an
//! HMAC under a key derived from the same system key, valid five minutes.

use crate::access::{Principal, Role};
use crate::audit::{AuditAction, AuditRecord};
use crate::keyring::Keyring;
use crate::staff::{Login, NewSession, Staff, StaffError};
use crate::writer::WriteError;
use custodia_crypto::totp::{
    SecondFactorKey, base32, recovery_code_hash, recovery_codes, totp_match, totp_secret, totp_step,
};
use custodia_crypto::{constant_time_eq, hash_token};
use custodia_store::{KeyStore, SecondFactor, Session, StaffUser, StoreError, Write};
use time::OffsetDateTime;

/// Name of the system key behind second factors.
pub const SECOND_FACTOR_KEY: &str = "second_factor";
/// How long the password step of a sign-in waits for its code.
pub const PENDING_LIFETIME: time::Duration = time::Duration::minutes(5);
/// The issuer shown by authenticator apps.
const ISSUER: &str = "Custodia";

/// A new, pending enrolment: what the authenticator app needs, shown once.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// The secret in base32, for typing into an app.
    pub secret: String,
    /// `otpauth://totp/...`, for a QR code.
    pub uri: String,
}

/// A session as its owner or an admin sees it: never its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// Hex of the first 16 bytes of the token's SHA-256.
    pub id: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    /// The session the request came with.
    pub current: bool,
}

fn session_id(session: &Session) -> String {
    hex::encode(session.token_hash.get(..16).unwrap_or(&session.token_hash))
}

/// The user id of a staff principal (`user:<id>`); API keys have no account.
fn own_user_id(who: &Principal) -> Result<&str, StaffError> {
    who.id.strip_prefix("user:").ok_or_else(|| {
        StaffError::Forbidden(
            "account endpoints are for staff signed in with a session, not API keys".to_owned(),
        )
    })
}

impl Staff {
    /// Loads (or creates) the second-factor system key and sets the roles that must
    /// have a factor; an unknown role name stops the start.
    pub async fn configure_second_factor(
        &mut self,
        keys: &dyn KeyStore,
        master: &Keyring,
        required: &[String],
    ) -> Result<(), StaffError> {
        let system = crate::vault::system_secret(keys, master, SECOND_FACTOR_KEY)
            .await
            .map_err(|e| StaffError::Key(e.to_string()))?;
        self.second_factor_key = Some(SecondFactorKey::new(&system));
        self.required_roles = required
            .iter()
            .map(|name| {
                self.role(name).map_err(|e| StaffError::Invalid {
                    field: "staff.require_second_factor",
                    message: match e {
                        StaffError::Invalid { message, .. } => message,
                        other => other.to_string(),
                    },
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(())
    }

    fn factor_key(&self) -> Result<&SecondFactorKey, StaffError> {
        self.second_factor_key
            .as_ref()
            .ok_or(StaffError::SecondFactorUnavailable)
    }

    fn step_now(&self) -> u64 {
        totp_step(self.clock.now().unix_timestamp())
    }

    async fn record(
        &self,
        actor: &str,
        action: AuditAction,
        outcome: &str,
        detail: String,
        writes: Vec<Write>,
    ) -> Result<(), StaffError> {
        self.audit(
            AuditRecord::new(self.clock.now(), actor, action, outcome).detail(detail),
            writes,
        )
        .await
    }

    /// Stores a changed factor if nobody changed it meanwhile: a lost race is a code
    /// already used.
    async fn swap(
        &self,
        record: AuditRecord,
        factor: SecondFactor,
        expected: i64,
    ) -> Result<(), StaffError> {
        match self
            .audit(
                record,
                vec![Write::PutSecondFactor {
                    factor,
                    expected_version: Some(expected),
                }],
            )
            .await
        {
            Err(StaffError::Write(WriteError::Store(StoreError::VersionConflict { .. }))) => {
                Err(StaffError::WrongCode)
            }
            other => other,
        }
    }

    /// The caller's second factor: None without one, `Some(false)` while pending
    /// (enrolled, not confirmed), `Some(true)` once confirmed. Never its secret.
    pub async fn second_factor_state(&self, who: &Principal) -> Result<Option<bool>, StaffError> {
        let user_id = own_user_id(who)?;
        Ok(self
            .store
            .second_factor(user_id)
            .await?
            .map(|f| f.confirmed_at.is_some()))
    }

    /// Starts an enrolment for the caller's own account: a new secret, pending until
    /// confirmed. Replaces an earlier pending one; refused over a confirmed one.
    pub async fn enrol_second_factor(&self, who: &Principal) -> Result<Enrolment, StaffError> {
        let user_id = own_user_id(who)?;
        let user = self
            .store
            .user(user_id)
            .await?
            .ok_or(StaffError::UnknownUser)?;
        if let Some(f) = self.store.second_factor(user_id).await?
            && f.confirmed_at.is_some()
        {
            return Err(StaffError::Conflict(
                "this account already has a confirmed second factor: disable it first".to_owned(),
            ));
        }
        let secret = totp_secret()?;
        let factor = SecondFactor {
            user_id: user.id.clone(),
            secret_sealed: self.factor_key()?.seal_secret(&user.id, &secret)?,
            confirmed_at: None,
            last_step: None,
            recovery_hashes: Vec::new(),
            created_at: self.clock.now(),
            version: 1,
        };
        self.record(
            &who.id,
            AuditAction::StaffSecondFactorEnrol,
            "ok",
            format!("user:{}", user.id),
            vec![Write::PutSecondFactor {
                factor,
                expected_version: None,
            }],
        )
        .await?;
        let secret = base32(&secret);
        let label = format!("{ISSUER}:{}", user.email);
        Ok(Enrolment {
            uri: format!(
                "otpauth://totp/{}?secret={secret}&issuer={ISSUER}&algorithm=SHA1&digits=6&period=30",
                percent(&label)
            ),
            secret,
        })
    }

    /// Confirms the caller's pending factor with a code from the app; returns the
    /// recovery codes, shown once.
    pub async fn confirm_second_factor(
        &self,
        who: &Principal,
        code: &str,
    ) -> Result<Vec<String>, StaffError> {
        let user_id = own_user_id(who)?;
        let factor = match self.store.second_factor(user_id).await? {
            Some(f) if f.confirmed_at.is_none() => f,
            Some(_) => {
                return Err(StaffError::Conflict(
                    "the second factor is already confirmed".to_owned(),
                ));
            }
            None => {
                return Err(StaffError::Conflict(
                    "no second factor to confirm: enrol first (POST /v1/account/second-factor)"
                        .to_owned(),
                ));
            }
        };
        let Some(step) = self.check_totp(&factor, code)? else {
            self.record(
                &who.id,
                AuditAction::StaffSecondFactorConfirm,
                "denied",
                "wrong code".to_owned(),
                Vec::new(),
            )
            .await?;
            return Err(StaffError::WrongCode);
        };
        let codes = recovery_codes()?;
        let confirmed = SecondFactor {
            confirmed_at: Some(self.clock.now()),
            last_step: Some(step),
            recovery_hashes: codes.iter().map(|(_, h)| h.to_vec()).collect(),
            version: factor.version + 1,
            ..factor.clone()
        };
        self.swap(
            AuditRecord::new(
                self.clock.now(),
                &who.id,
                AuditAction::StaffSecondFactorConfirm,
                "ok",
            )
            .detail(format!("user:{user_id}")),
            confirmed,
            factor.version,
        )
        .await?;
        self.clear_caches();
        Ok(codes.into_iter().map(|(shown, _)| shown).collect())
    }

    /// Removes a factor: the caller's own with a current code from the app, or any
    /// account's by an admin without one.
    pub async fn disable_second_factor(
        &self,
        who: &Principal,
        user_id: Option<&str>,
        code: Option<&str>,
    ) -> Result<(), StaffError> {
        let own = own_user_id(who).ok();
        let target = match (user_id, own) {
            (Some(u), Some(o)) if u == o => o.to_owned(),
            (None, Some(o)) => o.to_owned(),
            (Some(u), _) => {
                self.require_admin(who, AuditAction::StaffSecondFactorDisable)
                    .await?;
                u.to_owned()
            }
            (None, None) => return Err(own_user_id(who).err().unwrap_or(StaffError::UnknownUser)),
        };
        let Some(factor) = self.store.second_factor(&target).await? else {
            return Err(StaffError::NotFound(
                "this account has no second factor".to_owned(),
            ));
        };
        let by_admin = own != Some(target.as_str());
        if !by_admin {
            let code = code.unwrap_or_default();
            if factor.confirmed_at.is_some() && self.check_totp(&factor, code)?.is_none() {
                self.record(
                    &who.id,
                    AuditAction::StaffSecondFactorDisable,
                    "denied",
                    "wrong code".to_owned(),
                    Vec::new(),
                )
                .await?;
                return Err(StaffError::WrongCode);
            }
        }
        self.record(
            &who.id,
            AuditAction::StaffSecondFactorDisable,
            "ok",
            format!("user:{target}"),
            vec![Write::DeleteSecondFactor { user_id: target }],
        )
        .await?;
        self.clear_caches();
        Ok(())
    }

    /// Replaces the caller's unused recovery codes with ten new ones (a current code
    /// from the app required); returns them, shown once.
    pub async fn regenerate_recovery_codes(
        &self,
        who: &Principal,
        code: &str,
    ) -> Result<Vec<String>, StaffError> {
        let user_id = own_user_id(who)?;
        let factor = match self.store.second_factor(user_id).await? {
            Some(f) if f.confirmed_at.is_some() => f,
            _ => {
                return Err(StaffError::Conflict(
                    "no confirmed second factor: enrol and confirm one first".to_owned(),
                ));
            }
        };
        let Some(step) = self.check_totp(&factor, code)? else {
            self.record(
                &who.id,
                AuditAction::StaffRecoveryCodes,
                "denied",
                "wrong code".to_owned(),
                Vec::new(),
            )
            .await?;
            return Err(StaffError::WrongCode);
        };
        let codes = recovery_codes()?;
        let renewed = SecondFactor {
            last_step: Some(step),
            recovery_hashes: codes.iter().map(|(_, h)| h.to_vec()).collect(),
            version: factor.version + 1,
            ..factor.clone()
        };
        self.swap(
            AuditRecord::new(
                self.clock.now(),
                &who.id,
                AuditAction::StaffRecoveryCodes,
                "ok",
            )
            .detail(format!("user:{user_id}")),
            renewed,
            factor.version,
        )
        .await?;
        Ok(codes.into_iter().map(|(shown, _)| shown).collect())
    }

    /// The step a TOTP code matches, later than the last one used.
    fn check_totp(&self, factor: &SecondFactor, code: &str) -> Result<Option<i64>, StaffError> {
        let secret = self
            .factor_key()?
            .open_secret(&factor.user_id, &factor.secret_sealed)?;
        let used = factor.last_step.and_then(|s| u64::try_from(s).ok());
        Ok(totp_match(&secret, code, self.step_now(), used).and_then(|s| i64::try_from(s).ok()))
    }

    /// After a correct password: a pending sign-in when the account has a confirmed
    /// factor.
    pub(crate) async fn pending_sign_in(
        &self,
        user: &StaffUser,
    ) -> Result<Option<Login>, StaffError> {
        let confirmed = self
            .store
            .second_factor(&user.id)
            .await?
            .is_some_and(|f| f.confirmed_at.is_some());
        if !confirmed {
            return Ok(None);
        }
        let expires_at = self.clock.now() + PENDING_LIFETIME;
        let payload = format!("{}.{}", user.id, expires_at.unix_timestamp());
        let mac = self.factor_key()?.sign(payload.as_bytes());
        Ok(Some(Login::SecondFactor {
            pending: format!("{payload}.{}", hex::encode(mac)),
            expires_at,
        }))
    }

    /// The second step of a sign-in: a pending state from [`Staff::login`] and a
    /// code from the app or a recovery code (each accepted once). Opens the session.
    pub async fn login_second_factor(
        &self,
        pending: &str,
        code: &str,
    ) -> Result<NewSession, StaffError> {
        let user_id = self.check_pending(pending)?;
        let user = match self.store.user(&user_id).await? {
            Some(u) if u.disabled_at.is_none() => u,
            _ => return Err(StaffError::PendingExpired),
        };
        let principal = format!("user:{}", user.id);
        let factor = match self.store.second_factor(&user.id).await? {
            Some(f) if f.confirmed_at.is_some() => f,
            _ => return Err(StaffError::PendingExpired),
        };
        let (changed, how) = if let Some(step) = self.check_totp(&factor, code)? {
            (
                SecondFactor {
                    last_step: Some(step),
                    version: factor.version + 1,
                    ..factor.clone()
                },
                "totp",
            )
        } else {
            let typed = recovery_code_hash(code);
            let mut left = factor.recovery_hashes.clone();
            match left.iter().position(|h| constant_time_eq(h, &typed)) {
                Some(i) if !code.trim().is_empty() => {
                    left.remove(i);
                    (
                        SecondFactor {
                            recovery_hashes: left,
                            version: factor.version + 1,
                            ..factor.clone()
                        },
                        "recovery code",
                    )
                }
                _ => {
                    self.record(
                        &principal,
                        AuditAction::AuthSecondFactor,
                        "denied",
                        "wrong, expired or used code".to_owned(),
                        Vec::new(),
                    )
                    .await?;
                    return Err(StaffError::BadSecondFactor {
                        account: user.email,
                    });
                }
            }
        };
        let remaining = changed.recovery_hashes.len();
        let record = AuditRecord::new(
            self.clock.now(),
            &principal,
            AuditAction::AuthSecondFactor,
            "ok",
        )
        .detail(format!("{how}; {remaining} recovery codes left"));
        match self.swap(record, changed, factor.version).await {
            Err(StaffError::WrongCode) => {
                return Err(StaffError::BadSecondFactor {
                    account: user.email,
                });
            }
            other => other?,
        }
        self.open_session(&user, Some(how)).await
    }

    /// The normalised e-mail of the account a valid pending sign-in names (for the
    /// sign-in back-off, checked before the code).
    pub async fn pending_account(&self, pending: &str) -> Result<String, StaffError> {
        let user_id = self.check_pending(pending)?;
        match self.store.user(&user_id).await? {
            Some(u) if u.disabled_at.is_none() => Ok(u.email),
            _ => Err(StaffError::PendingExpired),
        }
    }

    /// The user id a pending sign-in names, if its MAC holds and it has not expired.
    fn check_pending(&self, pending: &str) -> Result<String, StaffError> {
        let mut parts = pending.rsplitn(2, '.');
        let (Some(mac), Some(payload)) = (parts.next(), parts.next()) else {
            return Err(StaffError::PendingExpired);
        };
        let expected = hex::encode(self.factor_key()?.sign(payload.as_bytes()));
        if !constant_time_eq(expected.as_bytes(), mac.as_bytes()) {
            return Err(StaffError::PendingExpired);
        }
        let Some((user_id, expiry)) = payload.rsplit_once('.') else {
            return Err(StaffError::PendingExpired);
        };
        let expiry: i64 = expiry.parse().map_err(|_| StaffError::PendingExpired)?;
        if expiry <= self.clock.now().unix_timestamp() {
            return Err(StaffError::PendingExpired);
        }
        Ok(user_id.to_owned())
    }

    async fn require_admin(&self, who: &Principal, action: AuditAction) -> Result<(), StaffError> {
        if who.role == Role::Admin {
            return Ok(());
        }
        self.record(
            &who.id,
            action,
            "denied",
            format!("role {}", who.role),
            Vec::new(),
        )
        .await?;
        Err(StaffError::Forbidden(format!(
            "the role `{}` may not manage other accounts' sessions or second factors",
            who.role
        )))
    }

    fn describe(
        sessions: Vec<Session>,
        current: Option<&[u8]>,
        now: OffsetDateTime,
    ) -> Vec<SessionInfo> {
        sessions
            .into_iter()
            .filter(|s| s.expires_at > now)
            .map(|s| SessionInfo {
                id: session_id(&s),
                created_at: s.created_at,
                expires_at: s.expires_at,
                current: current.is_some_and(|c| c == s.token_hash.as_slice()),
            })
            .collect()
    }

    /// The caller's live sessions, oldest first; `token` marks the current one.
    pub async fn my_sessions(
        &self,
        who: &Principal,
        token: Option<&str>,
    ) -> Result<Vec<SessionInfo>, StaffError> {
        let user_id = own_user_id(who)?;
        let current = token.map(hash_token);
        let sessions = self.store.user_sessions(user_id).await?;
        Ok(Self::describe(
            sessions,
            current.as_ref().map(<[u8; 32]>::as_slice),
            self.clock.now(),
        ))
    }

    /// Ends one of the caller's sessions by id, or (`id` None) every one but the
    /// current. Takes effect at once on this instance (caches dropped).
    pub async fn revoke_my_sessions(
        &self,
        who: &Principal,
        id: Option<&str>,
        token: Option<&str>,
    ) -> Result<usize, StaffError> {
        let user_id = own_user_id(who)?;
        let current = token.map(hash_token);
        let sessions = self.store.user_sessions(user_id).await?;
        let doomed: Vec<Session> = sessions
            .into_iter()
            .filter(|s| match id {
                Some(id) => session_id(s) == id,
                None => current.is_none_or(|c| c.as_slice() != s.token_hash.as_slice()),
            })
            .collect();
        if id.is_some() && doomed.is_empty() {
            return Err(StaffError::NotFound(
                "session: none of your sessions has this id".to_owned(),
            ));
        }
        let count = doomed.len();
        let detail = match id {
            Some(id) => format!("user:{user_id} session {id}"),
            None => format!("user:{user_id} {count} other sessions"),
        };
        self.record(
            &who.id,
            AuditAction::AuthSessionRevoke,
            "ok",
            detail,
            doomed
                .into_iter()
                .map(|s| Write::DeleteSession {
                    token_hash: s.token_hash,
                })
                .collect(),
        )
        .await?;
        self.clear_caches();
        Ok(count)
    }

    /// Any account's live sessions, for an admin (a refusal is audited).
    pub async fn user_sessions(
        &self,
        who: &Principal,
        user_id: &str,
    ) -> Result<Vec<SessionInfo>, StaffError> {
        self.require_admin(who, AuditAction::AuthSessionRevoke)
            .await?;
        if self.store.user(user_id).await?.is_none() {
            return Err(StaffError::UnknownUser);
        }
        let sessions = self.store.user_sessions(user_id).await?;
        Ok(Self::describe(sessions, None, self.clock.now()))
    }

    /// Ends every session of an account, for an admin.
    pub async fn revoke_user_sessions(
        &self,
        who: &Principal,
        user_id: &str,
    ) -> Result<(), StaffError> {
        self.require_admin(who, AuditAction::AuthSessionRevoke)
            .await?;
        if self.store.user(user_id).await?.is_none() {
            return Err(StaffError::UnknownUser);
        }
        self.record(
            &who.id,
            AuditAction::AuthSessionRevoke,
            "ok",
            format!("user:{user_id} every session"),
            vec![Write::DeleteUserSessions {
                user_id: user_id.to_owned(),
            }],
        )
        .await?;
        self.clear_caches();
        Ok(())
    }
}

/// Percent-encodes an otpauth label (RFC 3986 unreserved characters kept).
fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b':' | b'@' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
