//! Persistence boundary. Stores keep ciphertext, blind indexes and metadata, never
//! plaintext personal data.
