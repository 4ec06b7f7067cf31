//! KJ-L1-003 `azure-activity-log-not-exported`: the subscription's activity log is not kept by a
//! diagnostic setting.
//!
//! why: 第132条第1項 asks for an account-level audit trail. Azure keeps the activity log for 90
//! days only; a subscription-level `azurerm_monitor_diagnostic_setting` (target: the subscription)
//! exports it to a workspace, storage account or event hub. Such a setting is judged on the
//! categories it exports (Administrative, Security and Policy hold the control-plane operations,
//! security alerts and policy decisions). A subscription created in the scan (`azurerm_subscription`)
//! must have one; where the subscription is defined elsewhere, absence in the scan is no evidence.
//!
//! This file also holds the reading of diagnostic settings shared by the Azure L2 rules.

use super::kj_l2_002::{designates, Link};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource, Value};

/// Log categories and category groups enabled for one target, over all its diagnostic settings.
pub(crate) struct EnabledLogs<'a> {
    /// Lower-cased category and category-group names.
    pub names: Vec<String>,
    /// A category, a block or a setting's target that cannot be known.
    pub unknown: Option<&'a Node>,
    /// How many diagnostic settings target the resource.
    pub settings: usize,
}

impl EnabledLogs<'_> {
    pub fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n.eq_ignore_ascii_case(name))
    }

    pub fn has_any(&self, names: &[&str]) -> bool {
        names.iter().any(|n| self.has(n))
    }
}

/// The logs exported by one diagnostic setting: `enabled_log` blocks (azurerm 3.39+) and legacy
/// `log` blocks (azurerm 3.x, `enabled` defaults to true).
pub(crate) fn setting_logs<'a>(d: &'a Resource, out: &mut EnabledLogs<'a>) {
    for block_name in ["enabled_log", "log"] {
        let Some(blocks) = util::set(d, block_name) else {
            continue;
        };
        if blocks.is_unknown() {
            out.unknown.get_or_insert(blocks);
            continue;
        }
        for b in blocks.items() {
            if b.is_unknown() {
                out.unknown.get_or_insert(b);
                continue;
            }
            if block_name == "log" {
                match b.child("enabled").filter(|n| !n.is_null()) {
                    Some(e) if e.is_unknown() => {
                        out.unknown.get_or_insert(e);
                        continue;
                    }
                    Some(e) if e.as_bool() == Some(false) => continue,
                    _ => {}
                }
            }
            for key in ["category", "category_group"] {
                match b.child(key).filter(|n| !n.is_null()) {
                    Some(n) if n.is_unknown() => {
                        out.unknown.get_or_insert(n);
                    }
                    Some(n) => {
                        if let Some(s) = n.as_str() {
                            out.names.push(s.to_ascii_lowercase());
                        }
                    }
                    None => {}
                }
            }
        }
    }
}

/// The logs the diagnostic settings in the scan export for `target` (settings whose
/// `target_resource_id` refers to it, also through a sub-resource path such as
/// `"${azurerm_storage_account.x.id}/blobServices/default"`).
pub(crate) fn enabled_logs<'a>(ctx: &Ctx<'a>, target: &Resource) -> EnabledLogs<'a> {
    let mut out = EnabledLogs {
        names: Vec::new(),
        unknown: None,
        settings: 0,
    };
    for d in ctx.of_kind("azurerm_monitor_diagnostic_setting") {
        let Some(t) = util::set(d, "target_resource_id") else {
            continue;
        };
        match designates(t, d, target, &["id"]) {
            Link::Yes => {
                out.settings += 1;
                setting_logs(d, &mut out)
            }
            Link::Unknown => {
                out.unknown.get_or_insert(t);
            }
            Link::No => {}
        }
    }
    out
}

