//! The template functions (`parameters`, `variables`, `concat`, `if`, `resourceId` …): what
//! each returns from evaluated arguments, or why its value is only known at deployment.

use super::{budget, text, unknown, Scope, MAX_STRING};
use kijun_model::{Node, Origin, Provenance, Value};
use std::sync::Arc;

impl Scope<'_> {
    pub(super) fn call_inner(&self, name: &str, a: Vec<Node>, at: Origin, d: u32) -> Node {
        let s = |i: usize| a.get(i).and_then(text);
        let any_unknown = a.iter().find(|x| x.is_unknown()).cloned();
        match name {
            "parameters" => {
                let p = s(0).unwrap_or_default();
                match self.params.iter().find(|(k, _)| k.eq_ignore_ascii_case(&p)) {
                    Some((_, v)) => {
                        if !self.charge_copy(v, at) {
                            return unknown(budget(), at);
                        }
                        // The value points where it is used, and remembers where it was set.
                        let mut v = v.clone();
                        if v.from.is_none() {
                            v.from = Some(Arc::new(Provenance {
                                via: format!("parameters('{p}')"),
                                at: v.at,
                            }));
                        }
                        v.rehome(at, at);
                        v
                    }
                    None => unknown(
                        kijun_model::text!(
                            "parameters('{p}') は定義されていません",
                            "parameters('{p}') is not defined"
                        ),
                        at,
                    ),
                }
            }
            "variables" => self.variable(&s(0).unwrap_or_default(), at, d),
            "resourcegroup" => {
                // why: resourceGroup().location is decided when the template is deployed into a
                // group; say so rather than guess (the finding names the group's location).
                let mut m = kijun_model::Map::new();
                m.insert(Arc::from("location"), unknown(kijun_model::text!("リソースグループの場所（resourceGroup().location）に従うため、デプロイ時に決まります", "follows the resource group's location (resourceGroup().location), decided at deployment"), at));
                m.insert(
                    Arc::from("name"),
                    unknown(
                        kijun_model::text!(
                            "リソースグループの名前はデプロイ時に決まります",
                            "the resource group's name is decided at deployment"
                        ),
                        at,
                    ),
                );
                m.insert(
                    Arc::from("id"),
                    unknown(
                        kijun_model::text!(
                            "リソースグループの ID はデプロイ時に決まります",
                            "the resource group's id is decided at deployment"
                        ),
                        at,
                    ),
                );
                Node::new(Value::Object(m), at)
            }
            "copyindex" => {
                let (loop_name, offset) = match (a.first(), a.get(1)) {
                    (Some(x), Some(y)) => (text(x), y.as_f64().unwrap_or(0.0)),
                    (Some(x), None) if x.as_f64().is_some() => (None, x.as_f64().unwrap_or(0.0)),
                    (Some(x), None) => (text(x), 0.0),
                    _ => (None, 0.0),
                };
                let idx = self.copy_index.borrow();
                let i = match loop_name {
                    Some(n) => idx.get(&n.to_ascii_lowercase()).copied(),
                    None => idx
                        .get("")
                        .copied()
                        .or_else(|| idx.values().next().copied()),
                };
                match i {
                    Some(i) => Node::new(Value::Number(i as f64 + offset), at),
                    None => unknown(
                        kijun_model::text!(
                            "copy ループの外の copyIndex() です",
                            "copyIndex() outside a copy loop"
                        ),
                        at,
                    ),
                }
            }
            _ if any_unknown.is_some()
                && !matches!(name, "if" | "coalesce" | "concat" | "union") =>
            {
                let u = any_unknown
                    .unwrap_or_else(|| unknown(kijun_model::text!("不明です", "unknown"), at));
                Node { at, ..u }
            }
            "concat" => {
                if a.iter().all(|x| x.as_list().is_some()) && !a.is_empty() {
                    let mut out = Vec::new();
                    for x in &a {
                        out.extend(x.as_list().unwrap_or(&[]).iter().cloned());
                    }
                    return Node::new(Value::List(out), at);
                }
                if let Some(u) = any_unknown {
                    return Node { at, ..u };
                }
                Node::string(&a.iter().filter_map(text).collect::<String>(), at)
            }
            "format" => {
                let f = s(0).unwrap_or_default();
                let mut out = f.clone();
                for (i, x) in a.iter().skip(1).enumerate() {
                    let pattern = format!("{{{i}}}");
                    let with = text(x).unwrap_or_default();
                    let n = out.matches(pattern.as_str()).count();
                    if out.len().saturating_add(n.saturating_mul(with.len())) > MAX_STRING {
                        return unknown(
                            kijun_model::text!(
                                "結果が文字列の大きさの上限を超えます",
                                "the result would exceed the string size limit"
                            ),
                            at,
                        );
                    }
                    out = out.replace(&pattern, &with);
                }
                Node::string(&out, at)
            }
            "tolower" => Node::string(&s(0).unwrap_or_default().to_lowercase(), at),
            "toupper" => Node::string(&s(0).unwrap_or_default().to_uppercase(), at),
            "trim" => Node::string(s(0).unwrap_or_default().trim(), at),
            "replace" => Node::string(
                &s(0)
                    .unwrap_or_default()
                    .replace(&s(1).unwrap_or_default(), &s(2).unwrap_or_default()),
                at,
            ),
            "string" => Node::string(&s(0).unwrap_or_default(), at),
            "int" => s(0)
                .and_then(|t| t.parse::<f64>().ok())
                .map(|n| Node::new(Value::Number(n.trunc()), at))
                .unwrap_or_else(|| {
                    unknown(
                        kijun_model::text!("数値でない値の int() です", "int() of a non-number"),
                        at,
                    )
                }),
            "bool" => a
                .first()
                .and_then(|x| x.as_bool())
                .map(|b| Node::new(Value::Bool(b), at))
                .unwrap_or_else(|| {
                    unknown(
                        kijun_model::text!("bool でない値の bool() です", "bool() of a non-bool"),
                        at,
                    )
                }),
            "true" => Node::new(Value::Bool(true), at),
            "false" => Node::new(Value::Bool(false), at),
            "equals" => Node::new(
                Value::Bool(match (a.first(), a.get(1)) {
                    (Some(x), Some(y)) => {
                        x.value == y.value || (text(x).is_some() && text(x) == text(y))
                    }
                    _ => false,
                }),
                at,
            ),
            "not" => a
                .first()
                .and_then(|x| x.as_bool())
                .map(|b| Node::new(Value::Bool(!b), at))
                .unwrap_or_else(|| {
                    unknown(
                        kijun_model::text!("bool でない値の not() です", "not() of a non-bool"),
                        at,
                    )
                }),
            "and" => Node::new(Value::Bool(a.iter().all(|x| x.as_bool() == Some(true))), at),
            "or" => Node::new(Value::Bool(a.iter().any(|x| x.as_bool() == Some(true))), at),
            "if" => match a.first().map(|c| (c.is_unknown(), c.as_bool())) {
                Some((false, Some(true))) => a.get(1).cloned().unwrap_or_else(|| {
                    unknown(
                        kijun_model::text!(
                            "if() には引数が 3 つ必要です",
                            "if() needs three arguments"
                        ),
                        at,
                    )
                }),
                Some((false, Some(false))) => a.get(2).cloned().unwrap_or_else(|| {
                    unknown(
                        kijun_model::text!(
                            "if() には引数が 3 つ必要です",
                            "if() needs three arguments"
                        ),
                        at,
                    )
                }),
                _ => match (a.get(1), a.get(2)) {
                    (Some(x), Some(y)) if x.value == y.value => x.clone(),
                    _ => unknown(
                        kijun_model::text!(
                            "デプロイ時に決まる条件の if() です",
                            "if() on a condition decided at deployment"
                        ),
                        at,
                    ),
                },
            },
            "coalesce" => a
                .iter()
                .find(|x| !x.is_null())
                .cloned()
                .unwrap_or_else(|| Node::new(Value::Null, at)),
            "empty" => Node::new(
                Value::Bool(match a.first().map(|x| &x.value) {
                    Some(Value::String(s)) => s.is_empty(),
                    Some(Value::List(l)) => l.is_empty(),
                    Some(Value::Object(m)) => m.is_empty(),
                    _ => true,
                }),
                at,
            ),
            "length" => match a.first().map(|x| &x.value) {
                Some(Value::String(s)) => Node::new(Value::Number(s.chars().count() as f64), at),
                Some(Value::List(l)) => Node::new(Value::Number(l.len() as f64), at),
                Some(Value::Object(m)) => Node::new(Value::Number(m.len() as f64), at),
                _ => unknown(
                    kijun_model::text!("不明な値の length() です", "length() of an unknown value"),
                    at,
                ),
            },
            "contains" => Node::new(
                Value::Bool(match (a.first(), a.get(1)) {
                    (
                        Some(Node {
                            value: Value::List(l),
                            ..
                        }),
                        Some(v),
                    ) => l.iter().any(|x| x.value == v.value),
                    (
                        Some(Node {
                            value: Value::String(h),
                            ..
                        }),
                        Some(v),
                    ) => text(v).is_some_and(|n| h.contains(n.as_str())),
                    (
                        Some(Node {
                            value: Value::Object(m),
                            ..
                        }),
                        Some(v),
                    ) => text(v).is_some_and(|k| m.contains_key(k.as_str())),
                    _ => false,
                }),
                at,
            ),
            "createarray" => Node::new(Value::List(a), at),
            "createobject" => {
                let mut m = kijun_model::Map::new();
                for pair in a.chunks(2) {
                    if let [k, v] = pair {
                        if let Some(k) = text(k) {
                            m.insert(Arc::from(k), v.clone());
                        }
                    }
                }
                Node::new(Value::Object(m), at)
            }
            "union" => {
                let mut m = kijun_model::Map::new();
                for x in &a {
                    if let Some(o) = x.as_object() {
                        m.extend(o.iter().map(|(k, v)| (k.clone(), v.clone())));
                    }
                }
                Node::new(Value::Object(m), at)
            }
            "first" => a
                .first()
                .and_then(|x| x.as_list())
                .and_then(|l| l.first().cloned())
                .unwrap_or_else(|| {
                    unknown(
                        kijun_model::text!("空のリストの first() です", "first() of an empty list"),
                        at,
                    )
                }),
            "last" => a
                .first()
                .and_then(|x| x.as_list())
                .and_then(|l| l.last().cloned())
                .unwrap_or_else(|| {
                    unknown(
                        kijun_model::text!("空のリストの last() です", "last() of an empty list"),
                        at,
                    )
                }),
            "split" => Node::new(
                Value::List(
                    s(0).unwrap_or_default()
                        .split(s(1).unwrap_or_default().as_str())
                        .map(|p| Node::string(p, at))
                        .collect(),
                ),
                at,
            ),
            "substring" => {
                let t: Vec<char> = s(0).unwrap_or_default().chars().collect();
                let start = a.get(1).and_then(|x| x.as_f64()).unwrap_or(0.0) as usize;
                let len = a
                    .get(2)
                    .and_then(|x| x.as_f64())
                    .map(|l| l as usize)
                    .unwrap_or(t.len().saturating_sub(start));
                Node::string(&t.iter().skip(start).take(len).collect::<String>(), at)
            }
            "startswith" => Node::new(
                Value::Bool(
                    s(0).unwrap_or_default()
                        .to_lowercase()
                        .starts_with(&s(1).unwrap_or_default().to_lowercase()),
                ),
                at,
            ),
            "endswith" => Node::new(
                Value::Bool(
                    s(0).unwrap_or_default()
                        .to_lowercase()
                        .ends_with(&s(1).unwrap_or_default().to_lowercase()),
                ),
                at,
            ),
            "resourceid"
            | "subscriptionresourceid"
            | "tenantresourceid"
            | "extensionresourceid" => {
                let mut n = unknown(
                    kijun_model::text!("リソース ID にはデプロイ時に決まるサブスクリプションとリソースグループが含まれます", "resource ids include the subscription and group, decided at deployment"),
                    at,
                );
                if let Value::Unknown(u) = &mut n.value {
                    let ty = a
                        .iter()
                        .filter_map(text)
                        .find(|t| t.contains('/'))
                        .unwrap_or_default();
                    let names: Vec<String> = a
                        .iter()
                        .filter_map(text)
                        .skip_while(|t| !t.contains('/'))
                        .skip(1)
                        .collect();
                    if !ty.is_empty() {
                        u.refs.push(Arc::from(format!("{ty}/{}", names.join("/"))));
                    }
                }
                n
            }
            "reference" | "list" | "listkeys" | "listsecrets" | "listaccountsas"
            | "listservicesas" => unknown(
                kijun_model::text!(
                    "{name}() はデプロイ済みのリソースを読みます",
                    "{name}() reads a deployed resource"
                ),
                at,
            ),
            _ => unknown(
                kijun_model::text!(
                    "{name}() はデプロイ時に評価されます",
                    "{name}() is evaluated at deployment"
                ),
                at,
            ),
        }
    }
}
