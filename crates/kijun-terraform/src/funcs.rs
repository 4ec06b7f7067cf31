//! Terraform's built-in functions, as far as a static scan can compute them. Functions that
//! read files, the clock or randomness return unknown: the core does no I/O and has no clock.

use crate::eval::{fail, first_unknown, to_string_value, values_equal, Binds, Fail, R};
use crate::ir::E;
use crate::module::Instance;
use kijun_model::{format_number, Node, Origin, Value};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

fn list(v: Vec<Node>, at: Origin) -> R {
    Ok(Node::new(Value::List(v), at))
}
fn string(s: impl Into<Arc<str>>, at: Origin) -> R {
    Ok(Node::new(Value::String(s.into()), at))
}
fn number(n: f64, at: Origin) -> R {
    Ok(Node::new(Value::Number(n), at))
}
fn boolean(b: bool, at: Origin) -> R {
    Ok(Node::new(Value::Bool(b), at))
}

fn arg<'a>(
    args: &'a [Node],
    i: usize,
    name: &str,
    at: Origin,
) -> Result<&'a Node, crate::eval::Fail> {
    match args.get(i) {
        Some(a) => Ok(a),
        None => fail(
            at,
            kijun_model::text!(
                "{name}() の引数が足りません",
                "{name}() needs more arguments"
            ),
        ),
    }
}

fn s_arg(args: &[Node], i: usize, name: &str, at: Origin) -> Result<String, crate::eval::Fail> {
    let a = arg(args, i, name, at)?;
    match to_string_value(a) {
        Some(s) => Ok(s),
        None => fail(
            a.at,
            kijun_model::text!(
                "{name}() には文字列が必要です（実際は {}）",
                "{name}() needs a string, not {}",
                a.display()
            ),
        ),
    }
}

fn n_arg(args: &[Node], i: usize, name: &str, at: Origin) -> Result<f64, crate::eval::Fail> {
    let a = arg(args, i, name, at)?;
    match a.as_f64() {
        Some(n) => Ok(n),
        None => fail(
            a.at,
            kijun_model::text!(
                "{name}() には数値が必要です（実際は {}）",
                "{name}() needs a number, not {}",
                a.display()
            ),
        ),
    }
}

fn l_arg<'a>(
    args: &'a [Node],
    i: usize,
    name: &str,
    at: Origin,
) -> Result<&'a [Node], crate::eval::Fail> {
    let a = arg(args, i, name, at)?;
    match &a.value {
        Value::List(v) => Ok(v),
        _ => fail(
            a.at,
            kijun_model::text!(
                "{name}() にはリストが必要です（実際は {}）",
                "{name}() needs a list, not {}",
                a.display()
            ),
        ),
    }
}

fn o_arg<'a>(
    args: &'a [Node],
    i: usize,
    name: &str,
    at: Origin,
) -> Result<&'a kijun_model::Map, crate::eval::Fail> {
    let a = arg(args, i, name, at)?;
    match &a.value {
        Value::Object(m) => Ok(m),
        _ => fail(
            a.at,
            kijun_model::text!(
                "{name}() には map かオブジェクトが必要です（実際は {}）",
                "{name}() needs a map or object, not {}",
                a.display()
            ),
        ),
    }
}

/// A scalar's identity for hashing: two scalars have equal keys exactly when `values_equal`
/// says they are equal. Lists, objects, unknowns and NaN have none and are compared pairwise.
#[derive(Hash, PartialEq, Eq)]
enum Key<'a> {
    Null,
    Bool(bool),
    Num(u64),
    Str(&'a str),
}

fn key(n: &Node) -> Option<Key<'_>> {
    match &n.value {
        Value::Null => Some(Key::Null),
        Value::Bool(b) => Some(Key::Bool(*b)),
        Value::Number(x) if x.is_nan() => None,
        // why: 0.0 and -0.0 are equal numbers with different bits.
        Value::Number(x) if *x == 0.0 => Some(Key::Num(0)),
        Value::Number(x) => Some(Key::Num(x.to_bits())),
        Value::String(s) => Some(Key::Str(s)),
        _ => None,
    }
}

/// Pays for comparing every element of one list with every element of another, when they
/// cannot be hashed: a set of a million objects must not stall the scan.
fn charge_pairs(inst: &Instance, a: &[Node], b: &[Node], at: Origin) -> Result<(), Fail> {
    inst.charge((a.len() as u64).saturating_mul(b.len() as u64) / 8, at)
}

/// The list without later duplicates, in order.
fn dedup(inst: &Instance, v: Vec<Node>, at: Origin) -> Result<Vec<Node>, Fail> {
    if v.iter().all(|x| key(x).is_some()) {
        let mut seen = HashSet::new();
        let keep: Vec<bool> = v.iter().map(|x| seen.insert(key(x))).collect();
        return Ok(v
            .into_iter()
            .zip(keep)
            .filter_map(|(x, k)| k.then_some(x))
            .collect());
    }
    charge_pairs(inst, &v, &v, at)?;
    let mut out: Vec<Node> = Vec::with_capacity(v.len());
    for x in v {
        if !out.iter().any(|y| values_equal(&y.value, &x.value)) {
            out.push(x);
        }
    }
    Ok(out)
}

