//! KJ-E3-003 `gcp-ssl-policy-weak`: an SSL policy below TLS 1.2 or with the COMPATIBLE profile
//! (both are the provider's defaults), and an HTTPS or SSL target proxy without `ssl_policy`,
//! which uses Google Cloud's default SSL policy: the COMPATIBLE profile with minimum TLS 1.0.

use crate::declarative::run_all;
use crate::{catalogue::Declarative, util, Ctx, Hit};
use kijun_model::Resource;
use std::sync::OnceLock;

const POLICIES: &[&str] = &["google_compute_ssl_policy", "google_compute_region_ssl_policy"];

fn specs() -> &'static [Declarative] {
    static S: OnceLock<Vec<Declarative>> = OnceLock::new();
    S.get_or_init(|| {
        vec![
            Declarative::on(POLICIES, "min_tls_version")
                .one_of(["TLS_1_2", "TLS_1_3"])
                .unset_means("TLS_1_0"),
            Declarative::on(POLICIES, "profile")
                .none_of(["COMPATIBLE"])
                .unset_means("COMPATIBLE"),
        ]
    })
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    run_all(specs(), r, out);
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
