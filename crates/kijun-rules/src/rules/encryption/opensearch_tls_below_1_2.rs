//! KJ-E3-006 `opensearch-tls-below-1-2`: an OpenSearch (or legacy Elasticsearch) domain whose
//! HTTPS endpoint accepts TLS below 1.2 (`Policy-Min-TLS-1-0-2019-07`).
//!
//! The provider documents no default for `tls_security_policy` (it takes what AWS returns), so an
//! unset value is reported as not evaluated rather than guessed. CloudFormation spells the
//! setting `DomainEndpointOptions.TLSSecurityPolicy` (`tls::OPENSEARCH_*`).

use crate::facts::tls;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

fn unset(r: &Resource, attr: &str, at: Option<&kijun_model::Node>) -> Hit {
    let detail = util::t(
        format!("`{attr}` が設定されていません。省略時のポリシーはドキュメントに定められておらず、AWS が決めるため判定できません。`Policy-Min-TLS-1-2-PFS-2023-10` などを明示してください"),
        format!("`{attr}` is not set; no default is documented and AWS decides, so it cannot be judged. Set `Policy-Min-TLS-1-2-PFS-2023-10` or similar explicitly"),
    );
    let h = match at {
        Some(b) => Hit::value(b, detail),
        None => Hit::missing(r, detail),
    };
    Hit {
        not_evaluated: true,
        ..h
    }
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let (opts_attr, policy_attr) = (
        tls::OPENSEARCH_ENDPOINT_OPTIONS.of(r),
        tls::OPENSEARCH_TLS_POLICY.of(r),
    );
    let attr = &format!("{opts_attr}.{policy_attr}");
    let Some(opts) = util::set(r, opts_attr) else {
        out.push(unset(r, attr, None));
        return;
    };
    if opts.is_unknown() {
        out.push(Hit::unknown(opts, opts_attr));
        return;
    }
    let Some(block) = opts.items().into_iter().next() else {
        out.push(unset(r, attr, None));
        return;
    };
    match block.child(policy_attr).filter(|n| !n.is_null()) {
        None => out.push(unset(r, attr, Some(block))),
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
        Some(n) => {
            let Some(name) = n.as_str() else {
                return;
            };
            match tls::policy("aws-opensearch", name) {
                None => out.push(tls::not_in_table(n, attr)),
                Some(p) if tls::below_required(&p.min_tls) => out.push(Hit::value(
                    n,
                    tls::accepts_text(util::is(attr, n), &p.min_tls),
                )),
                Some(_) => {}
            }
        }
    }
}
