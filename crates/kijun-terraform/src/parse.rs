//! Parsing `.tf` / `.tfvars` text into the IR, accepting everything Terraform accepts (the JSON
//! syntax is read by [`crate::json`]).

use crate::ir::{Block, Lower};
use kijun_model::{FileId, InputError, Origin};
use std::collections::HashMap;

/// At most this many duplicate object keys are worked around in one file; past that the file is
/// reported as unparsable (each work-around costs a re-parse).
const MAX_DUPLICATE_KEYS: usize = 64;

/// Parses a `.tf`, `.tfvars` (HCL) or `.tf.json`/`.tfvars.json` file.
pub fn parse_file(file: FileId, path: &str, text: &str) -> Result<Block, InputError> {
    if path.ends_with(".json") {
        crate::json::parse_json(file, text)
    } else {
        parse_hcl(file, text)
    }
}

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
                    message: kijun_model::text!(
                        "HCL の構文エラー: {0}",
                        "HCL syntax error: {0}",
                        syntax_message(e.message())
                    ),
                });
            }
        }
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// The first line of an hcl-edit syntax error (`invalid expression; expected `]` or `,``)
/// in both languages: the parser's vocabulary is small (a label, what it expected, a cause),
/// so each part is translated; an unknown label or expectation is kept as written, quoted.
pub(crate) fn syntax_message(message: &str) -> kijun_model::Text {
    let line = first_line(message);
    let mut ja = String::new();
    let mut rest = line;
    if let Some(r) = rest.strip_prefix("invalid ") {
        let (label, r) = r.split_once("; ").unwrap_or((r, ""));
        ja.push_str(&format!("{}が不正です。", syntax_word(label)));
        rest = r;
    }
    let (what, cause) = match rest.split_once("; ") {
        Some((w, c)) => (w, Some(c)),
        None => (rest, None),
    };
    if what == "unexpected token" {
        ja.push_str("予期しないトークンです");
    } else if let Some(list) = what.strip_prefix("expected ") {
        let items: Vec<String> = list
            .split(", ")
            .flat_map(|s| s.split(" or "))
            .map(syntax_word)
            .collect();
        let list = match items.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{}、または{last}", rest.join("、")),
            None => String::new(),
        };
        ja.push_str(&format!("{list}が必要です"));
    } else if !what.is_empty() {
        ja.push_str(&format!("「{what}」"));
    }
    if let Some(c) = cause {
        ja.push_str(&format!("（原因: 「{c}」）"));
    }
    kijun_model::Text::new(ja, line)
}

/// One word of hcl-edit's error vocabulary in Japanese; a character or keyword it quotes is
/// kept, an unknown word is quoted.
fn syntax_word(w: &str) -> String {
    let ja = match w {
        "expression" => "式",
        "block body" => "ブロック本体",
        "attribute" => "属性",
        "object item" => "オブジェクトの要素",
        "object value assignment" => "オブジェクトの値の代入",
        "structure" => "構造",
        "traversal operator" => "参照演算子",
        "binary operation" => "二項演算",
        "escape sequence" => "エスケープシーケンス",
        "unicode 4-digit hex code" => "4 桁の 16 進数の Unicode コード",
        "unicode 8-digit hex code" => "8 桁の 16 進数の Unicode コード",
        "nesting depth" => "入れ子の深さ",
        "digit" => "数字",
        "letter" => "英字",
        "identifier" => "識別子",
        "unsigned integer" => "符号なし整数",
        "heredoc end delimiter" => "ヒアドキュメントの終端",
        "eof" => "ファイルの終わり",
        "newline" => "改行",
        _ => return format!("`{}`", w.trim_matches(['\'', '`'])),
    };
    ja.to_string()
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
        assert!(e.message.en.starts_with("HCL syntax error"));
    }
}
