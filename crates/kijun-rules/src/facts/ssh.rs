//! What an OpenSSH public key line (`ssh-rsa AAAA… comment`, RFC 4253 §6.6) says about its
//! algorithm and size: the key type, and for RSA the modulus length read from the key itself.

/// An OpenSSH public key, as far as the strength judgement needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SshKey {
    /// The key type of the line (`ssh-rsa`, `ssh-ed25519`, `ecdsa-sha2-nistp256`, …).
    pub key_type: String,
    /// The RSA modulus length in bits, when the key is RSA and its blob reads as one.
    pub rsa_bits: Option<u32>,
}

/// Reads a public key line; `None` when the text is not one (a placeholder, a file path). An
/// `authorized_keys` line may start with options; the key type is the first field that looks
/// like one.
pub fn parse(line: &str) -> Option<SshKey> {
    let mut fields = line.split_whitespace().skip_while(|f| !looks_like_type(f));
    let key_type = fields.next()?.to_string();
    let blob = fields.next().and_then(base64);
    // The blob repeats the key type; a line whose blob disagrees is not trusted for a size.
    let rsa_bits = match (&key_type[..], blob) {
        ("ssh-rsa", Some(b)) => rsa_modulus_bits(&b),
        _ => None,
    };
    Some(SshKey { key_type, rsa_bits })
}

fn looks_like_type(f: &str) -> bool {
    f.starts_with("ssh-") || f.starts_with("ecdsa-sha2-") || f.starts_with("sk-")
}

/// The modulus of an `ssh-rsa` blob: string "ssh-rsa", mpint e, mpint n (RFC 4253 §6.6).
fn rsa_modulus_bits(blob: &[u8]) -> Option<u32> {
    let mut rest = blob;
    let name = field(&mut rest)?;
    if name != b"ssh-rsa" {
        return None;
    }
    let _exponent = field(&mut rest)?;
    let modulus = field(&mut rest)?;
    // An mpint is big-endian two's complement: a leading zero byte keeps a positive number
    // whose top bit is set from reading as negative.
    let significant: Vec<u8> = modulus.iter().copied().skip_while(|b| *b == 0).collect();
    let top = significant.first()?;
    let bytes = u32::try_from(significant.len()).ok()?;
    bytes.checked_mul(8)?.checked_sub(top.leading_zeros())
}

/// One length-prefixed field (uint32 length, then the bytes).
fn field<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let (len, after) = rest.split_first_chunk::<4>()?;
    let len = u32::from_be_bytes(*len) as usize;
    let value = after.get(..len)?;
    *rest = after.get(len..)?;
    Some(value)
}

/// Standard base64 with padding, as OpenSSH writes key blobs.
fn base64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // why: test code may fail loudly
    use super::*;

    /// An `ssh-rsa` line whose modulus has `bits` bits (the top bit set, as key generators
    /// make them), encoded the way OpenSSH writes it.
    fn rsa_line(bits: usize) -> String {
        let mut blob = Vec::new();
        let mut put = |bytes: &[u8]| {
            blob.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
            blob.extend_from_slice(bytes);
        };
        put(b"ssh-rsa");
        put(&[1, 0, 1]);
        let mut n = vec![0u8];
        n.push(0x80 | 0x35);
        n.extend(vec![0xa7u8; bits / 8 - 1]);
        put(&n);
        format!("ssh-rsa {} user@host", encode(&blob))
    }

    fn encode(bytes: &[u8]) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut s = String::new();
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    s.push('=');
                }
            }
        }
        s
    }

    #[test]
    fn the_rsa_size_is_read_from_the_key_itself() {
        for bits in [1024, 2048, 3072, 4096] {
            let key = parse(&rsa_line(bits)).unwrap();
            assert_eq!(key.key_type, "ssh-rsa");
            assert_eq!(key.rsa_bits, Some(bits as u32), "{bits}");
        }
        // authorized_keys options before the key type.
        let line = format!("from=\"10.0.0.0/8\",no-pty {}", rsa_line(2048));
        assert_eq!(parse(&line).unwrap().rsa_bits, Some(2048));
    }

    #[test]
    fn other_types_and_non_keys() {
        let ed = parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx1 me").unwrap();
        assert_eq!(ed.key_type, "ssh-ed25519");
        assert_eq!(ed.rsa_bits, None);
        assert_eq!(
            parse("ecdsa-sha2-nistp384 AAAA").unwrap().key_type,
            "ecdsa-sha2-nistp384"
        );
        assert_eq!(
            parse("ssh-dss AAAAB3NzaC1kc3M=").unwrap().key_type,
            "ssh-dss"
        );
        // A truncated or corrupt RSA blob gives the type without a size.
        assert_eq!(parse("ssh-rsa AAAAB3Nza").unwrap().rsa_bits, None);
        assert_eq!(parse("ssh-rsa !!!").unwrap().rsa_bits, None);
        assert_eq!(parse("<ssh_public_key>"), None);
        assert_eq!(parse("~/.ssh/id_rsa.pub"), None);
        assert_eq!(parse(""), None);
    }
}
