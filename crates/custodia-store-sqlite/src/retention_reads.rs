//! Reads for retention, run on a reader thread: pages of what the planner needs of each
//! subject, legal holds and retention outcome counts. Orders that involve text are applied
//! in Rust, as on every backend.

use custodia_store::backend::key_page_limit;
use custodia_store::{LegalHold, RetentionCount, RetentionFacts, StoreError};
use rusqlite::types::Type;
use rusqlite::{Connection, Row};

use crate::BACKEND;
use crate::codec::{OpError, db_error, from_micros, from_opt_micros, op_error};

pub(crate) const FACTS: &str = "read a page of retention facts";
pub(crate) const HOLDS: &str = "list legal holds";
pub(crate) const COUNTS: &str = "list retention counts";
pub(crate) const COUNT_FACTS: &str = "count subjects not erased";
pub(crate) const BOOK_STAMP: &str = "count the consent book's rows";
pub(crate) const LEASE: &str = "take a lease";
pub(crate) const RELEASE: &str = "give a lease up";

const PAGE: &str = "SELECT id, kind, created_at_us FROM subjects \
     WHERE erased_at_us IS NULL AND id > ?1 ORDER BY id LIMIT ?2";
// The parts of the page's subjects are read by id range, one statement per part rather
// than some per subject, in subject order straight from a (covering) index: the rows
// are matched to the page in one forward walk. Erased subjects in the range have no
// parts (erasure deletes them).
const CATEGORIES: &str = "SELECT subject_id, category FROM subject_fields \
     WHERE subject_id > ?1 AND subject_id <= ?2 ORDER BY subject_id";
const LATEST_EVENTS: &str = "SELECT subject_id, event, max(at_us) FROM subject_events \
     WHERE subject_id > ?1 AND subject_id <= ?2 GROUP BY subject_id, event \
     ORDER BY subject_id, event";
const PROGRESS: &str = "SELECT subject_id, rule, step, done_at_us FROM retention_progress \
     WHERE subject_id > ?1 AND subject_id <= ?2 ORDER BY subject_id";

/// Subjects not erased after `after`, by id, with their categories, latest event
/// times and retention progress. A `limit` of 0 means `DEFAULT_KEY_PAGE`, the page of
/// the other scan by subject (data key rotation).
pub(crate) fn retention_facts_page(
    conn: &mut Connection,
    after: &str,
    limit: u32,
) -> Result<Vec<RetentionFacts>, StoreError> {
    let limit = key_page_limit(limit);
    facts_page(conn, after, limit).map_err(op_error(FACTS))
}

fn facts_page(
    conn: &mut Connection,
    after: &str,
    limit: u32,
) -> Result<Vec<RetentionFacts>, OpError> {
    // One read transaction: the four statements see one snapshot.
    let tx = conn.transaction()?;
    let mut page = Vec::new();
    {
        let mut stmt = tx.prepare_cached(PAGE)?;
        let mut rows = stmt.query((after, i64::from(limit)))?;
        while let Some(row) = rows.next()? {
            page.push(RetentionFacts {
                subject_id: row.get(0)?,
                kind: row.get(1)?,
                created_at: from_micros(row.get(2)?)?,
                categories: Vec::new(),
                events: Vec::new(),
                progress: Vec::new(),
            });
        }
    }
    let Some(last) = page.last().map(|f| f.subject_id.clone()) else {
        return Ok(page);
    };
    let range = (after, last.as_str());
    {
        let mut stmt = tx.prepare_cached(CATEGORIES)?;
        let mut rows = stmt.query(range)?;
        let mut walk = Walk(0);
        while let Some(row) = rows.next()? {
            if let Some(f) = walk.find(&mut page, row)? {
                f.categories.push(row.get(1)?);
            }
        }
    }
    {
        let mut stmt = tx.prepare_cached(LATEST_EVENTS)?;
        let mut rows = stmt.query(range)?;
        let mut walk = Walk(0);
        while let Some(row) = rows.next()? {
            if let Some(f) = walk.find(&mut page, row)? {
                f.events.push((row.get(1)?, from_micros(row.get(2)?)?));
            }
        }
    }
    {
        let mut stmt = tx.prepare_cached(PROGRESS)?;
        let mut rows = stmt.query(range)?;
        let mut walk = Walk(0);
        while let Some(row) = rows.next()? {
            if let Some(f) = walk.find(&mut page, row)? {
                let step: i64 = row.get(2)?;
                let step = u32::try_from(step).map_err(|_| StoreError::Corrupt {
                    backend: BACKEND,
                    what: "a stored retention step is out of range",
                })?;
                f.progress
                    .push((row.get(1)?, step, from_micros(row.get(3)?)?));
            }
        }
    }
    tx.commit()?;
    for f in &mut page {
        f.categories.sort_unstable();
        f.events.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        f.progress.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    }
    Ok(page)
}

