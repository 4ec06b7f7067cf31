//! Expression evaluation. A value that depends on something the scan cannot see is `Unknown`
//! (with the resources it refers to); an expression Terraform itself would reject is a `Fail`,
//! which `try()`/`can()` catch and which otherwise becomes an unknown value with the reason.

use crate::instance::Instance;
use crate::ir::{Expr, Op, Part, E};
use crate::value::{fail, first_unknown, to_string_value, values_equal, Binds, Fail, R};
use hcl_edit::expr::{BinaryOperator, UnaryOperator};
use kijun_model::{Node, Origin, Provenance, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

fn truthy(n: &Node, at: Origin) -> Result<Option<bool>, Fail> {
    match &n.value {
        Value::Unknown(_) => Ok(None),
        _ => match n.as_bool() {
            Some(b) => Ok(Some(b)),
            None => fail(
                at,
                kijun_model::text!(
                    "ここには bool が必要です（実際は {0}）",
                    "a bool is required here, not {0}",
                    n.display()
                ),
            ),
        },
    }
}

impl Instance<'_> {
    /// Evaluates with a bound on recursion: nested expressions, locals and references all go
    /// through here, so hostile input cannot exhaust the stack.
    pub fn eval(&self, e: &E, b: &Binds) -> R {
        let d = self.expr_depth.get();
        if d >= self.limits().max_expr_depth {
            return fail(
                e.at,
                kijun_model::text!(
                    "式の入れ子が深すぎます（評価の深さの上限を超えています）",
                    "expression nested too deeply (over the evaluation depth limit)"
                ),
            );
        }
        self.charge(1, e.at)?;
        self.expr_depth.set(d + 1);
        let r = self.eval_inner(e, b);
        self.expr_depth.set(d);
        r
    }

    fn eval_inner(&self, e: &E, b: &Binds) -> R {
        let at = e.at;
        match &e.expr {
            Expr::Null => Ok(Node::new(Value::Null, at)),
            Expr::Bool(v) => Ok(Node::new(Value::Bool(*v), at)),
            Expr::Number(v) => Ok(Node::new(Value::Number(*v), at)),
            Expr::Str(s) => Ok(Node::new(Value::String(s.clone()), at)),
            Expr::Template(parts) => {
                // why: "${x}" alone yields x itself, not its string form (HCL spec).
                if let [Part::Interp(inner)] = parts.as_slice() {
                    return self.eval(inner, b);
                }
                let mut out = String::new();
                match self.template(parts, b, &mut out)? {
                    Some(unknown) => Ok(Node { at, ..unknown }),
                    None => Ok(Node::new(Value::String(Arc::from(out)), at)),
                }
            }
            Expr::Array(items) => {
                let mut v = Vec::with_capacity(items.len());
                for i in items {
                    v.push(self.eval(i, b)?);
                }
                Ok(Node::new(Value::List(v), at))
            }
            Expr::Object(items) => {
                let mut m = BTreeMap::new();
                for (k, v) in items {
                    // why: an unquoted identifier key is the key's name, never a variable.
                    let key = match &k.expr {
                        Expr::Var(name) => Node::new(Value::String(name.clone()), k.at),
                        _ => self.eval(k, b)?,
                    };
                    let val = self.eval(v, b)?;
                    match to_string_value(&key) {
                        Some(s) => {
                            m.insert(Arc::from(s), val);
                        }
                        None if key.is_unknown() => {
                            return Ok(Node { at, ..key });
                        }
                        None => {
                            return fail(
                                k.at,
                                kijun_model::text!(
                                    "オブジェクトのキーは文字列でなければなりません",
                                    "object keys must be strings"
                                ),
                            )
                        }
                    }
                }
                Ok(Node::new(Value::Object(m.into()), at))
            }
            Expr::Var(name) => self.traverse(name, &[], at, b),
            Expr::Traversal(root, ops) => match &root.expr {
                Expr::Var(name) => self.traverse(name, ops, at, b),
                _ => {
                    let base = self.eval(root, b)?;
                    self.apply_ops(base, ops, b, at)
                }
            },
            Expr::Call(name, args, expand) => {
                let r = crate::funcs::call(self, name, args, *expand, b, at)?;
                // A function's result is new data (range(), concat() of a local with itself):
                // it is paid for like a copy.
                self.charge_copy(&r, at)?;
                Ok(r)
            }
            Expr::Cond(c, t, f) => {
                let cond = self.eval(c, b)?;
                match truthy(&cond, c.at)? {
                    Some(true) => self.branch(t, f, b),
                    Some(false) => self.branch(f, t, b),
                    None => {
                        // why: when both branches agree, the condition does not matter; this
                        // keeps `var.x ? true : true`-style defaults evaluable.
                        let tv = self.eval(t, b)?;
                        let fv = self.eval(f, b)?;
                        if values_equal(&tv.value, &fv.value) {
                            Ok(tv)
                        } else {
                            Ok(first_unknown(&[&cond, &tv, &fv], at).unwrap_or(cond))
                        }
                    }
                }
            }
            Expr::Unary(op, x) => {
                let v = self.eval(x, b)?;
                if v.is_unknown() {
                    return Ok(Node { at, ..v });
                }
                match op {
                    UnaryOperator::Not => match v.as_bool() {
                        Some(x) => Ok(Node::new(Value::Bool(!x), at)),
                        None => fail(
                            at,
                            kijun_model::text!("`!` には bool が必要です", "`!` needs a bool"),
                        ),
                    },
                    UnaryOperator::Neg => match v.as_f64() {
                        Some(x) => Ok(Node::new(Value::Number(-x), at)),
                        None => fail(
                            at,
                            kijun_model::text!("`-` には数値が必要です", "`-` needs a number"),
                        ),
                    },
                }
            }
            Expr::Binary(op, l, r) => self.binary(*op, l, r, b, at),
            Expr::For(f) => self.for_expr(f, b, at),
        }
    }

    /// A template's value with `b` bound (`templatefile()`): the value itself when the template
    /// is a single interpolation, else the string.
    pub fn render_template(&self, parts: &[Part], b: &Binds, at: Origin) -> R {
        if let [Part::Interp(inner)] = parts {
            return self.eval(inner, b);
        }
        let mut out = String::new();
        match self.template(parts, b, &mut out)? {
            Some(unknown) => Ok(Node { at, ..unknown }),
            None => Ok(Node::new(Value::String(Arc::from(out)), at)),
        }
    }

    /// The chosen branch of a conditional, converted to the type both branches share as
    /// Terraform does: a number or bool opposite a string literal or template becomes a string.
    fn branch(&self, chosen: &E, other: &E, b: &Binds) -> R {
        let v = self.eval(chosen, b)?;
        let other_is_string = match &other.expr {
            Expr::Str(_) => true,
            Expr::Template(p) => !matches!(p.as_slice(), [Part::Interp(_)]),
            _ => false,
        };
        if other_is_string && matches!(v.value, Value::Number(_) | Value::Bool(_)) {
            let s = to_string_value(&v).unwrap_or_default();
            return Ok(Node {
                value: Value::String(Arc::from(s)),
                ..v
            });
        }
        Ok(v)
    }

    fn template(&self, parts: &[Part], b: &Binds, out: &mut String) -> Result<Option<Node>, Fail> {
        for p in parts {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Interp(e) => {
                    let v = self.eval(e, b)?;
                    if v.is_unknown() {
                        return Ok(Some(v));
                    }
                    match to_string_value(&v) {
                        Some(s) => out.push_str(&s),
                        None => {
                            return fail(
                                e.at,
                                kijun_model::text!(
                                    "{0} は文字列に埋め込めません",
                                    "cannot interpolate {0}",
                                    v.display()
                                ),
                            )
                        }
                    }
                    if out.len() > self.limits().max_string {
                        return fail(
                            e.at,
                            kijun_model::text!(
                                "テンプレートの結果が文字列の大きさの上限を超えています",
                                "template result exceeds the string size limit"
                            ),
                        );
                    }
                }
                Part::If(c, t, f) => {
                    let cv = self.eval(c, b)?;
                    match truthy(&cv, c.at)? {
                        Some(true) => {
                            if let Some(u) = self.template(t, b, out)? {
                                return Ok(Some(u));
                            }
                        }
                        Some(false) => {
                            if let Some(u) = self.template(f, b, out)? {
                                return Ok(Some(u));
                            }
                        }
                        None => return Ok(Some(cv)),
                    }
                }
                Part::For(k, v, coll, body) => {
                    let c = self.eval(coll, b)?;
                    if c.is_unknown() {
                        return Ok(Some(c));
                    }
                    for (key, val) in self.iterate(&c, coll.at)? {
                        let mut inner = b.with(v, val);
                        if let Some(k) = k {
                            inner = inner.with(k, key);
                        }
                        if let Some(u) = self.template(body, &inner, out)? {
                            return Ok(Some(u));
                        }
                        if out.len() > self.limits().max_string {
                            return fail(
                                coll.at,
                                kijun_model::text!(
                                    "テンプレートの結果が文字列の大きさの上限を超えています",
                                    "template result exceeds the string size limit"
                                ),
                            );
                        }
                    }
                }
            }
        }
        Ok(None)
    }

    /// (key, value) pairs of a collection: list index or object key.
    pub fn iterate(&self, c: &Node, at: Origin) -> Result<Vec<(Node, Node)>, Fail> {
        self.charge_copy(c, at)?;
        match &c.value {
            Value::List(v) => Ok(v
                .iter()
                .enumerate()
                .map(|(i, x)| (Node::new(Value::Number(i as f64), x.at), inherit(x, c)))
                .collect()),
            Value::Object(m) => Ok(m
                .iter()
                .map(|(k, x)| (Node::new(Value::String(k.clone()), x.at), inherit(x, c)))
                .collect()),
            Value::Null => fail(
                at,
                kijun_model::text!(
                    "null は繰り返しの対象にできません",
                    "cannot iterate over null"
                ),
            ),
            _ => fail(
                at,
                kijun_model::text!(
                    "{0} は繰り返しの対象にできません",
                    "cannot iterate over {0}",
                    c.display()
                ),
            ),
        }
    }

    fn for_expr(&self, f: &crate::ir::For, b: &Binds, at: Origin) -> R {
        let coll = self.eval(&f.collection, b)?;
        if coll.is_unknown() {
            return Ok(Node { at, ..coll });
        }
        let pairs = self.iterate(&coll, f.collection.at)?;
        let mut list = Vec::new();
        let mut obj: kijun_model::Map = kijun_model::Map::new();
        for (k, v) in pairs {
            let mut inner = b.with(&f.value_var, v);
            if let Some(kv) = &f.key_var {
                inner = inner.with(kv, k);
            }
            if let Some(c) = &f.cond {
                let cv = self.eval(c, &inner)?;
                match truthy(&cv, c.at)? {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return Ok(Node { at, ..cv }),
                }
            }
            let val = self.eval(&f.value, &inner)?;
            match &f.key {
                None => list.push(val),
                Some(ke) => {
                    let key = self.eval(ke, &inner)?;
                    if key.is_unknown() {
                        return Ok(Node { at, ..key });
                    }
                    let Some(ks) = to_string_value(&key) else {
                        return fail(
                            ke.at,
                            kijun_model::text!(
                                "for 式のキーは文字列でなければなりません",
                                "for expression keys must be strings"
                            ),
                        );
                    };
                    let ks: Arc<str> = Arc::from(ks);
                    if f.grouping {
                        let entry =
                            obj.get_or_insert_with(ks, || Node::new(Value::List(Vec::new()), at));
                        if let Value::List(l) = &mut entry.value {
                            l.push(val);
                        }
                    } else {
                        if obj.contains_key(&ks) {
                            return fail(
                                ke.at,
                                kijun_model::text!(
                                    "for 式のキー \"{ks}\" が重複しています",
                                    "duplicate key \"{ks}\" in for expression"
                                ),
                            );
                        }
                        obj.insert(ks, val);
                    }
                }
            }
        }
        Ok(match f.key {
            None => Node::new(Value::List(list), at),
            Some(_) => Node::new(Value::Object(obj), at),
        })
    }

    fn binary(&self, op: BinaryOperator, l: &E, r: &E, b: &Binds, at: Origin) -> R {
        let lv = self.eval(l, b)?;
        // why: `false && x` and `true || x` short-circuit in practice for our purposes, which
        // keeps guards like `var.enabled && var.x != null` evaluable when x is unknown.
        if matches!(op, BinaryOperator::And) && lv.as_bool() == Some(false) {
            return Ok(Node::new(Value::Bool(false), at));
        }
        if matches!(op, BinaryOperator::Or) && lv.as_bool() == Some(true) {
            return Ok(Node::new(Value::Bool(true), at));
        }
        let rv = self.eval(r, b)?;
        // why: Terraform (cty) gives `unknown && false` = false and `unknown || true` = true:
        // the known side decides, e.g. `length(var.unknown_list) > 0 && var.flag_off`.
        if matches!(op, BinaryOperator::And) && lv.is_unknown() && rv.as_bool() == Some(false) {
            return Ok(Node::new(Value::Bool(false), at));
        }
        if matches!(op, BinaryOperator::Or) && lv.is_unknown() && rv.as_bool() == Some(true) {
            return Ok(Node::new(Value::Bool(true), at));
        }
        if let Some(u) = first_unknown(&[&lv, &rv], at) {
            return Ok(u);
        }
        let num = |n: &Node, e: &E| -> Result<f64, Fail> {
            match n.as_f64() {
                Some(x) => Ok(x),
                None => fail(
                    e.at,
                    kijun_model::text!(
                        "数値が必要です（実際は {0}）",
                        "a number is required, not {0}",
                        n.display()
                    ),
                ),
            }
        };
        let v = match op {
            BinaryOperator::Eq => Value::Bool(loose_eq(&lv, &rv)),
            BinaryOperator::NotEq => Value::Bool(!loose_eq(&lv, &rv)),
            BinaryOperator::And | BinaryOperator::Or => {
                let (Some(x), Some(y)) = (lv.as_bool(), rv.as_bool()) else {
                    return fail(
                        at,
                        kijun_model::text!(
                            "`&&` と `||` には bool が必要です",
                            "`&&` and `||` need bools"
                        ),
                    );
                };
                Value::Bool(if matches!(op, BinaryOperator::And) {
                    x && y
                } else {
                    x || y
                })
            }
            BinaryOperator::Less => Value::Bool(num(&lv, l)? < num(&rv, r)?),
            BinaryOperator::LessEq => Value::Bool(num(&lv, l)? <= num(&rv, r)?),
            BinaryOperator::Greater => Value::Bool(num(&lv, l)? > num(&rv, r)?),
            BinaryOperator::GreaterEq => Value::Bool(num(&lv, l)? >= num(&rv, r)?),
            BinaryOperator::Plus => Value::Number(num(&lv, l)? + num(&rv, r)?),
            BinaryOperator::Minus => Value::Number(num(&lv, l)? - num(&rv, r)?),
            BinaryOperator::Mul => Value::Number(num(&lv, l)? * num(&rv, r)?),
            BinaryOperator::Div => {
                let d = num(&rv, r)?;
                if d == 0.0 {
                    return fail(
                        at,
                        kijun_model::text!("0 で割っています", "division by zero"),
                    );
                }
                Value::Number(num(&lv, l)? / d)
            }
            BinaryOperator::Mod => {
                let d = num(&rv, r)?;
                if d == 0.0 {
                    return fail(
                        at,
                        kijun_model::text!("0 で剰余を求めています", "modulo by zero"),
                    );
                }
                Value::Number(num(&lv, l)? % d)
            }
        };
        Ok(Node::new(v, at))
    }

    /// Index, attribute and splat operators applied to an already evaluated value.
    pub fn apply_ops(&self, mut cur: Node, ops: &[Op], b: &Binds, at: Origin) -> R {
        let mut i = 0;
        while let Some(op) = ops.get(i) {
            if cur.is_unknown() {
                return Ok(Node { at, ..cur });
            }
            match op {
                Op::Attr(name) => {
                    cur = match &cur.value {
                        Value::Object(m) => match m.get(&**name) {
                            Some(v) => {
                                self.charge_copy(v, at)?;
                                inherit(v, &cur)
                            }
                            None => {
                                return fail(
                                    at,
                                    kijun_model::text!(
                                        "このオブジェクトに属性 \"{name}\" はありません",
                                        "this object has no attribute \"{name}\""
                                    ),
                                )
                            }
                        },
                        Value::Null => {
                            return fail(
                                at,
                                kijun_model::text!(
                                    "null から \"{name}\" は読めません",
                                    "cannot read \"{name}\" of null"
                                ),
                            )
                        }
                        _ => {
                            return fail(
                                at,
                                kijun_model::text!(
                                    "{0} から \"{name}\" は読めません",
                                    "cannot read \"{name}\" of {0}",
                                    cur.display()
                                ),
                            )
                        }
                    };
                }
                Op::Index(ie) => {
                    let key = self.eval(ie, b)?;
                    if key.is_unknown() {
                        return Ok(Node { at, ..key });
                    }
                    cur = match &cur.value {
                        Value::List(v) => {
                            let idx = key.as_f64().unwrap_or(-1.0);
                            if idx < 0.0 || idx.fract() != 0.0 {
                                return fail(
                                    ie.at,
                                    kijun_model::text!(
                                        "インデックス {0} は不正です",
                                        "invalid index {0}",
                                        key.display()
                                    ),
                                );
                            }
                            match v.get(idx as usize) {
                                Some(x) => {
                                    self.charge_copy(x, ie.at)?;
                                    x.clone()
                                }
                                None => {
                                    return fail(
                                        ie.at,
                                        kijun_model::text!(
                                            "インデックス {0} は範囲外です",
                                            "index {0} out of range",
                                            key.display()
                                        ),
                                    )
                                }
                            }
                        }
                        Value::Object(m) => {
                            let k = to_string_value(&key).unwrap_or_default();
                            match m.get(k.as_str()) {
                                Some(x) => {
                                    self.charge_copy(x, ie.at)?;
                                    x.clone()
                                }
                                None => {
                                    return fail(
                                        ie.at,
                                        kijun_model::text!(
                                            "キー \"{k}\" の要素はありません",
                                            "no element with key \"{k}\""
                                        ),
                                    )
                                }
                            }
                        }
                        _ => {
                            return fail(
                                at,
                                kijun_model::text!(
                                    "{0} はインデックスで参照できません",
                                    "cannot index {0}",
                                    cur.display()
                                ),
                            )
                        }
                    };
                }
                Op::AttrSplat | Op::FullSplat => {
                    let rest = ops.get(i + 1..).unwrap_or(&[]);
                    // An attribute splat applies only the attribute lookups that follow.
                    let take = if matches!(op, Op::AttrSplat) {
                        rest.iter().take_while(|o| matches!(o, Op::Attr(_))).count()
                    } else {
                        rest.len()
                    };
                    let sub = rest.get(..take).unwrap_or(&[]);
                    self.charge_copy(&cur, at)?;
                    let items: Vec<Node> = match &cur.value {
                        Value::List(v) => v.clone(),
                        Value::Null => Vec::new(),
                        _ => vec![cur.clone()],
                    };
                    let mut out = Vec::with_capacity(items.len());
                    for it in items {
                        out.push(self.apply_ops(it, sub, b, at)?);
                    }
                    cur = Node::new(Value::List(out), at);
                    i += 1 + take;
                    continue;
                }
            }
            i += 1;
        }
        Ok(cur)
    }
}

