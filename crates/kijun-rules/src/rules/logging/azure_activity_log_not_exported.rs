//! KJ-L1-003 `azure-activity-log-not-exported`: the subscription's activity log is not kept by a
//! diagnostic setting.
//!
//! Azure keeps the activity log for 90 days only; a subscription-level
//! `azurerm_monitor_diagnostic_setting` (target: the subscription) exports it to a workspace,
//! storage account or event hub. Such a setting is judged on the categories it exports
//! (Administrative, Security and Policy hold the control-plane operations, security alerts and
//! policy decisions). A subscription created in the scan (`azurerm_subscription`) must have one;
//! where the subscription is defined elsewhere, absence in the scan is no evidence. In ARM the
//! setting is a `Microsoft.Insights/diagnosticSettings` of a subscription deployment template
//! (no `scope`), its categories in `properties.logs`.

use crate::facts::links::{designates, Link};
use crate::facts::logging::{
    targets_subscription, undetermined, EnabledLogs, DIAGNOSTIC_LOG_CATEGORY,
    DIAGNOSTIC_SETTING_LOGS,
};
use crate::{util, Ctx, Hit};
use kijun_model::{Resource, Value};

/// Activity-log categories that must be exported.
const REQUIRED: [&str; 3] = ["Administrative", "Security", "Policy"];
/// Category groups that include them.
const GROUPS: [&str; 2] = ["allLogs", "audit"];

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match r.kind.as_str() {
        "azurerm_subscription" => subscription(ctx, r, out),
        // A diagnostic setting: `azurerm_monitor_diagnostic_setting`, or ARM's
        // `Microsoft.Insights/diagnosticSettings` (its type in any case).
        _ => setting(r, out),
    }
}

/// A subscription-level setting exports the required categories.
fn setting(r: &Resource, out: &mut Vec<Hit>) {
    if !targets_subscription(r) {
        return;
    }
    let mut logs = EnabledLogs {
        names: Vec::new(),
        unknown: None,
        settings: 1,
    };
    (DIAGNOSTIC_SETTING_LOGS.of(r))(r, &mut logs);
    if logs.has_any(&GROUPS) {
        return;
    }
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| !logs.has(c)).collect();
    if missing.is_empty() {
        return;
    }
    if let Some(n) = logs.unknown {
        out.push(Hit::unknown(n, DIAGNOSTIC_LOG_CATEGORY.of(r)));
        return;
    }
    let list = missing.join(", ");
    out.push(Hit::missing(
        r,
        util::t(
            format!("サブスクリプションのアクティビティログのうち {list} のカテゴリが出力されていません"),
            format!("the subscription's activity log categories {list} are not exported"),
        ),
    ));
}

/// A subscription created in the scan has a diagnostic setting targeting it.
fn subscription(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let mut unknown = None;
    for d in ctx.of_kind("azurerm_monitor_diagnostic_setting") {
        let Some(t) = util::set(d, "target_resource_id") else {
            continue;
        };
        let link = match &t.value {
            // A reference names another object (a `data.azurerm_subscription` reads a
            // subscription that already exists, not the one created here); only a value
            // without references (a variable) could be anything.
            Value::Unknown(u) if !u.refs.is_empty() => match designates(t, d, r, &[]) {
                Link::Yes => Link::Yes,
                _ => Link::No,
            },
            _ => designates(t, d, r, &["subscription_id"]),
        };
        match link {
            Link::Yes => return,
            Link::Unknown => unknown = unknown.or(Some(t)),
            Link::No => {}
        }
    }
    match unknown {
        Some(n) => out.push(undetermined(
            r,
            n,
            "このサブスクリプションのアクティビティログが出力されているか",
            "whether this subscription's activity log is exported",
        )),
        None => out.push(Hit::missing(
            r,
            util::t(
                "スキャンした構成に、このサブスクリプションを対象とする `azurerm_monitor_diagnostic_setting` がなく、アクティビティログは 90 日で消去されます",
                "no `azurerm_monitor_diagnostic_setting` in the scanned configuration targets this subscription; its activity log is kept for 90 days only",
            ),
        )),
    }
}