/// A forward walk through a page sorted by id in byte order (SQLite's BINARY
/// collation, Rust's order of strings), for rows in the same order.
struct Walk(usize);

impl Walk {
    /// The subject of `row` (its first column), or None when it is not in the page
    /// (erased).
    fn find<'p>(
        &mut self,
        page: &'p mut [RetentionFacts],
        row: &Row<'_>,
    ) -> Result<Option<&'p mut RetentionFacts>, rusqlite::Error> {
        let id = row
            .get_ref(0)?
            .as_str()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, Type::Text, Box::new(e)))?;
        while page.get(self.0).is_some_and(|f| f.subject_id.as_str() < id) {
            self.0 += 1;
        }
        Ok(page.get_mut(self.0).filter(|f| f.subject_id == id))
    }
}

/// Counts of the rows the consent book reads, one statement each (see `book_stamp`
/// in lib.rs): every table the book reads, and the erased subjects.
pub(crate) const BOOK_COUNTS: [&str; 9] = [
    "SELECT count(*) FROM subjects",
    "SELECT count(*) FROM subjects WHERE erased_at_us IS NOT NULL",
    "SELECT count(*) FROM subject_fields",
    "SELECT count(*) FROM subject_indexes",
    "SELECT count(*) FROM subject_events",
    "SELECT count(*) FROM consents",
    "SELECT count(*) FROM visitor_links",
    "SELECT count(*) FROM restrictions",
    "SELECT count(*) FROM opposition_list",
];

pub(crate) fn count(conn: &mut Connection, sql: &str) -> Result<i64, StoreError> {
    conn.prepare_cached(sql)
        .and_then(|mut stmt| stmt.query_row([], |row| row.get(0)))
        .map_err(db_error(BOOK_STAMP))
}

pub(crate) fn retention_facts_count(conn: &mut Connection) -> Result<u64, StoreError> {
    conn.prepare_cached("SELECT count(*) FROM subjects WHERE erased_at_us IS NULL")
        .and_then(|mut stmt| stmt.query_row([], |row| row.get::<_, i64>(0)))
        .map(|n| u64::try_from(n).unwrap_or(0))
        .map_err(db_error(COUNT_FACTS))
}

/// Runs on the writer thread: the upsert changes a row only when the lease is free,
/// expired or already `holder`'s.
pub(crate) fn acquire_lease(
    conn: &mut Connection,
    name: &str,
    holder: &str,
    now: i64,
    until: i64,
) -> Result<bool, StoreError> {
    conn.prepare_cached(
        "INSERT INTO leases (name, holder, expires_at_us) VALUES (?1, ?2, ?4) \
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, \
         expires_at_us = excluded.expires_at_us \
         WHERE leases.holder = excluded.holder OR leases.expires_at_us <= ?3",
    )
    .and_then(|mut stmt| stmt.execute((name, holder, now, until)))
    .map(|changed| changed == 1)
    .map_err(db_error(LEASE))
}

pub(crate) fn release_lease(
    conn: &mut Connection,
    name: &str,
    holder: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM leases WHERE name = ?1 AND holder = ?2")
        .and_then(|mut stmt| stmt.execute((name, holder)))
        .map(|_| ())
        .map_err(db_error(RELEASE))
}

pub(crate) fn legal_holds(conn: &mut Connection) -> Result<Vec<LegalHold>, StoreError> {
    let mut holds = (|| {
        let mut stmt = conn.prepare_cached(
            "SELECT id, subject_id, rule_id, reason, created_at_us, created_by, \
             released_at_us, released_by FROM legal_holds",
        )?;
        let mut rows = stmt.query([])?;
        let mut holds = Vec::new();
        while let Some(row) = rows.next()? {
            holds.push(LegalHold {
                id: row.get(0)?,
                subject_id: row.get(1)?,
                rule_id: row.get(2)?,
                reason: row.get(3)?,
                created_at: from_micros(row.get(4)?)?,
                created_by: row.get(5)?,
                released_at: from_opt_micros(row.get(6)?)?,
                released_by: row.get(7)?,
            });
        }
        Ok::<_, OpError>(holds)
    })()
    .map_err(op_error(HOLDS))?;
    holds.sort_unstable_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Ok(holds)
}

pub(crate) fn retention_counts(conn: &mut Connection) -> Result<Vec<RetentionCount>, StoreError> {
    let mut counts = (|| {
        conn.prepare_cached("SELECT rule, kind, month, action, count FROM retention_counts")?
            .query_map([], |row| {
                Ok(RetentionCount {
                    rule: row.get(0)?,
                    kind: row.get(1)?,
                    month: row.get(2)?,
                    action: row.get(3)?,
                    count: row.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()
    })()
    .map_err(db_error(COUNTS))?;
    counts.sort_unstable_by(|a, b| {
        (&a.rule, &a.kind, &a.month, &a.action).cmp(&(&b.rule, &b.kind, &b.month, &b.action))
    });
    Ok(counts)
}
