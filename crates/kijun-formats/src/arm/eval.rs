//! Evaluating a template's values and expressions in its scope: the work budget, variables,
//! JSON values (strings in `[...]` are expressions), property access and indexing, and the size
//! checks made before a function runs.

use super::expr::{parse_expression, Ex};
use super::{budget, unknown, Scope, MAX_DEPTH, MAX_STRING, MAX_WORK};
use kijun_model::{InputError, Node, Origin, Provenance, Value};
use std::sync::Arc;

impl Scope<'_> {
    /// Spends work; false (and, the first time, an error at `at`) once the budget is gone.
    fn charge(&self, units: u64, at: Origin) -> bool {
        let used = self.budget.used.get().saturating_add(units);
        self.budget.used.set(used);
        if used <= MAX_WORK {
            return true;
        }
        if !self.budget.reported.replace(true) {
            self.errors.borrow_mut().push(InputError {
                at,
                message: kijun_model::text!("評価の作業量の上限（{MAX_WORK} 単位）にここで達しました（値や copy ループが大きくなりすぎています）。このテンプレートの残りは評価していません", "evaluation work budget of {MAX_WORK} units exhausted here (values or copy loops grow too large); the rest of this template is not evaluated"),
            });
        }
        false
    }

    /// Charges the cost of holding `n`; false once the budget is gone.
    pub(super) fn charge_copy(&self, n: &Node, at: Origin) -> bool {
        let left = MAX_WORK.saturating_sub(self.budget.used.get());
        self.charge(n.weight_up_to(left), at)
    }

    pub(super) fn exhausted(&self) -> bool {
        self.budget.used.get() > MAX_WORK
    }

    /// `variables('x')`: its value points at the call, remembering where it was defined.
    pub(super) fn variable(&self, name: &str, at: Origin, depth: u32) -> Node {
        let mut v = self.variable_inner(name, at, depth);
        v.rehome(at, at);
        v
    }

    pub(super) fn variable_inner(&self, name: &str, at: Origin, depth: u32) -> Node {
        let key = name.to_ascii_lowercase();
        if let Some(v) = self.vars.borrow().get(&key) {
            return match v {
                Some(n) if !self.charge_copy(n, at) => unknown(budget(), at),
                Some(n) => n.clone(),
                None => {
                    self.errors.borrow_mut().push(InputError {
                        at,
                        message: kijun_model::text!(
                            "変数の循環参照: variables('{name}') が自分自身に依存しています",
                            "variable cycle: variables('{name}') depends on itself"
                        ),
                    });
                    unknown(
                        kijun_model::text!(
                            "variables('{name}') は循環参照の一部です",
                            "variables('{name}') is part of a cycle"
                        ),
                        at,
                    )
                }
            };
        }
        let Some(def) = self.var_defs.get(&key).copied() else {
            return match self.copy_variable(name, depth) {
                Some(v) => {
                    self.vars.borrow_mut().insert(key, Some(v.clone()));
                    v
                }
                None => unknown(
                    kijun_model::text!(
                        "variables('{name}') は定義されていません",
                        "variables('{name}') is not defined"
                    ),
                    at,
                ),
            };
        };
        self.vars.borrow_mut().insert(key.clone(), None);
        let mut v = self.value(def, depth + 1);
        // why: a chain of variables each wrapping the previous one would build a value too deep
        // to drop or print; remembered values stay as shallow as documents must be.
        if v.depth_exceeds((MAX_DEPTH * 4) as usize) {
            self.errors.borrow_mut().push(InputError {
                at: def.at,
                message: kijun_model::text!(
                    "variables('{name}') の入れ子が {} 階層を超えています。評価していません",
                    "variables('{name}') nests more than {} levels deep; not evaluated",
                    MAX_DEPTH * 4
                ),
            });
            v = unknown(
                kijun_model::text!(
                    "variables('{name}') の入れ子が深すぎます",
                    "variables('{name}') nests too deeply"
                ),
                at,
            );
        }
        v.from = Some(Arc::new(Provenance {
            via: format!("variables('{name}')"),
            at: def.at,
        }));
        self.vars.borrow_mut().insert(key, Some(v.clone()));
        v
    }

    /// Evaluates a JSON value: strings in `[...]` are expressions; `copy` arrays in objects expand.
    pub(super) fn value(&self, n: &Node, depth: u32) -> Node {
        if depth > MAX_DEPTH * 4 {
            return unknown(
                kijun_model::text!("入れ子が深すぎます", "nested too deeply"),
                n.at,
            );
        }
        if !self.charge(1, n.at) {
            return unknown(budget(), n.at);
        }
        match &n.value {
            Value::String(s) if s.starts_with('[') && s.ends_with(']') && !s.starts_with("[[") => {
                let inner = s.get(1..s.len() - 1).unwrap_or("");
                match parse_expression(inner) {
                    Ok(e) => self.eval(&e, n.at, depth + 1),
                    // why: every template expression is a function call (`[f(...)]`); a bracketed
                    // word such as `[Application_Insights_Key]` is a placeholder someone meant to
                    // replace before deploying. It is one value kijun cannot know, at its
                    // position, like any other value it cannot evaluate: not an error in the
                    // template, whose other values are read as usual.
                    Err(_) if !inner.contains('(') => unknown(
                        kijun_model::text!(
                            "\"{s}\" はテンプレート式ではないため評価していません（置き換え忘れのプレースホルダー？）",
                            "not evaluated: \"{s}\" is not a template expression (a placeholder \
                             left to be replaced?)"
                        ),
                        n.at,
                    ),
                    Err(msg) => {
                        self.errors.borrow_mut().push(InputError {
                            at: n.at,
                            message: msg.clone().after(kijun_model::text!("テンプレート式: ", "template expression: ")),
                        });
                        unknown(
                            msg.after(kijun_model::text!(
                                "テンプレート式を解析できませんでした: ",
                                "template expression could not be parsed: "
                            )),
                            n.at,
                        )
                    }
                }
            }
            // "[[" escapes a literal leading bracket.
            Value::String(s) if s.starts_with("[[") => Node::string(s.get(1..).unwrap_or(""), n.at),
            Value::Object(m) => {
                let mut out = kijun_model::Map::new();
                for (k, v) in m {
                    if &**k == "copy" {
                        if let Some(items) = v.as_list() {
                            for c in items {
                                if let Some((name, arr)) = self.property_copy(c, depth) {
                                    out.insert(Arc::from(name), arr);
                                }
                            }
                            continue;
                        }
                    }
                    out.insert(k.clone(), self.value(v, depth + 1));
                }
                Node::new(Value::Object(out), n.at)
            }
            Value::List(l) => Node::new(
                Value::List(l.iter().map(|x| self.value(x, depth + 1)).collect()),
                n.at,
            ),
            _ => n.clone(),
        }
    }

    fn eval(&self, e: &Ex, at: Origin, depth: u32) -> Node {
        if depth > MAX_DEPTH * 4 {
            return unknown(
                kijun_model::text!("式の入れ子が深すぎます", "expression nested too deeply"),
                at,
            );
        }
        if !self.charge(1, at) {
            return unknown(budget(), at);
        }
        let d = depth + 1;
        match e {
            Ex::Str(s) => Node::string(s, at),
            Ex::Num(n) => Node::new(Value::Number(*n), at),
            Ex::Prop(base, p) => {
                let b = self.eval(base, at, d);
                if b.is_unknown() {
                    return b;
                }
                match b.as_object().and_then(|m| {
                    m.iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(p))
                        .map(|(_, v)| v.clone())
                }) {
                    Some(v) => v,
                    None => unknown(
                        kijun_model::text!(
                            "プロパティ {p} は不明です",
                            "property {p} is not known"
                        ),
                        at,
                    ),
                }
            }
            Ex::Index(base, idx) => {
                let b = self.eval(base, at, d);
                let i = self.eval(idx, at, d);
                if b.is_unknown() {
                    return b;
                }
                match (&b.value, &i.value) {
                    (Value::List(l), Value::Number(n)) => {
                        l.get(*n as usize).cloned().unwrap_or_else(|| {
                            unknown(
                                kijun_model::text!(
                                    "インデックスが範囲外です",
                                    "index out of range"
                                ),
                                at,
                            )
                        })
                    }
                    (Value::Object(m), Value::String(k)) => {
                        m.get(k).cloned().unwrap_or_else(|| {
                            unknown(
                                kijun_model::text!(
                                    "プロパティ {k} はありません",
                                    "no property {k}"
                                ),
                                at,
                            )
                        })
                    }
                    _ => unknown(
                        kijun_model::text!(
                            "デプロイ時に決まる値へのインデックスです",
                            "index of a value known at deployment"
                        ),
                        at,
                    ),
                }
            }
            Ex::Call(name, args) => self.call(name, args, at, d),
        }
    }

    fn call(&self, name: &str, args: &[Ex], at: Origin, d: u32) -> Node {
        let a: Vec<Node> = args.iter().map(|x| self.eval(x, at, d)).collect();
        // why: concat(), union(), format() and replace() can double a value at every step;
        // what they would produce is measured before it is built.
        let produced: u64 = a
            .iter()
            .map(|x| x.weight_up_to(MAX_WORK))
            .fold(0, u64::saturating_add);
        if matches!(name, "concat" | "union" | "createarray" | "createobject")
            && !self.charge(produced, at)
        {
            return unknown(budget(), at);
        }
        if name == "replace" {
            let s = |i: usize| a.get(i).and_then(|x| x.as_str()).unwrap_or("");
            // An empty search string matches between every two characters.
            let n = if s(1).is_empty() {
                s(0).chars().count() + 1
            } else {
                s(0).matches(s(1)).count()
            };
            if s(0).len().saturating_add(n.saturating_mul(s(2).len())) > MAX_STRING {
                return unknown(
                    kijun_model::text!(
                        "結果が文字列の大きさの上限を超えます",
                        "the result would exceed the string size limit"
                    ),
                    at,
                );
            }
        }
        if name == "split" {
            let s = |i: usize| a.get(i).and_then(|x| x.as_str()).unwrap_or("");
            let pieces = if s(1).is_empty() {
                s(0).chars().count() as u64
            } else {
                s(0).matches(s(1)).count() as u64
            };
            if !self.charge(pieces, at) {
                return unknown(budget(), at);
            }
        }
        let r = self.call_inner(name, a, at, d);
        if matches!(&r.value, Value::String(s) if s.len() > MAX_STRING) {
            return unknown(
                kijun_model::text!(
                    "結果が文字列の大きさの上限を超えています",
                    "the result exceeds the string size limit"
                ),
                at,
            );
        }
        r
    }
}
