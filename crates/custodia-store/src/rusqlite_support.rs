//! What the SQLite backend adds to [`crate::backend`]: describing rusqlite errors
//! without leaking data (the database's message may quote values; paths are left
//! out).

use rusqlite::{ErrorCode, ffi};

use crate::backend::DriverError;

/// A description of `err` that names its class and SQLite result code, never the
/// database's message (which may quote values) nor a path.
pub fn describe(err: &rusqlite::Error) -> String {
    use rusqlite::Error as E;
    match err {
        E::SqliteFailure(e, _) => {
            let class = match e.code {
                ErrorCode::ConstraintViolation => match e.extended_code {
                    ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                        "unique violation"
                    }
                    ffi::SQLITE_CONSTRAINT_FOREIGNKEY => "foreign key violation",
                    ffi::SQLITE_CONSTRAINT_NOTNULL => "not-null violation",
                    ffi::SQLITE_CONSTRAINT_CHECK => "check violation",
                    _ => "constraint violation",
                },
                ErrorCode::DatabaseBusy => "database busy",
                ErrorCode::DatabaseLocked => "database table locked",
                ErrorCode::CannotOpen => "cannot open the database file",
                ErrorCode::ReadOnly => "read-only database",
                ErrorCode::DiskFull => "disk full",
                ErrorCode::SystemIoFailure => "I/O error",
                ErrorCode::DatabaseCorrupt => "corrupt database file",
                ErrorCode::NotADatabase => "not a database file",
                ErrorCode::PermissionDenied => "permission denied",
                ErrorCode::OutOfMemory => "out of memory",
                _ => "database error",
            };
            format!("{class} (code {})", e.extended_code)
        }
        E::FromSqlConversionFailure(index, ..)
        | E::InvalidColumnType(index, ..)
        | E::IntegralValueOutOfRange(index, _)
        | E::Utf8Error(index, _) => format!("cannot decode column {index}"),
        E::InvalidColumnIndex(index) => format!("no column {index}"),
        // Names come from this crate's SQL, never from stored values.
        E::InvalidColumnName(name) => format!("no column {name}"),
        E::QueryReturnedNoRows => "no row".to_owned(),
        E::QueryReturnedMoreThanOneRow => "more than one row".to_owned(),
        E::NulError(_) => "a value contains a NUL character".to_owned(),
        E::InvalidPath(_) => "invalid database path".to_owned(),
        E::ToSqlConversionFailure(_) => "cannot encode a value".to_owned(),
        E::InvalidParameterCount(given, expected) => {
            format!("{given} parameters given, {expected} expected")
        }
        E::ExecuteReturnedResults => "a statement returned rows".to_owned(),
        E::MultipleStatement => "more than one statement".to_owned(),
        _ => "database driver error".to_owned(),
    }
}

fn extended_code(err: &rusqlite::Error) -> Option<i32> {
    match err {
        rusqlite::Error::SqliteFailure(e, _) => Some(e.extended_code),
        _ => None,
    }
}

/// Whether `err` is a unique (or primary key) violation.
pub fn is_unique_violation(err: &rusqlite::Error) -> bool {
    matches!(
        extended_code(err),
        Some(ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
    )
}

/// Whether `err` is a foreign key violation.
pub fn is_foreign_key_violation(err: &rusqlite::Error) -> bool {
    extended_code(err) == Some(ffi::SQLITE_CONSTRAINT_FOREIGNKEY)
}

impl DriverError for rusqlite::Error {
    fn describe(&self) -> String {
        describe(self)
    }

    fn is_unique_violation(&self) -> bool {
        is_unique_violation(self)
    }

    fn is_foreign_key_violation(&self) -> bool {
        is_foreign_key_violation(self)
    }
}
