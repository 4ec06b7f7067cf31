//! Where a resource's data is stored: shared by the data-residency rules (C1, C2).
//! why: 第64条第2項第2号 requires the security requirements to fix "the country and region where
//! the information is stored"; the organisation's allowed set is the data file / kijun.toml.

use crate::settings::Cloud;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Provenance, Resource};
use std::sync::Arc;

/// Whether a resource of this type only configures another one and holds or processes no
/// information itself (`policies/data/resource-roles.toml`): its region is not where data is
/// stored, so the region rules do not judge it. A type the list does not name is judged.
pub fn configuration_only(cloud: Cloud, kind: &str) -> bool {
    crate::data::data()
        .resource_roles
        .as_ref()
        .is_some_and(|r| r.configuration_only(cloud, kind))
}

/// Judges one region value; pushes a finding (or not-evaluated) when it is not allowed.
pub fn judge(ctx: &Ctx, cloud: Cloud, attr: &str, node: &Node, out: &mut Vec<Hit>) {
    if node.is_unknown() {
        out.push(Hit::unknown(node, attr));
        return;
    }
    if let Some(h) = crate::facts::placeholder::not_a_value(node, attr) {
        out.push(h);
        return;
    }
    let Some(code) = node.as_str() else {
        return;
    };
    if ctx.settings.region_allowed(cloud, code) {
        return;
    }
    let d = ctx.settings.describe_region(cloud, code);
    let allowed = ctx.settings.allowed_list(cloud);
    out.push(Hit::value(
        node,
        util::t(
            format!(
                "`{attr}` が {} で、許可された地域（{allowed}）の外です",
                d.ja
            ),
            format!(
                "`{attr}` is {}, outside the allowed regions ({allowed})",
                d.en
            ),
        ),
    ));
}

/// The region a resource inherits from its provider configuration, as a node that points at
/// the resource header and records the provider's region setting as its origin.
pub fn from_provider(r: &Resource) -> Option<Node> {
    let p = r.provider.as_ref()?;
    let region = p.region.as_ref()?;
    let mut n = region.clone();
    let via = format!("provider {}", p.display_name());
    let origin = region.from.as_ref().map(|f| f.at).unwrap_or(region.at);
    n.from = Some(Arc::new(Provenance { via, at: origin }));
    n.at = r.at;
    Some(n)
}
