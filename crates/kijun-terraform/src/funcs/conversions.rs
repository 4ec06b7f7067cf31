//! Type conversions: `tostring`, `tonumber`, `tobool`, `tolist`, `toset`, `tomap`.

use super::*;

pub(super) fn tostring(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let a = arg(args, 0, name, at)?;
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

pub(super) fn tonumber(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let a = arg(args, 0, name, at)?;
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

pub(super) fn tobool(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let a = arg(args, 0, name, at)?;
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

/// `tolist()` and `toset()`: a set is a list without duplicates, in Terraform's set order.
pub(super) fn tolist_toset(inst: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let a = arg(args, 0, name, at)?;
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

pub(super) fn tomap(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let a = arg(args, 0, name, at)?;
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
