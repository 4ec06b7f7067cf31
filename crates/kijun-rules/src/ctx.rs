//! What a check may look at besides the resource: the scan's resources indexed by kind, the
//! settings, the typed data files and the scan date.

use crate::catalogue::CATALOGUE_VERSION;
use crate::{data, Hit, Settings};
use kijun_model::Resource;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Everything a check may look at besides the resource itself.
pub struct Ctx<'a> {
    pub resources: &'a [Resource],
    pub settings: &'a Settings,
    /// The typed data files of `policies/data/`.
    pub data: &'static data::Data,
    pub(crate) by_kind: HashMap<&'a str, Vec<usize>>,
    /// Kubernetes workloads by namespace, built on first use ([`crate::facts::k8s::workloads_in`]).
    pub(crate) workloads: OnceLock<HashMap<String, Vec<usize>>>,
    /// The scan date `YYYY-MM-DD` (`--now`); `None`: the catalogue date.
    now: Option<String>,
}

impl<'a> Ctx<'a> {
    pub fn new(resources: &'a [Resource], settings: &'a Settings) -> Ctx<'a> {
        let mut by_kind: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in resources.iter().enumerate() {
            by_kind.entry(r.kind.as_str()).or_default().push(i);
        }
        Ctx {
            resources,
            settings,
            data: data::data(),
            by_kind,
            workloads: OnceLock::new(),
            now: None,
        }
    }

    /// The same context judging dated facts as of `now` (`YYYY-MM-DD`, the scan date).
    pub fn with_now(mut self, now: Option<String>) -> Ctx<'a> {
        self.now = now;
        self
    }

    /// The scan date `YYYY-MM-DD` dated facts are judged against: `--now`, or the catalogue
    /// date when the caller gives none (the pure crates read no clock).
    pub fn today(&self) -> &str {
        self.now.as_deref().unwrap_or(CATALOGUE_VERSION)
    }

    pub fn of_kind(&self, kind: &str) -> impl Iterator<Item = &'a Resource> + '_ {
        self.by_kind
            .get(kind)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.resources.get(i))
    }

    /// Resources of `kind` that refer to `target` (the graph edge "which `aws_flow_log` points
    /// at this VPC?"). References name resources without their instance key.
    pub fn referring_to(&self, kind: &str, target: &Resource) -> Vec<&'a Resource> {
        let base = strip_instance_key(&target.address);
        self.of_kind(kind)
            .filter(|r| r.refs.iter().any(|x| x == base || x == &target.address))
            .collect()
    }
}

/// `aws_vpc.main[0]` → `aws_vpc.main`; `module.a[1].aws_vpc.main` keeps the module's key.
pub fn strip_instance_key(address: &str) -> &str {
    if address.ends_with(']') {
        if let Some(i) = address.rfind('[') {
            return address.get(..i).unwrap_or(address);
        }
    }
    address
}

/// A check written in Rust: pushes a hit for every violation on `r`.
pub type CheckFn = fn(&Ctx, &Resource, &mut Vec<Hit>);
