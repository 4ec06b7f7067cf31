//! `copy` loops inside values: property iteration in an object and loop-built variables.

use super::{Scope, MAX_COPY};
use crate::tree::{get, get_str};
use kijun_model::{format_number, InputError, Node, Value};

impl Scope<'_> {
    /// A variable built by a loop in the `variables` section:
    /// `"variables": {"copy": [{"name": "rules", "count": 3, "input": {...}}]}`.
    pub(super) fn copy_variable(&self, name: &str, depth: u32) -> Option<Node> {
        let c = self
            .var_defs
            .get("copy")?
            .as_list()?
            .iter()
            .find(|c| get_str(c, "name").is_some_and(|n| n.eq_ignore_ascii_case(name)))?;
        if let Some(count) = get(c, "count").map(|x| self.value(x, depth + 1)) {
            if count.is_unknown() {
                return Some(count);
            }
        }
        self.property_copy(c, depth + 1).map(|(_, arr)| arr)
    }

    /// Property iteration: `"copy": [{"name": "rules", "count": 3, "input": {...}}]`.
    pub(super) fn property_copy(&self, c: &Node, depth: u32) -> Option<(String, Node)> {
        let name = get_str(c, "name")?.to_string();
        let count = get(c, "count")
            .map(|x| self.value(x, depth + 1))?
            .as_f64()?;
        let input = get(c, "input")?;
        if count < 0.0 || count > MAX_COPY as f64 {
            self.errors.borrow_mut().push(InputError {
                at: c.at,
                message: kijun_model::text!(
                    "copy '{name}' の count {} が上限の {MAX_COPY} を超えています",
                    "copy '{name}' count {} is over the limit of {MAX_COPY}",
                    format_number(count)
                ),
            });
            return None;
        }
        let mut items = Vec::new();
        for i in 0..count as usize {
            self.copy_index
                .borrow_mut()
                .insert(name.to_ascii_lowercase(), i);
            items.push(self.value(input, depth + 1));
        }
        self.copy_index
            .borrow_mut()
            .remove(&name.to_ascii_lowercase());
        Some((name, Node::new(Value::List(items), c.at)))
    }
}
