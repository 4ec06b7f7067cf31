//! KJ-C3-001 `terraform-provider-not-approved`: every Terraform provider that reaches a cloud
//! service is on the approved register.
//!
//! A provider in `required_providers` or a `provider` block is the configuration's own statement
//! that a service is used, so it is compared with the register: the shipped
//! `policies/data/cloud-services.toml`, or `Settings::approved_providers` when the organisation
//! configured its own. Utility providers (random, tls, …) reach no cloud service and are skipped.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;
use std::sync::OnceLock;

/// One entry of the shipped register.
struct Entry {
    /// `namespace/type`, lower case, plus aliases.
    sources: Vec<String>,
    service: String,
    ismap: bool,
}

struct Register {
    providers: Vec<Entry>,
    utility: Vec<String>,
}

fn register() -> &'static Register {
    static REG: OnceLock<Register> = OnceLock::new();
    REG.get_or_init(|| {
        let mut reg = Register {
            providers: Vec::new(),
            utility: Vec::new(),
        };
        let Some(doc) = crate::DATA_FILES
            .iter()
            .find(|(n, _)| *n == "cloud-services.toml")
            .and_then(|(_, text)| toml::from_str::<toml::Table>(text).ok())
        else {
            return reg;
        };
        let strs = |v: Option<&toml::Value>| -> Vec<String> {
            v.and_then(|a| a.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str())
                        .map(|s| s.to_ascii_lowercase())
                        .collect()
                })
                .unwrap_or_default()
        };
        for p in doc
            .get("provider")
            .and_then(|p| p.as_array())
            .into_iter()
            .flatten()
        {
            let Some(source) = p.get("source").and_then(|s| s.as_str()) else {
                continue;
            };
            let mut sources = vec![source.to_ascii_lowercase()];
            sources.extend(strs(p.get("aliases")));
            reg.providers.push(Entry {
                sources,
                service: p
                    .get("service")
                    .and_then(|s| s.as_str())
                    .unwrap_or(source)
                    .to_string(),
                ismap: p.get("ismap").and_then(|b| b.as_bool()).unwrap_or(false),
            });
        }
        reg.utility = strs(doc.get("utility").and_then(|u| u.get("providers")));
        reg
    })
}

/// The register's matching rule (its header): drop the registry hostname, compare
/// `namespace/type` case-insensitively.
fn normalise(source: &str) -> String {
    let s = source.trim().to_ascii_lowercase();
    let parts: Vec<&str> = s.split('/').collect();
    match parts.as_slice() {
        [host, ns, ty] if host.contains('.') && *host != "terraform.io" => format!("{ns}/{ty}"),
        _ => s,
    }
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(node) = util::set(r, "source") else {
        return;
    };
    if node.is_unknown() {
        out.push(Hit::unknown(node, "source"));
        return;
    }
    let Some(raw) = node.as_str() else {
        return;
    };
    let source = normalise(raw);
    let reg = register();
    if reg.utility.iter().any(|u| normalise(u) == source) {
        return;
    }
    let name = r
        .get("name")
        .and_then(|n| n.as_str())
        .unwrap_or(raw)
        .to_string();
    if !ctx.settings.approved_providers.is_empty() {
        // The organisation's own register replaces the shipped one: being on it is the
        // approval 第66条第3項 asks to record, whatever the ISMAP status.
        let approved = ctx
            .settings
            .approved_providers
            .iter()
            .any(|a| normalise(a) == source);
        if !approved {
            out.push(Hit::value(
                node,
                util::t(
                    format!("プロバイダ `{name}`（{source}）は組織の承認済みクラウドサービス一覧にありません"),
                    format!("provider `{name}` ({source}) is not on the organisation's register of approved cloud services"),
                ),
            ));
        }
        return;
    }
    match reg
        .providers
        .iter()
        .find(|e| e.sources.contains(&source))
    {
        None => out.push(Hit::value(
            node,
            util::t(
                format!("プロバイダ `{name}`（{source}）は既定の承認済みクラウドサービス一覧にありません"),
                format!("provider `{name}` ({source}) is not on the default register of approved cloud services"),
            ),
        )),
        Some(e) if !e.ismap => out.push(Hit::value(
            node,
            util::t(
                format!(
                    "プロバイダ `{name}`（{}）は一覧にありますが、ISMAP クラウドサービスリストへの登録が確認されていません",
                    e.service
                ),
                format!(
                    "provider `{name}` ({}) is on the register, but its listing on the ISMAP cloud service list is not confirmed",
                    e.service
                ),
            ),
        )),
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostnames_are_dropped() {
        assert_eq!(
            normalise("registry.terraform.io/HashiCorp/AWS"),
            "hashicorp/aws"
        );
        assert_eq!(
            normalise("registry.opentofu.org/hashicorp/aws"),
            "hashicorp/aws"
        );
        assert_eq!(
            normalise("terraform.io/builtin/terraform"),
            "terraform.io/builtin/terraform"
        );
        assert_eq!(normalise("datadog/datadog"), "datadog/datadog");
    }

    #[test]
    fn shipped_register_is_read() {
        let reg = register();
        assert!(reg
            .providers
            .iter()
            .any(|e| e.ismap && e.sources.iter().any(|s| s == "hashicorp/aws")));
        assert!(reg.utility.iter().any(|u| u == "hashicorp/random"));
        // kind runs a local cluster in Docker: a utility, not a cloud service.
        assert!(reg.utility.iter().any(|u| u == "kyma-incubator/kind"));
    }
}
