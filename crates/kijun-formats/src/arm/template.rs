//! Reading one template: its parameters (overridden, given by a deploying template or
//! defaulted), its variables, and the scope its resources are evaluated in.

use super::{unknown, Reader, Scope};
use crate::tree::get;
use kijun_model::{InputError, Node, Value};
use std::cell::RefCell;
use std::collections::HashMap;

impl Reader<'_> {
    /// Reads one template. `outer` carries the deploying template's variables (by lower-case
    /// name) when a nested template is evaluated in its parent's scope; `given` then holds the
    /// parent's parameters.
    pub(super) fn template(
        &mut self,
        root: &Node,
        given: &HashMap<String, Node>,
        outer: Option<HashMap<String, Node>>,
        overrides: &[(String, String)],
        depth: u32,
    ) {
        if depth > 8 {
            self.errors.borrow_mut().push(InputError {
                at: root.at,
                message: kijun_model::text!(
                    "入れ子のデプロイが 8 階層を超えています。評価していません",
                    "nested deployments deeper than 8 levels; not evaluated"
                ),
            });
            return;
        }
        let mut params = HashMap::new();
        if let Some(ps) = get(root, "parameters").and_then(|p| p.as_object()) {
            for (name, decl) in ps {
                if let Some((_, v)) = overrides.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
                    params.insert(name.to_string(), Node::string(v, decl.at));
                } else if let Some(v) = given
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.clone())
                {
                    params.insert(name.to_string(), v);
                } else if get(decl, "defaultValue").is_some() {
                    params.insert(name.to_string(), Node::new(Value::Null, decl.at));
                // placeholder, set below
                } else {
                    params.insert(name.to_string(), unknown(kijun_model::text!("パラメーター {name} には既定値がなく、値も指定されていません（--parameter {name}=…）", "parameter {name} has no default and was not given (--parameter {name}=…)"), decl.at));
                }
            }
        }
        if outer.is_some() {
            for (k, v) in given {
                params.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        let var_defs: HashMap<String, &Node> = get(root, "variables")
            .and_then(|v| v.as_object())
            .map(|m| m.iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect())
            .unwrap_or_default();
        let mut scope = Scope {
            params,
            var_defs,
            vars: RefCell::new(
                outer
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| (k, Some(v)))
                    .collect(),
            ),
            errors: self.errors,
            copy_index: RefCell::new(HashMap::new()),
            budget: self.budget,
        };
        // Defaults may use expressions over other parameters (`[resourceGroup().location]`).
        if let Some(ps) = get(root, "parameters").and_then(|p| p.as_object()) {
            for (name, decl) in ps {
                if scope.params.get(&**name).is_some_and(|v| v.is_null()) {
                    if let Some(d) = get(decl, "defaultValue") {
                        let v = scope.value(d, 0);
                        scope.params.insert(name.to_string(), v);
                    }
                }
            }
        }
        let resources: Vec<&Node> = match get(root, "resources").map(|r| &r.value) {
            Some(Value::List(l)) => l.iter().collect(),
            // languageVersion 2.0: resources keyed by symbolic name.
            Some(Value::Object(m)) => m.values().collect(),
            _ => Vec::new(),
        };
        for r in resources {
            if scope.exhausted() {
                break;
            }
            self.resource(&scope, r, None, overrides, depth);
        }
    }
}
