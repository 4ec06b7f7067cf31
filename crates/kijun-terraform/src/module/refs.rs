//! Names and traversals: `var.x`, `local.y` (memoised, cycles reported), `path`, `terraform`,
//! `module.m.out`, `data.t.n`, and resource attributes whose configured value is known before
//! apply.

use crate::eval::with_provenance;
use crate::instance::{Instance, LocalState};
use crate::ir::Op;
use crate::value::{fail, unknown_with, Binds, Fail, R};
use kijun_model::{Node, Origin, Value};
use std::sync::Arc;

impl Instance<'_> {
    /// A root name with its traversal: `var.x.y`, `local.z`, `aws_vpc.main.id`, `each.value`.
    pub fn traverse(&self, name: &str, ops: &[Op], at: Origin, b: &Binds) -> R {
        if let Some(v) = b.get(name) {
            self.charge_copy(v, at)?;
            let base = v.clone();
            return self.apply_ops(base, ops, b, at);
        }
        let attr = |i: usize| -> Option<&str> {
            match ops.get(i) {
                Some(Op::Attr(a)) => Some(a),
                _ => None,
            }
        };
        let rest = |i: usize| ops.get(i..).unwrap_or(&[]);
        match name {
            "var" => {
                let Some(v) = attr(0) else {
                    return fail(
                        at,
                        kijun_model::text!(
                            "`var` の後には変数名が必要です",
                            "`var` must be followed by a variable name"
                        ),
                    );
                };
                let Some(node) = self.vars.get(v) else {
                    return fail(
                        at,
                        kijun_model::text!(
                            "`var.{v}` はこのモジュールで宣言されていません",
                            "var.{v} is not declared in this module"
                        ),
                    );
                };
                self.charge_copy(node, at)?;
                let node = with_provenance(node.clone(), &format!("var.{v}"));
                self.apply_ops(node, rest(1), b, at)
            }
            "local" => {
                let Some(l) = attr(0) else {
                    return fail(
                        at,
                        kijun_model::text!(
                            "`local` の後には名前が必要です",
                            "`local` must be followed by a name"
                        ),
                    );
                };
                let node = self.local(l, at)?;
                let node = with_provenance(node, &format!("local.{l}"));
                self.apply_ops(node, rest(1), b, at)
            }
            "path" => {
                // why: as in Terraform, relative to the root module, where Terraform runs and
                // where the file functions resolve relative paths.
                let v = match attr(0) {
                    Some("module") => crate::paths::relative(&self.root_dir, &self.def.dir),
                    Some("root") | Some("cwd") => ".".to_string(),
                    _ => {
                        return fail(
                            at,
                            kijun_model::text!("`path` の属性が不明です", "unknown path attribute"),
                        )
                    }
                };
                Ok(Node::string(&v, at))
            }
            "terraform" => match attr(0) {
                Some("workspace") => Ok(Node::string("default", at)),
                _ => Ok(Node::unknown(
                    kijun_model::text!(
                        "`terraform` のメタデータは plan 時に決まります",
                        "terraform metadata is known at plan time"
                    ),
                    at,
                )),
            },
            "module" => {
                let Some(m) = attr(0) else {
                    return fail(
                        at,
                        kijun_model::text!(
                            "`module` の後にはモジュール名が必要です",
                            "`module` must be followed by a module name"
                        ),
                    );
                };
                let r = self.qualified(&format!("module.{m}"));
                self.refs.borrow_mut().insert(r.clone());
                if let Some(out) = attr(1) {
                    if let Some(v) = self.module_output(m, out, at) {
                        if let Value::Unknown(u) = &v.value {
                            let mut refs = self.refs.borrow_mut();
                            refs.extend(u.refs.iter().map(|x| x.to_string()));
                        }
                        let v = with_provenance(v, &format!("module.{m}.{out}"));
                        return self.apply_ops(v, rest(2), b, at);
                    }
                }
                Ok(unknown_with(
                    kijun_model::text!(
                        "`module.{m}` の出力はここでは評価できません",
                        "output of module.{m} cannot be evaluated here"
                    ),
                    vec![Arc::from(r)],
                    at,
                ))
            }
            "data" => {
                let (Some(t), Some(n)) = (attr(0), attr(1)) else {
                    return fail(
                        at,
                        kijun_model::text!(
                            "`data` の後には型と名前が必要です",
                            "`data` must be followed by a type and a name"
                        ),
                    );
                };
                let r = self.qualified(&format!("data.{t}.{n}"));
                self.refs.borrow_mut().insert(r.clone());
                // why: the resource group a configuration deploys into is often read, not
                // created; its location is then the deployment context the user declared.
                if t == "azurerm_resource_group" && attr(2) == Some("location") {
                    if let Some(v) = self.config.assumed("azure_resource_group_location") {
                        return self.apply_ops(v.clone(), rest(3), b, at);
                    }
                }
                Ok(unknown_with(
                    kijun_model::text!(
                        "`data.{t}.{n}` は plan 時にプロバイダーから読み込まれます",
                        "data.{t}.{n} is read from the provider at plan time"
                    ),
                    vec![Arc::from(r)],
                    at,
                ))
            }
            "count" | "each" => fail(
                at,
                kijun_model::text!(
                    "`{name}` は {name} を設定した場所でのみ使えます",
                    "`{name}` is only available where {name} is set"
                ),
            ),
            "self" => Ok(Node::unknown(
                kijun_model::text!(
                    "`self` は apply 後に決まります",
                    "self is known after apply"
                ),
                at,
            )),
            _ => {
                if let Some(n) = attr(0) {
                    if self.def.resource_types.contains(name) {
                        let r = self.qualified(&format!("{name}.{n}"));
                        self.refs.borrow_mut().insert(r.clone());
                        if let Some(v) = self.configured_attr(name, n, ops, at, b)? {
                            return Ok(v);
                        }
                        let what = match attr(1) {
                            Some(a) => kijun_model::text!(
                                "`{name}.{n}.{a}` は apply 後に決まります",
                                "{name}.{n}.{a} is known after apply"
                            ),
                            None => kijun_model::text!(
                                "`{name}.{n}` は apply 後に決まります",
                                "{name}.{n} is known after apply"
                            ),
                        };
                        return Ok(unknown_with(what, vec![Arc::from(r)], at));
                    }
                }
                fail(
                    at,
                    kijun_model::text!("名前 `{name}` は不明です", "unknown name `{name}`"),
                )
            }
        }
    }

    /// `azurerm_resource_group.main.location`: when the referenced resource sets that
    /// attribute in its configuration (not a computed one), its value is known before apply.
    /// why: Azure resources take their `location` from the resource group this way, and the
    /// data-residency rules (第64条第2項第2号) need the value, not "known after apply".
    fn configured_attr(
        &self,
        ty: &str,
        name: &str,
        ops: &[Op],
        at: Origin,
        b: &Binds,
    ) -> Result<Option<Node>, Fail> {
        // Skip an instance key (`aws_vpc.main[0].cidr_block`): configured values are the same
        // for every instance unless they use count/each, which then fails and stays unknown.
        let mut i = 1;
        if matches!(ops.get(i), Some(Op::Index(_))) {
            i += 1;
        }
        let Some(Op::Attr(attr)) = ops.get(i) else {
            return Ok(None);
        };
        let Some(blk) = self
            .def
            .resources
            .iter()
            .find(|r| r.label(0) == ty && r.label(1) == name)
        else {
            return Ok(None);
        };
        let Some(a) = blk.attr(attr) else {
            return Ok(None);
        };
        // Memoised, with cycles cut: hostile configurations must not make this exponential.
        let key = format!("{ty}.{name}.{attr}");
        let cached = match self.attr_cache.borrow().get(&key) {
            Some(Some(v)) => {
                self.charge_copy(v, at)?;
                Some(Some(v.clone()))
            }
            Some(None) => Some(None),
            None => None,
        };
        let v = match cached {
            Some(v) => v,
            None => {
                let d = self.depth.get();
                if d > self.limits().max_eval_depth {
                    return Ok(None);
                }
                self.attr_cache.borrow_mut().insert(key.clone(), None);
                self.depth.set(d + 1);
                let v = match self
                    .eval(&a.expr, &Binds::default())
                    .and_then(|v| self.keepable(v, a.expr.at))
                {
                    // why: an argument configured as null is left to the provider, which
                    // computes many of them (`aws_vpc.ipv6_cidr_block`): known after apply.
                    Ok(v) if !v.is_unknown() && !v.is_null() => Some(with_provenance(v, &key)),
                    _ => None,
                };
                self.depth.set(d);
                self.attr_cache.borrow_mut().insert(key, v.clone());
                v
            }
        };
        match v {
            Some(v) => {
                let rest = ops.get(i + 1..).unwrap_or(&[]);
                self.apply_ops(v, rest, b, at).map(Some)
            }
            None => Ok(None),
        }
    }

    fn local(&self, name: &str, at: Origin) -> R {
        {
            let locals = self.locals.borrow();
            match locals.get(name) {
                Some(LocalState::Done(r)) => {
                    if let Ok(n) = r {
                        self.charge_copy(n, at)?;
                    }
                    return r.clone();
                }
                Some(LocalState::InProgress) => {
                    drop(locals);
                    let msg = kijun_model::text!(
                        "循環参照: `local.{name}` が自分自身に依存しています",
                        "cycle: local.{name} depends on itself"
                    );
                    if let Some(e) = self.def.locals.get(name) {
                        self.error(e.at, msg.clone());
                    }
                    return fail(at, msg);
                }
                None => {}
            }
        }
        let Some(expr) = self.def.locals.get(name) else {
            return fail(
                at,
                kijun_model::text!(
                    "`local.{name}` はこのモジュールで定義されていません",
                    "local.{name} is not defined in this module"
                ),
            );
        };
        let d = self.depth.get();
        if d > self.limits().max_eval_depth {
            return fail(
                at,
                kijun_model::text!(
                    "参照の入れ子が深すぎます（評価の深さの上限を超えています）",
                    "references nested too deeply (more than the evaluation depth limit)"
                ),
            );
        }
        self.locals
            .borrow_mut()
            .insert(Arc::from(name), LocalState::InProgress);
        self.depth.set(d + 1);
        let r = self.eval(expr, &Binds::default());
        self.depth.set(d);
        let r = match r {
            Ok(n) => self.keepable(n, expr.at),
            Err(f) => Err(f),
        };
        self.locals
            .borrow_mut()
            .insert(Arc::from(name), LocalState::Done(r.clone()));
        r
    }
}
