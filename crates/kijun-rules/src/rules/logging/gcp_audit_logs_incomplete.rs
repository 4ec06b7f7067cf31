//! KJ-L1-002 `gcp-audit-logs-incomplete`: a GCP project whose Data Access audit logs are not all
//! switched on for every service.
//!
//! Admin Activity audit logs are always written; Data Access logs (`ADMIN_READ`, `DATA_READ`,
//! `DATA_WRITE`) are off for most services unless an audit config enables them. A
//! `google_project_iam_audit_config` for `allServices` is judged on the log types it enables; a
//! project created in the scan (`google_project`, the project baseline) must have one, from the
//! project itself or from its folder or organisation. Where the project is defined elsewhere,
//! absence in the scan is no evidence.

use crate::facts::links::{any_link, designates, Link};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

const REQUIRED: [&str; 3] = ["ADMIN_READ", "DATA_READ", "DATA_WRITE"];
const PARENT_CONFIGS: [&str; 2] = [
    "google_organization_iam_audit_config",
    "google_folder_iam_audit_config",
];

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match r.kind.as_str() {
        "google_project_iam_audit_config" => audit_config(r, out),
        "google_project" => project(ctx, r, out),
        _ => {}
    }
}

/// `Some(true)` when the config is for `allServices`, `None` when that cannot be known.
fn all_services(c: &Resource) -> Option<bool> {
    let s = util::set(c, "service")?;
    if s.is_unknown() {
        return None;
    }
    Some(s.as_str() == Some("allServices"))
}

fn audit_config(r: &Resource, out: &mut Vec<Hit>) {
    match all_services(r) {
        Some(true) => {}
        Some(false) => return,
        None => {
            if let Some(s) = util::set(r, "service") {
                out.push(Hit::unknown(s, "service"));
            }
            return;
        }
    }
    let mut unknown: Option<&Node> = None;
    let mut types: Vec<&str> = Vec::new();
    match util::set(r, "audit_log_config") {
        Some(n) if n.is_unknown() => unknown = Some(n),
        Some(n) => {
            for b in n.items() {
                match b.child("log_type").filter(|t| !t.is_null()) {
                    Some(t) if t.is_unknown() => unknown = unknown.or(Some(t)),
                    Some(t) => types.extend(t.as_str()),
                    None => {}
                }
                if b.is_unknown() {
                    unknown = unknown.or(Some(b));
                }
            }
        }
        None => {}
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|t| !types.contains(t))
        .collect();
    if missing.is_empty() {
        return;
    }
    if let Some(n) = unknown {
        out.push(Hit::unknown(n, "audit_log_config.log_type"));
        return;
    }
    let list = missing.join(", ");
    out.push(Hit::missing(
        r,
        util::t(
            format!("`allServices` の監査ログ設定で {list} が有効になっていません"),
            format!("the `allServices` audit config does not enable {list}"),
        ),
    ));
}

fn project(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // why: audit configs of a folder or the organisation apply to the projects under them
    // (the union is used); one in the scan covers the projects it creates.
    if PARENT_CONFIGS
        .iter()
        .flat_map(|k| ctx.of_kind(k))
        .any(|c| all_services(c) == Some(true))
    {
        return;
    }
    let mut links = Vec::new();
    for c in ctx.of_kind("google_project_iam_audit_config") {
        let link = match util::set(c, "project") {
            Some(p) => designates(p, c, r, &["project_id"]),
            None => Link::No,
        };
        match (link, all_services(c)) {
            (Link::Yes, Some(true)) => return,
            (Link::Yes, None) | (Link::Unknown, _) => links.push(Link::Unknown),
            _ => {}
        }
    }
    // A policy set wholesale (`google_project_iam_policy`) may carry audit configs inside
    // `policy_data`, which is not read here.
    for p in ctx.of_kind("google_project_iam_policy") {
        if let Some(n) = util::set(p, "project") {
            if designates(n, p, r, &["project_id"]) != Link::No {
                links.push(Link::Unknown);
            }
        }
    }
    match any_link(links) {
        Link::Unknown => out.push(Hit {
            not_evaluated: true,
            ..Hit::missing(
                r,
                util::t(
                    "監査ログ設定の対象プロジェクト又はサービスを静的に決定できないため、このプロジェクトのデータアクセス監査ログが有効か判定できません",
                    "the project or service of an audit config cannot be determined statically, so whether this project's Data Access audit logs are on cannot be judged",
                ),
            )
        }),
        _ => out.push(Hit::missing(
            r,
            util::t(
                "スキャンした構成に、このプロジェクトの `allServices` を対象とする `google_project_iam_audit_config` がなく、データアクセス監査ログは有効になっていません",
                "no `google_project_iam_audit_config` for `allServices` in the scanned configuration targets this project, so Data Access audit logs are off",
            ),
        )),
    }
}