/// A part of a value keeps the provenance of the whole (an element of `var.rules` came from
/// `var.rules`), unless it has its own.
fn inherit(child: &Node, parent: &Node) -> Node {
    let mut c = child.clone();
    if c.from.is_none() {
        if let Some(p) = &parent.from {
            c.from = Some(std::sync::Arc::new(Provenance {
                via: p.via.clone(),
                at: child.at,
            }));
        }
    }
    c
}

/// `==` as Terraform applies it in practice: numbers and their string forms compare equal,
/// since variables without a declared type often carry "1" where 1 is meant.
fn loose_eq(a: &Node, b: &Node) -> bool {
    if values_equal(&a.value, &b.value) {
        return true;
    }
    match (&a.value, &b.value) {
        (Value::Number(_), Value::String(_)) | (Value::String(_), Value::Number(_)) => {
            to_string_value(a) == to_string_value(b)
        }
        _ => false,
    }
}

/// Attaches "where this came from" to a value read through a variable, local or module input,
/// unless it already carries a more precise origin.
pub fn with_provenance(mut n: Node, via: &str) -> Node {
    match &n.from {
        None => {
            n.from = Some(Arc::new(Provenance {
                via: via.to_string(),
                at: n.at,
            }));
        }
        Some(p) if p.via.is_empty() => {
            n.from = Some(Arc::new(Provenance {
                via: via.to_string(),
                at: p.at,
            }));
        }
        Some(p) if !p.via.starts_with(via) && p.via.matches('←').count() < 3 => {
            n.from = Some(Arc::new(Provenance {
                via: format!("{via} ← {}", p.via),
                at: p.at,
            }));
        }
        Some(_) => {}
    }
    n
}
