//! Terraform's built-in functions, as far as a static scan can compute them. Functions that
//! read files, the clock or randomness return unknown: the core does no I/O and has no clock.
//!
//! [`call`] evaluates the arguments and looks the name up in [`BUILTINS`], a sorted table of
//! one function per built-in (shared only where Terraform's functions differ by name alone,
//! as `max`/`min`); the bodies live in the submodules by kind, the argument helpers here.

use crate::instance::Instance;
use crate::ir::E;
use crate::value::{fail, first_unknown, to_string_value, values_equal, Binds, Fail, R};
use kijun_model::{format_number, Node, Origin, Value};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

mod collections;
mod conversions;
mod encoding;
mod files;
mod network;
mod numbers;
mod strings;

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
) -> Result<&'a Node, crate::value::Fail> {
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

fn s_arg(args: &[Node], i: usize, name: &str, at: Origin) -> Result<String, crate::value::Fail> {
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

fn n_arg(args: &[Node], i: usize, name: &str, at: Origin) -> Result<f64, crate::value::Fail> {
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
) -> Result<&'a [Node], crate::value::Fail> {
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
) -> Result<&'a kijun_model::Map, crate::value::Fail> {
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
    // try() and can() see failures instead of propagating them: they take the expressions,
    // not their values.
    match name {
        "try" => return try_(inst, exprs, b, at),
        "can" => return can(inst, exprs, b, at),
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
    let builtin = builtin(name);
    // Functions that tolerate unknown elements decide for themselves; for the rest an unknown
    // argument makes the result unknown.
    if !builtin.is_some_and(|f| f.unknowns == Unknowns::Tolerate) {
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
    let apply = builtin.map_or(not_evaluated as Apply, |f| f.apply);
    let mut r = apply(inst, name, &args, at)?;
    if r.from.is_none() && !r.is_unknown() {
        r.from = file_from;
    }
    Ok(r)
}

/// `try(a, b, …)`: the first expression that evaluates without failing.
fn try_(inst: &Instance, exprs: &[E], b: &Binds, at: Origin) -> R {
    let mut last = None;
    for e in exprs {
        match inst.eval(e, b) {
            Ok(v) => return Ok(v),
            Err(f) => last = Some(f),
        }
    }
    Err(last.unwrap_or(crate::value::Fail {
        message: kijun_model::text!("try() には引数が必要です", "try() needs arguments").into(),
        at,
    }))
}

/// `can(e)`: whether the expression evaluates without failing (unknown while it is unknown).
fn can(inst: &Instance, exprs: &[E], b: &Binds, at: Origin) -> R {
    let Some(e) = exprs.first() else {
        return fail(
            at,
            kijun_model::text!("can() には引数が必要です", "can() needs an argument"),
        );
    };
    match inst.eval(e, b) {
        Ok(v) if v.is_unknown() => Ok(Node { at, ..v }),
        Ok(_) => boolean(true, at),
        Err(_) => boolean(false, at),
    }
}

/// A built-in function applied to evaluated arguments: the instance (limits, budget, files),
/// the name it was called by (for messages, and for the bodies several names share), the
/// arguments and where the call is.
type Apply = fn(&Instance, &str, &[Node], Origin) -> R;

/// What an unknown argument does to a call.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Unknowns {
    /// The result is unknown, without calling the function.
    Propagate,
    /// The function is called and decides (`concat([known, unknown])` has a known length).
    Tolerate,
}

struct Builtin {
    name: &'static str,
    unknowns: Unknowns,
    apply: Apply,
}

const fn strict(name: &'static str, apply: Apply) -> Builtin {
    Builtin {
        name,
        unknowns: Unknowns::Propagate,
        apply,
    }
}

const fn tolerant(name: &'static str, apply: Apply) -> Builtin {
    Builtin {
        name,
        unknowns: Unknowns::Tolerate,
        apply,
    }
}

