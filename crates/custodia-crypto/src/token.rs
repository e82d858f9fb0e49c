//! Session tokens, CSRF tokens and API keys: 256 random bits behind a readable
//! prefix. Stores keep only the SHA-256 of a token, so a stolen database yields no
//! usable token; a plain hash is enough because the token is uniformly random.

use base64ct::{Base64UrlUnpadded, Encoding};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::{CryptoError, random_bytes};

/// A new token `"<prefix>_" + base64url(32 random bytes, no padding)` (43
/// characters after the prefix) and the SHA-256 of the whole string, which is what
/// gets stored. The prefix (e.g. `cus_sess`, `cus_api`) lets people and secret
/// scanners recognise a token; it is not checked.
pub fn generate_token(prefix: &str) -> Result<(String, [u8; 32]), CryptoError> {
    let random = random_bytes::<32>()?;
    let token = format!(
        "{prefix}_{}",
        Base64UrlUnpadded::encode_string(random.as_ref())
    );
    let hash = hash_token(&token);
    Ok((token, hash))
}

/// A uniformly random decimal code of `digits` digits (at most 18), for a person to
/// copy from an e-mail: rejection sampling keeps every code equally likely.
pub fn verification_code(digits: u32) -> Result<String, CryptoError> {
    let digits = digits.clamp(1, 18);
    let modulus = 10u64.pow(digits);
    let limit = u64::MAX - u64::MAX % modulus;
    loop {
        let value = u64::from_le_bytes(*random_bytes::<8>()?);
        if value < limit {
            return Ok(format!(
                "{:0width$}",
                value % modulus,
                width = digits as usize
            ));
        }
    }
}

/// SHA-256 of the token string as presented, to look it up among stored hashes.
pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Compares two byte strings in time independent of their contents (not of their
/// lengths, which are not secret here).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_codes_have_the_asked_digits_and_vary() {
        let codes: std::collections::BTreeSet<String> =
            (0..50).map(|_| verification_code(6).unwrap()).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()))
        );
        assert!(codes.len() > 40, "{codes:?}");
    }

    #[test]
    fn token_format_and_hash() {
        let (token, hash) = generate_token("cus_sess").unwrap();
        let body = token.strip_prefix("cus_sess_").unwrap();
        assert_eq!(body.len(), 43);
        assert!(
            body.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(Base64UrlUnpadded::decode_vec(body).unwrap().len(), 32);
        assert_eq!(hash, hash_token(&token));
        assert_eq!(hex::encode(hash), crate::sha256_hex(token.as_bytes()));
    }

    #[test]
    fn tokens_are_unique() {
        let (a, ha) = generate_token("t").unwrap();
        let (b, hb) = generate_token("t").unwrap();
        assert_ne!(a, b);
        assert_ne!(ha, hb);
    }

    #[test]
    fn hash_token_is_sha256() {
        assert_eq!(
            hex::encode(hash_token("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn constant_time_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(constant_time_eq(b"", b""));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }
}