/// A not-evaluated hit on the resource header, saying why.
pub(crate) fn undetermined(r: &Resource, n: &Node, what_ja: &str, what_en: &str) -> Hit {
    let why = Hit::unknown(n, "azurerm_monitor_diagnostic_setting").detail;
    Hit {
        not_evaluated: true,
        ..Hit::missing(
            r,
            util::t(
                format!("{what_ja}を判定できません。{}", why.ja),
                format!("{what_en} cannot be judged: {}", why.en),
            ),
        )
    }
}

/// What an Azure L2 rule asks of the diagnostic settings of one resource: one of `any_of`
/// (categories or category groups that suffice alone), or all of `all_of` together.
pub(crate) struct Wanted<'s> {
    pub any_of: &'s [&'s str],
    pub all_of: &'s [&'s str],
    /// "Key Vault" / "このキーコンテナー": how the detail names the resource.
    pub what_ja: &'s str,
    pub what_en: &'s str,
}

/// Judges the diagnostic settings in the scan that target `r` against `want`.
pub(crate) fn require_logs(ctx: &Ctx, r: &Resource, want: &Wanted, out: &mut Vec<Hit>) {
    let logs = enabled_logs(ctx, r);
    if logs.has_any(want.any_of)
        || (!want.all_of.is_empty() && want.all_of.iter().all(|c| logs.has(c)))
    {
        return;
    }
    if let Some(n) = logs.unknown {
        out.push(undetermined(
            r,
            n,
            &format!("{}の監査ログが出力されているか", want.what_ja),
            &format!("whether the audit logs of {} are exported", want.what_en),
        ));
        return;
    }
    let list = if want.all_of.is_empty() {
        want.any_of.first().copied().unwrap_or_default().to_string()
    } else {
        want.all_of.join(", ")
    };
    out.push(Hit::missing(
        r,
        if logs.settings == 0 {
            util::t(
                format!(
                    "スキャンした構成に、{}を対象とする `azurerm_monitor_diagnostic_setting` がありません",
                    want.what_ja
                ),
                format!(
                    "no `azurerm_monitor_diagnostic_setting` in the scanned configuration targets {}",
                    want.what_en
                ),
            )
        } else {
            util::t(
                format!(
                    "{}を対象とする診断設定が、監査ログのカテゴリ（{list}）を出力していません",
                    want.what_ja
                ),
                format!(
                    "the diagnostic settings targeting {} do not export its audit log categories ({list})",
                    want.what_en
                ),
            )
        },
    ));
}

/// Activity-log categories that must be exported.
const REQUIRED: [&str; 3] = ["Administrative", "Security", "Policy"];
/// Category groups that include them.
const GROUPS: [&str; 2] = ["allLogs", "audit"];

/// Whether a diagnostic setting targets a subscription: a literal `/subscriptions/<id>` or a
/// reference to a subscription (data source or resource).
pub(crate) fn subscription_target(t: &Node) -> bool {
    match &t.value {
        Value::String(s) => {
            let s = s.trim_end_matches('/');
            s.strip_prefix("/subscriptions/")
                .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
        }
        Value::Unknown(u) => {
            !u.refs.is_empty()
                && u.refs.iter().all(|a| {
                    let kind = a.rsplit('.').nth(1).unwrap_or_default();
                    kind == "azurerm_subscription"
                })
        }
        _ => false,
    }
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match r.kind.as_str() {
        "azurerm_monitor_diagnostic_setting" => setting(r, out),
        "azurerm_subscription" => subscription(ctx, r, out),
        _ => {}
    }
}

/// A subscription-level setting exports the required categories.
fn setting(r: &Resource, out: &mut Vec<Hit>) {
    let Some(t) = util::set(r, "target_resource_id") else {
        return;
    };
    if !subscription_target(t) {
        return;
    }
    let mut logs = EnabledLogs {
        names: Vec::new(),
        unknown: None,
        settings: 1,
    };
    setting_logs(r, &mut logs);
    if logs.has_any(&GROUPS) {
        return;
    }
    let missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| !logs.has(c)).collect();
    if missing.is_empty() {
        return;
    }
    if let Some(n) = logs.unknown {
        out.push(Hit::unknown(n, "enabled_log.category"));
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
