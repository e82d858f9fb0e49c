//! Staff passwords: Argon2id hashes, generated passwords, and the entropy estimate
//! used to refuse weak ones (CNIL délibération 2022-100: at least 80 bits, or 50
//! when login attempts are throttled).

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};

use crate::{CryptoError, random_bytes};

/// Argon2id memory cost in KiB (OWASP Password Storage Cheat Sheet: m=19 MiB, t=2, p=1).
pub const ARGON2_M_COST_KIB: u32 = 19_456;
/// Argon2id iterations.
pub const ARGON2_T_COST: u32 = 2;
/// Argon2id parallelism.
pub const ARGON2_P_COST: u32 = 1;
/// Minimum entropy of a staff password, in bits (CNIL 2022-100, without throttling).
pub const MIN_STAFF_PASSWORD_BITS: f64 = 80.0;

/// Unambiguous alphabet of generated passwords: no 0/O/o, 1/l/I. 56 symbols, so
/// 5.807 bits each.
const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const GROUPS: usize = 4;
const GROUP_LEN: usize = 6;

fn argon2() -> Result<Argon2<'static>, CryptoError> {
    let params = Params::new(ARGON2_M_COST_KIB, ARGON2_T_COST, ARGON2_P_COST, None)
        .map_err(|e| CryptoError::PasswordHash(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password with Argon2id (m=19456 KiB, t=2, p=1) and a random 128-bit
/// salt, giving a PHC string such as `$argon2id$v=19$m=19456,t=2,p=1$...`.
pub fn hash_password(password: &str) -> Result<String, CryptoError> {
    let hash = argon2()?
        .hash_password(password.as_bytes())
        .map_err(|e| CryptoError::PasswordHash(e.to_string()))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `phc` (made by [`hash_password`], or
/// by any Argon2 variant and parameters, which are read from the string). A
/// malformed string gives `false`.
pub fn verify_password(password: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), phc)
        .is_ok()
}

/// A random password of 24 characters from a 56-symbol unambiguous alphabet
/// (about 139 bits), in four groups of six joined by `-`, e.g.
/// `k7Qm2x-Rt9wNa-...`.
pub fn generate_password() -> Result<String, CryptoError> {
    // Rejection sampling: 224 = 4 × 56, so bytes below 224 map uniformly.
    let limit = (256 / ALPHABET.len() * ALPHABET.len()) as u8;
    let mut password = String::with_capacity(GROUPS * (GROUP_LEN + 1));
    let mut produced = 0;
    while produced < GROUPS * GROUP_LEN {
        let batch = random_bytes::<64>()?;
        for &byte in batch.iter().filter(|&&b| b < limit) {
            if produced == GROUPS * GROUP_LEN {
                break;
            }
            if produced > 0 && produced % GROUP_LEN == 0 {
                password.push('-');
            }
            password.push(char::from(ALPHABET[usize::from(byte) % ALPHABET.len()]));
            produced += 1;
        }
    }
    Ok(password)
}

/// A simple estimate: length (in characters) × log2 of the size of the character
/// pool suggested by the classes present (lowercase 26, uppercase 26, digits 10,
/// ASCII symbols and space 33, anything else 100). This is the CNIL's method; it
/// ignores dictionary words and repetition, so it is an upper bound, used to
/// refuse obviously weak staff passwords (below [`MIN_STAFF_PASSWORD_BITS`]).
pub fn password_entropy_bits(password: &str) -> f64 {
    let (mut lower, mut upper, mut digit, mut symbol, mut other) =
        (false, false, false, false, false);
    let mut length = 0u32;
    for c in password.chars() {
        length += 1;
        match c {
            'a'..='z' => lower = true,
            'A'..='Z' => upper = true,
            '0'..='9' => digit = true,
            ' '..='~' => symbol = true,
            _ => other = true,
        }
    }
    let pool: u32 = [
        (lower, 26),
        (upper, 26),
        (digit, 10),
        (symbol, 33),
        (other, 100),
    ]
    .iter()
    .filter(|(present, _)| *present)
    .map(|(_, size)| size)
    .sum();
    if pool == 0 {
        return 0.0;
    }
    f64::from(length) * f64::from(pool).log2()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let phc = hash_password("correct horse battery staple").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(!phc.contains("correct horse"));
        assert!(verify_password("correct horse battery staple", &phc));
        assert!(!verify_password("correct horse battery stapl", &phc));
        assert!(!verify_password("", &phc));
        // Salted: the same password hashes differently.
        assert_ne!(phc, hash_password("correct horse battery staple").unwrap());
    }

    #[test]
    fn verify_is_false_on_malformed_hashes() {
        for phc in [
            "",
            "plain",
            "$argon2id$",
            "$argon2id$v=19$m=19456,t=2,p=1$bad",
        ] {
            assert!(!verify_password("x", phc), "{phc}");
        }
        let phc = hash_password("pw").unwrap();
        // Change one character in the middle of the hash output (still valid base64).
        let mut tampered = phc.clone().into_bytes();
        let i = tampered.len() - 10;
        tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert!(!verify_password("pw", &tampered));
    }

    #[test]
    fn generated_passwords_have_the_format_and_enough_entropy() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..500 {
            let password = generate_password().unwrap();
            let groups: Vec<&str> = password.split('-').collect();
            assert_eq!(groups.len(), 4, "{password}");
            assert!(groups.iter().all(|g| g.len() == 6));
            assert!(password.bytes().all(|b| b == b'-' || ALPHABET.contains(&b)));
            // Alphabet entropy: 24 × log2(56) ≈ 139 bits; the estimate agrees.
            assert!(password_entropy_bits(&password) >= 120.0, "{password}");
            assert!(seen.insert(password));
        }
        assert!(24.0 * (ALPHABET.len() as f64).log2() >= 120.0);
        assert_eq!(ALPHABET.len(), 56);
    }

    #[test]
    fn generated_characters_are_roughly_uniform() {
        let mut counts = [0usize; 128];
        for _ in 0..400 {
            for b in generate_password().unwrap().bytes() {
                counts[usize::from(b)] += 1;
            }
        }
        // 9600 characters over 56 symbols: about 171 each.
        for &b in ALPHABET {
            let n = counts[usize::from(b)];
            assert!((80..300).contains(&n), "{} appeared {n} times", b as char);
        }
    }

    #[test]
    fn entropy_estimate() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert_eq!(password_entropy_bits(""), 0.0);
        assert!(close(password_entropy_bits("abcdefgh"), 8.0 * 26f64.log2()));
        assert!(close(password_entropy_bits("abcdEFGH"), 8.0 * 52f64.log2()));
        assert!(close(password_entropy_bits("abCD12!?"), 8.0 * 95f64.log2()));
        assert!(close(password_entropy_bits("éé"), 2.0 * 100f64.log2()));
        // CNIL examples: 12 characters of all four classes ≈ 79 bits, not enough;
        // 13 are enough. 14 lowercase letters are not.
        assert!(password_entropy_bits("Ab1!Ab1!Ab1!") < MIN_STAFF_PASSWORD_BITS);
        assert!(password_entropy_bits("Ab1!Ab1!Ab1!A") >= MIN_STAFF_PASSWORD_BITS);
        assert!(password_entropy_bits("abcdefghijklmn") < MIN_STAFF_PASSWORD_BITS);
    }
}
