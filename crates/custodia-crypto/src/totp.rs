//! Staff second factor: TOTP (RFC 6238 over RFC 4226 HOTP: HMAC-SHA1, 6 digits,
//! 30-second steps), one-time recovery codes, and the key that seals TOTP secrets
//! and signs the short-lived "password checked, code awaited" state of a sign-in.
//!
//! The [`SecondFactorKey`] is derived by HKDF from the `second_factor` system key
//! (wrapped by the master key like every system key): one subkey seals secrets
//! (XChaCha20-Poly1305, AAD = the user id), another MACs pending sign-ins.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use zeroize::Zeroizing;

use crate::keys::SecretKey;
use crate::{CryptoError, kdf, random_bytes};

/// Seconds per TOTP step.
pub const TOTP_STEP: u64 = 30;
/// Digits of a TOTP code.
pub const TOTP_DIGITS: u32 = 6;
/// Bytes of a TOTP secret (160 bits, the HMAC-SHA1 output size RFC 4226 advises).
pub const TOTP_SECRET_LEN: usize = 20;
/// Recovery codes handed out at a time.
pub const RECOVERY_CODES: usize = 10;

const EXTRACT_SALT: &[u8] = b"custodia second factor v1";
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// HOTP (RFC 4226 §5.3) of `counter` under `secret`, `digits` long.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> String {
    // HMAC accepts keys of any length: this cannot fail.
    let Ok(mut mac) = <Hmac<Sha1> as KeyInit>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    let modulus = 10u64.pow(digits.clamp(1, 9));
    format!(
        "{:0width$}",
        u64::from(binary) % modulus,
        width = digits as usize
    )
}

/// The TOTP step of a Unix time.
pub fn totp_step(unix_seconds: i64) -> u64 {
    u64::try_from(unix_seconds).unwrap_or(0) / TOTP_STEP
}

/// The step among `step - 1`, `step`, `step + 1` (clock drift of one step either
/// way) whose code is `code`, if any and if later than `used`: a code that matched
/// once is refused afterwards, and so is every earlier one.
pub fn totp_match(secret: &[u8], code: &str, step: u64, used: Option<u64>) -> Option<u64> {
    let code = code.trim();
    if code.len() != TOTP_DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut found = None;
    for candidate in [step.saturating_sub(1), step, step + 1] {
        let expected = hotp(secret, candidate, TOTP_DIGITS);
        // Check every candidate, whatever matched, in time independent of the code.
        if crate::constant_time_eq(expected.as_bytes(), code.as_bytes())
            && used.is_none_or(|u| candidate > u)
            && found.is_none()
        {
            found = Some(candidate);
        }
    }
    found
}

/// A new random TOTP secret.
pub fn totp_secret() -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    Ok(Zeroizing::new(random_bytes::<TOTP_SECRET_LEN>()?.to_vec()))
}

/// RFC 4648 base32 without padding, as authenticator apps take secrets.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// New recovery codes (`xxxx-xxxx-xxxx-xxxx`, 80 random bits each) and the
/// SHA-256 of each normalised code, which is what gets stored.
pub fn recovery_codes() -> Result<Vec<(String, [u8; 32])>, CryptoError> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let random = random_bytes::<10>()?;
            let plain = base32(random.as_ref()).to_lowercase();
            let shown = plain
                .as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join("-");
            Ok((shown, recovery_code_hash(&plain)))
        })
        .collect()
}

/// SHA-256 of a recovery code as typed, ignoring case, spaces and dashes.
pub fn recovery_code_hash(typed: &str) -> [u8; 32] {
    let normal: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    crate::hash_token(&normal)
}

/// Seals TOTP secrets and signs pending sign-ins; derived from the `second_factor`
/// system key. `Debug` prints `SecondFactorKey(..)`.
pub struct SecondFactorKey {
    seal: SecretKey,
    mac: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for SecondFactorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecondFactorKey(..)")
    }
}

