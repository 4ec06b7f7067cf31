//! Lists, sets and maps.

use super::*;

pub(super) fn length(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let a = arg(args, 0, name, at)?;
    match &a.value {
        Value::List(v) => number(v.len() as f64, at),
        Value::Object(m) => number(m.len() as f64, at),
        Value::String(s) => number(s.chars().count() as f64, at),
        Value::Unknown(_) => Ok(Node { at, ..a.clone() }),
        _ => fail(
            a.at,
            kijun_model::text!("{} に length() は使えません", "length() of {}", a.display()),
        ),
    }
}

pub(super) fn concat(inst: &Instance, _: &str, args: &[Node], at: Origin) -> R {
    let max = inst.limits().max_collection;
    let mut out = Vec::new();
    for a in args {
        match &a.value {
            Value::List(v) => out.extend(v.iter().cloned()),
            Value::Unknown(_) => return Ok(Node { at, ..a.clone() }),
            _ => {
                return fail(
                    a.at,
                    kijun_model::text!("concat() にはリストが必要です", "concat() needs lists"),
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

pub(super) fn merge(_: &Instance, _: &str, args: &[Node], at: Origin) -> R {
    let mut out: kijun_model::Map = kijun_model::Map::new();
    for a in args {
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

pub(super) fn coalesce(_: &Instance, _: &str, args: &[Node], at: Origin) -> R {
    for a in args {
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

pub(super) fn coalescelist(_: &Instance, _: &str, args: &[Node], at: Origin) -> R {
    for a in args {
        if let Value::List(v) = &a.value {
            if !v.is_empty() {
                return Ok(a.clone());
            }
        }
    }
    list(Vec::new(), at)
}

pub(super) fn compact(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let mut out = Vec::new();
    for x in l_arg(args, 0, name, at)? {
        match &x.value {
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            _ => out.push(x.clone()),
        }
    }
    list(out, at)
}

pub(super) fn contains(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let l = l_arg(args, 0, name, at)?;
    let v = arg(args, 1, name, at)?;
    boolean(l.iter().any(|x| values_equal(&x.value, &v.value)), at)
}

pub(super) fn distinct(inst: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    list(dedup(inst, l_arg(args, 0, name, at)?.to_vec(), at)?, at)
}

pub(super) fn element(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let l = l_arg(args, 0, name, at)?;
    let i = n_arg(args, 1, name, at)?;
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

pub(super) fn index(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let l = l_arg(args, 0, name, at)?;
    let v = arg(args, 1, name, at)?;
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

pub(super) fn flatten(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
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
    let a = arg(args, 0, name, at)?;
    if a.is_unknown() {
        return Ok(a.clone());
    }
    let mut out = Vec::new();
    if !flat(l_arg(args, 0, name, at)?, &mut out, 0) {
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

pub(super) fn keys(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    list(
        o_arg(args, 0, name, at)?
            .iter()
            .map(|(k, v)| Node::new(Value::String(k.clone()), v.at))
            .collect(),
        at,
    )
}

pub(super) fn values(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    list(o_arg(args, 0, name, at)?.values().cloned().collect(), at)
}

pub(super) fn lookup(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let a = arg(args, 0, name, at)?;
    if a.is_unknown() {
        return Ok(Node { at, ..a.clone() });
    }
    let m = o_arg(args, 0, name, at)?;
    let k = s_arg(args, 1, name, at)?;
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

pub(super) fn zipmap(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let ks = l_arg(args, 0, name, at)?;
    let vs = l_arg(args, 1, name, at)?;
    let mut m = BTreeMap::new();
    for (k, v) in ks.iter().zip(vs) {
        if let Some(s) = to_string_value(k) {
            m.insert(Arc::from(s), v.clone());
        }
    }
    Ok(Node::new(Value::Object(m.into()), at))
}

pub(super) fn range(inst: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let max = inst.limits().max_collection;
    let ns: Vec<f64> = (0..args.len())
        .map(|i| n_arg(args, i, name, at))
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
            kijun_model::text!(
                "range() の結果が {} 要素になり、コレクションの大きさの上限 {max} を超えます",
                "range() would produce {} elements, over the collection size limit of {max}",
                format_number(count)
            ),
        );
    }
    list(
        (0..count as usize)
            .map(|i| Node::new(Value::Number(start + step * i as f64), at))
            .collect(),
        at,
    )
}

pub(super) fn reverse(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    list(
        l_arg(args, 0, name, at)?.iter().rev().cloned().collect(),
        at,
    )
}

pub(super) fn slice(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let l = l_arg(args, 0, name, at)?;
    let s = n_arg(args, 1, name, at)? as usize;
    let e = n_arg(args, 2, name, at)? as usize;
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

pub(super) fn sort(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let mut v: Vec<String> = Vec::new();
    for x in l_arg(args, 0, name, at)? {
        v.push(to_string_value(x).unwrap_or_default());
    }
    v.sort();
    list(v.iter().map(|s| Node::string(s, at)).collect(), at)
}

pub(super) fn sum(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let mut t = 0.0;
    for x in l_arg(args, 0, name, at)? {
        t += x.as_f64().unwrap_or(0.0);
    }
    number(t, at)
}

pub(super) fn alltrue(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    boolean(
        l_arg(args, 0, name, at)?
            .iter()
            .all(|x| x.as_bool() == Some(true)),
        at,
    )
}

pub(super) fn anytrue(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    boolean(
        l_arg(args, 0, name, at)?
            .iter()
            .any(|x| x.as_bool() == Some(true)),
        at,
    )
}

pub(super) fn one(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let l = l_arg(args, 0, name, at)?;
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

pub(super) fn chunklist(_: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let l = l_arg(args, 0, name, at)?;
    let n = n_arg(args, 1, name, at)? as usize;
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

pub(super) fn setunion(inst: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let mut out = Vec::new();
    for i in 0..args.len() {
        out.extend(l_arg(args, i, name, at)?.iter().cloned());
    }
    list(set_order(dedup(inst, unify_primitives(out), at)?), at)
}

pub(super) fn setintersection(inst: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let first = l_arg(args, 0, name, at)?.to_vec();
    let mut out = dedup(inst, first, at)?;
    for i in 1..args.len() {
        let other = l_arg(args, i, name, at)?;
        out = filter_in(inst, out, other, true, at)?;
    }
    list(set_order(out), at)
}

pub(super) fn setsubtract(inst: &Instance, name: &str, args: &[Node], at: Origin) -> R {
    let a = l_arg(args, 0, name, at)?;
    let bl = l_arg(args, 1, name, at)?;
    let rest = filter_in(inst, a.to_vec(), bl, false, at)?;
    list(set_order(dedup(inst, rest, at)?), at)
}
