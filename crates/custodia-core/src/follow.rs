//! Following other instances that share the database (PostgreSQL): the consent book
//! and the credential caches learn of their writes from the change feed
//! (`custodia_store::feed`) within a second.
//!
//! Each instance writes its changes along a chain of its own, in commit order, and
//! every instance applies every chain's changes in that order, its own included:
//! after each of its own commits that leaves a change, the writer applies its writes
//! from memory when its change directly follows the last one applied of its chain
//! ([`Following::committed`]), else reads the feed up to now before answering, so a
//! write is in the book when acknowledged; the follower loop ([`Following::run`])
//! reads every chain when woken by LISTEN/NOTIFY and at least every half second.
//! Changes of different chains commute in the book (latest choice by time, latest
//! event, erasure for good), except two restrictions or visitor links of one subject
//! written through two instances within the same instant. A read that fails
//! (the database went away) applies the writer's own writes from memory and marks
//! the book stale; the loop reloads it whole once the database answers, as it does
//! after being away longer than the feed is kept.

use crate::consent::ConsentBook;
use custodia_store::feed::{Change, Numbered, Positions, is_followed};
use custodia_store::{Store, StoreError, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Changes read at once.
const PAGE: u32 = 1_000;
/// How long a follower waits for a wake-up before reading the feed anyway.
pub const POLL_EVERY: Duration = Duration::from_millis(500);
/// How long the feed keeps a change (followers read it every half second); short,
/// as it holds the e-mail blind indexes of subjects erased since.
pub const FEED_KEPT: Duration = Duration::from_secs(3600);
/// A follower that has not read the feed for this long reloads instead.
const AWAY_TOO_LONG: Duration = Duration::from_secs(30 * 60);
const PRUNE_EVERY: Duration = Duration::from_secs(600);

type CredentialHook = Box<dyn Fn() + Send + Sync>;

struct Position {
    /// The book was loaded: before, this instance's writes are applied alone (the
    /// load reads them back) and the feed is not read.
    loaded: bool,
    /// For each chain, every change numbered up to here is applied.
    applied: Positions,
    /// A read failed: the book may miss a change until reloaded.
    stale: bool,
    last_read: Instant,
}

pub struct Following {
    store: Arc<dyn Store>,
    book: Option<Arc<ConsentBook>>,
    credentials: Mutex<Vec<CredentialHook>>,
    position: tokio::sync::Mutex<Position>,
}

impl Following {
    pub fn new(store: Arc<dyn Store>, book: Option<Arc<ConsentBook>>) -> Following {
        Following {
            store,
            book,
            credentials: Mutex::new(Vec::new()),
            position: tokio::sync::Mutex::new(Position {
                loaded: false,
                applied: Positions::default(),
                stale: false,
                last_read: Instant::now(),
            }),
        }
    }

    /// Called when another instance changed accounts, sessions, keys or factors.
    pub fn on_credentials_changed(&self, hook: impl Fn() + Send + Sync + 'static) {
        self.credentials
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Box::new(hook));
    }

    fn follows(&self) -> bool {
        self.store.keeps_change_feed()
    }

    /// Loads the book from the store and follows the feed from the head it had
    /// before the load, so a change committed meanwhile is applied (again) after it.
    pub async fn load(&self) -> Result<(), StoreError> {
        let mut position = self.position.lock().await;
        let head = self.store.change_heads().await?;
        if let Some(book) = &self.book {
            book.load(self.store.as_ref()).await?;
        }
        position.applied = head;
        position.loaded = true;
        position.stale = false;
        position.last_read = Instant::now();
        if self.follows() {
            self.read_through(&mut position).await?;
        }
        Ok(())
    }

    /// The book was read from a snapshot that matches the store (a store without a
    /// feed only): it is loaded.
    pub async fn loaded_from_snapshot(&self) {
        let mut position = self.position.lock().await;
        position.loaded = true;
        position.stale = false;
        position.last_read = Instant::now();
    }

    /// This instance's batch of `writes` is durable, numbered `change` in the feed
    /// when known: the book applies it, in its chain's order when there is a feed.
    pub(crate) async fn committed(&self, change: Option<Numbered>, writes: &[&[Write]]) {
        if !self.follows() || !writes.iter().any(|w| is_followed(w)) {
            self.apply_own(writes);
            return;
        }
        let mut position = self.position.lock().await;
        if !position.loaded || position.stale {
            // The load, or the reload to come, reads these writes back.
            self.apply_own(writes);
            return;
        }
        if change.is_some_and(|n| position.applied.of(n.chain) >= n.seq) {
            // The follower read it from the feed first (woken by its own notification).
            return;
        }
        if let Some(n) = change
            && n.previous == position.applied.of(n.chain)
        {
            // Nothing committed in between along this chain: the feed would give back
            // these writes.
            self.apply_own(writes);
            position.applied.advance(n.chain, n.seq);
            return;
        }
        if let Err(e) = self.read_through(&mut position).await {
            self.apply_own(writes);
            stale(&mut position, &e);
        }
    }

    fn apply_own(&self, writes: &[&[Write]]) {
        if let Some(book) = &self.book {
            for w in writes {
                crate::writer::CommitObserver::committed(book.as_ref(), w);
            }
        }
    }

    fn apply(&self, change: &Change) {
        if let Some(book) = &self.book {
            crate::writer::CommitObserver::committed(book.as_ref(), &change.writes);
        }
        if change.credentials {
            for hook in self
                .credentials
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
            {
                hook();
            }
        }
    }

    /// Applies the changes after `applied`, up to the feed's end.
    async fn read_through(&self, position: &mut Position) -> Result<(), StoreError> {
        loop {
            let page = self.store.changes_after(&position.applied, PAGE).await?;
            for change in &page {
                self.apply(change);
                position.applied.advance(change.chain, change.seq);
            }
            position.last_read = Instant::now();
            if page.len() < PAGE as usize {
                return Ok(());
            }
        }
    }

    /// Follows the feed until `stop` turns true: reads it when woken and every
    /// [`POLL_EVERY`], reloads the book when stale, prunes the feed now and then.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        if !self.follows() {
            return;
        }
        let mut pruned = Instant::now();
        let mut failing = false;
        loop {
            tokio::select! {
                () = self.store.wait_for_changes(POLL_EVERY) => {}
                _ = stop.changed() => return,
            }
            let result = self.follow_once().await;
            match (&result, failing) {
                (Err(e), false) => {
                    tracing::error!(error = %e, "cannot follow other instances' changes; retrying");
                    failing = true;
                }
                (Ok(()), true) => {
                    tracing::info!("following other instances' changes again");
                    failing = false;
                }
                _ => {}
            }
            if result.is_ok() && pruned.elapsed() > PRUNE_EVERY {
                pruned = Instant::now();
                if let Err(e) = self.store.prune_changes(FEED_KEPT).await {
                    tracing::warn!(error = %e, "cannot prune the change feed");
                }
            }
        }
    }

    async fn follow_once(&self) -> Result<(), StoreError> {
        {
            let mut position = self.position.lock().await;
            if !position.loaded {
                return Ok(());
            }
            if !position.stale && position.last_read.elapsed() <= AWAY_TOO_LONG {
                let result = self.read_through(&mut position).await;
                if let Err(e) = &result {
                    stale(&mut position, e);
                }
                return result;
            }
        }
        self.load().await?;
        tracing::info!("consent state reloaded after losing track of other instances");
        Ok(())
    }
}

fn stale(position: &mut Position, error: &StoreError) {
    if !position.stale {
        tracing::warn!(error = %error, "lost track of other instances' changes; reloading when the database answers");
    }
    position.stale = true;
}
