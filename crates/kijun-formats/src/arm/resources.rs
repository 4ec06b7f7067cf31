//! A template's resources into the model: conditions, `copy` loops over resources, names and
//! attributes, dependencies, child resources.

use super::{text, Reader, Scope, MAX_COPY, MAX_DEPTH};
use crate::tree::{get, get_str};
use kijun_model::{format_number, InputError, Node, Platform, Resource};
use std::collections::BTreeMap;

impl Reader<'_> {
    pub(super) fn resource(
        &mut self,
        scope: &Scope,
        r: &Node,
        parent: Option<(&str, &str)>,
        overrides: &[(String, String)],
        depth: u32,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let Some(ty_raw) = get_str(r, "type") else {
            return;
        };
        if let Some(cond) = get(r, "condition") {
            if scope.value(cond, 0).as_bool() == Some(false) {
                return;
            }
        }
        let ty = match parent {
            Some((pt, _)) if !ty_raw.contains('/') || !ty_raw.contains('.') => {
                format!("{pt}/{ty_raw}")
            }
            _ => ty_raw.to_string(),
        };
        let count = match get(r, "copy") {
            Some(c) => {
                let n = get(c, "count")
                    .map(|x| scope.value(x, 0))
                    .and_then(|x| x.as_f64());
                match n {
                    Some(n) if (0.0..=MAX_COPY as f64).contains(&n) => Some((
                        get_str(c, "name").unwrap_or("").to_ascii_lowercase(),
                        n as usize,
                    )),
                    Some(n) => {
                        self.errors.borrow_mut().push(InputError {
                            at: c.at,
                            message: kijun_model::text!("copy の count {} が上限の {MAX_COPY} を超えています。評価していません", "copy count {} is over the limit of {MAX_COPY}; not evaluated",
                                format_number(n)
                            ),
                        });
                        return;
                    }
                    None => Some((String::new(), 1)),
                }
            }
            None => None,
        };
        let instances: Vec<Option<(String, usize)>> = match count {
            Some((name, n)) => (0..n).map(|i| Some((name.clone(), i))).collect(),
            None => vec![None],
        };
        for inst in instances {
            if scope.exhausted() {
                break;
            }
            if let Some((loop_name, i)) = &inst {
                scope.copy_index.borrow_mut().insert(loop_name.clone(), *i);
                scope.copy_index.borrow_mut().insert(String::new(), *i);
            }
            let name_node = get(r, "name").map(|n| scope.value(n, 0));
            let mut name = name_node
                .as_ref()
                .and_then(text)
                .unwrap_or_else(|| "(name known at deployment)".into());
            if let Some((_, pn)) = parent {
                if !name.contains('/') {
                    name = format!("{pn}/{name}");
                }
            }
            let mut attrs = BTreeMap::new();
            if let Some(m) = r.as_object() {
                for (k, v) in m {
                    if matches!(
                        &**k,
                        "type"
                            | "apiVersion"
                            | "copy"
                            | "resources"
                            | "dependsOn"
                            | "condition"
                            | "comments"
                    ) {
                        continue;
                    }
                    let mut ev = scope.value(v, 0);
                    ev.rehome(r.at, v.at);
                    attrs.insert(k.to_string(), ev);
                }
            }
            // Inline nested deployment: its template is read as a template of its own.
            if ty.eq_ignore_ascii_case("Microsoft.Resources/deployments") {
                self.nested_deployment(scope, r, overrides, depth);
            }
            let refs = get(r, "dependsOn")
                .map(|d| {
                    d.items()
                        .iter()
                        .filter_map(|x| x.as_str())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let address = format!("{ty}/{name}");
            // Findings about the resource point at its name.
            let at = get(r, "name").map(|n| n.at).unwrap_or(r.at);
            self.model.resources.push(Resource {
                platform: Platform::Arm,
                kind: ty.clone(),
                address: address.clone(),
                at,
                attrs,
                provider: None,
                refs,
                module: String::new(),
                inline_exceptions: Vec::new(),
            });
            if let Some(children) = get(r, "resources").and_then(|c| c.as_list()) {
                for c in children {
                    self.resource(scope, c, Some((&ty, &name)), overrides, depth + 1);
                }
            }
        }
        scope.copy_index.borrow_mut().clear();
    }
}
