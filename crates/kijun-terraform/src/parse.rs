//! Parsing `.tf` / `.tfvars` text into the IR, accepting everything Terraform accepts.

use crate::ir::{Block, Lower};
use kijun_model::{FileId, InputError, Origin};
use std::collections::HashMap;

/// At most this many duplicate object keys are worked around in one file; past that the file is
/// reported as unparsable (each work-around costs a re-parse).
const MAX_DUPLICATE_KEYS: usize = 64;

pub fn parse_hcl(file: FileId, text: &str) -> Result<Block, InputError> {
    // why: Terraform skips a UTF-8 byte order mark; hcl-edit rejects it. Blanking it keeps every
    // byte offset valid for positions in the original text.
    let mut work: Option<String> = None;
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        work = Some(format!("   {rest}"));
    }
    let mut renamed: HashMap<usize, String> = HashMap::new();
    loop {
        let src = work.as_deref().unwrap_or(text);
        match hcl_edit::parser::parse_body(src) {
            Ok(body) => {
                let lower = Lower {
                    file,
                    renamed: &renamed,
                };
                let full = Origin::new(file, 0, text.len());
                return Ok(lower.body(&body, full));
            }
            Err(e) => {
                let offset = e.location().offset();
                // why: Terraform accepts duplicate keys in object expressions (the last one wins)
                // and published modules contain them; hcl-edit refuses them. Rename the later key
                // to a unique spelling of the same length, parse again, and give it its real name
                // back when lowering, where later keys overwrite earlier ones.
                if e.message().contains("redefined object key")
                    && renamed.len() < MAX_DUPLICATE_KEYS
                {
                    let owned = work.take().unwrap_or_else(|| text.to_string());
                    if let Some((fixed, key_start, real)) = rename_key_at(&owned, offset, &renamed)
                    {
                        renamed.insert(key_start, real);
                        work = Some(fixed);
                        continue;
                    }
                }
                return Err(InputError {
                    at: Origin::new(file, offset, offset),
                    message: format!("HCL syntax error: {}", first_line(e.message())),
                });
            }
        }
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// Finds the object key that starts at or after `offset` and rewrites its first character.
/// Returns the new text, the key's start offset (of the quote for quoted keys) and the key.
fn rename_key_at(
    text: &str,
    offset: usize,
    renamed: &HashMap<usize, String>,
) -> Option<(String, usize, String)> {
    let bytes = text.as_bytes();
    let mut i = offset.min(bytes.len());
    while i < bytes.len() && (bytes.get(i)?).is_ascii_whitespace() {
        i += 1;
    }
    let quoted = *bytes.get(i)? == b'"';
    let key_start = i;
    let name_start = if quoted { i + 1 } else { i };
    let mut j = name_start;
    while j < bytes.len() {
        let b = *bytes.get(j)?;
        let end = if quoted {
            b == b'"' || b == b'\\' || b == b'$'
        } else {
            !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        };
        if end {
            break;
        }
        j += 1;
    }
    if j == name_start {
        return None;
    }
    let real = text.get(name_start..j)?.to_string();
    let first = *bytes.get(name_start)?;
    if !first.is_ascii_alphabetic() && first != b'_' {
        return None;
    }
    // why: the replacement must not collide with another key of the same object; try letters
    // until the parser stops complaining about this position.
    for c in b'A'..=b'z' {
        if !c.is_ascii_alphabetic() || c == first {
            continue;
        }
        let mut candidate = text.as_bytes().to_vec();
        if let Some(slot) = candidate.get_mut(name_start) {
            *slot = c;
        }
        let Ok(s) = String::from_utf8(candidate) else {
            return None;
        };
        let collides = match hcl_edit::parser::parse_body(&s) {
            Ok(_) => false,
            Err(e) => {
                e.message().contains("redefined object key") && e.location().offset() == offset
            }
        };
        if !collides && !renamed.contains_key(&key_start) {
            return Some((s, key_start, real));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Expr;

    #[test]
    fn bom_is_accepted_and_offsets_kept() {
        let text = "\u{feff}a = 1\n";
        let b = parse_hcl(0, text).unwrap();
        assert_eq!(b.attrs[0].at.start, 3);
    }

    #[test]
    fn duplicate_object_keys_last_wins() {
        let text = "x = {\n  a = 1\n  b = 2\n  a = 3\n}\n";
        let b = parse_hcl(0, text).unwrap();
        let Expr::Object(items) = &b.attrs[0].expr.expr else {
            panic!()
        };
        let keys: Vec<String> = items
            .iter()
            .map(|(k, _)| match &k.expr {
                Expr::Str(s) => s.to_string(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(keys, vec!["a", "b", "a"]);
    }

    #[test]
    fn duplicate_quoted_keys() {
        let text = "x = {\n  \"a-b\" = 1\n  \"a-b\" = 3\n}\n";
        assert!(parse_hcl(0, text).is_ok());
    }

    #[test]
    fn syntax_error_has_offset() {
        let text = "resource \"a\" \"b\" {\n  x = \n}\n";
        let e = parse_hcl(0, text).unwrap_err();
        assert!(e.at.start > 0, "{e:?}");
        assert!(e.message.starts_with("HCL syntax error"));
    }
}
