//! Running one instance: its providers, resource blocks and module calls evaluated into its
//! output, each instance of a resource block as a model resource.

use super::RESOURCE_COST;
use crate::instance::Instance;
use crate::ir::Block;
use crate::value::Binds;
use kijun_model::{Platform, Resource};
use std::collections::BTreeSet;

impl Instance<'_> {
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
}
