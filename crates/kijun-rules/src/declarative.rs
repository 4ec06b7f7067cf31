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

/// Judges the attribute on one container (the resource body or one nested block).
fn judge_one(
    d: &Declarative,
    r: &Resource,
    attr_name: &str,
    node: Option<&Node>,
    at_missing: Option<&Node>,
    out: &mut Vec<Hit>,
) {
    let level = |h: Hit| match d.min_level {
        Some(l) => h.at_level(l),
        None => h,
    };
    let missing_hit = |detail| match at_missing {
        // A missing attribute inside a nested block points at that block.
        Some(b) => Hit::value(b, detail),
        None => Hit::missing(r, detail),
    };
    match node.filter(|n| !n.is_null()) {
        None => {
            if d.present {
                out.push(level(missing_hit(util::missing(attr_name))));
                return;
            }
            match &d.default {
                Some(def) => {
                    let dn = toml_to_node(def, r.at);
                    if !passes(d, &dn) {
                        out.push(level(missing_hit(util::unset(attr_name, &dn.display()))));
                    }
                }
                None => out.push(level(missing_hit(util::missing(attr_name)))),
            }
        }
        // A value known only after apply counts as set when it refers to another resource (a
        // key that exists); one with no reference (an unset variable) cannot be judged.
        Some(n) if d.present => {
            if let Value::Unknown(u) = &n.value {
                if u.refs.is_empty() {
                    out.push(level(Hit::unknown(n, attr_name)));
                }
            }
        }
        Some(n) if n.is_unknown() => out.push(level(Hit::unknown(n, attr_name))),
        Some(n) => {
            if !passes(d, n) {
                out.push(level(Hit::value(n, util::is(attr_name, n))));
            }
        }
    }
}

pub fn run(d: &Declarative, r: &Resource, out: &mut Vec<Hit>) {
    let Some((block_path, leaf)) = d.attribute.rsplit_once('.') else {
        judge_one(d, r, &d.attribute, r.get(&d.attribute), None, out);
        return;
    };
    // Nested: every block on the path is judged on its own, so one compliant block does not
    // hide a non-compliant sibling.
    let (first, rest) = match block_path.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (block_path, None),
    };
    let Some(top) = r.get(first).filter(|n| !n.is_null()) else {
        if d.absent_block_uses_default {
            judge_one(d, r, &d.attribute, None, None, out);
        }
        return;
    };
    if top.is_unknown() {
        out.push(Hit::unknown(top, &d.attribute));
        return;
    }
    let blocks: Vec<&Node> = match rest {
        Some(p) => top.all(p).into_iter().flat_map(|n| n.items()).collect(),
        None => top.items(),
    };
    if blocks.is_empty() && d.absent_block_uses_default {
        judge_one(d, r, &d.attribute, None, None, out);
    }
    for b in blocks {
        if b.is_unknown() {
            out.push(Hit::unknown(b, &d.attribute));
            continue;
        }
        judge_one(d, r, &d.attribute, b.child(leaf), Some(b), out);
    }
}

/// Declarative checks written in a rule file, for rules whose other parts need code: the rule
/// then has one implementation (its Rust file) instead of being split between the catalogue's
/// `[[check]]` entries and Rust. Judged exactly as a catalogue `[[check]]`.
impl Declarative {
    pub fn on(kinds: &[&str], attribute: &str) -> Self {
        Declarative {
            kinds: kinds.iter().map(|k| (*k).to_string()).collect(),
            attribute: attribute.to_string(),
            equals: None,
            one_of: None,
            none_of: None,
            min: None,
            default: None,
            ignore_case: false,
            min_level: None,
            present: false,
            absent_block_uses_default: false,
        }
    }

    pub fn equals(mut self, v: impl Into<toml::Value>) -> Self {
        self.equals = Some(v.into());
        self
    }

    pub fn one_of<V: Into<toml::Value>>(mut self, vs: impl IntoIterator<Item = V>) -> Self {
        self.one_of = Some(vs.into_iter().map(Into::into).collect());
        self
    }

    pub fn none_of<V: Into<toml::Value>>(mut self, vs: impl IntoIterator<Item = V>) -> Self {
        self.none_of = Some(vs.into_iter().map(Into::into).collect());
        self
    }

    /// The provider's documented default, judged when the attribute is unset.
    pub fn unset_means(mut self, v: impl Into<toml::Value>) -> Self {
        self.default = Some(v.into());
        self
    }

    pub fn ignore_case(mut self) -> Self {
        self.ignore_case = true;
        self
    }

    pub fn absent_block_uses_default(mut self) -> Self {
        self.absent_block_uses_default = true;
        self
    }
}

/// Runs the checks of `specs` that apply to `r`'s kind, in order.
pub fn run_all(specs: &[Declarative], r: &Resource, out: &mut Vec<Hit>) {
    for d in specs
        .iter()
        .filter(|d| d.kinds.iter().any(|k| k == &r.kind))
    {
        run(d, r, out);
    }
}