/// The built-in functions by name, sorted for [`builtin`]'s binary search (a unit test checks
/// the order). A name not here is not evaluated ([`not_evaluated`]).
static BUILTINS: &[Builtin] = &[
    strict("abs", numbers::abs),
    strict("abspath", not_evaluated),
    strict("alltrue", collections::alltrue),
    strict("anytrue", collections::anytrue),
    strict("base64decode", encoding::base64decode),
    strict("base64encode", encoding::base64encode),
    strict("base64gzip", not_evaluated),
    strict("base64sha256", encoding::digest),
    strict("base64sha512", encoding::digest),
    strict("basename", basename),
    strict("bcrypt", not_evaluated),
    strict("ceil", numbers::ceil),
    strict("chomp", strings::chomp),
    strict("chunklist", collections::chunklist),
    strict("cidrhost", network::cidrhost),
    strict("cidrnetmask", network::cidrnetmask),
    strict("cidrsubnet", network::cidrsubnet),
    strict("cidrsubnets", network::cidrsubnets),
    tolerant("coalesce", collections::coalesce),
    strict("coalescelist", collections::coalescelist),
    tolerant("compact", collections::compact),
    tolerant("concat", collections::concat),
    strict("contains", collections::contains),
    strict("csvdecode", not_evaluated),
    strict("dirname", not_evaluated),
    strict("distinct", collections::distinct),
    tolerant("element", collections::element),
    strict("endswith", strings::endswith),
    strict("ephemeralasnull", not_evaluated),
    strict("file", files::file_call),
    strict("filebase64", files::file_call),
    strict("filebase64sha256", files::file_call),
    strict("filebase64sha512", files::file_call),
    strict("fileexists", files::file_call),
    strict("filemd5", files::file_call),
    strict("fileset", files::file_call),
    strict("filesha1", files::file_call),
    strict("filesha256", files::file_call),
    strict("filesha512", files::file_call),
    tolerant("flatten", collections::flatten),
    strict("floor", numbers::floor),
    strict("format", strings::format),
    strict("formatdate", not_evaluated),
    strict("formatlist", strings::formatlist),
    strict("indent", strings::indent),
    strict("index", collections::index),
    strict("issensitive", not_evaluated),
    strict("join", strings::join),
    strict("jsondecode", encoding::jsondecode),
    tolerant("jsonencode", encoding::jsonencode),
    strict("keys", collections::keys),
    tolerant("length", collections::length),
    strict("log", numbers::log),
    tolerant("lookup", collections::lookup),
    strict("lower", strings::lower),
    strict("matchkeys", not_evaluated),
    strict("max", numbers::max_min),
    strict("md5", encoding::digest),
    tolerant("merge", collections::merge),
    strict("min", numbers::max_min),
    strict("nonsensitive", sensitive),
    strict("one", collections::one),
    strict("parseint", numbers::parseint),
    strict("pathexpand", not_evaluated),
    strict("plantimestamp", not_evaluated),
    strict("pow", numbers::pow),
    strict("range", collections::range),
    strict("regex", strings::regex),
    strict("regexall", strings::regexall),
    strict("replace", strings::replace),
    strict("reverse", collections::reverse),
    strict("rsadecrypt", not_evaluated),
    strict("sensitive", sensitive),
    strict("setintersection", collections::setintersection),
    strict("setproduct", not_evaluated),
    strict("setsubtract", collections::setsubtract),
    strict("setunion", collections::setunion),
    strict("sha1", encoding::digest),
    strict("sha256", encoding::digest),
    strict("sha512", encoding::digest),
    strict("signum", numbers::signum),
    strict("slice", collections::slice),
    strict("sort", collections::sort),
    strict("split", strings::split),
    strict("startswith", strings::startswith),
    strict("strcontains", strings::strcontains),
    strict("strrev", strings::strrev),
    strict("substr", strings::substr),
    strict("sum", collections::sum),
    strict("templatefile", files::file_call),
    strict("templatestring", not_evaluated),
    strict("textdecodebase64", not_evaluated),
    strict("textencodebase64", not_evaluated),
    strict("timeadd", not_evaluated),
    strict("timecmp", not_evaluated),
    strict("timestamp", not_evaluated),
    strict("title", strings::title),
    strict("tobool", conversions::tobool),
    tolerant("tolist", conversions::tolist_toset),
    tolerant("tomap", conversions::tomap),
    strict("tonumber", conversions::tonumber),
    tolerant("toset", conversions::tolist_toset),
    strict("tostring", conversions::tostring),
    strict("transpose", not_evaluated),
    strict("trim", strings::trim),
    strict("trimprefix", strings::trimprefix),
    strict("trimspace", strings::trimspace),
    strict("trimsuffix", strings::trimsuffix),
    strict("type", not_evaluated),
    strict("upper", strings::upper),
    strict("urlencode", not_evaluated),
    strict("uuid", not_evaluated),
    strict("uuidv5", not_evaluated),
    strict("values", collections::values),
    strict("yamldecode", not_evaluated),
    strict("yamlencode", not_evaluated),
    strict("zipmap", collections::zipmap),
];

fn builtin(name: &str) -> Option<&'static Builtin> {
    BUILTINS
        .binary_search_by(|f| f.name.cmp(name))
        .ok()
        .and_then(|i| BUILTINS.get(i))
}

/// Functions whose result depends on time, randomness or what we do not reproduce: unknown,
/// never a guess.
fn not_evaluated(_: &Instance, name: &str, _: &[Node], at: Origin) -> R {
    Ok(Node::unknown(
        kijun_model::text!(
            "{name}() は静的な検査では評価しません",
            "{name}() is not evaluated by a static scan"
        ),
        at,
    ))
}

/// `sensitive()` and `nonsensitive()`: a scan sees the value either way.
fn sensitive(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    Ok(arg(args, 0, name, at)?.clone())
}

fn basename(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    string(
        s_arg(args, 0, name, at)?
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string(),
        at,
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The binary search finds a built-in only while the table is sorted: an entry out of
    /// order would silently turn its function into "not evaluated".
    #[test]
    fn every_builtin_is_found_by_its_name() {
        for w in BUILTINS.windows(2) {
            if let [a, b] = w {
                assert!(a.name < b.name, "{} is listed before {}", a.name, b.name);
            }
        }
        for f in BUILTINS {
            assert_eq!(builtin(f.name).map(|g| g.name), Some(f.name));
        }
        for f in crate::filefn::FILE_FUNCTIONS {
            assert!(
                builtin(f).is_some(),
                "file function {f} is not in the table"
            );
        }
        assert!(builtin("try").is_none() && builtin("can").is_none());
        assert!(builtin("no_such_function").is_none());
    }
}
