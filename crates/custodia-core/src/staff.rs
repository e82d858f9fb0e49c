//! Staff accounts, sessions and API keys: who may act, proven by a password or a
//! key. Every change and every login attempt is audited; secrets are stored only
//! as hashes.

use crate::access::{Principal, Role};
use crate::audit::{AuditAction, AuditRecord};
use crate::clock::Clock;
use crate::writer::{Job, WriteError, Writer};
use custodia_crypto::{
    CryptoError, MIN_STAFF_PASSWORD_BITS, generate_password, generate_token, hash_password,
    hash_token, normalize, password_entropy_bits, verify_password,
};
use custodia_register::ValidRegister;
pub use custodia_store::{ApiKey, StaffUser};
use custodia_store::{Session, Store, StoreError, Write};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// A session lasts this long after login.
pub const SESSION_LIFETIME: time::Duration = time::Duration::hours(8);
/// Credentials are re-read from the store at least this often, so a revocation by
/// another instance takes effect within it.
const CREDENTIAL_CACHE_TTL: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("no staff account with that e-mail")]
    UnknownUser,
    #[error("no API key with that id")]
    UnknownApiKey,
    #[error("an account with that e-mail already exists")]
    Exists,
    #[error("wrong e-mail or password, or the account is disabled")]
    BadCredentials,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// Refused: the caller may not do this (audited).
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The state does not allow it (a factor already confirmed, none pending...).
    #[error("{0}")]
    Conflict(String),
    /// A TOTP or recovery code that does not match, or was used already.
    #[error("code: wrong, expired or already used")]
    WrongCode,
    /// The second step of a sign-in came without a valid pending state (forged,
    /// for another account, or older than five minutes).
    #[error("the sign-in expired: enter the e-mail and password again")]
    PendingExpired,
    /// A wrong code at a sign-in's second step; `account` is the normalised e-mail,
    /// for the sign-in back-off.
    #[error("wrong, expired or already used code")]
    BadSecondFactor { account: String },
    /// The server was built without the second-factor key (a bug in start-up).
    #[error("second factors are not set up on this server")]
    SecondFactorUnavailable,
    /// The second-factor system key could not be read or created.
    #[error("second-factor key: {0}")]
    Key(String),
    /// The blocking task checking a password did not complete.
    #[error("password check did not run: {0}")]
    PasswordCheck(String),
}

/// What a successful login hands to the browser.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: OffsetDateTime,
}

/// What a correct password leads to.
#[derive(Debug, Clone)]
pub enum Login {
    /// Signed in.
    Session(NewSession),
    /// The account has a second factor: `pending` (signed, short-lived) goes back
    /// with the code to [`Staff::login_second_factor`].
    SecondFactor {
        pending: String,
        expires_at: OffsetDateTime,
    },
}

/// A live session's principal, the session, and whether its role requires a second
/// factor the account has not confirmed yet (then it may only enrol).
#[derive(Debug, Clone)]
pub struct SessionState {
    pub principal: Principal,
    pub session: Session,
    pub must_enrol: bool,
}

pub struct Staff {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) writer: Writer,
    register: Arc<ValidRegister>,
    pub(crate) clock: Arc<dyn Clock>,
    /// API keys' last uses, written coarsely (`access_review`).
    pub(crate) uses: crate::access_review::UseTracker,
    pub(crate) review: crate::access_review::ReviewSettings,
    keys_cache: CredentialCache<Option<Principal>>,
    sessions_cache: CredentialCache<Option<SessionState>>,
    /// Seals TOTP secrets and signs pending sign-ins; None until
    /// [`Staff::configure_second_factor`].
    pub(crate) second_factor_key: Option<custodia_crypto::totp::SecondFactorKey>,
    /// Roles that must have a confirmed second factor (`[staff] require_second_factor`).
    pub(crate) required_roles: Vec<Role>,
    /// Password checks running at once: argon2 takes a core for tens of
    /// milliseconds, so at most one per core, on the blocking pool.
    argon2_slots: Arc<tokio::sync::Semaphore>,
}