impl SecondFactorKey {
    pub fn new(system: &SecretKey) -> Self {
        let prk = kdf::hkdf_extract(EXTRACT_SALT, system.bytes());
        SecondFactorKey {
            seal: SecretKey(kdf::hkdf_expand_32(&prk, &[b"seal"])),
            mac: kdf::hkdf_expand_32(&prk, &[b"pending sign-in"]),
        }
    }

    /// Seals a user's TOTP secret; it opens only for that user.
    pub fn seal_secret(&self, user_id: &str, secret: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.seal.seal(secret, &aad(user_id))
    }

    pub fn open_secret(
        &self,
        user_id: &str,
        sealed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        self.seal.open(sealed, &aad(user_id))
    }

    /// HMAC-SHA256 of a pending sign-in's payload.
    pub fn sign(&self, payload: &[u8]) -> [u8; 32] {
        kdf::hmac_sha256(&self.mac, &[payload])
    }
}

fn aad(user_id: &str) -> Vec<u8> {
    [b"totp:".as_slice(), user_id.as_bytes()].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc_6238_sha1_vectors() {
        // RFC 6238 Appendix B, SHA-1 rows (8 digits).
        for (time, code) in [
            (59u64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(hotp(RFC_SECRET, time / TOTP_STEP, 8), code, "T = {time}");
        }
        // Six digits are the last six of the same number.
        assert_eq!(hotp(RFC_SECRET, 59 / TOTP_STEP, 6), "287082");
    }

    #[test]
    fn rfc_4226_hotp_vectors() {
        let expected = ["755224", "287082", "359152", "969429", "338314"];
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(hotp(RFC_SECRET, counter as u64, 6), *code);
        }
    }

    #[test]
    fn a_code_matches_one_step_either_way_and_only_once() {
        let step = totp_step(1_234_567_890);
        let now = hotp(RFC_SECRET, step, 6);
        let before = hotp(RFC_SECRET, step - 1, 6);
        let after = hotp(RFC_SECRET, step + 1, 6);
        let too_old = hotp(RFC_SECRET, step - 2, 6);
        assert_eq!(totp_match(RFC_SECRET, &now, step, None), Some(step));
        assert_eq!(totp_match(RFC_SECRET, &before, step, None), Some(step - 1));
        assert_eq!(totp_match(RFC_SECRET, &after, step, None), Some(step + 1));
        assert_eq!(totp_match(RFC_SECRET, &too_old, step, None), None);
        assert_eq!(totp_match(RFC_SECRET, &now, step, Some(step)), None);
        assert_eq!(totp_match(RFC_SECRET, &before, step, Some(step - 1)), None);
        assert_eq!(totp_match(RFC_SECRET, "12345", step, None), None);
        assert_eq!(totp_match(RFC_SECRET, "abcdef", step, None), None);
    }

    #[test]
    fn base32_matches_rfc_4648() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"fo"), "MZXQ");
        assert_eq!(base32(b"foo"), "MZXW6");
        assert_eq!(base32(b"foob"), "MZXW6YQ");
        assert_eq!(base32(b"fooba"), "MZXW6YTB");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
    }

    #[test]
    fn recovery_codes_are_distinct_and_hashed_as_typed_loosely() {
        let codes = recovery_codes().unwrap();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let distinct: std::collections::BTreeSet<_> = codes.iter().map(|c| c.1).collect();
        assert_eq!(distinct.len(), RECOVERY_CODES);
        let (shown, hash) = &codes[0];
        assert_eq!(shown.len(), 19);
        assert_eq!(recovery_code_hash(shown), *hash);
        assert_eq!(
            recovery_code_hash(&shown.to_uppercase().replace('-', " ")),
            *hash
        );
    }

    #[test]
    fn secrets_open_only_for_their_user() {
        let key = SecondFactorKey::new(&SecretKey::generate().unwrap());
        let sealed = key.seal_secret("u1", b"secret").unwrap();
        assert_eq!(
            key.open_secret("u1", &sealed).unwrap().as_slice(),
            b"secret"
        );
        assert!(key.open_secret("u2", &sealed).is_err());
        assert_eq!(format!("{key:?}"), "SecondFactorKey(..)");
    }
}
