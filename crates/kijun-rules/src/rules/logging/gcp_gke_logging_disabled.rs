//! KJ-L2-011 `gcp-gke-logging-disabled`: a GKE cluster that sends no logs to Cloud Logging.
//!
//! A cluster with `logging_service = "none"`, or whose `logging_config` enables no component (or
//! leaves out `SYSTEM_COMPONENTS`, which carries the system and control-plane logs), keeps nothing.
//! The documented default is `logging.googleapis.com/kubernetes`.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if let Some(s) = util::set(r, "logging_service") {
        if s.is_unknown() {
            out.push(Hit::unknown(s, "logging_service"));
        } else if s.as_str().is_some_and(|v| v.eq_ignore_ascii_case("none")) {
            out.push(Hit::value(s, util::is("logging_service", s)));
            return;
        }
    }
    let Some(cfg) = util::set(r, "logging_config") else {
        return;
    };
    if cfg.is_unknown() {
        out.push(Hit::unknown(cfg, "logging_config"));
        return;
    }
    for b in cfg.items() {
        let Some(c) = b.child("enable_components").filter(|n| !n.is_null()) else {
            continue;
        };
        if c.is_unknown() {
            out.push(Hit::unknown(c, "logging_config.enable_components"));
            continue;
        }
        let (names, unknown) = c.strings();
        if names.iter().any(|(s, _)| *s == "SYSTEM_COMPONENTS") {
            continue;
        }
        if unknown {
            out.push(Hit::unknown(c, "logging_config.enable_components"));
        } else if names.is_empty() {
            out.push(Hit::value(
                c,
                util::t(
                    "`logging_config.enable_components` が空で、ログは収集されません",
                    "`logging_config.enable_components` is empty: no logs are collected",
                ),
            ));
        } else {
            out.push(Hit::value(
                c,
                util::t(
                    "`logging_config.enable_components` に SYSTEM_COMPONENTS が含まれていません",
                    "`logging_config.enable_components` does not include SYSTEM_COMPONENTS",
                ),
            ));
        }
    }
}