/// What a credential hash resolved to, for a few seconds.
struct CredentialCache<V>(Mutex<HashMap<[u8; 32], (V, Instant)>>);

impl<V: Clone> CredentialCache<V> {
    fn new() -> Self {
        CredentialCache(Mutex::new(HashMap::new()))
    }

    fn get(&self, hash: &[u8; 32]) -> Option<V> {
        lock(&self.0)
            .get(hash)
            .filter(|(_, at)| at.elapsed() < CREDENTIAL_CACHE_TTL)
            .map(|(v, _)| v.clone())
    }

    /// The last answer however old: while the database is unreachable, a credential
    /// that worked before keeps working (decisions answer from memory meanwhile).
    fn last_known(&self, hash: &[u8; 32]) -> Option<V> {
        lock(&self.0).get(hash).map(|(v, _)| v.clone())
    }

    fn put(&self, hash: [u8; 32], value: V) {
        lock(&self.0).insert(hash, (value, Instant::now()));
    }

    fn remove(&self, hash: &[u8; 32]) {
        lock(&self.0).remove(hash);
    }

    fn clear(&self) {
        lock(&self.0).clear();
    }
}

impl Staff {
    pub fn new(
        store: Arc<dyn Store>,
        writer: Writer,
        register: Arc<ValidRegister>,
        clock: Arc<dyn Clock>,
    ) -> Staff {
        Staff {
            store,
            writer,
            register,
            clock,
            keys_cache: CredentialCache::new(),
            sessions_cache: CredentialCache::new(),
            second_factor_key: None,
            required_roles: Vec::new(),
            uses: crate::access_review::UseTracker::default(),
            review: crate::access_review::ReviewSettings::default(),
            argon2_slots: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
            )),
        }
    }

    /// The access review's thresholds (`[staff]` settings).
    #[must_use]
    pub fn with_review_settings(mut self, review: crate::access_review::ReviewSettings) -> Staff {
        self.review = review;
        self
    }

    /// Verifies a password off the async workers, one check per core at most.
    async fn verify(&self, password: &str, hash: &str) -> Result<bool, StaffError> {
        let _slot = Arc::clone(&self.argon2_slots)
            .acquire_owned()
            .await
            .map_err(|e| StaffError::PasswordCheck(e.to_string()))?;
        let (password, hash) = (password.to_owned(), hash.to_owned());
        tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .map_err(|e| StaffError::PasswordCheck(e.to_string()))
    }

    pub(crate) fn role(&self, name: &str) -> Result<Role, StaffError> {
        Role::parse(name, &self.register).ok_or_else(|| StaffError::Invalid {
            field: "role",
            message: format!(
                "unknown role `{name}`; choose one of {}",
                Role::all_names(&self.register).join(", ")
            ),
        })
    }

    pub(crate) async fn audit(
        &self,
        record: AuditRecord,
        writes: Vec<Write>,
    ) -> Result<(), StaffError> {
        self.writer
            .submit(Job {
                writes,
                audit: vec![record],
                ..Job::default()
            })
            .await?;
        Ok(())
    }

    /// Adds a staff account (an arrival). Without a password one is generated and
    /// returned, to be shown once.
    pub async fn add_user(
        &self,
        actor: &str,
        email: &str,
        role: &str,
        password: Option<String>,
    ) -> Result<(StaffUser, Option<String>), StaffError> {
        let email = normalized_email(email)?;
        let role = self.role(role)?;
        if self.store.user_by_email(&email).await?.is_some() {
            return Err(StaffError::Exists);
        }
        let (password, generated) = self.choose_password(password)?;
        let user = StaffUser {
            id: uuid::Uuid::new_v4().to_string(),
            email,
            role: role.name().to_owned(),
            password_hash: hash_password(&password)?,
            created_at: self.clock.now(),
            disabled_at: None,
        };
        self.audit(
            AuditRecord::new(self.clock.now(), actor, AuditAction::StaffAdd, "ok")
                .detail(format!("user:{} role {}", user.id, user.role)),
            vec![Write::CreateUser(user.clone())],
        )
        .await?;
        Ok((user, generated))
    }

    /// Disables (a departure) or re-enables an account; disabling ends its sessions.
    pub async fn set_disabled(
        &self,
        actor: &str,
        email: &str,
        disabled: bool,
    ) -> Result<StaffUser, StaffError> {
        let email = normalized_email(email)?;
        let user = self
            .store
            .user_by_email(&email)
            .await?
            .ok_or(StaffError::UnknownUser)?;
        let now = self.clock.now();
        let mut writes = vec![Write::SetUserDisabled {
            user_id: user.id.clone(),
            disabled_at: disabled.then_some(now),
        }];
        if disabled {
            writes.push(Write::DeleteUserSessions {
                user_id: user.id.clone(),
            });
        }
        let action = if disabled {
            AuditAction::StaffDisable
        } else {
            AuditAction::StaffEnable
        };
        self.audit(
            AuditRecord::new(now, actor, action, "ok").detail(format!("user:{}", user.id)),
            writes,
        )
        .await?;
        self.clear_caches();
        Ok(user)
    }

    /// [`Staff::set_disabled`] for the account with this id (the API names accounts
    /// by id, never by e-mail in a URL).
    pub async fn set_disabled_by_id(
        &self,
        actor: &str,
        id: &str,
        disabled: bool,
    ) -> Result<StaffUser, StaffError> {
        let user = self.store.user(id).await?.ok_or(StaffError::UnknownUser)?;
        self.set_disabled(actor, &user.email, disabled).await?;
        self.store.user(id).await?.ok_or(StaffError::UnknownUser)
    }

    /// Replaces an account's password (given, or generated and returned once) and
    /// ends its sessions.
    pub async fn reset_password(
        &self,
        actor: &str,
        email: &str,
        password: Option<String>,
    ) -> Result<Option<String>, StaffError> {
        let email = normalized_email(email)?;
        let user = self
            .store
            .user_by_email(&email)
            .await?
            .ok_or(StaffError::UnknownUser)?;
        let (password, generated) = self.choose_password(password)?;
        self.audit(
            AuditRecord::new(self.clock.now(), actor, AuditAction::StaffPassword, "ok")
                .detail(format!("user:{}", user.id)),
            vec![
                Write::SetUserPassword {
                    user_id: user.id.clone(),
                    password_hash: hash_password(&password)?,
                },
                Write::DeleteUserSessions { user_id: user.id },
            ],
        )
        .await?;
        self.clear_caches();
        Ok(generated)
    }

    /// A password strong enough for staff, or a generated one (returned to show once).
    fn choose_password(
        &self,
        password: Option<String>,
    ) -> Result<(String, Option<String>), StaffError> {
        match password {
            Some(p) => {
                let bits = password_entropy_bits(&p);
                if bits < MIN_STAFF_PASSWORD_BITS {
                    return Err(StaffError::Invalid {
                        field: "password",
                        message: format!(
                            "too weak (about {bits:.0} bits; at least {MIN_STAFF_PASSWORD_BITS:.0} required): use a longer passphrase or let Custodia generate one"
                        ),
                    });
                }
                Ok((p, None))
            }
            None => {
                let p = generate_password()?;
                Ok((p.clone(), Some(p)))
            }
        }
    }

    pub async fn users(&self) -> Result<Vec<StaffUser>, StaffError> {
        Ok(self.store.users().await?)
    }

    /// Creates the first admin account when there is no account at all; returns its
    /// e-mail and generated password, to be printed once.
    pub async fn ensure_first_admin(&self) -> Result<Option<(String, String)>, StaffError> {
        if !self.store.users().await?.is_empty() {
            return Ok(None);
        }
        let (user, password) = self
            .add_user(
                "system",
                "admin@custodia.localhost",
                crate::access::ADMIN,
                None,
            )
            .await?;
        Ok(password.map(|p| (user.email, p)))
    }

    /// Checks a password and opens a session. Failures are audited without the
    /// e-mail typed, which may be anyone's.
    pub async fn login(&self, email: &str, password: &str) -> Result<Login, StaffError> {
        let now = self.clock.now();
        let user = match normalize::email(email) {
            Ok(e) => self.store.user_by_email(&e).await?,
            Err(_) => None,
        };
        // Verify against a real hash even for unknown accounts so timing tells nothing.
        let hash = user
            .as_ref()
            .map_or(DUMMY_HASH, |u| u.password_hash.as_str());
        let password_ok = self.verify(password, hash).await?;
        let user = match user {
            Some(u) if password_ok && u.disabled_at.is_none() => u,
            other => {
                let principal = other.map_or("anonymous".to_owned(), |u| format!("user:{}", u.id));
                self.audit(
                    AuditRecord::new(now, &principal, AuditAction::AuthLogin, "denied"),
                    Vec::new(),
                )
                .await?;
                return Err(StaffError::BadCredentials);
            }
        };
        if let Some(pending) = self.pending_sign_in(&user).await? {
            return Ok(pending);
        }
        Ok(Login::Session(self.open_session(&user, None).await?))
    }

    /// Opens a session for a user whose credentials were checked; `detail` says how
    /// the second step went, if there was one.
    pub(crate) async fn open_session(
        &self,
        user: &StaffUser,
        detail: Option<&str>,
    ) -> Result<NewSession, StaffError> {
        let now = self.clock.now();
        let (token, token_hash) = generate_token("cus")?;
        let (csrf_token, _) = generate_token("csrf")?;
        let session = Session {
            token_hash: token_hash.to_vec(),
            user_id: user.id.clone(),
            csrf_token: csrf_token.clone(),
            created_at: now,
            expires_at: now + SESSION_LIFETIME,
        };
        let mut record = AuditRecord::new(
            now,
            &format!("user:{}", user.id),
            AuditAction::AuthLogin,
            "ok",
        );
        if let Some(detail) = detail {
            record = record.detail(detail.to_owned());
        }
        self.audit(
            record,
            vec![
                Write::CreateSession(session.clone()),
                // The last sign-in, for the access review: written with the session.
                Write::TouchCredentials(vec![custodia_store::CredentialUse {
                    principal: format!("user:{}", user.id),
                    at: now,
                }]),
            ],
        )
        .await?;
        Ok(NewSession {
            token,
            csrf_token,
            expires_at: session.expires_at,
        })
    }

    pub async fn logout(&self, token: &str) -> Result<(), StaffError> {
        let hash = hash_token(token);
        if let Some((principal, _)) = self.session(token).await? {
            self.audit(
                AuditRecord::new(
                    self.clock.now(),
                    &principal.id,
                    AuditAction::AuthLogout,
                    "ok",
                ),
                vec![Write::DeleteSession {
                    token_hash: hash.to_vec(),
                }],
            )
            .await?;
        }
        self.sessions_cache.remove(&hash);
        Ok(())
    }

    /// The principal behind a session cookie, if the session is live and its
    /// account enabled.
    pub async fn session(&self, token: &str) -> Result<Option<(Principal, Session)>, StaffError> {
        Ok(self
            .session_state(token)
            .await?
            .map(|s| (s.principal, s.session)))
    }

    /// The live session behind a cookie, with whether it may only enrol a factor.
    pub async fn session_state(&self, token: &str) -> Result<Option<SessionState>, StaffError> {
        let hash = hash_token(token);
        let found = match self.sessions_cache.get(&hash) {
            Some(v) => v,
            None => match self.load_session(&hash).await {
                Ok(found) => {
                    self.sessions_cache.put(hash, found.clone());
                    found
                }
                Err(e) if unreachable(&e) => self.sessions_cache.last_known(&hash).ok_or(e)?,
                Err(e) => return Err(e),
            },
        };
        Ok(found.filter(|s| s.session.expires_at > self.clock.now()))
    }

    async fn load_session(&self, hash: &[u8; 32]) -> Result<Option<SessionState>, StaffError> {
        let Some(session) = self.store.session(hash).await? else {
            return Ok(None);
        };
        let Some(user) = self.store.user(&session.user_id).await? else {
            return Ok(None);
        };
        if user.disabled_at.is_some() {
            return Ok(None);
        }
        let Some(role) = Role::parse(&user.role, &self.register) else {
            return Ok(None);
        };
        let must_enrol = self.required_roles.contains(&role)
            && self
                .store
                .second_factor(&user.id)
                .await?
                .is_none_or(|f| f.confirmed_at.is_none());
        Ok(Some(SessionState {
            principal: Principal {
                id: format!("user:{}", user.id),
                role,
            },
            session,
            must_enrol,
        }))
    }

    /// Creates an API key for a service; the key is returned once and stored hashed.
    pub async fn create_api_key(
        &self,
        actor: &str,
        name: &str,
        role: &str,
    ) -> Result<(String, ApiKey), StaffError> {
        let role = self.role(role)?;
        let name = name.trim();
        if name.is_empty() || name.len() > 100 {
            return Err(StaffError::Invalid {
                field: "name",
                message: "give a name of 1 to 100 characters".to_owned(),
            });
        }
        let (key, hash) = generate_token("cusk")?;
        let api_key = ApiKey {
            id: uuid::Uuid::new_v4().to_string(),
            name: name.to_owned(),
            role: role.name().to_owned(),
            key_hash: hash.to_vec(),
            created_at: self.clock.now(),
            revoked_at: None,
        };
        self.audit(
            AuditRecord::new(self.clock.now(), actor, AuditAction::ApiKeyCreate, "ok")
                .detail(format!("apikey:{} role {}", api_key.id, api_key.role)),
            vec![Write::CreateApiKey(api_key.clone())],
        )
        .await?;
        Ok((key, api_key))
    }

    pub async fn revoke_api_key(&self, actor: &str, id: &str) -> Result<(), StaffError> {
        if !self.store.api_keys().await?.iter().any(|k| k.id == id) {
            return Err(StaffError::UnknownApiKey);
        }
        self.audit(
            AuditRecord::new(self.clock.now(), actor, AuditAction::ApiKeyRevoke, "ok")
                .detail(format!("apikey:{id}")),
            vec![Write::RevokeApiKey {
                id: id.to_owned(),
                revoked_at: self.clock.now(),
            }],
        )
        .await?;
        self.clear_caches();
        Ok(())
    }

    pub async fn api_keys(&self) -> Result<Vec<ApiKey>, StaffError> {
        Ok(self.store.api_keys().await?)
    }

    /// The principal behind an `Authorization: Bearer` key; notes its use (in memory)
    /// for the access review.
    pub async fn api_key(&self, key: &str) -> Result<Option<Principal>, StaffError> {
        let found = self.resolve_api_key(key).await?;
        if let Some(p) = &found {
            self.uses.note(&p.id, self.clock.now());
        }
        Ok(found)
    }

    async fn resolve_api_key(&self, key: &str) -> Result<Option<Principal>, StaffError> {
        let hash = hash_token(key);
        if let Some(found) = self.keys_cache.get(&hash) {
            return Ok(found);
        }
        let stored = match self.store.api_key_by_hash(&hash).await {
            Ok(stored) => stored,
            Err(e @ StoreError::Unreachable { .. }) => {
                return self.keys_cache.last_known(&hash).ok_or(e.into());
            }
            Err(e) => return Err(e.into()),
        };
        let found = stored.filter(|k| k.revoked_at.is_none()).and_then(|k| {
            Role::parse(&k.role, &self.register).map(|role| Principal {
                id: format!("apikey:{}", k.id),
                role,
            })
        });
        self.keys_cache.put(hash, found.clone());
        Ok(found)
    }

    /// Forgets every cached credential lookup: they changed here or on another
    /// instance sharing the database.
    pub fn clear_caches(&self) {
        self.keys_cache.clear();
        self.sessions_cache.clear();
    }
}

fn unreachable(e: &StaffError) -> bool {
    matches!(e, StaffError::Store(StoreError::Unreachable { .. }))
}

fn normalized_email(email: &str) -> Result<String, StaffError> {
    normalize::email(email).map_err(|e| StaffError::Invalid {
        field: "email",
        message: e.to_string(),
    })
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// An argon2id hash of a random string nobody knows, verified against when the
/// account does not exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$WjXlcjwU9lkWH9ctPjVt2l3Zz1kPSh03JMqhmBpG3yI";
