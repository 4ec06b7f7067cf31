//! Module calls: child instances given the call's inputs, run for their resources or asked for
//! one output.

use super::RESOURCE_COST;
use crate::instance::Instance;
use crate::ir::{Block, Expr};
use crate::value::Binds;
use kijun_model::{Node, NotEvaluated, Origin};

impl Instance<'_> {
    /// `module.m.out`: the output expression of a (single-instance) module call, evaluated in a
    /// child instance with the call's inputs. Memoised; depth-bounded like module calls.
    /// why: cross-resource rules (a flow log for a VPC created in a module) need the graph edge
    /// through the output, and values such as IDs keep their references.
    pub(super) fn module_output(&self, name: &str, output: &str, at: Origin) -> Option<Node> {
        let key = format!("{name}.{output}");
        if let Some(v) = self.output_cache.borrow().get(&key) {
            if let Some(n) = v {
                if self.charge_copy(n, at).is_err() {
                    return None;
                }
            }
            return v.clone();
        }
        self.output_cache.borrow_mut().insert(key.clone(), None);
        let v = self
            .module_output_uncached(name, output, at)
            .and_then(|v| self.keepable(v, at).ok());
        self.output_cache.borrow_mut().insert(key, v.clone());
        v
    }

    fn module_output_uncached(&self, name: &str, output: &str, _at: Origin) -> Option<Node> {
        let call = self.def.module_calls.iter().find(|c| c.label(0) == name)?;
        if call.attr("count").is_some() || call.attr("for_each").is_some() {
            return None;
        }
        let source = match &call.attr("source")?.expr.expr {
            Expr::Str(s) => s.to_string(),
            _ => return None,
        };
        let key = if self.key.is_empty() {
            name.to_string()
        } else {
            format!("{}.{}", self.key, name)
        };
        let dir = if source.starts_with("./") || source.starts_with("../") {
            Some(crate::paths::join(&self.def.dir, &source))
        } else {
            self.config.downloaded(&self.root_dir, &key)
        }?;
        let def = self.config.module(&dir)?;
        if self.stack.contains(&def.dir) || self.stack.len() >= self.limits().max_module_depth {
            return None;
        }
        let expr = def.outputs.get(output)?;
        let mut child = Instance::new(self.config, def, &self.root_dir);
        child.budget = self.budget.clone();
        child.path = self.qualified(&format!("module.{name}"));
        child.key = key;
        child.stack = self.stack.clone();
        child.stack.push(def.dir.clone());
        child.providers = self.child_providers(call, def, &Binds::default());
        for (vname, decl) in &def.variables {
            let value = match call.attr(vname) {
                Some(a) => self.eval_soft(&a.expr, &Binds::default()),
                None => match &decl.default {
                    Some(d) => child.eval_soft(d, &Binds::default()),
                    None => Node::unknown(
                        kijun_model::text!(
                            "`var.{vname}` はモジュール \"{name}\" で設定されていません",
                            "var.{vname} is not set by module \"{name}\""
                        ),
                        decl.at,
                    ),
                },
            };
            child.vars.insert(vname.clone(), value);
        }
        child.apply_var_types();
        Some(child.eval_soft(expr, &Binds::default()))
    }

    pub(super) fn run_module(&self, call: &Block) {
        let name = call.label(0);
        let Some(src) = call.attr("source") else {
            return;
        };
        let source = match &src.expr.expr {
            Expr::Str(s) => s.to_string(),
            _ => {
                self.error(
                    src.expr.at,
                    kijun_model::text!(
                        "モジュール \"{name}\": source は文字列リテラルでなければなりません",
                        "module \"{name}\": source must be a literal string"
                    ),
                );
                return;
            }
        };
        let key = if self.key.is_empty() {
            name.to_string()
        } else {
            format!("{}.{}", self.key, name)
        };
        let dir = if source.starts_with("./") || source.starts_with("../") {
            Some(crate::paths::join(&self.def.dir, &source))
        } else {
            self.config.downloaded(&self.root_dir, &key)
        };
        let Some(def) = dir.as_deref().and_then(|d| self.config.module(d)) else {
            self.out.borrow_mut().not_evaluated.push(NotEvaluated {
                at: call.at,
                resource: Some(self.qualified(&format!("module.{name}"))),
                kind: Some("module".into()),
                rule_id: None,
                reason: if dir.is_some() {
                    kijun_model::text!("モジュール \"{name}\": source `{source}` に Terraform のファイルがありません", "module \"{name}\": source {source} has no Terraform files here")
                } else {
                    kijun_model::text!(
                        "モジュール \"{name}\": リモートモジュール `{source}` はダウンロードされていないため評価できませんでした。`terraform init` を実行すると .terraform/modules を検査できます",
                        "module \"{name}\": remote source {source} is not downloaded; run `terraform init` so that .terraform/modules can be scanned"
                    )
                },
            });
            return;
        };
        if self.stack.contains(&def.dir) {
            self.error(
                src.expr.at,
                kijun_model::text!(
                    "モジュールの循環: `{0}` が `{1}` を再び呼び出しています。評価していません",
                    "module cycle: {0} calls {1} again; not evaluated",
                    self.stack.join(" → "),
                    def.dir
                ),
            );
            return;
        }
        if self.stack.len() >= self.limits().max_module_depth {
            self.error(
                src.expr.at,
                kijun_model::text!(
                    "モジュール \"{name}\": 入れ子が {0} 階層を超えています。評価していません",
                    "module \"{name}\": nested deeper than {0} modules; not evaluated",
                    self.limits().max_module_depth
                ),
            );
            return;
        }
        let base = format!("module.{name}");
        let instances = self
            .expansion(call, &base)
            .unwrap_or_else(|| vec![(String::new(), Binds::default())]);
        for (suffix, b) in instances {
            if self.exhausted() {
                break;
            }
            if self.charge(RESOURCE_COST, call.at).is_err() {
                break;
            }
            let mut child = Instance::new(self.config, def, &self.root_dir);
            child.budget = self.budget.clone();
            child.path = self.qualified(&format!("{base}{suffix}"));
            child.key = key.clone();
            child.stack = self.stack.clone();
            child.stack.push(def.dir.clone());
            // why: `providers = { aws = aws.by_region[each.key] }` gives each instance of a
            // module call with `for_each` its own provider instance (OpenTofu 1.9).
            child.providers = self.child_providers(call, def, &b);
            for (vname, decl) in &def.variables {
                let value = match call.attr(vname) {
                    Some(a) => self.eval_soft(&a.expr, &b),
                    None => match &decl.default {
                        Some(d) => child.eval_soft(d, &Binds::default()),
                        None => Node::unknown(
                            kijun_model::text!(
                                "`var.{vname}` はモジュール \"{name}\" で設定されておらず、既定値もありません",
                                "var.{vname} is not set by module \"{name}\" and has no default"
                            ),
                            decl.at,
                        ),
                    },
                };
                child.vars.insert(vname.clone(), value);
            }
            child.apply_var_types();
            child.run();
            let out = child.out.into_inner();
            self.out.borrow_mut().extend(out);
        }
    }
}
