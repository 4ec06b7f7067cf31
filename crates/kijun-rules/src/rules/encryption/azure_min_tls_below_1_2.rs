//! KJ-E3-002 `azure-min-tls-below-1-2`: Azure services whose minimum TLS version is below 1.2.
//! Every service but the ARM (and azapi) storage account is an attribute check declared in
//! `specs`; the storage account is judged in code.
//!
//! `Microsoft.Storage/storageAccounts` `properties.minimumTlsVersion`: an explicit `TLS1_0` or
//! `TLS1_1` is always a finding (第133条第2項: the CRYPTREC TLS guideline's recommended level is
//! TLS 1.2). An unset property meant TLS 1.0 until Azure Storage refused TLS 1.0 and 1.1 on every
//! account; that date is data (`policies/data/defaults.toml`, `[azure_storage]`) judged against
//! the scan date, so a scan dated before it still reports the unset property and a later one
//! does not.

use crate::data::iso_date;
use crate::declarative::run_all;
use crate::catalogue::Declarative;
use std::sync::OnceLock;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource, Text};

const ATTR: &str = "properties.minimumTlsVersion";

fn specs() -> &'static [Declarative] {
    static S: OnceLock<Vec<Declarative>> = OnceLock::new();
    S.get_or_init(|| {
        vec![
            Declarative::on(&["azurerm_storage_account"], "min_tls_version").none_of(["TLS1_0", "TLS1_1"]).unset_means("TLS1_2").ignore_case(),
            // Numbers match "1.0" and 1.0 alike; "Disabled" / "None" mean no minimum is enforced.
            Declarative::on(&["azurerm_mssql_server"], "minimum_tls_version").none_of([toml::Value::from(1.0), toml::Value::from(1.1), toml::Value::from("Disabled"), toml::Value::from("None")]).unset_means("1.2").ignore_case(),
            Declarative::on(&["azurerm_mssql_managed_instance"], "minimum_tls_version").none_of([toml::Value::from(1.0), toml::Value::from(1.1), toml::Value::from("None")]).unset_means("1.2").ignore_case(),
            Declarative::on(&["azurerm_redis_cache", "azurerm_eventhub_namespace", "azurerm_servicebus_namespace"], "minimum_tls_version").none_of([1.0, 1.1]).unset_means("1.2"),
            Declarative::on(&["azurerm_cosmosdb_account"], "minimal_tls_version").none_of(["Tls", "Tls11"]).unset_means("Tls12").ignore_case(),
            Declarative::on(&["azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_linux_web_app_slot", "azurerm_windows_web_app_slot", "azurerm_linux_function_app", "azurerm_windows_function_app", "azurerm_linux_function_app_slot", "azurerm_windows_function_app_slot"], "site_config.minimum_tls_version").none_of([1.0, 1.1]).unset_means("1.2"),
            Declarative::on(&["azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_linux_web_app_slot", "azurerm_windows_web_app_slot", "azurerm_linux_function_app", "azurerm_windows_function_app", "azurerm_linux_function_app_slot", "azurerm_windows_function_app_slot"], "site_config.scm_minimum_tls_version").none_of([1.0, 1.1]).unset_means("1.2"),
            // ARM Microsoft.Storage/storageAccounts: `check` below, because what an unset
            // minimumTlsVersion means depends on the scan date (policies/data/defaults.toml).
            Declarative::on(&["Microsoft.Sql/servers"], "properties.minimalTlsVersion").none_of([toml::Value::from(1.0), toml::Value::from(1.1), toml::Value::from("None"), toml::Value::from("Disabled")]).unset_means("1.2").ignore_case(),
            Declarative::on(&["Microsoft.Web/sites", "Microsoft.Web/sites/slots"], "properties.siteConfig.minTlsVersion").none_of([1.0, 1.1]).unset_means("1.2"),
            Declarative::on(&["Microsoft.Web/sites", "Microsoft.Web/sites/slots"], "properties.siteConfig.scmMinTlsVersion").none_of([1.0, 1.1]).unset_means("1.2"),
            Declarative::on(&["Microsoft.Web/sites/config"], "properties.minTlsVersion").none_of([1.0, 1.1]).unset_means("1.2"),
            Declarative::on(&["Microsoft.Web/sites/config"], "properties.scmMinTlsVersion").none_of([1.0, 1.1]).unset_means("1.2"),
        ]
    })
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    run_all(specs(), r, out);
    if r.kind != "Microsoft.Storage/storageAccounts" {
        return;
    }
    let props = r.get("properties").filter(|n| !n.is_null());
    if let Some(p) = props.filter(|p| p.is_unknown()) {
        out.push(Hit::unknown(p, ATTR));
        return;
    }
    match props
        .and_then(|p| p.child("minimumTlsVersion"))
        .filter(|n| !n.is_null())
    {
        Some(v) if v.is_unknown() => out.push(Hit::unknown(v, ATTR)),
        Some(v) => {
            let weak = v
                .as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("TLS1_0") || s.eq_ignore_ascii_case("TLS1_1"));
            if weak {
                out.push(Hit::value(v, util::is(ATTR, v)));
            }
        }
        None => unset(ctx, r, props, out),
    }
}

/// An unset `minimumTlsVersion`: TLS 1.0 before the retirement date, refused by Azure after it.
fn unset(ctx: &Ctx, r: &Resource, props: Option<&Node>, out: &mut Vec<Hit>) {
    let Some(d) = ctx.data.defaults.as_ref().map(|d| &d.azure_storage) else {
        return;
    };
    let retired = iso_date(&d.tls_1_0_1_1_retired);
    // ISO dates compare correctly as strings.
    if retired.is_empty() || ctx.today() >= retired.as_str() {
        return;
    }
    let before = &d.unset_min_tls_before;
    let detail = Text::new(
        format!("`{ATTR}` が設定されていないため、既定値（{before}）が適用されます（Azure Storage が TLS 1.0・1.1 を拒否する {retired} より前の時点の判定です）"),
        format!("`{ATTR}` is not set; the documented default ({before}) applies (judged as of a date before {retired}, when Azure Storage began refusing TLS 1.0 and 1.1)"),
    );
    out.push(match props {
        Some(p) => Hit::value(p, detail),
        None => Hit::missing(r, detail),
    });
}
