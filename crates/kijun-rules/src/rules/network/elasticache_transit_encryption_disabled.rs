//! KJ-N8-004 `elasticache-transit-encryption-disabled`: an ElastiCache replication group (Redis
//! OSS / Valkey) or Memcached cluster that accepts unencrypted connections: in-transit encryption
//! off (the AWS default), or on in the `preferred` migration mode that still accepts plaintext.
//!
//! The AWS API documents `TransitEncryptionEnabled` as "Default: false".

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if r.kind == "aws_elasticache_cluster" {
        // Members of a replication group inherit its setting; the attribute exists for Memcached.
        if util::set(r, "replication_group_id").is_some() {
            return;
        }
        match util::set(r, "engine") {
            Some(e) if e.is_unknown() => {
                out.push(Hit::unknown(e, "engine"));
                return;
            }
            Some(e)
                if e.as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case("memcached")) => {}
            _ => return,
        }
    }
    let attr = "transit_encryption_enabled";
    match util::set(r, attr) {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
        Some(n) if n.as_bool() == Some(true) => {
            let mode = "transit_encryption_mode";
            match util::set(r, mode) {
                // Optional and computed: a plan shows it "known after apply" when the
                // configuration leaves it out, and then ElastiCache uses `required`.
                Some(m) if m.is_unknown() && r.platform == kijun_model::Platform::TerraformPlan => {}
                Some(m) if m.is_unknown() => out.push(Hit::unknown(m, mode)),
                Some(m)
                    if m.as_str()
                        .is_some_and(|s| s.eq_ignore_ascii_case("preferred")) =>
                {
                    let is = util::is(mode, m);
                    out.push(Hit::value(
                        m,
                        util::t(
                            format!("{}。暗号化されていない接続も受け付けます", is.ja),
                            format!("{}, which still accepts unencrypted connections", is.en),
                        ),
                    ));
                }
                _ => {}
            }
        }
        Some(n) => out.push(Hit::value(n, util::is(attr, n))),
        None => out.push(Hit::missing(r, util::unset(attr, "false"))),
    }
}
