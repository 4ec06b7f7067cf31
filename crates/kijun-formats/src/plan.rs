//! Terraform plan JSON (`terraform show -json plan.out`): the planned values of every managed
//! resource, with values Terraform only knows after apply marked unknown, and the provider
//! configuration (region) each resource uses.

use crate::tree::{get, get_str};
use kijun_model::{
    FileId, Model, Node, Origin, Platform, ProviderConfig, Resource, Unknown, Value,
};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A plan is recognised by its content, whatever the file is called.
pub fn is_plan(root: &Node) -> bool {
    get(root, "format_version").is_some()
        && get(root, "terraform_version").is_some()
        && (get(root, "planned_values").is_some() || get(root, "resource_changes").is_some())
}

/// Marks the parts of `after` that `after_unknown` says are known only after apply.
fn overlay_unknown(value: &mut Node, unknown: &Node, depth: u32) {
    if depth > 256 {
        return;
    }
    match (&mut value.value, &unknown.value) {
        (_, Value::Bool(true)) => {
            value.value = Value::Unknown(Unknown {
                reason: Arc::new(kijun_model::text!(
                    "apply 後に決まります（plan）",
                    "known after apply (plan)"
                )),
                refs: Vec::new(),
            })
        }
        (Value::Object(m), Value::Object(u)) => {
            for (k, uv) in u {
                match m.get_mut(k) {
                    Some(v) => overlay_unknown(v, uv, depth + 1),
                    None => {
                        if matches!(uv.value, Value::Bool(true)) {
                            m.insert(
                                k.clone(),
                                Node::unknown(
                                    kijun_model::text!(
                                        "apply 後に決まります（plan）",
                                        "known after apply (plan)"
                                    ),
                                    value.at,
                                ),
                            );
                        }
                    }
                }
            }
        }
        (Value::List(l), Value::List(u)) => {
            for (v, uv) in l.iter_mut().zip(u) {
                overlay_unknown(v, uv, depth + 1);
            }
        }
        _ => {}
    }
}

struct Providers<'a> {
    configs: Option<&'a Node>,
    variables: Option<&'a Node>,
}

impl Providers<'_> {
    /// The provider configuration for a resource's `provider_config_key`, with its region
    /// resolved from a constant or a root variable.
    fn config(&self, key: &str) -> Option<ProviderConfig> {
        let configs = self.configs?;
        let entry = get(configs, key)
            .or_else(|| key.rsplit_once(':').and_then(|(_, k)| get(configs, k)))?;
        let name = get_str(entry, "name").unwrap_or(key).to_string();
        let alias = get_str(entry, "alias").map(str::to_string);
        let region = get(entry, "expressions").and_then(|e| {
            ["region", "zone"]
                .iter()
                .find_map(|k| get(e, k))
                .and_then(|r| self.expression(r))
        });
        Some(ProviderConfig {
            name,
            alias,
            region,
            default_tags: None,
            at: Some(entry.at),
        })
    }

    /// `{"constant_value": …}` or `{"references": ["var.x"]}` (root variables only).
    fn expression(&self, e: &Node) -> Option<Node> {
        if let Some(c) = get(e, "constant_value") {
            return Some(c.clone());
        }
        let refs = get(e, "references")?.as_list()?;
        for r in refs {
            if let Some(v) = r.as_str().and_then(|s| s.strip_prefix("var.")) {
                if let Some(val) = self
                    .variables
                    .and_then(|vars| get(vars, v))
                    .and_then(|x| get(x, "value"))
                {
                    return Some(val.clone());
                }
            }
        }
        Some(Node::unknown(
            kijun_model::text!(
                "プロバイダーのリージョンが plan で解決されない式です",
                "the provider region is an expression the plan does not resolve"
            ),
            e.at,
        ))
    }
}

/// What the plan's `configuration` says about one resource.
#[derive(Default)]
struct Configured {
    provider_key: Option<String>,
    /// The module prefix its references are read with (`module.a.`).
    prefix: String,
    /// Attribute → its configuration expression (or, for a block, its list of block bodies).
    attr_exprs: BTreeMap<String, Node>,
    /// Every address the resource's expressions refer to (graph edges).
    refs: Vec<String>,
}

