//! JSON, base64 and hashes of strings (the file variants are in `file_call`).

use super::*;

pub(super) fn jsonencode(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let a = arg(args, 0, name, at)?;
    // why: policy documents embed ARNs known only after apply; rendering those parts as
    // a placeholder keeps the literal parts (Principal, Effect, Condition) readable for
    // rules instead of losing the whole document.
    if contains_unknown(a) {
        return string(go_json(json_with_placeholders(a).to_string()), at);
    }
    string(go_json(a.to_json().to_string()), at)
}

pub(super) fn jsondecode(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let s = s_arg(args, 0, name, at)?;
    match serde_json::from_str::<serde_json::Value>(&s) {
        Ok(v) => {
            let mut n = from_json(&v, at, 0);
            // A document read from a file keeps pointing into the file, in every part.
            if let Some(p) = args.first().and_then(|a| a.from.clone()) {
                set_from(&mut n, &p);
            }
            Ok(n)
        }
        Err(e) => fail(
            at,
            kijun_model::text!(
                "jsondecode(): JSON として不正です（`{e}`）",
                "jsondecode(): {e}"
            ),
        ),
    }
}

/// `md5()`, `sha1()`, `sha256()`, `sha512()`, `base64sha256()`, `base64sha512()` of a string.
pub(super) fn digest(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let text = s_arg(args, 0, name, at)?;
    string(digest_of(name, text.as_bytes()), at)
}

pub(super) fn base64encode(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    string(
        crate::digest::base64(s_arg(args, 0, name, at)?.as_bytes()),
        at,
    )
}

pub(super) fn base64decode(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let text = s_arg(args, 0, name, at)?;
    match crate::digest::base64_decode(&text).map(String::from_utf8) {
        Some(Ok(s)) => string(s, at),
        Some(Err(_)) => fail(
            at,
            kijun_model::text!(
                "base64decode(): デコードしたバイト列が UTF-8 として不正です",
                "base64decode(): the decoded bytes are not valid UTF-8"
            ),
        ),
        None => fail(
            at,
            kijun_model::text!(
                "base64decode(): base64 として不正です",
                "base64decode(): invalid base64"
            ),
        ),
    }
}

/// The hex digest (`md5`, `sha1`, …) or base64 digest (`base64sha256`, …) a hash function
/// named `name` (with or without a `file` prefix) returns.
pub(super) fn digest_of(name: &str, bytes: &[u8]) -> String {
    use crate::digest as d;
    let name = name.strip_prefix("file").unwrap_or(name);
    match name {
        "md5" => d::hex(&d::md5(bytes)),
        "sha1" => d::hex(&d::sha1(bytes)),
        "sha256" => d::hex(&d::sha256(bytes)),
        "sha512" => d::hex(&d::sha512(bytes)),
        "base64sha256" => d::base64(&d::sha256(bytes)),
        "base64sha512" => d::base64(&d::sha512(bytes)),
        _ => d::base64(bytes),
    }
}
