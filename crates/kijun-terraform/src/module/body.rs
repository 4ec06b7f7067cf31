//! Block bodies as objects: attributes, nested blocks as lists, `dynamic` blocks expanded.

use crate::instance::Instance;
use crate::ir::{Block, Expr};
use crate::value::{unknown_with, Binds};
use kijun_model::{Node, Origin, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Resource-block arguments that steer Terraform rather than describe the resource.
const META_ARGS: &[&str] = &["count", "for_each", "provider", "depends_on"];
const META_BLOCKS: &[&str] = &["provisioner", "connection"];

impl Instance<'_> {
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
}

fn push_block(m: &mut kijun_model::Map, ident: &str, obj: Node, at: Origin) {
    let entry = m.get_or_insert_with(ident, || Node::new(Value::List(Vec::new()), at));
    match &mut entry.value {
        Value::List(l) => l.push(obj),
        // An attribute and a block of the same name: keep the block form.
        _ => *entry = Node::new(Value::List(vec![obj]), at),
    }
}