/// `aws_kms_key.x.arn` → `aws_kms_key.x`; `data.t.n.id` → `data.t.n`; `module.m.out` →
/// `module.m`; variables and locals are not resources.
fn reference_target(r: &str, prefix: &str) -> Option<String> {
    let parts: Vec<&str> = r.split('.').collect();
    let head = *parts.first()?;
    let take = match head {
        "var" | "local" | "each" | "count" | "path" | "terraform" | "self" => return None,
        "data" => 3,
        _ => 2,
    };
    if parts.len() < take {
        return None;
    }
    let base = parts.get(..take)?.join(".");
    // Strip an index written into a reference: aws_vpc.main[0] → aws_vpc.main.
    let base = base.split('[').next().unwrap_or(&base).to_string();
    Some(format!("{prefix}{base}"))
}

fn collect_refs(n: &Node, prefix: &str, out: &mut Vec<String>, depth: u32) {
    if depth > 64 {
        return;
    }
    if let Some(list) = get(n, "references").and_then(|r| r.as_list()) {
        for r in list {
            if let Some(t) = r.as_str().and_then(|s| reference_target(s, prefix)) {
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
    }
    match &n.value {
        Value::Object(m) => m
            .values()
            .for_each(|v| collect_refs(v, prefix, out, depth + 1)),
        Value::List(l) => l
            .iter()
            .for_each(|v| collect_refs(v, prefix, out, depth + 1)),
        _ => {}
    }
}

/// Configured resources by address (without instance key).
fn configured(module: &Node, prefix: &str, out: &mut BTreeMap<String, Configured>, depth: u32) {
    if depth > 64 {
        return;
    }
    for r in get(module, "resources")
        .and_then(|r| r.as_list())
        .unwrap_or(&[])
    {
        let Some(addr) = get_str(r, "address") else {
            continue;
        };
        let mut c = Configured {
            provider_key: get_str(r, "provider_config_key").map(str::to_string),
            prefix: prefix.to_string(),
            ..Configured::default()
        };
        if let Some(exprs) = get(r, "expressions").and_then(|e| e.as_object()) {
            for (attr, e) in exprs {
                let mut refs = Vec::new();
                collect_refs(e, prefix, &mut refs, 0);
                for x in refs {
                    if !c.refs.contains(&x) {
                        c.refs.push(x);
                    }
                }
                c.attr_exprs.insert(attr.to_string(), e.clone());
            }
        }
        for meta in ["count_expression", "for_each_expression"] {
            if let Some(e) = get(r, meta) {
                collect_refs(e, prefix, &mut c.refs, 0);
            }
        }
        c.refs.sort();
        out.insert(format!("{prefix}{addr}"), c);
    }
    if let Some(calls) = get(module, "module_calls").and_then(|c| c.as_object()) {
        for (name, call) in calls {
            if let Some(m) = get(call, "module") {
                configured(m, &format!("{prefix}module.{name}."), out, depth + 1);
            }
        }
    }
}

/// `{"references": [...]}` or `{"constant_value": ...}`: one expression, as opposed to a
/// block body (an object of attribute expressions).
fn is_expression(e: &Node) -> bool {
    let Some(m) = e.as_object() else {
        return false;
    };
    let refs_ok = match m.get("references") {
        Some(r) => r.as_list().is_some(),
        None => true,
    };
    (m.contains_key("references") || m.contains_key("constant_value"))
        && refs_ok
        && m.keys()
            .all(|k| &**k == "references" || &**k == "constant_value")
}

/// How many addresses the naming of unknown values may copy for one plan: a hostile plan with
/// a long list of unknown values under an expression of many references would otherwise cost
/// their product. Past it, unknown values name nothing, which the rules read as "cannot be
/// determined", never as "refers to something else".
const NAMING_BUDGET: usize = 1 << 20;

/// Gives every unknown value inside `n` that names nothing the addresses `refs`.
fn name_all_unknowns(n: &mut Node, refs: &[Arc<str>], budget: &mut usize, depth: u32) {
    if depth > 64 {
        return;
    }
    match &mut n.value {
        Value::Unknown(u) if u.refs.is_empty() && *budget >= refs.len() => {
            *budget -= refs.len();
            u.refs = refs.to_vec();
        }
        Value::Object(m) => m
            .values_mut()
            .for_each(|v| name_all_unknowns(v, refs, budget, depth + 1)),
        Value::List(l) => l
            .iter_mut()
            .for_each(|v| name_all_unknowns(v, refs, budget, depth + 1)),
        _ => {}
    }
}

/// Lets the values of an attribute that are known only after apply still name what they refer
/// to: the attribute itself, an element of a list (`scopes = [azurerm_log_analytics_workspace.a.id]`),
/// an attribute of a block (`dnssec_config { state = ... }`). `expr` is the attribute's
/// configuration: one expression, whose references every unknown value below it gets, or, for
/// blocks, a list of block bodies that follows the value's nesting. A list of several blocks is not matched
/// element by element: a set of blocks need not be planned in the order it is written, and an
/// unknown value naming the wrong resource would be worse than one naming none.
fn name_unknowns(value: &mut Node, expr: &Node, prefix: &str, budget: &mut usize, depth: u32) {
    if depth > 64 {
        return;
    }
    // One expression, or a whole block (or list of blocks) known only after apply: every
    // address the configuration gives for it.
    if is_expression(expr) || value.is_unknown() {
        let mut refs = Vec::new();
        collect_refs(expr, prefix, &mut refs, 0);
        if !refs.is_empty() {
            let refs: Vec<Arc<str>> = refs.into_iter().map(Arc::from).collect();
            name_all_unknowns(value, &refs, budget, 0);
        }
        return;
    }
    match (&mut value.value, &expr.value) {
        (Value::Object(m), Value::Object(e)) => {
            for (k, v) in m.iter_mut() {
                if let Some(x) = e.get(&**k) {
                    name_unknowns(v, x, prefix, budget, depth + 1);
                }
            }
        }
        (Value::List(l), Value::List(e)) if l.len() == 1 && e.len() == 1 => {
            if let (Some(v), Some(x)) = (l.first_mut(), e.first()) {
                name_unknowns(v, x, prefix, budget, depth + 1);
            }
        }
        _ => {}
    }
}

fn strip_indexes(address: &str) -> String {
    // module.a["x"].aws_vpc.b[0] → module.a.aws_vpc.b
    let mut out = String::with_capacity(address.len());
    let mut depth = 0;
    let mut in_str = false;
    for c in address.chars() {
        match c {
            '"' if depth > 0 => in_str = !in_str,
            '[' if !in_str => depth += 1,
            ']' if !in_str && depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

pub fn read(_file: FileId, root: &Node) -> Model {
    let mut model = Model::default();
    let providers = Providers {
        configs: get(root, "configuration").and_then(|c| get(c, "provider_config")),
        variables: get(root, "variables"),
    };
    let mut config = BTreeMap::new();
    if let Some(rm) = get(root, "configuration").and_then(|c| get(c, "root_module")) {
        configured(rm, "", &mut config, 0);
    }
    let mut unknowns: BTreeMap<&str, &Node> = BTreeMap::new();
    for rc in get(root, "resource_changes")
        .and_then(|r| r.as_list())
        .unwrap_or(&[])
    {
        if let (Some(addr), Some(u)) = (
            get_str(rc, "address"),
            get(rc, "change").and_then(|c| get(c, "after_unknown")),
        ) {
            unknowns.insert(addr, u);
        }
    }
    let mut budget = NAMING_BUDGET;
    let mut stack: Vec<(&Node, u32)> = Vec::new();
    if let Some(rm) = get(root, "planned_values").and_then(|p| get(p, "root_module")) {
        stack.push((rm, 0));
    }
    while let Some((module, depth)) = stack.pop() {
        if depth > 64 {
            continue;
        }
        for r in get(module, "resources")
            .and_then(|r| r.as_list())
            .unwrap_or(&[])
        {
            if get_str(r, "mode") != Some("managed") {
                continue;
            }
            let (Some(address), Some(kind)) = (get_str(r, "address"), get_str(r, "type")) else {
                continue;
            };
            let mut values = get(r, "values")
                .cloned()
                .unwrap_or_else(|| Node::new(Value::Object(kijun_model::Map::new()), r.at));
            if let Some(u) = unknowns.get(address) {
                overlay_unknown(&mut values, u, 0);
            }
            let plain = strip_indexes(address);
            let conf = config.get(&plain);
            let attrs: BTreeMap<String, Node> = match values.value {
                Value::Object(m) => m
                    .into_iter()
                    .map(|(k, mut v)| {
                        // A value known after apply still names what it refers to.
                        if let Some(c) = conf {
                            if let Some(e) = c.attr_exprs.get(&*k) {
                                name_unknowns(&mut v, e, &c.prefix, &mut budget, 0);
                            }
                        }
                        (k.to_string(), v)
                    })
                    .collect(),
                _ => BTreeMap::new(),
            };
            let module_path = plain
                .rsplit_once('.')
                .map(|(m, _)| m)
                .and_then(|m| m.rsplit_once('.'))
                .map(|(m, _)| m)
                .unwrap_or("");
            let provider = conf
                .and_then(|c| c.provider_key.as_deref())
                .and_then(|k| providers.config(k))
                .or_else(|| {
                    let local = kind.split('_').next().unwrap_or(kind);
                    providers.config(local)
                });
            // The finding position is the resource's `address` line in the plan.
            let at = get(r, "address").map(|a| a.at).unwrap_or(r.at);
            model.resources.push(Resource {
                platform: Platform::TerraformPlan,
                kind: kind.to_string(),
                address: address.to_string(),
                at,
                attrs,
                provider,
                refs: conf.map(|c| c.refs.clone()).unwrap_or_default(),
                module: if module_path.starts_with("module.") {
                    module_path.to_string()
                } else {
                    String::new()
                },
                inline_exceptions: Vec::new(),
            });
        }
        for child in get(module, "child_modules")
            .and_then(|c| c.as_list())
            .unwrap_or(&[])
        {
            stack.push((child, depth + 1));
        }
    }
    if let Some(configs) = providers.configs {
        provider_resources(configs, &mut model);
    }
    let _ = Origin::default;
    model
}

/// The providers the configuration requires or configures, as `terraform_provider` resources
/// like the ones the HCL front end makes (a provider is a cloud service in use, 細則 第64条第3項,
/// 第66条第3項): one per local name and module, from `configuration.provider_config`, whose
/// entries are the `provider` blocks and the `required_providers` without one (Terraform
/// leaves out a child module's entry that only points at its parent's). `source` is the
/// entry's `full_name`, so a finding points at that line; an aliased configuration
/// (`aws.dr`) is the same provider as `aws`.
fn provider_resources(configs: &Node, model: &mut Model) {
    let Some(entries) = configs.as_object() else {
        return;
    };
    let mut seen: Vec<(String, String)> = Vec::new();
    for (key, entry) in entries.iter() {
        let module = get_str(entry, "module_address")
            .filter(|m| m.starts_with("module."))
            .unwrap_or("")
            .to_string();
        // `aws`, `aws.dr`, `module.net:aws`: the local name is the key's last part, before
        // any alias.
        let local = key.rsplit(':').next().unwrap_or(key);
        let local = local.split('.').next().unwrap_or(local);
        let name = get_str(entry, "name")
            .map(|n| n.split('.').next().unwrap_or(n))
            .unwrap_or(local)
            .to_string();
        if name.is_empty() || seen.contains(&(module.clone(), name.clone())) {
            continue;
        }
        seen.push((module.clone(), name.clone()));
        // Without `full_name` (plans of Terraform before 0.13), the default namespace.
        let source = match get(entry, "full_name").filter(|f| f.as_str().is_some()) {
            Some(f) => f.clone(),
            None => Node::string(&format!("hashicorp/{name}"), entry.at),
        };
        let full = source.as_str().unwrap_or_default().to_string();
        let mut attrs = BTreeMap::new();
        attrs.insert("name".to_string(), Node::string(&name, entry.at));
        attrs.insert("source".to_string(), source);
        let address = if module.is_empty() {
            format!("provider[\"{full}\"]")
        } else {
            format!("{module}.provider[\"{full}\"]")
        };
        model.resources.push(Resource {
            platform: Platform::TerraformPlan,
            kind: "terraform_provider".into(),
            address,
            at: entry.at,
            attrs,
            provider: None,
            refs: Vec::new(),
            module,
            inline_exceptions: Vec::new(),
        });
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // why: test code may fail loudly
mod tests {
    use super::*;

    fn plan(text: &str) -> Model {
        let json = kijun_json::parse(text).unwrap();
        let root = crate::json_to_node(0, &json);
        assert!(is_plan(&root));
        read(0, &root)
    }

    fn refs_of(n: &Node) -> Vec<String> {
        match &n.value {
            Value::Unknown(u) => u.refs.iter().map(|r| r.to_string()).collect(),
            other => panic!("not unknown: {other:?}"),
        }
    }

    /// An alert whose `scopes` list holds a workspace ID known only after apply, and a block
    /// whose attribute is known only after apply: both still name the workspace.
    const NESTED: &str = r#"{
      "format_version": "1.2",
      "terraform_version": "1.9.8",
      "planned_values": {"root_module": {"resources": [
        {"address": "azurerm_monitor_scheduled_query_rules_alert_v2.a", "mode": "managed",
         "type": "azurerm_monitor_scheduled_query_rules_alert_v2", "name": "a",
         "values": {"scopes": [null, "/subscriptions/0/literal"],
                    "action": [{"action_groups": [null]}],
                    "criteria": [{"query": "x"}, {"query": "y"}]}}
      ]}},
      "resource_changes": [
        {"address": "azurerm_monitor_scheduled_query_rules_alert_v2.a", "mode": "managed",
         "type": "azurerm_monitor_scheduled_query_rules_alert_v2", "name": "a",
         "change": {"actions": ["create"], "before": null, "after": {},
                    "after_unknown": {"id": true, "scopes": [true, false],
                                      "action": [{"action_groups": [true]}],
                                      "criteria": [{"resource_id_column": true}, {}]}}}
      ],
      "configuration": {"root_module": {"resources": [
        {"address": "azurerm_monitor_scheduled_query_rules_alert_v2.a", "mode": "managed",
         "type": "azurerm_monitor_scheduled_query_rules_alert_v2", "name": "a",
         "expressions": {
           "scopes": {"references": ["azurerm_log_analytics_workspace.w.id", "azurerm_log_analytics_workspace.w"]},
           "action": [{"action_groups": {"references": ["azurerm_monitor_action_group.ops.id", "azurerm_monitor_action_group.ops"]}}],
           "criteria": [{"query": {"constant_value": "x"}, "resource_id_column": {"references": ["azurerm_log_analytics_workspace.w.id", "azurerm_log_analytics_workspace.w"]}},
                        {"query": {"constant_value": "y"}}]}}
      ]}}
    }"#;

    #[test]
    fn unknown_values_inside_an_attribute_name_what_they_refer_to() {
        let m = plan(NESTED);
        let r = &m.resources[0];
        let scopes = r.get("scopes").unwrap().as_list().unwrap();
        assert_eq!(
            refs_of(&scopes[0]),
            ["azurerm_log_analytics_workspace.w"],
            "a list element known after apply names the workspace"
        );
        assert_eq!(scopes[1].as_str(), Some("/subscriptions/0/literal"));
        let group = r.get("action").unwrap().items()[0]
            .child("action_groups")
            .unwrap()
            .items()[0];
        assert_eq!(
            refs_of(group),
            ["azurerm_monitor_action_group.ops"],
            "an attribute of a single block follows the block's configuration"
        );
        // Two blocks: planned and written order may differ, so nothing is named.
        let column = r.get("criteria").unwrap().items()[0]
            .child("resource_id_column")
            .unwrap();
        assert!(refs_of(column).is_empty());
        assert!(refs_of(r.get("id").unwrap()).is_empty());
    }

    /// Many unknown elements under an expression of many references: naming them is bounded,
    /// and past the bound they name nothing rather than something wrong.
    #[test]
    fn naming_unknown_values_is_bounded() {
        let n = 2000;
        let refs: Vec<String> = (0..1000)
            .map(|i| format!("\"aws_instance.i{i}.id\""))
            .collect();
        let nulls = vec!["null"; n].join(",");
        let trues = vec!["true"; n].join(",");
        let text = format!(
            r#"{{"format_version": "1.2", "terraform_version": "1.9.8",
              "planned_values": {{"root_module": {{"resources": [
                {{"address": "aws_lb.a", "mode": "managed", "type": "aws_lb", "name": "a",
                  "values": {{"subnets": [{nulls}]}}}}]}}}},
              "resource_changes": [{{"address": "aws_lb.a", "change": {{"after_unknown": {{"subnets": [{trues}]}}}}}}],
              "configuration": {{"root_module": {{"resources": [
                {{"address": "aws_lb.a", "mode": "managed", "type": "aws_lb", "name": "a",
                  "expressions": {{"subnets": {{"references": [{}]}}}}}}]}}}}}}"#,
            refs.join(",")
        );
        let m = plan(&text);
        let subnets = m.resources[0].get("subnets").unwrap().as_list().unwrap();
        assert_eq!(subnets.len(), n);
        assert_eq!(refs_of(&subnets[0]).len(), 1000);
        assert!(refs_of(&subnets[n - 1]).is_empty());
    }

    #[test]
    fn provider_configurations_become_terraform_provider_entries() {
        let text = r#"{
          "format_version": "1.2",
          "terraform_version": "1.9.8",
          "planned_values": {"root_module": {}},
          "configuration": {"provider_config": {
            "aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                    "expressions": {"region": {"constant_value": "ap-northeast-1"}}},
            "aws.dr": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "alias": "dr"},
            "datadog": {"name": "datadog", "full_name": "registry.terraform.io/datadog/datadog",
                        "version_constraint": "~> 3.40"},
            "module.net:aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                               "module_address": "module.net"},
            "legacy": {"name": "legacy"}
          }}
        }"#;
        let m = plan(text);
        let got: Vec<(String, String, String)> = m
            .resources
            .iter()
            .map(|r| {
                assert_eq!(r.kind, "terraform_provider");
                assert_eq!(r.platform, Platform::TerraformPlan);
                (
                    r.address.clone(),
                    r.get("source")
                        .and_then(|s| s.as_str())
                        .unwrap()
                        .to_string(),
                    r.module.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "provider[\"registry.terraform.io/hashicorp/aws\"]".to_string(),
                    "registry.terraform.io/hashicorp/aws".to_string(),
                    String::new()
                ),
                (
                    "provider[\"registry.terraform.io/datadog/datadog\"]".to_string(),
                    "registry.terraform.io/datadog/datadog".to_string(),
                    String::new()
                ),
                (
                    "provider[\"hashicorp/legacy\"]".to_string(),
                    "hashicorp/legacy".to_string(),
                    String::new()
                ),
                (
                    "module.net.provider[\"registry.terraform.io/hashicorp/aws\"]".to_string(),
                    "registry.terraform.io/hashicorp/aws".to_string(),
                    "module.net".to_string()
                ),
            ],
            "one entry per local name and module; the alias is the same provider"
        );
        // `source` is the `full_name` string itself, so a finding points at that line.
        let dd = &m.resources[1];
        let at = dd.get("source").unwrap().at;
        assert_eq!(
            &text[at.start as usize..at.end as usize],
            "\"registry.terraform.io/datadog/datadog\""
        );
    }

    #[test]
    fn index_stripping() {
        assert_eq!(
            strip_indexes("module.a[\"x[1]\"].aws_vpc.b[0]"),
            "module.a.aws_vpc.b"
        );
    }
}
