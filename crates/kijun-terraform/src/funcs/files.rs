//! The file functions: `file()`, `templatefile()`, `fileexists()`, `fileset()` and the file
//! hashes.

use super::*;

/// A path argument of a file function as the scan names files: relative paths are relative to
/// the root module, where Terraform runs.
fn resolve(inst: &Instance, p: &str) -> String {
    if p.starts_with('/') {
        crate::paths::join("/", p)
    } else {
        crate::paths::join(&inst.root_dir, p)
    }
}

/// `file()`, `templatefile()`, `fileexists()`, `fileset()` and the file hashes, from the files
/// read ahead ([`crate::filefn`]).
pub(super) fn file_call(inst: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    use crate::access::ReadError;
    let p = s_arg(args, 0, name, at)?;
    if !inst.config.has_files() {
        return Ok(Node::unknown(
            kijun_model::text!(
                "{name}(\"{p}\") はファイルを読みますが、この検査ではファイルにアクセスできません",
                "{name}(\"{p}\") reads a file; this scan has no file access"
            ),
            at,
        ));
    }
    let key = resolve(inst, &p);
    if name == "fileset" {
        let pattern = s_arg(args, 1, name, at)?;
        return match inst.config.list_dir(&key) {
            None => Ok(Node::unknown(
                kijun_model::text!("fileset(\"{p}\"): ディレクトリ {key} は評価時に決まるため一覧を取得していません。評価していません", "fileset(\"{p}\"): the directory {key} is computed at evaluation time and was not listed; not evaluated"),
                at,
            )),
            Some(Err(ReadError::NotFound)) => list(Vec::new(), at),
            Some(Err(ReadError::Refused(why))) => Ok(Node::unknown(
                kijun_model::text!("fileset(\"{p}\"): {0}。評価していません", "fileset(\"{p}\"): {0}; not evaluated", why),
                at,
            )),
            Some(Ok(names)) => {
                let mut hits: Vec<&String> = names
                    .iter()
                    .filter(|n| crate::filefn::glob_match(&pattern, n))
                    .collect();
                hits.sort();
                list(hits.into_iter().map(|n| Node::string(n, at)).collect(), at)
            }
        };
    }
    let (id, bytes) = match inst.config.read_file(&key) {
        None => {
            return Ok(Node::unknown(
                kijun_model::text!("{name}(\"{p}\"): {key} は評価時に決まるため事前に読み込んでいません（ファイル関数が読むのは、設定がリテラルのパスで指定したファイルか、計算されるパスのうちリテラルのディレクトリの下にあるファイルです）。評価していません", "{name}(\"{p}\"): {key} is computed at evaluation time and was not read ahead (the file functions read files the configuration names by a literal path, or below the literal directory of a computed one); not evaluated"),
                at,
            ))
        }
        Some(Err(ReadError::NotFound)) if name == "fileexists" => return boolean(false, at),
        Some(Err(ReadError::NotFound)) => {
            return fail(at, kijun_model::text!("{name}(): {key} にファイルがありません", "{name}(): no file exists at {key}"))
        }
        Some(Err(ReadError::Refused(why))) => {
            return Ok(Node::unknown(kijun_model::text!("{name}(): {0}。評価していません", "{name}(): {0}; not evaluated", why), at))
        }
        Some(Ok((id, bytes))) => (*id, bytes.clone()),
    };
    let whole = Origin::new(id, 0, bytes.len());
    let from = |mut n: Node| {
        n.from = Some(Arc::new(kijun_model::Provenance {
            via: format!("{name}(\"{p}\")"),
            at: whole,
        }));
        Ok(n)
    };
    let text = || {
        match std::str::from_utf8(&bytes) {
        Ok(t) => Ok(t),
        Err(_) => fail(
            at,
            kijun_model::text!("{name}(): {key} の内容が UTF-8 として不正です。バイナリファイルには filebase64() を使ってください", "{name}(): the contents of {key} are not valid UTF-8; use filebase64() for binary files"),
        ),
    }
    };
    match name {
        "fileexists" => boolean(true, at),
        "file" => from(Node::new(Value::String(Arc::from(text()?)), whole)),
        "templatefile" => {
            let vars = arg(args, 1, name, at)?;
            let mut b = Binds::default();
            match &vars.value {
                Value::Object(m) => {
                    for (k, v) in m.iter() {
                        b.push(k, v.clone());
                    }
                }
                _ => {
                    return fail(
                        vars.at,
                        kijun_model::text!(
                            "templatefile() には変数のオブジェクトが必要です（実際は {}）",
                            "templatefile() needs an object of variables, not {}",
                            vars.display()
                        ),
                    )
                }
            }
            let src = text()?;
            let t = match hcl_edit::parser::parse_template(src) {
                Ok(t) => t,
                Err(e) => {
                    let off = e.location().offset();
                    return fail(
                        Origin::new(id, off, off),
                        kijun_model::text!(
                            "templatefile(): {key} のテンプレートに構文エラーがあります: {0}",
                            "templatefile(): template syntax error in {key}: {0}",
                            crate::parse::syntax_message(e.message())
                        ),
                    );
                }
            };
            let renamed = std::collections::HashMap::new();
            let parts = crate::ir::Lower {
                file: id,
                renamed: &renamed,
            }
            .template_parts(&t);
            let v = inst.render_template(&parts, &b, whole)?;
            if v.is_unknown() {
                return Ok(Node { at, ..v });
            }
            match to_string_value(&v) {
                Some(s) => from(Node::new(Value::String(Arc::from(s)), whole)),
                None => fail(
                    at,
                    kijun_model::text!(
                        "templatefile(): {key} のテンプレートが文字列になりませんでした",
                        "templatefile(): the template of {key} did not produce a string"
                    ),
                ),
            }
        }
        _ => from(Node::new(
            Value::String(Arc::from(encoding::digest_of(name, &bytes))),
            whole,
        )),
    }
}
