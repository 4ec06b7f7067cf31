//! Azure Resource Manager templates (also `az bicep build` output): parameters and variables with
//! their defaults, the common template functions, child resources, `copy` loops and inline
//! nested deployments, evaluated into resources named `Type/name`.
//!
//! This file holds the entry points, the bounds on hostile templates and the state the other
//! files share: `expr` parses the template-expression language, `eval` evaluates values and
//! expressions in a template's scope (variables, budget), `functions` the template functions,
//! `copy` the property and variable `copy` loops, `template` reads one template's parameters,
//! variables and resources, `resources` turns a resource (its copies, its children) into the
//! model, `nested` reads inline nested deployments.

mod copy;
mod eval;
mod expr;
mod functions;
mod nested;
mod resources;
mod template;

use crate::tree::{get, get_str};
use kijun_model::{format_number, FileId, InputError, Model, Node, Origin, Text, Unknown, Value};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

pub fn is_template(root: &Node) -> bool {
    get_str(root, "$schema").is_some_and(|s| s.contains("deploymentTemplate"))
        || (get(root, "contentVersion").is_some() && get(root, "resources").is_some())
}

/// Does this text, not yet parsed, declare an ARM template schema (resource group,
/// subscription, management group or tenant deployment)?
pub fn looks_like_template(text: &str) -> bool {
    text.contains("schema.management.azure.com/schemas/")
        && (text.contains("deploymentTemplate.json") || text.contains("DeploymentTemplate.json"))
}

/// Bounds on hostile templates.
const MAX_COPY: usize = 10_000;
const MAX_DEPTH: u32 = 64;
/// Work allowed for one template file, nested deployments included: one unit per value or
/// expression evaluated, per node copied or produced, per 64 bytes of string. It bounds time and
/// memory where values double at every step (a variable concatenated with itself) or copy loops
/// multiply through nested deployments.
const MAX_WORK: u64 = 2_000_000;
/// Longest string a function may produce.
const MAX_STRING: usize = 16 << 20;

/// The work spent so far on one template file.
#[derive(Default)]
struct Budget {
    used: Cell<u64>,
    reported: Cell<bool>,
}

fn unknown(reason: Text, at: Origin) -> Node {
    Node::new(
        Value::Unknown(Unknown {
            reason: Arc::new(reason),
            refs: Vec::new(),
        }),
        at,
    )
}

fn budget() -> Text {
    kijun_model::text!(
        "テンプレートの評価の作業量の上限に達したため評価していません",
        "not evaluated: the template's evaluation work budget is exhausted"
    )
}

fn text(n: &Node) -> Option<String> {
    match &n.value {
        Value::String(s) => Some(s.to_string()),
        Value::Number(x) => Some(format_number(*x)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

struct Scope<'a> {
    params: HashMap<String, Node>,
    var_defs: HashMap<String, &'a Node>,
    vars: RefCell<HashMap<String, Option<Node>>>,
    errors: &'a RefCell<Vec<InputError>>,
    copy_index: RefCell<HashMap<String, usize>>,
    budget: &'a Budget,
}

struct Reader<'a> {
    model: Model,
    errors: &'a RefCell<Vec<InputError>>,
    budget: &'a Budget,
}

pub fn read(file: FileId, text: &str, root: &Node, overrides: &[(String, String)]) -> Model {
    let errors = RefCell::new(Vec::new());
    let _ = (file, text);
    let budget = Budget::default();
    let mut reader = Reader {
        model: Model::default(),
        errors: &errors,
        budget: &budget,
    };
    reader.template(root, &HashMap::new(), None, overrides, 0);
    let mut model = reader.model;
    model.errors.extend(errors.into_inner());
    model
}