/// The elements of `a` that are (`keep`) or are not (`!keep`) in `b`.
fn filter_in(
    inst: &Instance,
    a: Vec<Node>,
    b: &[Node],
    keep: bool,
    at: Origin,
) -> Result<Vec<Node>, Fail> {
    if a.iter().chain(b).all(|x| key(x).is_some()) {
        let set: HashSet<Key<'_>> = b.iter().filter_map(key).collect();
        let hit: Vec<bool> = a
            .iter()
            .map(|x| key(x).is_some_and(|k| set.contains(&k)))
            .collect();
        return Ok(a
            .into_iter()
            .zip(hit)
            .filter_map(|(x, h)| (h == keep).then_some(x))
            .collect());
    }
    charge_pairs(inst, &a, b, at)?;
    Ok(a.into_iter()
        .filter(|x| b.iter().any(|y| values_equal(&x.value, &y.value)) == keep)
        .collect())
}

pub fn call(inst: &Instance, name: &str, exprs: &[E], expand: bool, b: &Binds, at: Origin) -> R {
    // try() and can() see failures instead of propagating them.
    match name {
        "try" => {
            let mut last = None;
            for e in exprs {
                match inst.eval(e, b) {
                    Ok(v) => return Ok(v),
                    Err(f) => last = Some(f),
                }
            }
            return Err(last.unwrap_or(crate::eval::Fail {
                message: kijun_model::text!("try() には引数が必要です", "try() needs arguments")
                    .into(),
                at,
            }));
        }
        "can" => {
            let Some(e) = exprs.first() else {
                return fail(
                    at,
                    kijun_model::text!("can() には引数が必要です", "can() needs an argument"),
                );
            };
            return match inst.eval(e, b) {
                Ok(v) if v.is_unknown() => Ok(Node { at, ..v }),
                Ok(_) => boolean(true, at),
                Err(_) => boolean(false, at),
            };
        }
        _ => {}
    }
    let mut args = Vec::with_capacity(exprs.len());
    for e in exprs {
        args.push(inst.eval(e, b)?);
    }
    if expand {
        if let Some(last) = args.pop() {
            match last.value {
                Value::List(v) => args.extend(v),
                Value::Unknown(_) => return Ok(Node { at, ..last }),
                _ => {
                    return fail(
                        last.at,
                        kijun_model::text!("`...` にはリストが必要です", "`...` needs a list"),
                    )
                }
            }
        }
    }
    // Functions that tolerate unknown elements decide for themselves; for the rest an unknown
    // argument makes the result unknown.
    let tolerant = matches!(
        name,
        "coalesce"
            | "merge"
            | "concat"
            | "length"
            | "tolist"
            | "toset"
            | "tomap"
            | "flatten"
            | "compact"
            | "lookup"
            | "element"
            | "jsonencode"
    );
    if !tolerant {
        let refs: Vec<&Node> = args.iter().collect();
        if let Some(u) = first_unknown(&refs, at) {
            return Ok(u);
        }
    }
    // why: a value computed from a file's content (`trimspace(file(…))`) still came from the
    // file: its provenance keeps pointing into it.
    let file_from = args
        .iter()
        .filter_map(|a| a.from.as_ref())
        .find(|p| {
            crate::filefn::FILE_FUNCTIONS
                .iter()
                .any(|f| p.via.starts_with(f) && p.via.get(f.len()..f.len() + 1) == Some("("))
        })
        .cloned();
    let mut r = apply(inst, name, args, at)?;
    if r.from.is_none() && !r.is_unknown() {
        r.from = file_from;
    }
    Ok(r)
}

