//! What the caller decides about a scan: the bounds that keep evaluation finite, `--var` and
//! `--var-file` inputs, the file source of the file functions and the declared deployment
//! context.

use crate::access::Files;

/// Bounds that keep evaluation finite on hostile input.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Instances one `count`/`for_each`/`dynamic` may expand to.
    pub max_instances: usize,
    /// Elements a function such as `range()` may produce.
    pub max_collection: usize,
    /// Bytes a template may produce.
    pub max_string: usize,
    /// Nested module calls.
    pub max_module_depth: usize,
    /// Nested `local` lookups.
    pub max_eval_depth: u32,
    /// Nested expression evaluations (including through locals and references).
    pub max_expr_depth: u32,
    /// Work allowed for one root module and everything it calls: one unit per expression
    /// evaluated, per value node copied or produced, per 64 bytes of string. Past it the rest
    /// of the root is not evaluated and an error says where it ran out; this bounds the time and
    /// memory of inputs whose values double at every step (a local built from itself twice,
    /// modules calling a module twice at every level).
    pub max_work: u64,
    /// Lists and objects nested in one JSON or YAML document, and in a value the evaluator
    /// keeps (a local, a module output): deeper input is reported, not read.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_instances: 10_000,
            max_collection: 1_000_000,
            max_string: 16 << 20,
            max_module_depth: 32,
            max_eval_depth: 64,
            max_expr_depth: 256,
            max_work: 4_000_000,
            max_depth: 256,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--var name=value`, in command-line order.
    pub vars: Vec<(String, String)>,
    /// `--var-file` contents: (path as reported, text).
    pub var_files: Vec<(String, String)>,
    pub limits: Limits,
    /// The files `file()`, `templatefile()`, `fileset()` and the other file functions may read.
    pub files: Files,
    /// The deployment context the user declared (`[assume]`, `--assume`).
    pub assume: Assumptions,
}

/// A fact about where the configuration is deployed that the code does not say: the AWS region
/// from `AWS_REGION`, the location of the ARM resource group. Used only where the configuration
/// leaves the value open, and marked as an assumption wherever it shows.
#[derive(Clone, Debug, Default)]
pub struct Assumptions {
    /// (key, value, where it was declared: `kijun.toml` or `--assume`), sorted by key.
    pub items: Vec<Assumption>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assumption {
    pub key: String,
    pub value: String,
    /// `kijun.toml [assume]` or `--assume`.
    pub source: String,
}

/// The keys `[assume]` accepts.
pub const ASSUME_KEYS: &[&str] = &[
    "aws_region",
    "azure_resource_group_location",
    "google_region",
    "oci_region",
];

impl Assumptions {
    pub fn get(&self, key: &str) -> Option<&Assumption> {
        self.items.iter().find(|a| a.key == key)
    }

    /// Sets `key` (a later setting wins: `--assume` after kijun.toml).
    pub fn set(&mut self, key: &str, value: &str, source: &str) {
        self.items.retain(|a| a.key != key);
        self.items.push(Assumption {
            key: key.to_string(),
            value: value.to_string(),
            source: source.to_string(),
        });
        self.items.sort_by(|a, b| a.key.cmp(&b.key));
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
