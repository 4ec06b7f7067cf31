//! Module instances: variables, locals, providers, module calls and resources of one module
//! directory evaluated with the inputs of one call.
//!
//! This file holds what the others share (addresses, values worth keeping, soft evaluation,
//! variable types): `refs` resolves names and traversals (`var`, `local`, resources, module
//! outputs), `body` evaluates block bodies and `dynamic` blocks, `expand` gives the instances of
//! `count`/`for_each`, `resources` runs an instance and its resource blocks, `providers` the
//! provider requirements and configurations, `calls` module calls and their outputs.

mod body;
mod calls;
mod expand;
mod providers;
mod refs;
mod resources;

pub use providers::{provider_index, provider_ref};

use crate::instance::Instance;
use crate::ir::E;
use crate::value::{fail, Binds, Fail, R};
use kijun_model::{InputError, Node, Origin};

/// What one resource or module instance costs besides its values (its address, provider and
/// bookkeeping), in work units.
const RESOURCE_COST: u64 = 32;

impl Instance<'_> {
    fn qualified(&self, addr: &str) -> String {
        if self.path.is_empty() {
            addr.to_string()
        } else {
            format!("{}.{}", self.path, addr)
        }
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

    /// Evaluates an expression where a failure is not fatal: it becomes an unknown value
    /// carrying the reason.
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
