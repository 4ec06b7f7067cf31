//! KJ-E3-002 `azure-min-tls-below-1-2`: the ARM (and azapi) storage-account half of the rule;
//! every other service is a declarative check of the rule's TOML.
//!
//! `Microsoft.Storage/storageAccounts` `properties.minimumTlsVersion`: an explicit `TLS1_0` or
//! `TLS1_1` is always a finding (第133条第2項: the CRYPTREC TLS guideline's recommended level is
//! TLS 1.2). An unset property meant TLS 1.0 until Azure Storage refused TLS 1.0 and 1.1 on every
//! account; that date is data (`policies/data/defaults.toml`, `[azure_storage]`) judged against
//! the scan date, so a scan dated before it still reports the unset property and a later one
//! does not.

use crate::data::iso_date;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource, Text};

const ATTR: &str = "properties.minimumTlsVersion";

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
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
