//! Strings: case, trimming, searching, splitting and formatting.

use super::*;

pub(super) fn lower(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    string(go_case(&s_arg(args, 0, name, at)?, false), at)
}

pub(super) fn upper(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    string(go_case(&s_arg(args, 0, name, at)?, true), at)
}

pub(super) fn title(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let s = s_arg(args, 0, name, at)?;
    let mut out = String::with_capacity(s.len());
    // Go's strings.Title, as Terraform: a letter after a separator (anything but a
    // letter, digit or `_`) is upper-cased, one character for one.
    let mut start = true;
    for c in s.chars() {
        if start {
            out.push_str(&go_case(&c.to_string(), true));
        } else {
            out.push(c);
        }
        start = !(c.is_alphanumeric() || c == '_');
    }
    string(out, at)
}

pub(super) fn trimspace(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    string(s_arg(args, 0, name, at)?.trim(), at)
}

pub(super) fn chomp(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    string(s_arg(args, 0, name, at)?.trim_end_matches(['\n', '\r']), at)
}

pub(super) fn trim(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let s = s_arg(args, 0, name, at)?;
    let cut: Vec<char> = s_arg(args, 1, name, at)?.chars().collect();
    string(s.trim_matches(|c| cut.contains(&c)), at)
}

pub(super) fn trimprefix(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let s = s_arg(args, 0, name, at)?;
    let p = s_arg(args, 1, name, at)?;
    string(s.strip_prefix(p.as_str()).unwrap_or(&s), at)
}

pub(super) fn trimsuffix(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let s = s_arg(args, 0, name, at)?;
    let p = s_arg(args, 1, name, at)?;
    string(s.strip_suffix(p.as_str()).unwrap_or(&s), at)
}

pub(super) fn startswith(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    boolean(
        s_arg(args, 0, name, at)?.starts_with(&s_arg(args, 1, name, at)?),
        at,
    )
}

pub(super) fn endswith(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    boolean(
        s_arg(args, 0, name, at)?.ends_with(&s_arg(args, 1, name, at)?),
        at,
    )
}

pub(super) fn strcontains(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    boolean(
        s_arg(args, 0, name, at)?.contains(&s_arg(args, 1, name, at)?),
        at,
    )
}

pub(super) fn strrev(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    string(
        s_arg(args, 0, name, at)?.chars().rev().collect::<String>(),
        at,
    )
}

pub(super) fn substr(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let s: Vec<char> = s_arg(args, 0, name, at)?.chars().collect();
    let off = n_arg(args, 1, name, at)?;
    let len = n_arg(args, 2, name, at)?;
    let start = if off < 0.0 {
        (s.len() as f64 + off).max(0.0)
    } else {
        off
    } as usize;
    let start = start.min(s.len());
    let end = if len < 0.0 {
        s.len()
    } else {
        start.saturating_add(len as usize).min(s.len())
    };
    string(
        s.get(start..end).unwrap_or(&[]).iter().collect::<String>(),
        at,
    )
}

pub(super) fn replace(inst: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let s = s_arg(args, 0, name, at)?;
    let from = s_arg(args, 1, name, at)?;
    let to = s_arg(args, 2, name, at)?;
    // Terraform: a search string between slashes is a regular expression.
    if let Some(re) = from
        .strip_prefix('/')
        .and_then(|r| r.strip_suffix('/'))
        .filter(|_| from.len() > 1)
    {
        return crate::regexfn::regex_replace(inst, &s, re, &to, at);
    }
    if from.is_empty() {
        return string(s, at);
    }
    let grows = to.len().saturating_sub(from.len());
    if grows > 0
        && s.len() + s.matches(from.as_str()).count().saturating_mul(grows)
            > inst.limits().max_string
    {
        return fail(
            at,
            kijun_model::text!(
                "replace() の結果が文字列の大きさの上限を超えています",
                "replace() result exceeds the string size limit"
            ),
        );
    }
    string(s.replace(&from, &to), at)
}

pub(super) fn regex(inst: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    crate::regexfn::regex_first(
        inst,
        &s_arg(args, 0, name, at)?,
        &s_arg(args, 1, name, at)?,
        at,
    )
}

pub(super) fn regexall(inst: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    crate::regexfn::regex_all(
        inst,
        &s_arg(args, 0, name, at)?,
        &s_arg(args, 1, name, at)?,
        at,
    )
}

pub(super) fn split(inst: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let sep = s_arg(args, 0, name, at)?;
    let s = s_arg(args, 1, name, at)?;
    let pieces = if sep.is_empty() {
        s.chars().count()
    } else {
        s.matches(sep.as_str()).count() + 1
    };
    if pieces > inst.limits().max_collection {
        return fail(
            at,
            kijun_model::text!(
                "split() の結果が {pieces} 要素になり、コレクションの大きさの上限を超えます",
                "split() would produce {pieces} elements, over the collection size limit"
            ),
        );
    }
    if sep.is_empty() {
        return list(
            s.chars()
                .map(|c| Node::string(&c.to_string(), at))
                .collect(),
            at,
        );
    }
    list(
        s.split(sep.as_str()).map(|p| Node::string(p, at)).collect(),
        at,
    )
}

pub(super) fn join(inst: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let sep = s_arg(args, 0, name, at)?;
    let mut parts = Vec::new();
    let mut len = 0usize;
    for i in 1..args.len() {
        for x in l_arg(args, i, name, at)? {
            if x.is_unknown() {
                return Ok(Node { at, ..x.clone() });
            }
            match to_string_value(x) {
                Some(s) => {
                    len = len.saturating_add(s.len() + sep.len());
                    parts.push(s);
                }
                None => {
                    return fail(
                        x.at,
                        kijun_model::text!(
                            "join() には文字列のリストが必要です",
                            "join() needs a list of strings"
                        ),
                    )
                }
            }
            if len > inst.limits().max_string {
                return fail(
                    at,
                    kijun_model::text!(
                        "join() の結果が文字列の大きさの上限を超えています",
                        "join() result exceeds the string size limit"
                    ),
                );
            }
        }
    }
    string(parts.join(&sep), at)
}

pub(super) fn format(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let f = s_arg(args, 0, name, at)?;
    format_fn(&f, args.get(1..).unwrap_or(&[]), at)
}

pub(super) fn formatlist(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let f = s_arg(args, 0, name, at)?;
    let rest = args.get(1..).unwrap_or(&[]);
    let n = rest
        .iter()
        .filter_map(|a| a.as_list().map(|l| l.len()))
        .max();
    let Some(n) = n else {
        return list(vec![format_fn(&f, rest, at)?], at);
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let row: Vec<Node> = rest
            .iter()
            .map(|a| match a.as_list() {
                Some(l) => l
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| Node::new(Value::Null, at)),
                None => a.clone(),
            })
            .collect();
        out.push(format_fn(&f, &row, at)?);
    }
    list(out, at)
}

pub(super) fn indent(inst: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let n = n_arg(args, 0, name, at)? as usize;
    let s = s_arg(args, 1, name, at)?;
    let pad = " ".repeat(n.min(1024));
    if s.len() + s.matches('\n').count().saturating_mul(pad.len()) > inst.limits().max_string {
        return fail(
            at,
            kijun_model::text!(
                "indent() の結果が文字列の大きさの上限を超えています",
                "indent() result exceeds the string size limit"
            ),
        );
    }
    string(s.replace('\n', &format!("\n{pad}")), at)
}
