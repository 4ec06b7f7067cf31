//! `count` and `for_each`: the instance keys of a block and what `count.index` or `each` is in
//! each instance.

use crate::instance::Instance;
use crate::ir::Block;
use crate::value::{unknown_with, Binds};
use kijun_model::{Node, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

impl Instance<'_> {
    /// The instance keys of a block with `count` or `for_each`: `None` for a plain block.
    pub(super) fn expansion(&self, blk: &Block, what: &str) -> Option<Vec<(String, Binds)>> {
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
}

fn obj1(key: &str, v: Node) -> Node {
    let at = v.at;
    let mut m = BTreeMap::new();
    m.insert(Arc::from(key), v);
    Node::new(Value::Object(m.into()), at)
}
