//! Inline nested deployments: the template of a `Microsoft.Resources/deployments` resource,
//! read in its parent's scope or, for `inner` scope, with the parameters passed to it.

use super::{Reader, Scope};
use crate::tree::{get, get_str};
use kijun_model::Node;
use std::collections::HashMap;

impl Reader<'_> {
    /// Reads the template of the nested deployment `r`, if it is inline.
    pub(super) fn nested_deployment(
        &mut self,
        scope: &Scope,
        r: &Node,
        overrides: &[(String, String)],
        depth: u32,
    ) {
        if let Some(props) = get(r, "properties") {
            if let Some(t) = get(props, "template") {
                // why: ARM evaluates a nested template in the parent's scope (its
                // parameters and variables) unless `expressionEvaluationOptions.scope`
                // says `inner`; `outer` is the documented default. Parameter values
                // passed to the nested template only make sense for `inner`, so a
                // deployment that passes them and names no scope is read as `inner`.
                let inner = match get(props, "expressionEvaluationOptions")
                    .and_then(|o| get_str(o, "scope"))
                {
                    Some(s) => s.eq_ignore_ascii_case("inner"),
                    None => get(props, "parameters").is_some(),
                };
                if inner {
                    let mut given = HashMap::new();
                    if let Some(ps) = get(props, "parameters").and_then(|p| p.as_object()) {
                        for (k, v) in ps {
                            if let Some(val) = get(v, "value") {
                                given.insert(k.to_string(), scope.value(val, 0));
                            }
                        }
                    }
                    self.template(t, &given, None, overrides, depth + 1);
                } else {
                    let loops = scope
                        .var_defs
                        .get("copy")
                        .and_then(|c| c.as_list())
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|c| get_str(c, "name"))
                        .map(str::to_ascii_lowercase);
                    let vars = scope
                        .var_defs
                        .keys()
                        .filter(|k| k.as_str() != "copy")
                        .cloned()
                        .chain(loops)
                        .map(|k| {
                            let v = scope.variable_inner(&k, r.at, 0);
                            (k, v)
                        })
                        .collect();
                    self.template(t, &scope.params, Some(vars), overrides, depth + 1);
                }
            }
        }
    }
}
