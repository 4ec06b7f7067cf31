//! The state of one module instance while it is evaluated: its module, inputs, caches and
//! the work budget it shares with its root. The evaluation itself is in [`crate::eval`]
//! (expressions) and [`crate::module`] (blocks, module calls, resources).

use crate::config::{Config, ModuleDef};
use crate::options::Limits;
use crate::value::{fail, Fail};
use kijun_model::{InputError, Model, Node, Origin, ProviderConfig, Text};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

pub(crate) enum LocalState {
    InProgress,
    Done(Result<Node, Fail>),
}

pub struct Instance<'p> {
    /// The scan's module directories and what evaluation may read besides them.
    pub config: &'p Config,
    pub def: &'p ModuleDef,
    /// `module.a.module.b` (with instance keys), empty at the root.
    pub path: String,
    /// `a.b`: the key Terraform uses in `.terraform/modules/modules.json`.
    pub key: String,
    pub root_dir: String,
    pub vars: HashMap<Arc<str>, Node>,
    pub providers: BTreeMap<String, ProviderConfig>,
    pub(crate) locals: RefCell<HashMap<Arc<str>, LocalState>>,
    pub(crate) refs: RefCell<BTreeSet<String>>,
    /// Configured attributes of other resources read through references (None: not known).
    pub(crate) attr_cache: RefCell<HashMap<String, Option<Node>>>,
    /// `module.m.out` values already computed (None while computing or when unknown).
    pub(crate) output_cache: RefCell<HashMap<String, Option<Node>>>,
    pub(crate) depth: Cell<u32>,
    pub expr_depth: Cell<u32>,
    /// The work budget of the root module, shared with every module instance below it.
    pub budget: std::rc::Rc<Budget>,
    pub stack: Vec<String>,
    pub out: RefCell<Model>,
}

impl<'p> Instance<'p> {
    pub fn new(config: &'p Config, def: &'p ModuleDef, root_dir: &str) -> Instance<'p> {
        Instance {
            config,
            def,
            path: String::new(),
            key: String::new(),
            root_dir: root_dir.to_string(),
            vars: HashMap::new(),
            providers: BTreeMap::new(),
            locals: RefCell::new(HashMap::new()),
            refs: RefCell::new(BTreeSet::new()),
            attr_cache: RefCell::new(HashMap::new()),
            output_cache: RefCell::new(HashMap::new()),
            depth: Cell::new(0),
            expr_depth: Cell::new(0),
            budget: std::rc::Rc::new(Budget::default()),
            stack: vec![def.dir.clone()],
            out: RefCell::new(Model::default()),
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.config.limits
    }

    /// Spends `units` of the root's work budget ([`Limits::max_work`]). The first time it runs
    /// out, an error at `at` says so; from then on every evaluation fails at once and no more
    /// instances are created, so hostile input ends quickly with what was evaluated so far.
    pub fn charge(&self, units: u64, at: Origin) -> Result<(), Fail> {
        let used = self.budget.used.get().saturating_add(units);
        self.budget.used.set(used);
        let max = self.limits().max_work;
        if used <= max {
            return Ok(());
        }
        if !self.budget.reported.replace(true) {
            self.error(
                at,
                kijun_model::text!(
                    "評価の作業量の上限（{max} 単位）にここで達しました（値や展開が大きくなりすぎています。例: 自分自身を 2 回使って作る local、各階層でモジュールを何度も呼ぶモジュール）。このルートモジュールの残りは評価していません（上限: --max-eval-work）",
                    "evaluation work budget of {max} units exhausted here (values or expansions grow too large, e.g. a local built from itself twice, or modules calling a module several times at every level); the rest of this root module is not evaluated (limit: --max-eval-work)"
                ),
            );
        }
        fail(
            at,
            kijun_model::text!(
                "評価の作業量の上限に達しました",
                "evaluation work budget exhausted"
            ),
        )
    }

    /// Charges the cost of copying `n` (read from a variable, local, iterator or cache).
    pub fn charge_copy(&self, n: &Node, at: Origin) -> Result<(), Fail> {
        let left = self
            .limits()
            .max_work
            .saturating_sub(self.budget.used.get());
        self.charge(n.weight_up_to(left), at)
    }

    /// Whether the budget has run out (no more instances are created then).
    pub fn exhausted(&self) -> bool {
        self.budget.used.get() > self.limits().max_work
    }

    pub(crate) fn error(&self, at: Origin, message: Text) {
        let mut out = self.out.borrow_mut();
        let e = InputError { at, message };
        if !out.errors.contains(&e) {
            out.errors.push(e);
        }
    }
}

/// The work spent so far under one root module ([`Limits::max_work`]).
#[derive(Default)]
pub struct Budget {
    pub(crate) used: Cell<u64>,
    /// The exhaustion error has been reported.
    reported: Cell<bool>,
}
