//! SHA-256 (FIPS 180-4), for the file hashes of the handover report (the inspector can check that
//! the files delivered are the files scanned) and the GitLab fingerprints. The digest is the
//! RustCrypto `sha2` crate's (pure Rust, no imports on wasm32-unknown-unknown); this module keeps
//! the engine's one call shape and is tested against the standard's vectors and digests computed
//! independently (Python's `hashlib`).

use sha2::{Digest, Sha256};

/// The SHA-256 digest of `data`.
pub fn digest(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// The digest as 64 lowercase hex digits.
pub fn hex(data: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(64);
    for b in digest(data) {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // why: test code may fail loudly
mod tests {
    use super::hex;

    #[test]
    fn standard_vectors() {
        // FIPS 180-4 examples and the NIST test vectors.
        assert_eq!(
            hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            hex(b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        );
        assert_eq!(
            hex(&vec![b'a'; 1_000_000]),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    #[test]
    fn every_padding_length() {
        // Lengths around the block and padding boundaries: 55 bytes is the longest message
        // whose padding (0x80 and the 8-byte length) fits in its last block, 56 the shortest
        // that needs one more; 64, 119/120 and 128 are the same boundaries one block on.
        // Expected digests from Python: hashlib.sha256(bytes(i * 7 % 251 for i in range(n))).
        let data: Vec<u8> = (0..300u32).map(|i| (i * 7 % 251) as u8).collect();
        for (n, want) in [
            (
                0,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                1,
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            ),
            (
                55,
                "8af594de0e003fdee5c8bb088216c824349b4137070f559574f4a4bddd27b714",
            ),
            (
                56,
                "db81bc2bfd43620591df192139062da77d4c376f1888ea3d2190bd07c8d901f9",
            ),
            (
                57,
                "4d95ad65f5ec430c9a97ae9243b87d4d6fa0c474288c93cecfbfe9257e711780",
            ),
            (
                63,
                "bd535b38bf0d0d1a09d370b7e34b2696cea3767801a45d5611a4aaa6954e8527",
            ),
            (
                64,
                "292be91abe8c0909fe3d26575af5755eee74d23816dc68c3ba41765136967654",
            ),
            (
                65,
                "ba65aedf7884642499a59ae124894611d986cf429e69f569488048af3a99e25a",
            ),
            (
                119,
                "d367ab298e74477421127b0b448667c37c006c636f5738f081c39388756e5fad",
            ),
            (
                120,
                "be7beb9c82089eb08da8fe6eb30c13b9d56869014e228a8c3eb0fdfe832efab2",
            ),
            (
                127,
                "770cba7b80c7615a327db5812ccd3f80895d801b587448fcd0b2c1a10f5c88a3",
            ),
            (
                128,
                "cb5311e1d7aa8e11d6af7081f3ffc3e4efa008c7483a1a791fe170bf37546ba7",
            ),
            (
                129,
                "b9e17b1020711e1a6f25633f677a750b3d54399773eb191acac2cb8c7c8b2541",
            ),
            (
                300,
                "6a4239d205133d8402a260719140095ed928157baf8617038b67217d5df2d788",
            ),
        ] {
            assert_eq!(hex(&data[..n]), want, "{n} bytes");
        }
        // 43 bytes: one block with the padding.
        assert_eq!(
            hex(b"The quick brown fox jumps over the lazy dog"),
            "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"
        );
    }
}
