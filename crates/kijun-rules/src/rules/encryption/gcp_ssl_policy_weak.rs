//! KJ-E3-003 `gcp-ssl-policy-weak`, the part that is not declarative: an HTTPS or SSL target proxy
//! without `ssl_policy` uses Google Cloud's default SSL policy, which is the COMPATIBLE profile
//! with minimum TLS 1.0. `google_compute_ssl_policy` itself is checked declaratively in the
//! catalogue entry.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if r.kind == "google_compute_ssl_policy" || r.kind == "google_compute_region_ssl_policy" {
        return;
    }
    if util::set(r, "ssl_policy").is_none() {
        out.push(Hit::missing(
            r,
            util::t(
                "`ssl_policy` が設定されていないため、Google Cloud の既定の SSL ポリシー（プロファイル COMPATIBLE、最低 TLS 1.0）が適用されます",
                "`ssl_policy` is not set, so Google Cloud's default SSL policy applies (profile COMPATIBLE, minimum TLS 1.0)",
            ),
        ));
    }
}
