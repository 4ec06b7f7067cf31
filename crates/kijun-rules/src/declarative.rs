//! The declarative checks of the catalogue: one attribute against expected values, with the
//! provider's documented default applied when the attribute is unset.

use crate::catalogue::Declarative;
use crate::util;
use crate::Hit;
use kijun_model::{format_number, Node, Resource, Value};

fn matches(expected: &toml::Value, n: &Node, ignore_case: bool) -> Option<bool> {
    Some(match expected {
        toml::Value::Boolean(b) => n.as_bool()? == *b,
        toml::Value::Integer(i) => n.as_f64()? == *i as f64,
        toml::Value::Float(f) => n.as_f64()? == *f,
        toml::Value::String(s) => {
            let v = match &n.value {
                Value::String(v) => v.to_string(),
                Value::Number(x) => format_number(*x),
                Value::Bool(b) => b.to_string(),
                _ => return Some(false),
            };
            if ignore_case {
                v.eq_ignore_ascii_case(s)
            } else {
                &v == s
            }
        }
        _ => return None,
    })
}

fn passes(d: &Declarative, n: &Node) -> bool {
    if let Some(e) = &d.equals {
        if matches(e, n, d.ignore_case) != Some(true) {
            return false;
        }
    }
    if let Some(list) = &d.one_of {
        if !list
            .iter()
            .any(|e| matches(e, n, d.ignore_case) == Some(true))
        {
            return false;
        }
    }
    if let Some(list) = &d.none_of {
        if list
            .iter()
            .any(|e| matches(e, n, d.ignore_case) == Some(true))
        {
            return false;
        }
    }
    if let Some(min) = d.min {
        if n.as_f64().is_none_or(|x| x < min) {
            return false;
        }
    }
    true
}

fn toml_to_node(v: &toml::Value, at: kijun_model::Origin) -> Node {
    let value = match v {
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Integer(i) => Value::Number(*i as f64),
        toml::Value::Float(f) => Value::Number(*f),
        toml::Value::String(s) => Value::String(s.as_str().into()),
        _ => Value::Null,
    };
    Node::new(value, at)
}

pub fn run(d: &Declarative, r: &Resource, out: &mut Vec<Hit>) {
    let (first, rest) = match d.attribute.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (d.attribute.as_str(), None),
    };
    let nodes: Vec<&Node> = match (r.get(first), rest) {
        (None, _) => Vec::new(),
        (Some(n), None) => vec![n],
        (Some(n), Some(_)) if n.is_unknown() => vec![n],
        (Some(n), Some(path)) => n.all(path),
    };
    let present: Vec<&Node> = nodes.into_iter().filter(|n| !n.is_null()).collect();
    let level = |h: Hit| match d.min_level {
        Some(l) => h.at_level(l),
        None => h,
    };
    if present.is_empty() {
        match &d.default {
            Some(def) => {
                if !passes(d, &toml_to_node(def, r.at)) {
                    let shown = toml_to_node(def, r.at).display();
                    out.push(level(Hit::missing(r, util::unset(&d.attribute, &shown))));
                }
            }
            None => out.push(level(Hit::missing(r, util::missing(&d.attribute)))),
        }
        return;
    }
    for n in present {
        if n.is_unknown() {
            out.push(level(Hit::unknown(n, &d.attribute)));
        } else if !passes(d, n) {
            out.push(level(Hit::value(n, util::is(&d.attribute, n))));
        }
    }
}
