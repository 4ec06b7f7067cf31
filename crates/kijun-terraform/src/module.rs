//! Module instances: variables, locals, providers, module calls and resources of one module
//! directory evaluated with the inputs of one call.

use crate::config::ModuleDef;
use crate::eval::with_provenance;
use crate::instance::{Instance, LocalState};
use crate::ir::{Block, Expr, Op, E};
use crate::value::{fail, unknown_with, Binds, Fail, R};
use kijun_model::{
    InputError, Node, NotEvaluated, Origin, Platform, ProviderConfig, Resource, Value,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Resource-block arguments that steer Terraform rather than describe the resource.
const META_ARGS: &[&str] = &["count", "for_each", "provider", "depends_on"];
const META_BLOCKS: &[&str] = &["provisioner", "connection"];

impl Instance<'_> {
    fn qualified(&self, addr: &str) -> String {
        if self.path.is_empty() {
            addr.to_string()
        } else {
            format!("{}.{}", self.path, addr)
        }
    }

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

    /// `module.m.out`: the output expression of a (single-instance) module call, evaluated in a
    /// child instance with the call's inputs. Memoised; depth-bounded like module calls.
    /// why: cross-resource rules (a flow log for a VPC created in a module) need the graph edge
    /// through the output, and values such as IDs keep their references.
    fn module_output(&self, name: &str, output: &str, at: Origin) -> Option<Node> {
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

    /// A value about to be remembered (a local, a referenced attribute, a module output), unless
    /// it nests deeper than [`Limits::max_depth`]: a chain of locals each wrapping the previous
    /// one could otherwise build a value too deep to drop or print.
    fn keepable(&self, n: Node, at: Origin) -> R {
        let max = self.limits().max_depth;
        if n.depth_exceeds(max) {
            let msg = kijun_model::text!(
                "値の入れ子が {max} 階層を超えています。評価していません",
                "value nested more than {max} levels deep; not evaluated"
            );
            self.error(at, msg.clone());
            return fail(at, msg);
        }
        Ok(n)
    }

    /// Evaluates an expression where a failure is not fatal: it becomes an unknown value
    /// carrying the reason.
    /// Converts every variable's value to its declared `type`, as Terraform does before the
    /// module sees it (optional object attributes filled in, undeclared ones dropped), and
    /// gives a variable declared `nullable = false` its default in place of a null.
    pub fn apply_var_types(&mut self) {
        let def = self.def;
        for (name, decl) in &def.variables {
            let Some(mut v) = self.vars.remove(name) else {
                continue;
            };
            if v.is_null() && !decl.nullable {
                if let Some(d) = &decl.default {
                    v = self.eval_soft(d, &Binds::default());
                }
            }
            if let Some(ty) = &decl.ty {
                v = crate::types::convert(self, v, ty);
            }
            self.vars.insert(name.clone(), v);
        }
    }

    pub fn eval_soft(&self, e: &E, b: &Binds) -> Node {
        match self.eval(e, b) {
            Ok(n) => n,
            Err(f) => Node::unknown(
                (*f.message).after(kijun_model::text!(
                    "評価できませんでした: ",
                    "could not evaluate: "
                )),
                e.at,
            ),
        }
    }

    /// A block body as an object: attributes, nested blocks as lists, `dynamic` blocks expanded.
    pub fn eval_body(&self, blk: &Block, b: &Binds, top: bool) -> kijun_model::Map {
        let mut m: kijun_model::Map = kijun_model::Map::new();
        for a in &blk.attrs {
            if top && META_ARGS.contains(&&*a.name) {
                continue;
            }
            let mut n = self.eval_soft(&a.expr, b);
            // Values from elsewhere (variables, iterators) point at this attribute.
            n.rehome(blk.full, a.expr.at);
            m.insert(a.name.clone(), n);
        }
        for nb in &blk.blocks {
            if top && META_BLOCKS.contains(&&*nb.ident) {
                continue;
            }
            if &*nb.ident == "dynamic" {
                self.expand_dynamic(nb, b, &mut m);
                continue;
            }
            let obj = Node::new(Value::Object(self.eval_body(nb, b, false)), nb.at);
            push_block(&mut m, &nb.ident, obj, nb.at);
        }
        m
    }

    fn expand_dynamic(&self, d: &Block, b: &Binds, m: &mut kijun_model::Map) {
        let label = d.label(0).to_string();
        let Some(content) = d.blocks.iter().find(|x| &*x.ident == "content") else {
            return;
        };
        let iterator: Arc<str> = match d.attr("iterator").map(|a| &a.expr.expr) {
            Some(Expr::Var(n)) => n.clone(),
            _ => Arc::from(label.as_str()),
        };
        let Some(fe) = d.attr("for_each") else {
            return;
        };
        let coll = self.eval_soft(&fe.expr, b);
        if let Value::Unknown(_) = coll.value {
            // why: the number of blocks is unknown; evaluating the content once with an unknown
            // iterator still shows settings that do not depend on it (a literal 0.0.0.0/0).
            let it = unknown_with(
                kijun_model::text!(
                    "dynamic ブロックの要素が不明です",
                    "dynamic block element is unknown"
                ),
                vec![],
                fe.expr.at,
            );
            let mut obj = BTreeMap::new();
            obj.insert(Arc::from("key"), it.clone());
            obj.insert(Arc::from("value"), it);
            let inner = b.with(&iterator, Node::new(Value::Object(obj.into()), fe.expr.at));
            let body = Node::new(Value::Object(self.eval_body(content, &inner, false)), d.at);
            push_block(m, &label, body, d.at);
            return;
        }
        let pairs = match self.iterate(&coll, fe.expr.at) {
            Ok(p) => p,
            Err(_) if coll.is_null() => Vec::new(),
            Err(f) => {
                self.error(
                    f.at,
                    (*f.message).after(kijun_model::text!(
                        "dynamic \"{label}\": ",
                        "dynamic \"{label}\": "
                    )),
                );
                return;
            }
        };
        if pairs.len() > self.limits().max_instances {
            self.error(
                fe.expr.at,
                kijun_model::text!(
                    "dynamic \"{label}\" は {0} 個のブロックに展開され、上限の {1} を超えています",
                    "dynamic \"{label}\" expands to {0} blocks, over the limit of {1}",
                    pairs.len(),
                    self.limits().max_instances
                ),
            );
            return;
        }
        // why: an empty for_each produces no block at all, which is different from a block with
        // defaults; rules then judge the attribute as absent.
        let list_is_set = matches!(coll.value, Value::List(_));
        for (k, v) in pairs {
            let mut obj = BTreeMap::new();
            // For a set (a list here), Terraform's iterator key equals the value.
            let key = if list_is_set { v.clone() } else { k };
            obj.insert(Arc::from("key"), key);
            obj.insert(Arc::from("value"), v);
            let inner = b.with(&iterator, Node::new(Value::Object(obj.into()), d.at));
            let body = Node::new(Value::Object(self.eval_body(content, &inner, false)), d.at);
            push_block(m, &label, body, d.at);
        }
        // Keep an explicit empty list so "present but empty" is visible.
        m.get_or_insert_with(label.as_str(), || Node::new(Value::List(Vec::new()), d.at));
    }

    /// The instance keys of a block with `count` or `for_each`: `None` for a plain block.
    fn expansion(&self, blk: &Block, what: &str) -> Option<Vec<(String, Binds)>> {
        if let Some(c) = blk.attr("count") {
            let v = self.eval_soft(&c.expr, &Binds::default());
            if v.is_unknown() {
                let mut b = Binds::default();
                b.push(
                    "count",
                    obj1(
                        "index",
                        Node::unknown(
                            kijun_model::text!(
                                "値の決まらない count の count.index です",
                                "count.index of an unknown count"
                            ),
                            c.expr.at,
                        ),
                    ),
                );
                return Some(vec![("[*]".to_string(), b)]);
            }
            let n = v.as_f64().unwrap_or(-1.0);
            if n < 0.0 || n.fract() != 0.0 {
                self.error(
                    c.expr.at,
                    kijun_model::text!(
                        "{what}: count は 0 以上の整数でなければなりません（実際は {0}）",
                        "{what}: count must be a whole number, not {0}",
                        v.display()
                    ),
                );
                return Some(Vec::new());
            }
            if n > self.limits().max_instances as f64 {
                self.error(
                    c.expr.at,
                    kijun_model::text!(
                        "{what}: count = {0} が展開の上限（{1} インスタンス）を超えています。評価していません",
                        "{what}: count = {0} is over the expansion limit of {1} instances; not evaluated",
                        kijun_model::format_number(n),
                        self.limits().max_instances
                    ),
                );
                return Some(Vec::new());
            }
            return Some(
                (0..n as usize)
                    .map(|i| {
                        let mut b = Binds::default();
                        b.push(
                            "count",
                            obj1("index", Node::new(Value::Number(i as f64), c.expr.at)),
                        );
                        (format!("[{i}]"), b)
                    })
                    .collect(),
            );
        }
        let fe = blk.attr("for_each")?;
        let v = self.eval_soft(&fe.expr, &Binds::default());
        if v.is_unknown() {
            let mut b = Binds::default();
            let refs = match &v.value {
                Value::Unknown(u) => u.refs.clone(),
                _ => Vec::new(),
            };
            let u = unknown_with(
                kijun_model::text!(
                    "値の決まらない for_each の each です",
                    "each of an unknown for_each"
                ),
                refs,
                fe.expr.at,
            );
            let mut o = BTreeMap::new();
            o.insert(Arc::from("key"), u.clone());
            o.insert(Arc::from("value"), u);
            b.push("each", Node::new(Value::Object(o.into()), fe.expr.at));
            return Some(vec![("[*]".to_string(), b)]);
        }
        if self.charge_copy(&v, fe.expr.at).is_err() {
            return Some(Vec::new());
        }
        let pairs: Vec<(Node, Node)> = match &v.value {
            Value::Object(m) => m
                .iter()
                .map(|(k, x)| (Node::new(Value::String(k.clone()), x.at), x.clone()))
                .collect(),
            // A set of strings: each.key == each.value.
            Value::List(l) => l.iter().map(|x| (x.clone(), x.clone())).collect(),
            Value::Null => Vec::new(),
            _ => {
                self.error(
                    fe.expr.at,
                    kijun_model::text!(
                        "{what}: for_each には map か set が必要です（実際は {0}）",
                        "{what}: for_each needs a map or a set, not {0}",
                        v.display()
                    ),
                );
                return Some(Vec::new());
            }
        };
        if pairs.len() > self.limits().max_instances {
            self.error(
                fe.expr.at,
                kijun_model::text!(
                    "{what}: for_each の要素数 {0} が展開の上限 {1} を超えています。評価していません",
                    "{what}: for_each has {0} elements, over the expansion limit of {1}; not evaluated",
                    pairs.len(),
                    self.limits().max_instances
                ),
            );
            return Some(Vec::new());
        }
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (k, x) in pairs {
            let ks = crate::value::to_string_value(&k).unwrap_or_else(|| "?".into());
            if !seen.insert(ks.clone()) {
                continue;
            }
            let mut o = BTreeMap::new();
            o.insert(Arc::from("key"), k);
            o.insert(Arc::from("value"), x);
            let mut b = Binds::default();
            b.push("each", Node::new(Value::Object(o.into()), fe.expr.at));
            out.push((format!("[\"{ks}\"]"), b));
        }
        Some(out)
    }

    /// Evaluates every resource and module call of this instance into `self.out`.
    pub fn run(&self) {
        self.run_providers();
        for blk in &self.def.resources {
            if self.exhausted() {
                return;
            }
            self.run_resource(blk);
        }
        for call in &self.def.module_calls {
            if self.exhausted() {
                return;
            }
            self.run_module(call);
        }
    }

    /// Every provider the module requires or configures, as a `terraform_provider` resource:
    /// a provider is a cloud service in use (細則 第64条第3項, 第66条第3項), so the
    /// approved-services rule needs to see them. The address is Terraform's own spelling, without
    /// the module path.
    fn run_providers(&self) {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut emit = |name: &str, source: &str, at: Origin| {
            let full = if source.matches('/').count() == 1 {
                format!("registry.terraform.io/{source}")
            } else {
                source.to_string()
            };
            if !seen.insert(name.to_string()) {
                return;
            }
            let mut attrs = BTreeMap::new();
            attrs.insert("name".to_string(), Node::string(name, at));
            attrs.insert("source".to_string(), Node::string(source, at));
            self.out.borrow_mut().resources.push(Resource {
                platform: Platform::Terraform,
                kind: "terraform_provider".into(),
                // why: a requirement is a statement of the module's text, not of one instance:
                // the same `required_providers` line reached through several module paths or
                // roots is one declaration, reported once at that line (not once per
                // `module.x.` prefix).
                address: format!("provider[\"{full}\"]"),
                at,
                attrs,
                provider: None,
                refs: Vec::new(),
                module: self.path.clone(),
                inline_exceptions: Vec::new(),
            });
        };
        for t in &self.def.terraform {
            for rp in t
                .blocks
                .iter()
                .filter(|b| &*b.ident == "required_providers")
            {
                for a in &rp.attrs {
                    let v = self.eval_soft(&a.expr, &Binds::default());
                    // `aws = { source = "hashicorp/aws" }`, or the legacy `aws = "~> 3.0"`.
                    let source = v
                        .child("source")
                        .and_then(|s| s.as_str())
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("hashicorp/{}", a.name));
                    emit(&a.name, &source, a.at);
                }
            }
        }
        for p in &self.def.providers {
            let name = p.label(0);
            emit(name, &format!("hashicorp/{name}"), p.at);
        }
    }

    fn run_resource(&self, blk: &Block) {
        let kind = blk.label(0);
        let name = blk.label(1);
        let base = format!("{kind}.{name}");
        // References made by `count`/`for_each` are edges of every instance too.
        self.refs.borrow_mut().clear();
        let instances = self
            .expansion(blk, &base)
            .unwrap_or_else(|| vec![(String::new(), Binds::default())]);
        let expansion_refs: BTreeSet<String> = self.refs.borrow().clone();
        for (suffix, b) in instances {
            let provider = self.provider_for(blk, kind, &b);
            if self.exhausted() {
                break;
            }
            *self.refs.borrow_mut() = expansion_refs.clone();
            let mut attrs = self.eval_body(blk, &b, true);
            for (k, node) in attrs.iter_mut() {
                let anchor = blk
                    .attr(k)
                    .map(|a| a.expr.at)
                    .or_else(|| blk.blocks.iter().find(|x| *x.ident == **k).map(|x| x.at))
                    .unwrap_or(blk.at);
                node.rehome(blk.full, anchor);
            }
            let refs: Vec<String> = self.refs.borrow().iter().cloned().collect();
            // A resource is kept until the root is checked: its size is paid for, so fan-outs
            // (counts of modules of counts) stop at the budget instead of exhausting memory.
            let left = self
                .limits()
                .max_work
                .saturating_sub(self.budget.used.get());
            let size = attrs
                .values()
                .map(|n| n.weight_up_to(left))
                .fold(RESOURCE_COST, u64::saturating_add);
            let over = self.charge(size, blk.at).is_err();
            let attrs = attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            self.out.borrow_mut().resources.push(Resource {
                platform: Platform::Terraform,
                kind: kind.to_string(),
                address: self.qualified(&format!("{base}{suffix}")),
                at: blk.at,
                attrs,
                provider: Some(provider.clone()),
                refs,
                module: self.path.clone(),
                inline_exceptions: Vec::new(),
            });
            if over {
                break;
            }
        }
    }

    /// The region a provider named `name` would take from the environment, when the user
    /// declared it (`[assume] aws_region`, `google_region`).
    fn assumed_region(&self, name: &str) -> Option<Node> {
        let key = match name {
            "aws" => "aws_region",
            "google" | "google-beta" => "google_region",
            _ => return None,
        };
        self.config.assumed(key).cloned()
    }

    fn provider_for(&self, blk: &Block, kind: &str, b: &Binds) -> ProviderConfig {
        let local = kind.split('_').next().unwrap_or(kind).to_string();
        let key = match blk.attr("provider") {
            Some(a) => self
                .provider_key(&a.expr, b)
                .unwrap_or_else(|| local.clone()),
            None => local.clone(),
        };
        self.providers.get(&key).cloned().unwrap_or_else(|| {
            let name = key.split('.').next().unwrap_or(&local).to_string();
            ProviderConfig {
                region: if key.contains('.') {
                    None
                } else {
                    self.assumed_region(&name)
                },
                alias: key.split_once('.').map(|(_, a)| a.to_string()),
                name,
                ..ProviderConfig::default()
            }
        })
    }

    /// The key of the provider configuration a reference names in this instance: `aws`,
    /// `aws.dr`, or for OpenTofu's provider `for_each` one instance of it,
    /// `aws.by_region["eu"]` from `aws.by_region[each.key]` (evaluated with `b`). An instance
    /// key that is not known here selects the one `[*]` configuration an unknown `for_each`
    /// made, when there is one.
    fn provider_key(&self, e: &E, b: &Binds) -> Option<String> {
        let mut key = provider_ref(e)?;
        if let Some(ix) = provider_index(e) {
            match self.eval(ix, b) {
                Ok(k) => match crate::value::to_string_value(&k) {
                    Some(k) => key = format!("{key}[\"{k}\"]"),
                    None => key = format!("{key}[*]"),
                },
                Err(_) => key = format!("{key}[*]"),
            }
            if !self.providers.contains_key(&key) {
                if let Some((base, _)) = key.split_once('[') {
                    let star = format!("{base}[*]");
                    if self.providers.contains_key(&star) {
                        key = star;
                    }
                }
            }
        }
        Some(key)
    }

    fn run_module(&self, call: &Block) {
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

    fn child_providers(
        &self,
        call: &Block,
        def: &ModuleDef,
        b: &Binds,
    ) -> BTreeMap<String, ProviderConfig> {
        // why: a child module inherits the caller's default (unaliased) provider configurations
        // unless `providers = {…}` maps them explicitly.
        let mut out: BTreeMap<String, ProviderConfig> = self
            .providers
            .iter()
            .filter(|(k, _)| !k.contains('.'))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some(p) = call.attr("providers") {
            if let Expr::Object(items) = &p.expr.expr {
                for (k, v) in items {
                    let (Some(inner), Some(outer)) = (provider_ref(k), self.provider_key(v, b))
                    else {
                        continue;
                    };
                    if let Some(cfg) = self.providers.get(&outer) {
                        out.insert(inner, cfg.clone());
                    } else {
                        out.insert(
                            inner,
                            ProviderConfig {
                                name: outer.split(['.', '[']).next().unwrap_or("").to_string(),
                                alias: outer.split_once('.').map(|(_, a)| a.to_string()),
                                ..ProviderConfig::default()
                            },
                        );
                    }
                }
            }
        }
        // Legacy provider blocks inside the module configure it themselves.
        for blk in &def.providers {
            let child = Instance::new(self.config, def, &self.root_dir);
            let cfg = child.provider_config(blk);
            out.insert(cfg.display_name(), cfg);
        }
        out
    }

    /// The configurations a provider block makes: one, or one per element of its `for_each`
    /// (OpenTofu 1.9), each named `alias["key"]` as `provider = aws.alias[each.key]` picks it.
    pub fn provider_configs(&self, blk: &Block) -> Vec<ProviderConfig> {
        if blk.attr("for_each").is_none() {
            return vec![self.provider_config(blk)];
        }
        let what = format!("provider \"{}\"", blk.label(0));
        let Some(instances) = self.expansion(blk, &what) else {
            return vec![self.provider_config(blk)];
        };
        instances
            .into_iter()
            .map(|(suffix, b)| {
                let mut cfg = self.provider_config_in(blk, &b);
                // `[*]`: an unknown for_each; `provider = aws.alias[k]` then finds this one.
                cfg.alias = Some(format!("{}{suffix}", cfg.alias.unwrap_or_default()));
                cfg
            })
            .collect()
    }

    pub fn provider_config(&self, blk: &Block) -> ProviderConfig {
        self.provider_config_in(blk, &Binds::default())
    }

    fn provider_config_in(&self, blk: &Block, b: &Binds) -> ProviderConfig {
        let name = blk.label(0).to_string();
        let alias = blk
            .attr("alias")
            .and_then(|a| match self.eval_soft(&a.expr, b).value {
                Value::String(s) => Some(s.to_string()),
                _ => None,
            });
        // AWS uses `region`; google also `zone`; azurerm has no provider-level location.
        let region = ["region", "zone"]
            .iter()
            .find_map(|k| blk.attr(k))
            .map(|a| {
                let mut n = self.eval_soft(&a.expr, b);
                n.rehome(blk.full, a.expr.at);
                n
            });
        // why: a provider without a region takes it from the environment at apply time
        // (`AWS_REGION`, `GOOGLE_REGION`); where the user declared that context (`[assume]`),
        // the declared value stands in, marked as an assumption.
        let region = match region {
            Some(r) if !r.is_null() => Some(r),
            other => self.assumed_region(&name).or(other),
        };
        // AWS `default_tags { tags = … }`; Google `default_labels = { … }`.
        let default_tags = blk
            .blocks
            .iter()
            .find(|x| &*x.ident == "default_tags")
            .and_then(|dt| dt.attr("tags"))
            .or_else(|| blk.attr("default_labels"))
            .map(|a| self.eval_soft(&a.expr, b));
        ProviderConfig {
            name,
            alias,
            region,
            default_tags,
            at: Some(blk.at),
        }
    }
}

/// What one resource or module instance costs besides its values (its address, provider and
/// bookkeeping), in work units.
const RESOURCE_COST: u64 = 32;

fn obj1(key: &str, v: Node) -> Node {
    let at = v.at;
    let mut m = BTreeMap::new();
    m.insert(Arc::from(key), v);
    Node::new(Value::Object(m.into()), at)
}

fn push_block(m: &mut kijun_model::Map, ident: &str, obj: Node, at: Origin) {
    let entry = m.get_or_insert_with(ident, || Node::new(Value::List(Vec::new()), at));
    match &mut entry.value {
        Value::List(l) => l.push(obj),
        // An attribute and a block of the same name: keep the block form.
        _ => *entry = Node::new(Value::List(vec![obj]), at),
    }
}

/// The instance key expression of `aws.by_region[each.key]` (OpenTofu provider `for_each`).
pub fn provider_index(e: &E) -> Option<&E> {
    match &e.expr {
        Expr::Traversal(_, ops) => ops.iter().find_map(|op| match op {
            Op::Index(ix) => Some(ix),
            _ => None,
        }),
        _ => None,
    }
}

/// `aws` or `aws.dr` from a provider reference expression.
pub fn provider_ref(e: &E) -> Option<String> {
    match &e.expr {
        Expr::Var(n) => Some(n.to_string()),
        Expr::Str(s) => Some(s.to_string()),
        Expr::Traversal(root, ops) => {
            let Expr::Var(n) = &root.expr else {
                return None;
            };
            let mut s = n.to_string();
            for op in ops {
                if let Op::Attr(a) = op {
                    s.push('.');
                    s.push_str(a);
                }
            }
            Some(s)
        }
        _ => None,
    }
}

pub type EvalError = Fail;

impl From<Fail> for InputError {
    fn from(f: Fail) -> InputError {
        InputError {
            at: f.at,
            message: *f.message,
        }
    }
}
