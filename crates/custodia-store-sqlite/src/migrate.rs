//! A small migration runner: the embedded SQL files, applied in order, each in a
//! transaction of its own together with its row in a tracking table.
//!
//! Each transaction starts with `BEGIN IMMEDIATE`, taking the write lock before it looks
//! at the tracking table: two processes opening one new file at once queue on the lock,
//! and the second finds the migration applied instead of applying it again.

use custodia_store::StoreError;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use crate::BACKEND;
use custodia_store::rusqlite_support::describe;

pub(crate) struct Migration {
    pub(crate) version: i64,
    pub(crate) description: &'static str,
    pub(crate) sql: &'static str,
}

/// The data database's migrations (`migrations/`), tracked in `schema_migrations`.
pub(crate) const DATA: Migrations = Migrations {
    table: "schema_migrations",
    list: &[
        Migration {
            version: 1,
            description: "policy versions",
            sql: include_str!("../migrations/0001_policy_versions.sql"),
        },
        Migration {
            version: 2,
            description: "vault, staff, audit",
            sql: include_str!("../migrations/0002_vault_staff_audit.sql"),
        },
        Migration {
            version: 3,
            description: "consents",
            sql: include_str!("../migrations/0003_consents.sql"),
        },
        Migration {
            version: 4,
            description: "rights requests",
            sql: include_str!("../migrations/0004_rights.sql"),
        },
        Migration {
            version: 5,
            description: "retention",
            sql: include_str!("../migrations/0005_retention.sql"),
        },
        Migration {
            version: 6,
            description: "audit entries indexed in bulk",
            sql: include_str!("../migrations/0006_audit_bulk_indexes.sql"),
        },
        Migration {
            version: 7,
            description: "breaches",
            sql: include_str!("../migrations/0007_breaches.sql"),
        },
        Migration {
            version: 8,
            description: "staff second factor",
            sql: include_str!("../migrations/0008_second_factor.sql"),
        },
        Migration {
            version: 9,
            description: "access review",
            sql: include_str!("../migrations/0009_access_review.sql"),
        },
        Migration {
            version: 10,
            description: "retention outcomes",
            sql: include_str!("../migrations/0010_retention_outcomes.sql"),
        },
        Migration {
            version: 11,
            description: "console reads",
            sql: include_str!("../migrations/0011_console_reads.sql"),
        },
        Migration {
            version: 12,
            description: "rights requests by subject",
            sql: include_str!("../migrations/0012_rights_requests_by_subject.sql"),
        },
    ],
};

/// The key store's migrations (`migrations-keys/`), tracked in a table of their own, so
/// that a key store opened on the data database (not the default) would not clash with
/// the data migrations.
pub(crate) const KEYS: Migrations = Migrations {
    table: "key_schema_migrations",
    list: &[
        Migration {
            version: 1,
            description: "keys",
            sql: include_str!("../migrations-keys/0001_keys.sql"),
        },
        Migration {
            version: 2,
            description: "audit checkpoints",
            sql: include_str!("../migrations-keys/0002_audit_checkpoints.sql"),
        },
        Migration {
            version: 3,
            description: "checkpoint chains",
            sql: include_str!("../migrations-keys/0003_checkpoint_chains.sql"),
        },
    ],
};

pub(crate) struct Migrations {
    /// A constant of this module, never input: it is spliced into the SQL.
    table: &'static str,
    list: &'static [Migration],
}

fn migrate_error(detail: String) -> StoreError {
    StoreError::Migrate {
        backend: BACKEND,
        detail,
    }
}

impl Migrations {
    /// Applies every migration the database lacks. Fails if the database holds a
    /// migration this build does not know (it was opened by a newer version).
    pub(crate) fn run(&self, conn: &mut Connection) -> Result<(), StoreError> {
        let table = self.table;
        let failed = |what: String| {
            move |e: rusqlite::Error| migrate_error(format!("{what}: {}", describe(&e)))
        };
        let applied: Vec<i64> = (|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute_batch(&format!(
                "CREATE TABLE IF NOT EXISTS {table} (\
                     version     INTEGER PRIMARY KEY, \
                     description TEXT    NOT NULL, \
                     applied_at  INTEGER NOT NULL DEFAULT (unixepoch())\
                 ) STRICT"
            ))?;
            let applied = tx
                .prepare(&format!("SELECT version FROM {table} ORDER BY version"))?
                .query_map([], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            tx.commit()?;
            Ok(applied)
        })()
        .map_err(failed(format!("the table {table}")))?;

        let known = self.list.iter().map(|m| m.version).max().unwrap_or(0);
        if let Some(unknown) = applied.iter().find(|v| **v > known) {
            return Err(migrate_error(format!(
                "the database has migration {unknown}, which this version of Custodia does \
                 not know"
            )));
        }
        for m in self.list.iter().filter(|m| !applied.contains(&m.version)) {
            (|| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                // Another process may have applied it since the list was read.
                let done = tx
                    .query_row(
                        &format!("SELECT 1 FROM {table} WHERE version = ?1"),
                        [m.version],
                        |_| Ok(()),
                    )
                    .optional()?;
                if done.is_none() {
                    tx.execute_batch(m.sql)?;
                    tx.execute(
                        &format!("INSERT INTO {table} (version, description) VALUES (?1, ?2)"),
                        (m.version, m.description),
                    )?;
                }
                tx.commit()
            })()
            .map_err(failed(format!("migration {}", m.version)))?;
        }
        Ok(())
    }
}
