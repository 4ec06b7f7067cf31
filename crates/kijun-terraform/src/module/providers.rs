//! Providers: the ones a module requires or configures (as `terraform_provider` resources), the
//! configuration each resource uses, what a module call hands its child, and the configurations
//! a provider block makes.

use crate::config::ModuleDef;
use crate::instance::Instance;
use crate::ir::{Block, Expr, Op, E};
use crate::value::Binds;
use kijun_model::{Node, Origin, Platform, ProviderConfig, Resource, Value};
use std::collections::{BTreeMap, BTreeSet};

impl Instance<'_> {
    /// Every provider the module requires or configures, as a `terraform_provider` resource:
    /// a provider is a cloud service in use (細則 第64条第3項, 第66条第3項), so the
    /// approved-services rule needs to see them. The address is Terraform's own spelling, without
    /// the module path.
    pub(super) fn run_providers(&self) {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut emit = |name: &str, source: &str, at: Origin| {
            let full = if source.matches('/').count() == 1 {
                format!("registry.terraform.io/{source}")
            } else {
                source.to_string()
            };
            if !seen.insert(name.to_string()) {
                return;
            }
            let mut attrs = BTreeMap::new();
            attrs.insert("name".to_string(), Node::string(name, at));
            attrs.insert("source".to_string(), Node::string(source, at));
            self.out.borrow_mut().resources.push(Resource {
                platform: Platform::Terraform,
                kind: "terraform_provider".into(),
                // why: a requirement is a statement of the module's text, not of one instance:
                // the same `required_providers` line reached through several module paths or
                // roots is one declaration, reported once at that line (not once per
                // `module.x.` prefix).
                address: format!("provider[\"{full}\"]"),
                at,
                attrs,
                provider: None,
                refs: Vec::new(),
                module: self.path.clone(),
                inline_exceptions: Vec::new(),
            });
        };
        for t in &self.def.terraform {
            for rp in t
                .blocks
                .iter()
                .filter(|b| &*b.ident == "required_providers")
            {
                for a in &rp.attrs {
                    let v = self.eval_soft(&a.expr, &Binds::default());
                    // `aws = { source = "hashicorp/aws" }`, or the legacy `aws = "~> 3.0"`.
                    let source = v
                        .child("source")
                        .and_then(|s| s.as_str())
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("hashicorp/{}", a.name));
                    emit(&a.name, &source, a.at);
                }
            }
        }
        for p in &self.def.providers {
            let name = p.label(0);
            emit(name, &format!("hashicorp/{name}"), p.at);
        }
    }

    /// The region a provider named `name` would take from the environment, when the user
    /// declared it (`[assume] aws_region`, `google_region`, `oci_region`).
    fn assumed_region(&self, name: &str) -> Option<Node> {
        let key = match name {
            "aws" => "aws_region",
            "google" | "google-beta" => "google_region",
            "oci" => "oci_region",
            _ => return None,
        };
        self.config.assumed(key).cloned()
    }

    pub(super) fn provider_for(&self, blk: &Block, kind: &str, b: &Binds) -> ProviderConfig {
        let local = kind.split('_').next().unwrap_or(kind).to_string();
        let key = match blk.attr("provider") {
            Some(a) => self
                .provider_key(&a.expr, b)
                .unwrap_or_else(|| local.clone()),
            None => local.clone(),
        };
        self.providers.get(&key).cloned().unwrap_or_else(|| {
            let name = key.split('.').next().unwrap_or(&local).to_string();
            ProviderConfig {
                region: if key.contains('.') {
                    None
                } else {
                    self.assumed_region(&name)
                },
                alias: key.split_once('.').map(|(_, a)| a.to_string()),
                name,
                ..ProviderConfig::default()
            }
        })
    }

    /// The key of the provider configuration a reference names in this instance: `aws`,
    /// `aws.dr`, or for OpenTofu's provider `for_each` one instance of it,
    /// `aws.by_region["eu"]` from `aws.by_region[each.key]` (evaluated with `b`). An instance
    /// key that is not known here selects the one `[*]` configuration an unknown `for_each`
    /// made, when there is one.
    fn provider_key(&self, e: &E, b: &Binds) -> Option<String> {
        let mut key = provider_ref(e)?;
        if let Some(ix) = provider_index(e) {
            match self.eval(ix, b) {
                Ok(k) => match crate::value::to_string_value(&k) {
                    Some(k) => key = format!("{key}[\"{k}\"]"),
                    None => key = format!("{key}[*]"),
                },
                Err(_) => key = format!("{key}[*]"),
            }
            if !self.providers.contains_key(&key) {
                if let Some((base, _)) = key.split_once('[') {
                    let star = format!("{base}[*]");
                    if self.providers.contains_key(&star) {
                        key = star;
                    }
                }
            }
        }
        Some(key)
    }

    pub(super) fn child_providers(
        &self,
        call: &Block,
        def: &ModuleDef,
        b: &Binds,
    ) -> BTreeMap<String, ProviderConfig> {
        // why: a child module inherits the caller's default (unaliased) provider configurations
        // unless `providers = {…}` maps them explicitly.
        let mut out: BTreeMap<String, ProviderConfig> = self
            .providers
            .iter()
            .filter(|(k, _)| !k.contains('.'))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some(p) = call.attr("providers") {
            if let Expr::Object(items) = &p.expr.expr {
                for (k, v) in items {
                    let (Some(inner), Some(outer)) = (provider_ref(k), self.provider_key(v, b))
                    else {
                        continue;
                    };
                    if let Some(cfg) = self.providers.get(&outer) {
                        out.insert(inner, cfg.clone());
                    } else {
                        out.insert(
                            inner,
                            ProviderConfig {
                                name: outer.split(['.', '[']).next().unwrap_or("").to_string(),
                                alias: outer.split_once('.').map(|(_, a)| a.to_string()),
                                ..ProviderConfig::default()
                            },
                        );
                    }
                }
            }
        }
        // Legacy provider blocks inside the module configure it themselves.
        for blk in &def.providers {
            let child = Instance::new(self.config, def, &self.root_dir);
            let cfg = child.provider_config(blk);
            out.insert(cfg.display_name(), cfg);
        }
        out
    }

    /// The configurations a provider block makes: one, or one per element of its `for_each`
    /// (OpenTofu 1.9), each named `alias["key"]` as `provider = aws.alias[each.key]` picks it.
    pub fn provider_configs(&self, blk: &Block) -> Vec<ProviderConfig> {
        if blk.attr("for_each").is_none() {
            return vec![self.provider_config(blk)];
        }
        let what = format!("provider \"{}\"", blk.label(0));
        let Some(instances) = self.expansion(blk, &what) else {
            return vec![self.provider_config(blk)];
        };
        instances
            .into_iter()
            .map(|(suffix, b)| {
                let mut cfg = self.provider_config_in(blk, &b);
                // `[*]`: an unknown for_each; `provider = aws.alias[k]` then finds this one.
                cfg.alias = Some(format!("{}{suffix}", cfg.alias.unwrap_or_default()));
                cfg
            })
            .collect()
    }

    pub fn provider_config(&self, blk: &Block) -> ProviderConfig {
        self.provider_config_in(blk, &Binds::default())
    }

    fn provider_config_in(&self, blk: &Block, b: &Binds) -> ProviderConfig {
        let name = blk.label(0).to_string();
        let alias = blk
            .attr("alias")
            .and_then(|a| match self.eval_soft(&a.expr, b).value {
                Value::String(s) => Some(s.to_string()),
                _ => None,
            });
        // AWS uses `region`; google also `zone`; azurerm has no provider-level location.
        let region = ["region", "zone"]
            .iter()
            .find_map(|k| blk.attr(k))
            .map(|a| {
                let mut n = self.eval_soft(&a.expr, b);
                n.rehome(blk.full, a.expr.at);
                n
            });
        // why: a provider without a region takes it from the environment at apply time
        // (`AWS_REGION`, `GOOGLE_REGION`); where the user declared that context (`[assume]`),
        // the declared value stands in, marked as an assumption.
        let region = match region {
            Some(r) if !r.is_null() => Some(r),
            other => self.assumed_region(&name).or(other),
        };
        // AWS `default_tags { tags = … }`; Google `default_labels = { … }`.
        let default_tags = blk
            .blocks
            .iter()
            .find(|x| &*x.ident == "default_tags")
            .and_then(|dt| dt.attr("tags"))
            .or_else(|| blk.attr("default_labels"))
            .map(|a| self.eval_soft(&a.expr, b));
        ProviderConfig {
            name,
            alias,
            region,
            default_tags,
            at: Some(blk.at),
        }
    }
}

/// The instance key expression of `aws.by_region[each.key]` (OpenTofu provider `for_each`).
pub fn provider_index(e: &E) -> Option<&E> {
    match &e.expr {
        Expr::Traversal(_, ops) => ops.iter().find_map(|op| match op {
            Op::Index(ix) => Some(ix),
            _ => None,
        }),
        _ => None,
    }
}

/// `aws` or `aws.dr` from a provider reference expression.
pub fn provider_ref(e: &E) -> Option<String> {
    match &e.expr {
        Expr::Var(n) => Some(n.to_string()),
        Expr::Str(s) => Some(s.to_string()),
        Expr::Traversal(root, ops) => {
            let Expr::Var(n) = &root.expr else {
                return None;
            };
            let mut s = n.to_string();
            for op in ops {
                if let Op::Attr(a) = op {
                    s.push('.');
                    s.push_str(a);
                }
            }
            Some(s)
        }
        _ => None,
    }
}
