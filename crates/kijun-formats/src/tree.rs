//! Turning parsed JSON into the model's value tree, keeping every position.

use kijun_json::{Json, Spanned};
use kijun_model::{FileId, Node, Origin, Value};
use std::sync::Arc;

/// JSON → [`Node`]; duplicate keys: the last wins, as in most JSON consumers. Depth is bounded
/// by the JSON parser's limit, so the recursion here is too.
pub fn json_to_node(file: FileId, v: &Spanned) -> Node {
    let at = Origin::new(file, v.span.start as usize, v.span.end as usize);
    let value = match &v.value {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Number(*n),
        Json::String(s) => Value::String(Arc::from(s.as_str())),
        Json::Array(items) => Value::List(items.iter().map(|x| json_to_node(file, x)).collect()),
        Json::Object(members) => {
            // Later duplicates win, as JSON readers (and Terraform) take them.
            Value::Object(
                members
                    .iter()
                    .map(|mem| (Arc::from(mem.key.as_str()), json_to_node(file, &mem.value)))
                    .collect::<kijun_model::Map>(),
            )
        }
    };
    Node::new(value, at)
}

/// Object member lookup on a node.
pub fn get<'a>(n: &'a Node, key: &str) -> Option<&'a Node> {
    n.as_object().and_then(|m| m.get(key))
}

pub fn get_str<'a>(n: &'a Node, key: &str) -> Option<&'a str> {
    get(n, key).and_then(|x| x.as_str())
}
