//! KJ-L5-002 `azure-activity-log-not-analysed`: a Log Analytics workspace that receives the
//! subscription's activity log with nothing analysing it.
//!
//! The rule applies where the scan shows the logging baseline: a workspace that a
//! subscription-level diagnostic setting exports the activity log to. Analysis is Microsoft
//! Sentinel on the workspace (`azurerm_sentinel_log_analytics_workspace_onboarding`), a log search
//! alert scoped to it (`azurerm_monitor_scheduled_query_rules_alert_v2`, or the older
//! `azurerm_monitor_scheduled_query_rules_alert`), or an activity log alert
//! (`azurerm_monitor_activity_log_alert`) in the scan.

use crate::facts::logging::subscription_target;
use crate::facts::links::{any_link, designates, Link};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

/// Whether `r` is switched off (`enabled = false`; every analysing resource defaults to true).
fn disabled(r: &Resource) -> bool {
    util::set(r, "enabled").is_some_and(|e| e.as_bool() == Some(false))
}

fn refers(n: Option<&Node>, from: &Resource, ws: &Resource) -> Link {
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return Link::No;
    };
    match n.as_list() {
        Some(items) => any_link(items.iter().map(|i| designates(i, from, ws, &["id"]))),
        None => designates(n, from, ws, &["id"]),
    }
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // The workspace receives the activity log.
    let receives = any_link(
        ctx.of_kind("azurerm_monitor_diagnostic_setting")
            .filter(|d| util::set(d, "target_resource_id").is_some_and(subscription_target))
            .map(|d| refers(d.get("log_analytics_workspace_id"), d, r)),
    );
    if receives == Link::No {
        return;
    }
    let analysed = any_link(
        ctx.of_kind("azurerm_sentinel_log_analytics_workspace_onboarding")
            .map(|s| refers(s.get("workspace_id"), s, r))
            .chain(
                ctx.of_kind("azurerm_monitor_scheduled_query_rules_alert_v2")
                    .filter(|a| !disabled(a))
                    .map(|a| refers(a.get("scopes"), a, r)),
            )
            .chain(
                ctx.of_kind("azurerm_monitor_scheduled_query_rules_alert")
                    .filter(|a| !disabled(a))
                    .map(|a| refers(a.get("data_source_id"), a, r)),
            )
            .chain(
                ctx.of_kind("azurerm_monitor_activity_log_alert")
                    .filter(|a| !disabled(a))
                    .map(|_| Link::Yes),
            ),
    );
    match (analysed, receives) {
        (Link::Yes, _) => {}
        (Link::No, Link::Yes) => out.push(Hit::missing(
            r,
            util::t(
                "サブスクリプションのアクティビティログの出力先ですが、スキャンした構成にこのワークスペースを分析する Microsoft Sentinel、ログ検索アラート又はアクティビティログアラートがありません",
                "it receives the subscription's activity log, but no Microsoft Sentinel onboarding, log search alert or activity log alert in the scanned configuration analyses it",
            ),
        )),
        _ => out.push(Hit {
            not_evaluated: true,
            ..Hit::missing(
                r,
                util::t(
                    "診断設定又は分析の設定の対象を静的に決定できないため、このワークスペースのログが分析されているか判定できません",
                    "the target of a diagnostic setting or of an analysis cannot be determined statically, so whether this workspace is analysed cannot be judged",
                ),
            )
        }),
    }
}
