//! KJ-L2-012 `azure-aks-audit-logs-not-exported`: an AKS cluster whose Kubernetes audit log is
//! not exported by a diagnostic setting.
//!
//! AKS writes it only through a diagnostic setting enabling `kube-audit` or `kube-audit-admin` (or
//! the category groups `audit`/`allLogs`).

use crate::facts::logging::{require_logs, Wanted};
use crate::{Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    require_logs(
        ctx,
        r,
        &Wanted {
            any_of: &["kube-audit", "kube-audit-admin", "audit", "allLogs"],
            all_of: &[],
            what_ja: "このクラスター",
            what_en: "this cluster",
        },
        out,
    );
}
