//! `[[datasets]]`: the company's own databases, declared so that rights requests
//! reach them. A dataset names a connection (its URLs live in config.toml or the
//! environment, never here), its tables, the columns that find a person, the
//! references between tables, and for each personal column its category and what
//! erasure does to it. Validated here against the rest of the register; against
//! the live schema by `custodia datasets check`.

use serde::{Deserialize, Serialize};

use crate::text::Text;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    pub id: String,
    /// How the package and the console name it ("Our shop's database").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// A connection of config.toml (`[connections.NAME]`).
    pub connection: String,
    /// Follows the live schema's foreign keys between the declared tables too, as
    /// if declared as `references` (read once, when the dataset is first reached).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub references_from_schema: bool,
    pub tables: Vec<DatasetTable>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetTable {
    pub name: String,
    /// The primary-key column: rows are carried from table to table by it.
    pub key: String,
    /// Columns that find a person directly, by identity kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identities: Vec<Identity>,
    /// Columns of this table holding the key of another table's row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    /// The personal columns; others are neither read nor changed.
    pub fields: Vec<DatasetField>,
    /// Rows kept by a retention rule of the register, counted from a date column:
    /// the sweep applies the table's erasure strategies to rows past the rule's
    /// phases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<TableRetention>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableRetention {
    /// A `[[retention]]` rule id: its phases' durations, one after another.
    pub rule: String,
    /// The date or timestamp column the rule counts from.
    pub from: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub kind: IdentityKind,
    pub column: String,
    /// The register category under which the vault holds this identity for a
    /// subject (a requester's phone or customer id is then looked for too); by
    /// default, the category the table's `fields` give the column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// How a person is looked for: normalised as the vault's blind indexes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityKind {
    /// Compared case-insensitively, trimmed.
    Email,
    /// Compared in E.164 form.
    Phone,
    Login,
    /// The company's own id for the person, compared as text.
    CustomerId,
}

impl IdentityKind {
    pub fn id(self) -> &'static str {
        match self {
            IdentityKind::Email => "email",
            IdentityKind::Phone => "phone",
            IdentityKind::Login => "login",
            IdentityKind::CustomerId => "customer_id",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The column of this table.
    pub column: String,
    /// The table whose key it holds.
    pub table: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetField {
    pub column: String,
    /// A category of the register.
    pub category: String,
    pub erase: EraseStrategy,
    /// With `erase = "fixed"` (or `after = "fixed"`): the value written instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// With `erase = "keep"`: the legal-obligation purpose or retention rule that
    /// holds the column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept_by: Option<String>,
    /// With `erase = "keep"`: what the retention sweep does to the column once the
    /// table's retention rule has ended for the row (`null` by default,
    /// `pseudonymise`, or `fixed` with `value`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<EraseStrategy>,
}

impl DatasetField {
    /// The strategy applied when a person is erased (`retention_ended` false) or
    /// when the table's retention rule has ended for the row (true): a kept column
    /// then takes its `after`.
    pub fn strategy(&self, retention_ended: bool) -> EraseStrategy {
        match self.erase {
            EraseStrategy::Keep if retention_ended => self.after.unwrap_or(EraseStrategy::Null),
            other => other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EraseStrategy {
    /// The whole row is deleted.
    DeleteRow,
    /// The column is set to NULL.
    Null,
    /// The column is replaced by a keyed HMAC of its value: a stable pseudonym.
    Pseudonymise,
    /// The column is rewritten to `value`.
    Fixed,
    /// Kept: a legal obligation or a retention rule holds it (`kept_by`).
    Keep,
}

impl EraseStrategy {
    pub fn id(self) -> &'static str {
        match self {
            EraseStrategy::DeleteRow => "delete_row",
            EraseStrategy::Null => "null",
            EraseStrategy::Pseudonymise => "pseudonymise",
            EraseStrategy::Fixed => "fixed",
            EraseStrategy::Keep => "keep",
        }
    }
}

impl DatasetTable {
    /// The category under which the vault holds `identity`, if any.
    pub fn identity_category<'t>(&'t self, identity: &'t Identity) -> Option<&'t str> {
        identity.category.as_deref().or_else(|| {
            self.fields
                .iter()
                .find(|f| f.column == identity.column)
                .map(|f| f.category.as_str())
        })
    }

    /// Whether erasure deletes this table's rows.
    pub fn deletes_rows(&self) -> bool {
        self.fields
            .iter()
            .any(|f| f.erase == EraseStrategy::DeleteRow)
    }
}

/// A SQL identifier the connectors accept before checking it against the live
/// schema: letters, digits and underscores, optionally `schema.table`.
pub fn is_plain_identifier(name: &str) -> bool {
    let part = |p: &str| {
        !p.is_empty()
            && p.len() <= 63
            && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !p.starts_with(|c: char| c.is_ascii_digit())
    };
    match name.split_once('.') {
        Some((schema, table)) => part(schema) && part(table),
        None => part(name),
    }
}
