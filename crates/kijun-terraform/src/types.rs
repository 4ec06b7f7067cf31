//! Type constraints of input variables (`type = map(object({ a = optional(string, "x") }))`).
//!
//! why: Terraform converts every value given to a variable (its default, a tfvars entry, a
//! module argument) to the declared type before the module sees it. Modules lean on that: an
//! attribute declared `optional(…)` and left out by the caller reads as null (or as the
//! declared default) rather than as a missing attribute, and attributes the type does not name
//! are dropped. Without this conversion `each.value.ssl_policy` fails where Terraform reads
//! null, and a default written in the type never reaches the resource.

use crate::instance::Instance;
use crate::ir::{Expr, E};
use crate::value::Binds;
use kijun_model::{format_number, Node, Value};
use std::sync::Arc;

/// Nested type constructors followed at most (types are written by hand; this only bounds
/// hostile input).
const MAX_TYPE_DEPTH: u32 = 64;

/// Converts `v` to the type written in `ty`. Values the scan cannot know (unknown) and type
/// expressions it does not understand pass through unchanged.
pub fn convert(inst: &Instance, v: Node, ty: &E) -> Node {
    convert_at(inst, v, ty, 0)
}

fn args(ty: &E) -> Option<(&str, &[E])> {
    match &ty.expr {
        Expr::Call(name, args, _) => Some((name, args)),
        _ => None,
    }
}

fn convert_at(inst: &Instance, v: Node, ty: &E, depth: u32) -> Node {
    if depth >= MAX_TYPE_DEPTH || v.is_unknown() || v.is_null() {
        return v;
    }
    match &ty.expr {
        Expr::Var(name) => primitive(v, name),
        Expr::Call(name, a, _) => match (&**name, a.as_slice()) {
            ("list" | "set", [elem]) => match v.value {
                Value::List(items) => Node {
                    value: Value::List(
                        items
                            .into_iter()
                            .map(|n| convert_at(inst, n, elem, depth + 1))
                            .collect(),
                    ),
                    ..v
                },
                _ => v,
            },
            ("map", [elem]) => match v.value {
                Value::Object(m) => Node {
                    value: Value::Object(
                        m.into_iter()
                            .map(|(k, n)| (k, convert_at(inst, n, elem, depth + 1)))
                            .collect(),
                    ),
                    ..v
                },
                _ => v,
            },
            (
                "tuple",
                [E {
                    expr: Expr::Array(elems),
                    ..
                }],
            ) => match v.value {
                Value::List(items) if items.len() == elems.len() => Node {
                    value: Value::List(
                        items
                            .into_iter()
                            .zip(elems)
                            .map(|(n, t)| convert_at(inst, n, t, depth + 1))
                            .collect(),
                    ),
                    ..v
                },
                _ => v,
            },
            (
                "object",
                [E {
                    expr: Expr::Object(fields),
                    ..
                }],
            ) => object(inst, v, fields, depth),
            // `optional(T)` only means something inside `object({…})`; elsewhere, T.
            ("optional", [inner, ..]) => convert_at(inst, v, inner, depth + 1),
            _ => v,
        },
        _ => v,
    }
}

/// `string`, `number`, `bool` convert between each other as Terraform does; `any` keeps the
/// value.
fn primitive(v: Node, name: &str) -> Node {
    let value = match (name, &v.value) {
        ("string", Value::Number(n)) => Value::String(Arc::from(format_number(*n))),
        ("string", Value::Bool(b)) => Value::String(Arc::from(b.to_string())),
        ("number", Value::String(s)) => match s.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Value::Number(n),
            _ => return v,
        },
        ("bool", Value::String(s)) => match &**s {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return v,
        },
        _ => return v,
    };
    Node { value, ..v }
}

fn object(inst: &Instance, v: Node, fields: &[(E, E)], depth: u32) -> Node {
    // A computed attribute name is not valid in a type: such a type is not understood.
    let names: Option<Vec<(&Arc<str>, &E)>> = fields
        .iter()
        .map(|(k, t)| match &k.expr {
            Expr::Str(name) => Some((name, t)),
            _ => None,
        })
        .collect();
    let Some(names) = names else {
        return v;
    };
    let Value::Object(mut given) = v.value else {
        return v;
    };
    let mut out: kijun_model::Map = kijun_model::Map::new();
    for (name, fty) in names {
        match (given.remove(&**name), args(fty)) {
            (Some(n), _) if !n.is_null() => {
                out.insert(name.clone(), convert_at(inst, n, fty, depth + 1));
            }
            // why: an optional attribute left out (or null) takes its declared default, itself
            // converted to the attribute's type; without a default it is null.
            (_, Some(("optional", [inner, default]))) => {
                let d = inst.eval_soft(default, &Binds::default());
                out.insert(name.clone(), convert_at(inst, d, inner, depth + 1));
            }
            (Some(null), _) => {
                out.insert(name.clone(), null);
            }
            (None, Some(("optional", _))) => {
                out.insert(name.clone(), Node::new(Value::Null, v.at));
            }
            // A required attribute that is missing is an error in Terraform; the value keeps
            // its shape so that the resource still reports what it can.
            (None, _) => {}
        }
    }
    // Attributes the type does not declare are dropped, as Terraform does.
    Node {
        value: Value::Object(out),
        ..v
    }
}
