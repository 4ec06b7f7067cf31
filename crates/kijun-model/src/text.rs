//! Bytes of a file as text: the one decision, shared by the CLI and the WASM module, of which
//! files are text and how they are decoded.
//!
//! - UTF-8, with or without a byte order mark (Windows editors and Azure's tools write one);
//! - UTF-16, little- or big-endian, with its byte order mark (Azure Stack writes parameter and
//!   settings files so; YAML 1.2 §5.2 and JSON's RFC 8259 §8.1 readers accept it);
//! - anything else holding a NUL byte is binary, and invalid UTF-8 is an error at its first byte.
//!
//! The byte order mark is not part of the text: positions (byte offsets into the decoded
//! UTF-8 text, and the lines and columns computed from them) count from the first character
//! after it, so a finding in a UTF-16 file points at the same line and column as an editor shows.

/// Why bytes are not text, where (an offset in the bytes as given), and as much of them as
/// could be decoded, for showing the place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undecodable {
    pub offset: u32,
    pub message: crate::Text,
    pub lossy: String,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The text of a file's bytes.
pub fn decode_text(bytes: Vec<u8>) -> Result<String, Undecodable> {
    if bytes.starts_with(UTF8_BOM) {
        let mut bytes = bytes;
        bytes.drain(..UTF8_BOM.len());
        return utf8(bytes, UTF8_BOM.len());
    }
    match bytes.get(..2) {
        Some([0xFF, 0xFE]) => return utf16(&bytes, u16::from_le_bytes),
        Some([0xFE, 0xFF]) => return utf16(&bytes, u16::from_be_bytes),
        _ => {}
    }
    utf8(bytes, 0)
}

fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn binary(at: usize, lossy: String) -> Undecodable {
    Undecodable {
        offset: offset(at),
        message: crate::text!(
            "バイナリファイルです（NUL バイトを含みます）。読み込みませんでした",
            "binary file (contains a NUL byte); not read"
        ),
        lossy,
    }
}

/// UTF-8 text; `skipped` bytes (a byte order mark) came before `bytes` in the file.
fn utf8(bytes: Vec<u8>, skipped: usize) -> Result<String, Undecodable> {
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        let lossy = String::from_utf8_lossy(bytes.get(..pos).unwrap_or(&[])).into_owned();
        return Err(binary(pos + skipped, lossy));
    }
    String::from_utf8(bytes).map_err(|e| {
        let pos = e.utf8_error().valid_up_to() + skipped;
        Undecodable {
            offset: offset(pos),
            message: crate::text!(
                "{pos} バイト目が UTF-8 として不正です。読み込みませんでした",
                "invalid UTF-8 at byte {pos}; not read"
            ),
            lossy: String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    })
}

/// UTF-16 after its two-byte byte order mark.
fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, Undecodable> {
    let body = bytes.get(2..).unwrap_or(&[]);
    let units = body.chunks(2).map(|c| match c {
        [a, b] => unit([*a, *b]),
        // why: an odd last byte cannot be a character; U+FFFD marks it, and it is an error below.
        _ => 0xFFFD,
    });
    let mut text = String::with_capacity(body.len() / 2);
    let mut at = 2;
    for c in char::decode_utf16(units) {
        match c {
            Ok('\0') => return Err(binary(at, text)),
            Ok(c) => {
                text.push(c);
                at += c.len_utf16() * 2;
            }
            Err(e) => {
                return Err(Undecodable {
                    offset: offset(at),
                    message: crate::text!(
                        "{at} バイト目が UTF-16 として不正です（対になっていないサロゲート {0}）。読み込みませんでした",
                        "invalid UTF-16 at byte {at} (unpaired surrogate {0}); not read",
                        format!("{:#06x}", e.unpaired_surrogate())
                    ),
                    lossy: text,
                })
            }
        }
    }
    if body.len() % 2 == 1 {
        let at = bytes.len() - 1;
        return Err(Undecodable {
            offset: offset(at),
            message: crate::text!(
                "{at} バイト目が UTF-16 として不正です（バイト数が奇数です）。読み込みませんでした",
                "invalid UTF-16 at byte {at} (an odd number of bytes); not read"
            ),
            lossy: text,
        });
    }
    Ok(text)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn utf16le(s: &str) -> Vec<u8> {
        let mut out = vec![0xFF, 0xFE];
        out.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    fn utf16be(s: &str) -> Vec<u8> {
        let mut out = vec![0xFE, 0xFF];
        out.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        out
    }

    const TEXT: &str = "{\r\n  \"名前\": \"値 😀\"\r\n}\r\n";

    #[test]
    fn utf8_with_and_without_a_byte_order_mark() {
        assert_eq!(decode_text(TEXT.into()).unwrap(), TEXT);
        let mut bom = UTF8_BOM.to_vec();
        bom.extend_from_slice(TEXT.as_bytes());
        assert_eq!(decode_text(bom).unwrap(), TEXT);
    }

    #[test]
    fn utf16_in_both_byte_orders() {
        assert_eq!(decode_text(utf16le(TEXT)).unwrap(), TEXT);
        assert_eq!(decode_text(utf16be(TEXT)).unwrap(), TEXT);
    }

    #[test]
    fn binary_and_invalid_input() {
        let e = decode_text(b"abc\0def".to_vec()).unwrap_err();
        assert_eq!((e.offset, e.lossy.as_str()), (3, "abc"));
        assert!(e.message.en.contains("binary"));
        let e = decode_text(b"ab\xFFc".to_vec()).unwrap_err();
        assert_eq!(e.offset, 2);
        assert!(e.message.en.contains("invalid UTF-8"));
        // A NUL character in UTF-16 text is binary too.
        let e = decode_text(utf16le("ab\0c")).unwrap_err();
        assert_eq!((e.offset, e.lossy.as_str()), (6, "ab"));
        // An unpaired surrogate and an odd byte.
        let mut bad = utf16le("ab");
        bad.extend([0x00, 0xD8, b'c', 0]);
        let e = decode_text(bad).unwrap_err();
        assert_eq!(e.offset, 6);
        assert!(e.message.en.contains("surrogate"), "{}", e.message.en);
        let mut odd = utf16le("ab");
        odd.push(b'c');
        let e = decode_text(odd).unwrap_err();
        assert_eq!(e.offset, 6);
    }
}
