//! Values with positions. Every value remembers where it was written (`at`) and, when it reached
//! a resource through a variable, local, module input or loop, which way it came (`from`).

// why: `Map` holds `Node`s and `Value::Object` holds a `Map`: one recursive type, so its
// object form lives under `value` rather than beside it.
mod map;

use crate::Origin;
pub use map::Map;
use std::sync::Arc;

/// Why a value cannot be known, and which resources it refers to (a reference to another
/// resource's attribute is unknown before apply, but it is still a graph edge).
#[derive(Clone, Debug, PartialEq)]
pub struct Unknown {
    pub reason: Arc<crate::Text>,
    pub refs: Vec<Arc<str>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(Arc<str>),
    List(Vec<Node>),
    Object(Map),
    Unknown(Unknown),
}

/// The way a value reached the place it is used: `var.encrypt_volumes` and where that
/// variable's value was written (its default, a tfvars file, a module argument).
#[derive(Clone, Debug, PartialEq)]
pub struct Provenance {
    pub via: String,
    pub at: Origin,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub at: Origin,
    pub from: Option<Arc<Provenance>>,
}

impl Node {
    pub fn new(value: Value, at: Origin) -> Node {
        Node {
            value,
            at,
            from: None,
        }
    }

    pub fn unknown(reason: crate::Text, at: Origin) -> Node {
        Node::new(
            Value::Unknown(Unknown {
                reason: Arc::new(reason),
                refs: Vec::new(),
            }),
            at,
        )
    }

    pub fn string(s: &str, at: Origin) -> Node {
        Node::new(Value::String(Arc::from(s)), at)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.value, Value::Unknown(_))
    }

    /// Whether lists and objects nest more than `limit` levels deep. Evaluators check values
    /// they keep (locals, variables) with this: dropping, copying and printing a value recurse,
    /// so its depth must stay bounded whatever the input.
    pub fn depth_exceeds(&self, limit: usize) -> bool {
        let mut stack: Vec<(&Node, usize)> = vec![(self, 0)];
        while let Some((n, d)) = stack.pop() {
            let children: Box<dyn Iterator<Item = &Node>> = match &n.value {
                Value::List(v) => Box::new(v.iter()),
                Value::Object(m) => Box::new(m.values()),
                _ => continue,
            };
            if d >= limit {
                return true;
            }
            stack.extend(children.map(|c| (c, d + 1)));
        }
        false
    }

    /// The cost of holding (or copying) this value, in evaluation-budget units: one per node
    /// plus one per 64 bytes of string. Counting stops once `limit` is passed, so measuring a
    /// huge value costs no more than the budget it would exceed.
    pub fn weight_up_to(&self, limit: u64) -> u64 {
        let mut total = 0u64;
        let mut stack: Vec<&Node> = vec![self];
        while let Some(n) = stack.pop() {
            total = total.saturating_add(1);
            match &n.value {
                Value::String(s) => total = total.saturating_add(s.len() as u64 / 64),
                Value::List(v) => stack.extend(v.iter()),
                Value::Object(m) => {
                    for (k, v) in m {
                        total = total.saturating_add(k.len() as u64 / 64);
                        stack.push(v);
                    }
                }
                _ => {}
            }
            if total > limit {
                break;
            }
        }
        total
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            // why: Terraform converts "true"/"false" strings to bool for bool arguments, and
            // YAML/ARM templates often quote them.
            Value::String(s) => match s.to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.value {
            Value::Number(n) => Some(*n),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Node]> {
        match &self.value {
            Value::List(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match &self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// A key of an object; on a list, the key of its first element (nested Terraform blocks are
    /// lists of objects, and most have at most one element).
    pub fn child(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Object(m) => m.get(key),
            Value::List(v) => v.first().and_then(|n| n.child(key)),
            _ => None,
        }
    }

    /// Every node reached by `path` (dots between keys); lists fan out at every step.
    pub fn all<'a>(&'a self, path: &str) -> Vec<&'a Node> {
        let mut cur: Vec<&Node> = vec![self];
        for key in path.split('.').filter(|k| !k.is_empty()) {
            let mut next = Vec::new();
            for n in cur {
                collect_key(n, key, &mut next);
            }
            cur = next;
        }
        cur
    }

    /// The elements if this is a list, else the node itself (a single nested block or a scalar
    /// where a list is allowed).
    pub fn items(&self) -> Vec<&Node> {
        match &self.value {
            Value::List(v) => v.iter().collect(),
            Value::Null => Vec::new(),
            _ => vec![self],
        }
    }

    /// Strings of a list (or a single string); unknown elements are skipped and reported
    /// through the returned flag.
    pub fn strings(&self) -> (Vec<(&str, &Node)>, bool) {
        let mut out = Vec::new();
        let mut unknown = self.is_unknown();
        for n in self.items() {
            match &n.value {
                Value::String(s) => out.push((&**s, n)),
                Value::Unknown(_) => unknown = true,
                _ => {}
            }
        }
        (out, unknown)
    }

    /// A short rendering for messages: `false`, `"0.0.0.0/0"`, `[…3 items]`.
    pub fn display(&self) -> String {
        match &self.value {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => format_number(*n),
            Value::String(s) => format!("\"{s}\""),
            Value::List(v) => {
                if v.len() <= 4
                    && v.iter()
                        .all(|n| !matches!(n.value, Value::List(_) | Value::Object(_)))
                {
                    let parts: Vec<String> = v.iter().map(Node::display).collect();
                    format!("[{}]", parts.join(", "))
                } else {
                    format!("[…{} items]", v.len())
                }
            }
            Value::Object(m) => format!("{{…{} keys}}", m.len()),
            Value::Unknown(_) => "(known after apply)".into(),
        }
    }

    /// Plain JSON, for plugins and debugging; unknowns become null.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null | Value::Unknown(_) => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
                serde_json::Value::Number(serde_json::Number::from(*n as i64))
            }
            Value::Number(n) => serde_json::Number::from_f64(*n)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::List(v) => serde_json::Value::Array(v.iter().map(Node::to_json).collect()),
            Value::Object(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| (k.to_string(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// Gives every descendant written outside `within` (another file, or elsewhere in the same
    /// file) the position of its nearest ancestor inside it, keeping where it really came from in
    /// `from`: a finding about a resource always points into the resource's own block.
    pub fn rehome(&mut self, within: Origin, anchor: Origin) {
        self.rehome_from(within, anchor, None);
    }

    fn rehome_from(&mut self, within: Origin, anchor: Origin, parent: Option<&Arc<Provenance>>) {
        let inside = self.at.file == within.file
            && self.at.start >= within.start
            && self.at.end <= within.end;
        if !inside {
            if self.from.is_none() {
                // A part of a value that came through a variable came through it too.
                let via = parent.map(|p| p.via.clone()).unwrap_or_default();
                self.from = Some(Arc::new(Provenance { via, at: self.at }));
            }
            self.at = anchor;
        }
        let here = self.at;
        let from = self.from.clone();
        match &mut self.value {
            Value::List(v) => v
                .iter_mut()
                .for_each(|n| n.rehome_from(within, here, from.as_ref())),
            Value::Object(m) => m
                .values_mut()
                .for_each(|n| n.rehome_from(within, here, from.as_ref())),
            _ => {}
        }
    }
}

fn collect_key<'a>(n: &'a Node, key: &str, out: &mut Vec<&'a Node>) {
    match &n.value {
        Value::Object(m) => {
            if let Some(c) = m.get(key) {
                out.push(c);
            }
        }
        Value::List(v) => v.iter().for_each(|e| collect_key(e, key, out)),
        _ => {}
    }
}

pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}