/// A built-in function applied to evaluated arguments.
fn apply(inst: &Instance, name: &str, args: Vec<Node>, at: Origin) -> R {
    let max = inst.limits().max_collection;
    match name {
        // Numbers.
        "abs" => number(n_arg(&args, 0, name, at)?.abs(), at),
        "ceil" => number(n_arg(&args, 0, name, at)?.ceil(), at),
        "floor" => number(n_arg(&args, 0, name, at)?.floor(), at),
        "signum" => {
            // Terraform converts to a whole number first: signum(0) is 0, a fraction fails.
            let x = n_arg(&args, 0, name, at)?;
            if x.fract() != 0.0 {
                return fail(
                    at,
                    kijun_model::text!(
                        "signum() には整数が必要です",
                        "signum() needs a whole number"
                    ),
                );
            }
            number(if x == 0.0 { 0.0 } else { x.signum() }, at)
        }
        "pow" => number(
            n_arg(&args, 0, name, at)?.powf(n_arg(&args, 1, name, at)?),
            at,
        ),
        "log" => number(
            n_arg(&args, 0, name, at)?.log(n_arg(&args, 1, name, at)?),
            at,
        ),
        "max" | "min" => {
            let mut ns = Vec::new();
            for i in 0..args.len() {
                ns.push(n_arg(&args, i, name, at)?);
            }
            let r = if name == "max" {
                ns.into_iter().fold(f64::NEG_INFINITY, f64::max)
            } else {
                ns.into_iter().fold(f64::INFINITY, f64::min)
            };
            if r.is_infinite() {
                return fail(
                    at,
                    kijun_model::text!(
                        "{name}() には数値が 1 つ以上必要です",
                        "{name}() needs at least one number"
                    ),
                );
            }
            number(r, at)
        }
        "parseint" => {
            let s = s_arg(&args, 0, name, at)?;
            let base = n_arg(&args, 1, name, at)? as u32;
            if !(2..=62).contains(&base) {
                return fail(
                    at,
                    kijun_model::text!(
                        "parseint() の基数は 2 から 62 まででなければなりません",
                        "parseint() base must be between 2 and 62"
                    ),
                );
            }
            match i64::from_str_radix(&s, base.min(36)) {
                Ok(v) => number(v as f64, at),
                Err(_) => fail(
                    at,
                    kijun_model::text!(
                        "\"{s}\" を {base} 進数として解釈できません",
                        "cannot parse \"{s}\" in base {base}"
                    ),
                ),
            }
        }
        // Strings.
        "lower" => string(go_case(&s_arg(&args, 0, name, at)?, false), at),
        "upper" => string(go_case(&s_arg(&args, 0, name, at)?, true), at),
        "title" => {
            let s = s_arg(&args, 0, name, at)?;
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
        "trimspace" => string(s_arg(&args, 0, name, at)?.trim(), at),
        "chomp" => string(
            s_arg(&args, 0, name, at)?.trim_end_matches(['\n', '\r']),
            at,
        ),
        "trim" => {
            let s = s_arg(&args, 0, name, at)?;
            let cut: Vec<char> = s_arg(&args, 1, name, at)?.chars().collect();
            string(s.trim_matches(|c| cut.contains(&c)), at)
        }
        "trimprefix" => {
            let s = s_arg(&args, 0, name, at)?;
            let p = s_arg(&args, 1, name, at)?;
            string(s.strip_prefix(p.as_str()).unwrap_or(&s), at)
        }
        "trimsuffix" => {
            let s = s_arg(&args, 0, name, at)?;
            let p = s_arg(&args, 1, name, at)?;
            string(s.strip_suffix(p.as_str()).unwrap_or(&s), at)
        }
        "startswith" => boolean(
            s_arg(&args, 0, name, at)?.starts_with(&s_arg(&args, 1, name, at)?),
            at,
        ),
        "endswith" => boolean(
            s_arg(&args, 0, name, at)?.ends_with(&s_arg(&args, 1, name, at)?),
            at,
        ),
        "strcontains" => boolean(
            s_arg(&args, 0, name, at)?.contains(&s_arg(&args, 1, name, at)?),
            at,
        ),
        "strrev" => string(
            s_arg(&args, 0, name, at)?.chars().rev().collect::<String>(),
            at,
        ),
        "substr" => {
            let s: Vec<char> = s_arg(&args, 0, name, at)?.chars().collect();
            let off = n_arg(&args, 1, name, at)?;
            let len = n_arg(&args, 2, name, at)?;
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
        "replace" => {
            let s = s_arg(&args, 0, name, at)?;
            let from = s_arg(&args, 1, name, at)?;
            let to = s_arg(&args, 2, name, at)?;
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
        "regex" => crate::regexfn::regex_first(
            inst,
            &s_arg(&args, 0, name, at)?,
            &s_arg(&args, 1, name, at)?,
            at,
        ),
        "regexall" => crate::regexfn::regex_all(
            inst,
            &s_arg(&args, 0, name, at)?,
            &s_arg(&args, 1, name, at)?,
            at,
        ),
        "split" => {
            let sep = s_arg(&args, 0, name, at)?;
            let s = s_arg(&args, 1, name, at)?;
            let pieces = if sep.is_empty() {
                s.chars().count()
            } else {
                s.matches(sep.as_str()).count() + 1
            };
            if pieces > inst.limits().max_collection {
                return fail(
                    at,
                    kijun_model::text!("split() の結果が {pieces} 要素になり、コレクションの大きさの上限を超えます", "split() would produce {pieces} elements, over the collection size limit"
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
        "join" => {
            let sep = s_arg(&args, 0, name, at)?;
            let mut parts = Vec::new();
            let mut len = 0usize;
            for i in 1..args.len() {
                for x in l_arg(&args, i, name, at)? {
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
        "format" => {
            let f = s_arg(&args, 0, name, at)?;
            format_fn(&f, args.get(1..).unwrap_or(&[]), at)
        }
        "formatlist" => {
            let f = s_arg(&args, 0, name, at)?;
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
        "indent" => {
            let n = n_arg(&args, 0, name, at)? as usize;
            let s = s_arg(&args, 1, name, at)?;
            let pad = " ".repeat(n.min(1024));
            if s.len() + s.matches('\n').count().saturating_mul(pad.len())
                > inst.limits().max_string
            {
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
        "tostring" => {
            let a = arg(&args, 0, name, at)?;
            if a.is_null() {
                return Ok(a.clone());
            }
            match to_string_value(a) {
                Some(s) => string(s, at),
                None => fail(
                    a.at,
                    kijun_model::text!(
                        "{} を文字列に変換できません",
                        "cannot convert {} to a string",
                        a.display()
                    ),
                ),
            }
        }
        "tonumber" => {
            let a = arg(&args, 0, name, at)?;
            if a.is_null() {
                return Ok(a.clone());
            }
            match a.as_f64() {
                Some(n) => number(n, at),
                None => fail(
                    a.at,
                    kijun_model::text!(
                        "{} を数値に変換できません",
                        "cannot convert {} to a number",
                        a.display()
                    ),
                ),
            }
        }
        "tobool" => {
            let a = arg(&args, 0, name, at)?;
            if a.is_null() {
                return Ok(a.clone());
            }
            match a.as_bool() {
                Some(x) => boolean(x, at),
                None => fail(
                    a.at,
                    kijun_model::text!(
                        "{} を bool に変換できません",
                        "cannot convert {} to a bool",
                        a.display()
                    ),
                ),
            }
        }
        // Collections.
        "length" => {
            let a = arg(&args, 0, name, at)?;
            match &a.value {
                Value::List(v) => number(v.len() as f64, at),
                Value::Object(m) => number(m.len() as f64, at),
                Value::String(s) => number(s.chars().count() as f64, at),
                Value::Unknown(_) => Ok(Node { at, ..a.clone() }),
                _ => fail(
                    a.at,
                    kijun_model::text!(
                        "{} に length() は使えません",
                        "length() of {}",
                        a.display()
                    ),
                ),
            }
        }
        "tolist" | "toset" => {
            let a = arg(&args, 0, name, at)?;
            match &a.value {
                Value::List(v) => {
                    let v = unify_primitives(v.clone());
                    let v = if name == "toset" {
                        set_order(dedup(inst, v, at)?)
                    } else {
                        v
                    };
                    list(v, at)
                }
                Value::Null | Value::Unknown(_) => Ok(a.clone()),
                _ => fail(
                    a.at,
                    kijun_model::text!(
                        "{} をリストに変換できません",
                        "cannot convert {} to a list",
                        a.display()
                    ),
                ),
            }
        }
        "tomap" => {
            let a = arg(&args, 0, name, at)?;
            match &a.value {
                Value::Object(m) => {
                    let (keys, vals): (Vec<_>, Vec<_>) =
                        m.iter().map(|(k, v)| (k.clone(), v.clone())).unzip();
                    let vals = unify_primitives(vals);
                    let m: kijun_model::Map = keys.into_iter().zip(vals).collect();
                    Ok(Node {
                        value: Value::Object(m),
                        ..a.clone()
                    })
                }
                Value::Null | Value::Unknown(_) => Ok(Node { at, ..a.clone() }),
                _ => fail(
                    a.at,
                    kijun_model::text!(
                        "{} を map に変換できません",
                        "cannot convert {} to a map",
                        a.display()
                    ),
                ),
            }
        }
        "concat" => {
            let mut out = Vec::new();
            for a in &args {
                match &a.value {
                    Value::List(v) => out.extend(v.iter().cloned()),
                    Value::Unknown(_) => return Ok(Node { at, ..a.clone() }),
                    _ => {
                        return fail(
                            a.at,
                            kijun_model::text!(
                                "concat() にはリストが必要です",
                                "concat() needs lists"
                            ),
                        )
                    }
                }
                if out.len() > max {
                    return fail(
                        at,
                        kijun_model::text!(
                            "concat() の結果がコレクションの大きさの上限を超えています",
                            "concat() result is over the collection size limit"
                        ),
                    );
                }
            }
            list(out, at)
        }
        "merge" => {
            let mut out: kijun_model::Map = kijun_model::Map::new();
            for a in &args {
                match &a.value {
                    Value::Object(m) => out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
                    Value::Null => {}
                    Value::Unknown(_) => return Ok(Node { at, ..a.clone() }),
                    _ => {
                        return fail(
                            a.at,
                            kijun_model::text!(
                                "merge() には map かオブジェクトが必要です",
                                "merge() needs maps or objects"
                            ),
                        )
                    }
                }
            }
            Ok(Node::new(Value::Object(out), at))
        }
        "coalesce" => {
            for a in &args {
                match &a.value {
                    Value::Null => continue,
                    Value::String(s) if s.is_empty() => continue,
                    _ => return Ok(a.clone()),
                }
            }
            fail(
                at,
                kijun_model::text!(
                    "coalesce(): null でも空でもない引数がありません",
                    "coalesce(): no non-null, non-empty argument"
                ),
            )
        }
        "coalescelist" => {
            for a in &args {
                if let Value::List(v) = &a.value {
                    if !v.is_empty() {
                        return Ok(a.clone());
                    }
                }
            }
            list(Vec::new(), at)
        }
        "compact" => {
            let mut out = Vec::new();
            for x in l_arg(&args, 0, name, at)? {
                match &x.value {
                    Value::Null => {}
                    Value::String(s) if s.is_empty() => {}
                    _ => out.push(x.clone()),
                }
            }
            list(out, at)
        }
        "contains" => {
            let l = l_arg(&args, 0, name, at)?;
            let v = arg(&args, 1, name, at)?;
            boolean(l.iter().any(|x| values_equal(&x.value, &v.value)), at)
        }
        "distinct" => list(dedup(inst, l_arg(&args, 0, name, at)?.to_vec(), at)?, at),
        "element" => {
            let l = l_arg(&args, 0, name, at)?;
            let i = n_arg(&args, 1, name, at)?;
            if l.is_empty() {
                return fail(
                    at,
                    kijun_model::text!(
                        "空のリストに element() は使えません",
                        "element() of an empty list"
                    ),
                );
            }
            let idx = (i.max(0.0) as usize) % l.len();
            Ok(l.get(idx)
                .cloned()
                .unwrap_or_else(|| Node::new(Value::Null, at)))
        }
        "index" => {
            let l = l_arg(&args, 0, name, at)?;
            let v = arg(&args, 1, name, at)?;
            match l.iter().position(|x| values_equal(&x.value, &v.value)) {
                Some(i) => number(i as f64, at),
                None => fail(
                    at,
                    kijun_model::text!(
                        "index(): 値がリストにありません",
                        "index(): value not in the list"
                    ),
                ),
            }
        }
        "flatten" => {
            fn flat(v: &[Node], out: &mut Vec<Node>, depth: u32) -> bool {
                if depth > 64 {
                    return false;
                }
                for x in v {
                    match &x.value {
                        Value::List(inner) => {
                            if !flat(inner, out, depth + 1) {
                                return false;
                            }
                        }
                        _ => out.push(x.clone()),
                    }
                }
                true
            }
            let a = arg(&args, 0, name, at)?;
            if a.is_unknown() {
                return Ok(a.clone());
            }
            let mut out = Vec::new();
            if !flat(l_arg(&args, 0, name, at)?, &mut out, 0) {
                return fail(
                    at,
                    kijun_model::text!(
                        "flatten(): 入れ子が深すぎます",
                        "flatten(): nested too deeply"
                    ),
                );
            }
            list(out, at)
        }
        "keys" => list(
            o_arg(&args, 0, name, at)?
                .iter()
                .map(|(k, v)| Node::new(Value::String(k.clone()), v.at))
                .collect(),
            at,
        ),
        "values" => list(o_arg(&args, 0, name, at)?.values().cloned().collect(), at),
        "lookup" => {
            let a = arg(&args, 0, name, at)?;
            if a.is_unknown() {
                return Ok(Node { at, ..a.clone() });
            }
            let m = o_arg(&args, 0, name, at)?;
            let k = s_arg(&args, 1, name, at)?;
            match m.get(k.as_str()) {
                Some(v) => Ok(v.clone()),
                None => match args.get(2) {
                    Some(d) => Ok(d.clone()),
                    None => fail(
                        at,
                        kijun_model::text!(
                            "lookup(): キー \"{k}\" がなく、既定値もありません",
                            "lookup(): no key \"{k}\" and no default"
                        ),
                    ),
                },
            }
        }
        "zipmap" => {
            let ks = l_arg(&args, 0, name, at)?;
            let vs = l_arg(&args, 1, name, at)?;
            let mut m = BTreeMap::new();
            for (k, v) in ks.iter().zip(vs) {
                if let Some(s) = to_string_value(k) {
                    m.insert(Arc::from(s), v.clone());
                }
            }
            Ok(Node::new(Value::Object(m.into()), at))
        }
        "range" => {
            let ns: Vec<f64> = (0..args.len())
                .map(|i| n_arg(&args, i, name, at))
                .collect::<Result<_, _>>()?;
            let (start, end, step) = match ns.as_slice() {
                [e] => (0.0, *e, 1.0),
                [s, e] => (*s, *e, if e >= s { 1.0 } else { -1.0 }),
                [s, e, st] => (*s, *e, *st),
                _ => {
                    return fail(
                        at,
                        kijun_model::text!(
                            "range() の引数は 1 個から 3 個の数値です",
                            "range() takes one to three numbers"
                        ),
                    )
                }
            };
            if step == 0.0 || (end - start) / step < 0.0 {
                return if step == 0.0 {
                    fail(
                        at,
                        kijun_model::text!(
                            "range(): step は 0 以外でなければなりません",
                            "range(): step must not be zero"
                        ),
                    )
                } else {
                    list(Vec::new(), at)
                };
            }
            let count = ((end - start) / step).ceil();
            if count > max as f64 {
                return fail(
                    at,
                    kijun_model::text!("range() の結果が {} 要素になり、コレクションの大きさの上限 {max} を超えます", "range() would produce {} elements, over the collection size limit of {max}", format_number(count)),
                );
            }
            list(
                (0..count as usize)
                    .map(|i| Node::new(Value::Number(start + step * i as f64), at))
                    .collect(),
                at,
            )
        }
        "reverse" => list(
            l_arg(&args, 0, name, at)?.iter().rev().cloned().collect(),
            at,
        ),
        "slice" => {
            let l = l_arg(&args, 0, name, at)?;
            let s = n_arg(&args, 1, name, at)? as usize;
            let e = n_arg(&args, 2, name, at)? as usize;
            match l.get(s..e) {
                Some(x) => list(x.to_vec(), at),
                None => fail(
                    at,
                    kijun_model::text!(
                        "slice(): インデックスが範囲外です",
                        "slice(): indexes out of range"
                    ),
                ),
            }
        }
        "sort" => {
            let mut v: Vec<String> = Vec::new();
            for x in l_arg(&args, 0, name, at)? {
                v.push(to_string_value(x).unwrap_or_default());
            }
            v.sort();
            list(v.iter().map(|s| Node::string(s, at)).collect(), at)
        }
        "sum" => {
            let mut t = 0.0;
            for x in l_arg(&args, 0, name, at)? {
                t += x.as_f64().unwrap_or(0.0);
            }
            number(t, at)
        }
        "alltrue" => boolean(
            l_arg(&args, 0, name, at)?
                .iter()
                .all(|x| x.as_bool() == Some(true)),
            at,
        ),
        "anytrue" => boolean(
            l_arg(&args, 0, name, at)?
                .iter()
                .any(|x| x.as_bool() == Some(true)),
            at,
        ),
        "one" => {
            let l = l_arg(&args, 0, name, at)?;
            match l {
                [] => Ok(Node::new(Value::Null, at)),
                [x] => Ok(x.clone()),
                _ => fail(
                    at,
                    kijun_model::text!(
                        "要素が 2 つ以上あるリストに one() は使えません",
                        "one() of a list with more than one element"
                    ),
                ),
            }
        }
        "chunklist" => {
            let l = l_arg(&args, 0, name, at)?;
            let n = n_arg(&args, 1, name, at)? as usize;
            if n == 0 {
                return list(vec![Node::new(Value::List(l.to_vec()), at)], at);
            }
            list(
                l.chunks(n)
                    .map(|c| Node::new(Value::List(c.to_vec()), at))
                    .collect(),
                at,
            )
        }
        "setunion" => {
            let mut out = Vec::new();
            for i in 0..args.len() {
                out.extend(l_arg(&args, i, name, at)?.iter().cloned());
            }
            list(set_order(dedup(inst, unify_primitives(out), at)?), at)
        }
        "setintersection" => {
            let first = l_arg(&args, 0, name, at)?.to_vec();
            let mut out = dedup(inst, first, at)?;
            for i in 1..args.len() {
                let other = l_arg(&args, i, name, at)?;
                out = filter_in(inst, out, other, true, at)?;
            }
            list(set_order(out), at)
        }
        "setsubtract" => {
            let a = l_arg(&args, 0, name, at)?;
            let bl = l_arg(&args, 1, name, at)?;
            let rest = filter_in(inst, a.to_vec(), bl, false, at)?;
            list(set_order(dedup(inst, rest, at)?), at)
        }
        "jsonencode" => {
            let a = arg(&args, 0, name, at)?;
            // why: policy documents embed ARNs known only after apply; rendering those parts as
            // a placeholder keeps the literal parts (Principal, Effect, Condition) readable for
            // rules instead of losing the whole document.
            if contains_unknown(a) {
                return string(go_json(json_with_placeholders(a).to_string()), at);
            }
            string(go_json(a.to_json().to_string()), at)
        }
        "jsondecode" => {
            let s = s_arg(&args, 0, name, at)?;
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
        "cidrsubnet" => {
            let prefix = s_arg(&args, 0, name, at)?;
            let newbits = n_arg(&args, 1, name, at)?;
            let netnum = n_arg(&args, 2, name, at)?;
            match kijun_model::cidr::subnet(&prefix, newbits as u32, netnum as u128) {
                Some(s) => string(s, at),
                None => fail(
                    at,
                    kijun_model::text!(
                        "cidrsubnet(\"{prefix}\", {newbits}, {netnum}) は不正です",
                        "cidrsubnet(\"{prefix}\", {newbits}, {netnum}) is invalid"
                    ),
                ),
            }
        }
        "cidrsubnets" => {
            let prefix = s_arg(&args, 0, name, at)?;
            let mut bits = Vec::new();
            for i in 1..args.len() {
                bits.push(n_arg(&args, i, name, at)? as u32);
            }
            match kijun_model::cidr::subnets(&prefix, &bits) {
                Some(v) => list(v.iter().map(|s| Node::string(s, at)).collect(), at),
                None => fail(
                    at,
                    kijun_model::text!(
                        "cidrsubnets(): 引数が不正です",
                        "cidrsubnets(): invalid arguments"
                    ),
                ),
            }
        }
        "cidrhost" => {
            let prefix = s_arg(&args, 0, name, at)?;
            let n = n_arg(&args, 1, name, at)?;
            match kijun_model::cidr::host(&prefix, n as i128) {
                Some(s) => string(s, at),
                None => fail(
                    at,
                    kijun_model::text!(
                        "cidrhost(): 引数が不正です",
                        "cidrhost(): invalid arguments"
                    ),
                ),
            }
        }
        "cidrnetmask" => {
            let prefix = s_arg(&args, 0, name, at)?;
            match kijun_model::cidr::netmask(&prefix) {
                Some(s) => string(s, at),
                None => fail(
                    at,
                    kijun_model::text!(
                        "cidrnetmask(): プレフィックスが不正です",
                        "cidrnetmask(): invalid prefix"
                    ),
                ),
            }
        }
        n if crate::filefn::FILE_FUNCTIONS.contains(&n) => file_call(inst, name, &args, at),
        "md5" | "sha1" | "sha256" | "sha512" | "base64sha256" | "base64sha512" => {
            let text = s_arg(&args, 0, name, at)?;
            string(digest_of(name, text.as_bytes()), at)
        }
        "base64encode" => string(
            crate::digest::base64(s_arg(&args, 0, name, at)?.as_bytes()),
            at,
        ),
        "base64decode" => {
            let text = s_arg(&args, 0, name, at)?;
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
        // Functions whose result depends on time, randomness or what we do not reproduce:
        // unknown, never a guess.
        "timestamp" | "plantimestamp" | "uuid" | "uuidv5" | "bcrypt" | "base64gzip"
        | "textencodebase64" | "textdecodebase64" | "yamlencode" | "yamldecode" | "urlencode"
        | "timeadd" | "timecmp" | "formatdate" | "abspath" | "dirname" | "basename"
        | "pathexpand" | "ephemeralasnull" | "sensitive" | "nonsensitive" | "issensitive"
        | "type" | "transpose" | "setproduct" | "matchkeys" | "csvdecode" | "rsadecrypt"
        | "templatestring" => match name {
            "sensitive" | "nonsensitive" => Ok(arg(&args, 0, name, at)?.clone()),
            "basename" => string(
                s_arg(&args, 0, name, at)?
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string(),
                at,
            ),
            _ => Ok(Node::unknown(
                kijun_model::text!(
                    "{name}() は静的な検査では評価しません",
                    "{name}() is not evaluated by a static scan"
                ),
                at,
            )),
        },
        _ => Ok(Node::unknown(
            kijun_model::text!(
                "{name}() は静的な検査では評価しません",
                "{name}() is not evaluated by a static scan"
            ),
            at,
        )),
    }
}

/// The hex digest (`md5`, `sha1`, …) or base64 digest (`base64sha256`, …) a hash function
/// named `name` (with or without a `file` prefix) returns.
fn digest_of(name: &str, bytes: &[u8]) -> String {
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

/// A path argument of a file function as the scan names files: relative paths are relative to
/// the root module, where Terraform runs.
fn resolve(inst: &Instance, p: &str) -> String {
    if p.starts_with('/') {
        crate::project::join("/", p)
    } else {
        crate::project::join(&inst.root_dir, p)
    }
}

/// `file()`, `templatefile()`, `fileexists()`, `fileset()` and the file hashes, from the files
/// read ahead ([`crate::filefn`]).
fn file_call(inst: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    use crate::ReadError;
    let p = s_arg(args, 0, name, at)?;
    if !inst.project.has_files() {
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
        return match inst.project.list_dir(&key) {
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
    let (id, bytes) = match inst.project.read_file(&key) {
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
            Value::String(Arc::from(digest_of(name, &bytes))),
            whole,
        )),
    }
}

/// A string quoted as Go's `%q` does (Terraform's `format("%q")`).
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number as Go's `%v` prints a float (Terraform's `format("%v")`): the shortest digits, in
/// exponent form when the exponent is below -4 or at least 6 (Go's shortest `%g`).
fn go_g(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let e = format!("{x:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..6).contains(&exp) {
        return format_number(x);
    }
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mant}e{sign}{:02}", exp.abs())
}

/// Go's `unicode.ToUpper`/`ToLower` one character at a time, as Terraform's `upper`, `lower`
/// and `title`: a character whose case mapping is several characters (`ß` → `SS`) keeps its
/// simple mapping or stays as it is.
fn go_case(s: &str, upper: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let mut m = if upper {
            c.to_uppercase().collect::<Vec<char>>()
        } else {
            c.to_lowercase().collect::<Vec<char>>()
        };
        match m.len() {
            1 => out.push(m.remove(0)),
            _ if upper => out.push(c),
            _ => out.push(m.first().copied().unwrap_or(c)),
        }
    }
    out
}

/// JSON as Go's encoder writes it (Terraform's `jsonencode`): `<`, `>`, `&`, U+2028 and U+2029
/// escaped.
fn go_json(s: String) -> String {
    if !s.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Elements of one collection converted to one type, as Terraform does for a list, set or map
/// built from mixed values: strings with numbers or bools make every number and bool a string.
fn unify_primitives(v: Vec<Node>) -> Vec<Node> {
    let has_string = v.iter().any(|x| matches!(x.value, Value::String(_)));
    let has_other = v
        .iter()
        .any(|x| matches!(x.value, Value::Number(_) | Value::Bool(_)));
    let all_primitive = v.iter().all(|x| {
        matches!(
            x.value,
            Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null
        )
    });
    if !(has_string && has_other && all_primitive) {
        return v;
    }
    v.into_iter()
        .map(|x| match &x.value {
            Value::Number(_) | Value::Bool(_) => {
                let s = to_string_value(&x).unwrap_or_default();
                Node {
                    value: Value::String(Arc::from(s)),
                    ..x
                }
            }
            _ => x,
        })
        .collect()
}

/// A set's elements in Terraform's order: strings by their bytes, numbers by value, false
/// before true; other sets keep their order.
fn set_order(mut v: Vec<Node>) -> Vec<Node> {
    if v.iter().all(|x| matches!(x.value, Value::String(_))) {
        v.sort_by(|a, b| a.as_str().unwrap_or("").cmp(b.as_str().unwrap_or("")));
    } else if v.iter().all(|x| matches!(x.value, Value::Number(_))) {
        v.sort_by(|a, b| {
            a.as_f64()
                .unwrap_or(0.0)
                .total_cmp(&b.as_f64().unwrap_or(0.0))
        });
    } else if v.iter().all(|x| matches!(x.value, Value::Bool(_))) {
        v.sort_by_key(|x| x.as_bool().unwrap_or(false));
    }
    v
}

/// Placeholder for the parts of a jsonencode()d value that are known only after apply.
pub const UNKNOWN_PLACEHOLDER: &str = "${known after apply}";

fn json_with_placeholders(n: &Node) -> serde_json::Value {
    match &n.value {
        Value::Unknown(_) => serde_json::Value::String(UNKNOWN_PLACEHOLDER.into()),
        Value::List(v) => serde_json::Value::Array(v.iter().map(json_with_placeholders).collect()),
        Value::Object(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, v)| (k.to_string(), json_with_placeholders(v)))
                .collect(),
        ),
        _ => n.to_json(),
    }
}

fn set_from(n: &mut Node, p: &Arc<kijun_model::Provenance>) {
    n.from = Some(p.clone());
    match &mut n.value {
        Value::List(v) => v.iter_mut().for_each(|x| set_from(x, p)),
        Value::Object(m) => m.values_mut().for_each(|x| set_from(x, p)),
        _ => {}
    }
}

fn contains_unknown(n: &Node) -> bool {
    match &n.value {
        Value::Unknown(_) => true,
        Value::List(v) => v.iter().any(contains_unknown),
        Value::Object(m) => m.values().any(contains_unknown),
        _ => false,
    }
}

fn from_json(v: &serde_json::Value, at: Origin, depth: u32) -> Node {
    if depth > 128 {
        return Node::unknown(
            kijun_model::text!(
                "jsondecode(): 入れ子が深すぎます",
                "jsondecode(): nested too deeply"
            ),
            at,
        );
    }
    let value = match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::String(Arc::from(s.as_str())),
        serde_json::Value::Array(a) => {
            Value::List(a.iter().map(|x| from_json(x, at, depth + 1)).collect())
        }
        serde_json::Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (Arc::from(k.as_str()), from_json(x, at, depth + 1)))
                .collect(),
        ),
    };
    Node::new(value, at)
}

/// `format()` verbs: %s %d %f %v %q %t %%, with optional width/precision.
fn format_fn(f: &str, args: &[Node], at: Origin) -> R {
    let mut out = String::new();
    let mut it = f.chars().peekable();
    let mut i = 0usize;
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::new();
        while let Some(&n) = it.peek() {
            if n.is_ascii_digit() || n == '.' || n == '-' || n == '+' || n == '#' || n == ' ' {
                spec.push(n);
                it.next();
            } else {
                break;
            }
        }
        let Some(verb) = it.next() else {
            return fail(
                at,
                kijun_model::text!(
                    "format(): 書式指定が途中で終わっています",
                    "format(): incomplete verb"
                ),
            );
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(a) = args.get(i) else {
            return fail(
                at,
                kijun_model::text!(
                    "format(): 引数が足りません",
                    "format(): not enough arguments"
                ),
            );
        };
        i += 1;
        if a.is_unknown() {
            return Ok(Node { at, ..a.clone() });
        }
        let zero = spec.starts_with('0');
        let left = spec.starts_with('-');
        let width: usize = spec
            .trim_start_matches(['0', '-', '+', '#', ' '])
            .split('.')
            .next()
            .and_then(|w| w.parse().ok())
            .unwrap_or(0)
            .min(1024);
        let start = out.len();
        match verb {
            'd' => {
                let x = a.as_f64().unwrap_or(0.0);
                if x.fract() != 0.0 {
                    return fail(
                        at,
                        kijun_model::text!(
                            "format(): %d には整数が必要です（実際は {}）",
                            "format(): %d needs a whole number, not {}",
                            a.display()
                        ),
                    );
                }
                out.push_str(&format!("{}", x as i64))
            }
            'f' => {
                let prec = spec
                    .split('.')
                    .nth(1)
                    .and_then(|p| p.parse::<usize>().ok())
                    .unwrap_or(6)
                    .min(1024);
                out.push_str(&format!("{:.*}", prec, a.as_f64().unwrap_or(0.0)));
            }
            'q' => out.push_str(&go_quote(&to_string_value(a).unwrap_or_default())),
            'v' if matches!(a.value, Value::Number(_)) => {
                out.push_str(&go_g(a.as_f64().unwrap_or(0.0)))
            }
            _ => match to_string_value(a) {
                Some(s) => out.push_str(&s),
                None => out.push_str(&a.to_json().to_string()),
            },
        }
        let len = out.get(start..).map(|s| s.chars().count()).unwrap_or(0);
        if len < width {
            let pad = width - len;
            if left {
                out.push_str(&" ".repeat(pad));
            } else {
                let fill = if zero && verb != 's' { "0" } else { " " };
                let piece = out.split_off(start);
                let (sign, rest) = match piece.strip_prefix('-') {
                    Some(r) if fill == "0" => ("-", r.to_string()),
                    _ => ("", piece),
                };
                out.push_str(sign);
                out.push_str(&fill.repeat(pad));
                out.push_str(&rest);
            }
        }
    }
    string(out, at)
}
