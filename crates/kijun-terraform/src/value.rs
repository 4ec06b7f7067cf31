//! What evaluation produces and needs below the evaluator: failures, local bindings, and
//! Terraform's equality and string conversion of values. No module here depends on the
//! evaluator's state.

use kijun_model::{format_number, Node, Origin, Text, Unknown, Value};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Fail {
    /// Boxed: results of evaluation are everywhere on the evaluator's (recursive) stack, and a
    /// failure must not make them larger than a value.
    pub message: Box<Text>,
    pub at: Origin,
}

pub type R = Result<Node, Fail>;

pub fn fail<T>(at: Origin, message: Text) -> Result<T, Fail> {
    Err(Fail {
        message: Box::new(message),
        at,
    })
}

/// Local names bound by `for` expressions, `dynamic` iterators, `count` and `each`.
/// why: values are shared, not copied, when a `for` expression nested in another binds one more
/// name: copying every outer binding at every step made nested loops quadratic in their values.
#[derive(Clone, Default)]
pub struct Binds {
    names: Vec<(Arc<str>, Arc<Node>)>,
}

impl Binds {
    pub fn with(&self, name: &Arc<str>, value: Node) -> Binds {
        let mut b = self.clone();
        b.names.push((name.clone(), Arc::new(value)));
        b
    }

    pub fn push(&mut self, name: &str, value: Node) {
        self.names.push((Arc::from(name), Arc::new(value)));
    }

    pub fn get(&self, name: &str) -> Option<&Node> {
        self.names
            .iter()
            .rev()
            .find(|(n, _)| &**n == name)
            .map(|(_, v)| &**v)
    }
}

pub fn unknown_with(reason: Text, refs: Vec<Arc<str>>, at: Origin) -> Node {
    Node::new(
        Value::Unknown(Unknown {
            reason: Arc::new(reason),
            refs,
        }),
        at,
    )
}

/// The first unknown among `nodes`, its references merged with those of the others.
pub fn first_unknown(nodes: &[&Node], at: Origin) -> Option<Node> {
    let mut reason: Option<Arc<Text>> = None;
    let mut refs: Vec<Arc<str>> = Vec::new();
    for n in nodes {
        if let Value::Unknown(u) = &n.value {
            if reason.is_none() {
                reason = Some(u.reason.clone());
            }
            for r in &u.refs {
                if !refs.contains(r) {
                    refs.push(r.clone());
                }
            }
        }
    }
    reason.map(|reason| Node::new(Value::Unknown(Unknown { reason, refs }), at))
}

pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(a, b)| values_equal(&a.value, &b.value))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, a), (kb, b))| ka == kb && values_equal(&a.value, &b.value))
        }
        _ => false,
    }
}

/// Terraform's string conversion for templates and `tostring`.
pub fn to_string_value(n: &Node) -> Option<String> {
    match &n.value {
        Value::String(s) => Some(s.to_string()),
        Value::Number(x) => Some(format_number(*x)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
