//! HMAC-SHA256 and HKDF-SHA256 helpers that cannot fail, so that infallible
//! operations (key ids, blind indexes) need neither `unwrap` nor an error path.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

type HmacSha256 = Hmac<Sha256>;

/// SHA-256 block size: HMAC pads shorter keys with zeros to this length (RFC 2104),
/// so a zero-padded 64-byte key gives exactly HMAC(key, ...) for the 32-byte key.
const BLOCK: usize = 64;

pub(crate) fn hmac_with_key(key: &[u8; 32]) -> HmacSha256 {
    let mut padded = Zeroizing::new([0u8; BLOCK]);
    padded[..32].copy_from_slice(key);
    <HmacSha256 as KeyInit>::new((&*padded).into())
}

/// HMAC-SHA256 under a 32-byte key over the concatenation of `parts`.
pub(crate) fn hmac_sha256(key: &[u8; 32], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = hmac_with_key(key);
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// HKDF-SHA256-Extract (RFC 5869 §2.2).
pub(crate) fn hkdf_extract(salt: &[u8], ikm: &[u8]) -> Zeroizing<[u8; 32]> {
    let (prk, _) = hkdf::Hkdf::<Sha256>::extract(Some(salt), ikm);
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&prk);
    out
}

/// HKDF-SHA256-Expand (RFC 5869 §2.3) of 32 bytes, the info being the
/// concatenation of `info`. For L = HashLen the expansion is the single block
/// T(1) = HMAC(PRK, info || 0x01). `prk` must be a uniformly random key (the master
/// key, or the output of [`hkdf_extract`]).
pub(crate) fn hkdf_expand_32(prk: &[u8; 32], info: &[&[u8]]) -> Zeroizing<[u8; 32]> {
    let mut mac = hmac_with_key(prk);
    for part in info {
        mac.update(part);
    }
    mac.update(&[1u8]);
    Zeroizing::new(mac.finalize().into_bytes().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_new_from_slice_and_rfc_4231() {
        let key = [0x0bu8; 32];
        let mut reference = <HmacSha256 as KeyInit>::new_from_slice(&key).unwrap();
        reference.update(b"Hi There");
        let expected: [u8; 32] = reference.finalize().into_bytes().into();
        assert_eq!(hmac_sha256(&key, &[b"Hi ", b"There"]), expected);

        // RFC 4231 test case 2 uses a 4-byte key; check the padding argument with
        // the 20-byte key of test case 1 extended by zeros, which HMAC treats the same.
        let mut key1 = [0u8; 32];
        key1[..20].copy_from_slice(&[0x0b; 20]);
        assert_eq!(
            hex::encode(hmac_sha256(&key1, &[b"Hi There"])),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
    }

    #[test]
    fn hkdf_matches_the_hkdf_crate_and_rfc_5869() {
        // RFC 5869 test case 1 (first 32 bytes of the 42-byte OKM).
        let ikm = [0x0bu8; 22];
        let salt: Vec<u8> = (0x00u8..=0x0c).collect();
        let info: Vec<u8> = (0xf0u8..=0xf9).collect();
        let prk = hkdf_extract(&salt, &ikm);
        assert_eq!(
            hex::encode(*prk),
            "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"
        );
        let okm = hkdf_expand_32(&prk, &[&info[..4], &info[4..]]);
        assert_eq!(
            hex::encode(*okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
        );
        let reference = hkdf::Hkdf::<Sha256>::from_prk(&*prk).unwrap();
        let mut expected = [0u8; 32];
        reference.expand(&info, &mut expected).unwrap();
        assert_eq!(*okm, expected);
    }
}
