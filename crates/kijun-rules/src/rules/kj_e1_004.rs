//! KJ-E1-004: ElastiCache replication groups encrypt data at rest.
//!
//! why: 第133条第1項第1号 and 第107条第5項. The documented default of
//! `at_rest_encryption_enabled` depends on the engine: false for `redis` (the default engine),
//! true for `valkey`.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if let Some(n) = util::set(r, "at_rest_encryption_enabled") {
        if n.is_unknown() {
            out.push(Hit::unknown(n, "at_rest_encryption_enabled"));
        } else if n.as_bool() == Some(false) {
            out.push(Hit::value(n, util::is("at_rest_encryption_enabled", n)));
        }
        return;
    }
    // A secondary of a global datastore takes its settings from the global datastore, whose
    // primary replication group is judged itself.
    if util::set(r, "global_replication_group_id").is_some() {
        return;
    }
    let engine = match util::set(r, "engine") {
        Some(e) if e.is_unknown() => {
            out.push(Hit::unknown(e, "engine"));
            return;
        }
        Some(e) => e.as_str().unwrap_or("redis").to_ascii_lowercase(),
        None => "redis".to_string(),
    };
    if engine == "valkey" {
        return; // documented default: true
    }
    out.push(Hit::missing(
        r,
        util::t(
            format!("`at_rest_encryption_enabled` が設定されていないため、engine が {engine} の場合の既定値（false）が適用されます"),
            format!("`at_rest_encryption_enabled` is not set; the documented default for engine {engine} (false) applies"),
        ),
    ));
}
