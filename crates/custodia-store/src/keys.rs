//! The key store: subjects' data keys and Custodia's own keys, each wrapped by the
//! master key. It may live in its own database file so that erasing a key erases it
//! from the one place that matters, whatever copies of the data database exist.

use crate::{AuditCheckpoint, StoreError};

#[async_trait::async_trait]
pub trait KeyStore: Send + Sync + 'static {
    fn backend(&self) -> &'static str;

    /// Stores wrapped data keys, one transaction, durable on return. A subject that
    /// already has a key is an error ([`StoreError::Invalid`]).
    async fn put_data_keys(&self, keys: Vec<(String, Vec<u8>)>) -> Result<(), StoreError>;

    async fn data_key(&self, subject_id: &str) -> Result<Option<Vec<u8>>, StoreError>;

    /// Drops any copy of the subject's wrapped key held in memory, so that the next
    /// [`KeyStore::data_key`] reads the database (after a failed unwrap: the key may
    /// have been rewrapped by a rotation in another process). Only caching wrappers
    /// hold copies.
    fn forget_cached(&self, _subject_id: &str) {}

    /// Deletes a data key so that its bytes do not survive in the database file
    /// (secure delete); returns whether there was one.
    async fn delete_data_key(&self, subject_id: &str) -> Result<bool, StoreError>;

    /// Deletes the data keys of these subjects in one transaction, securely like
    /// [`KeyStore::delete_data_key`]; missing keys are skipped. Returns how many
    /// were deleted.
    async fn delete_data_keys(&self, subject_ids: &[String]) -> Result<u64, StoreError>;

    /// Keys in subject id order after `after`, at most `limit`, for rotation.
    async fn data_keys_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError>;

    /// Replaces wrapped keys when they still hold the old value (compare and swap);
    /// returns how many were replaced.
    async fn rewrap_data_keys(
        &self,
        changes: Vec<(String, Vec<u8>, Vec<u8>)>,
    ) -> Result<u64, StoreError>;

    /// Custodia's own keys (`blind_index`...): stores `wrapped` under `name` unless one
    /// exists, and returns the one in force.
    async fn system_key_or_insert(
        &self,
        name: &str,
        wrapped: Vec<u8>,
    ) -> Result<Vec<u8>, StoreError>;

    async fn system_keys(&self) -> Result<Vec<(String, Vec<u8>)>, StoreError>;

    /// Compare-and-swap replacement of a system key, for rotation.
    async fn rewrap_system_key(
        &self,
        name: &str,
        old: Vec<u8>,
        new: Vec<u8>,
    ) -> Result<bool, StoreError>;

    /// Stores an audit checkpoint unless one exists for its `seq` (returns whether
    /// it was stored), and keeps only the latest [`AUDIT_CHECKPOINTS_KEPT`] and the
    /// latest of each chain.
    async fn put_audit_checkpoint(&self, checkpoint: AuditCheckpoint) -> Result<bool, StoreError>;

    /// The latest checkpoints, highest `seq` first, at most `limit`.
    async fn audit_checkpoints(&self, limit: u32) -> Result<Vec<AuditCheckpoint>, StoreError>;
}

/// Checkpoints a key store keeps: verification needs the latest; a witness keeps
/// them all.
pub const AUDIT_CHECKPOINTS_KEPT: i64 = 1000;
