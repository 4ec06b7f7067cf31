//! KJ-C5-006 `gcp-cloudsql-backups-disabled`: Cloud SQL instances take automated backups.
//!
//! `settings.backup_configuration.enabled` is false unless set (the provider sends false; the Cloud
//! SQL API then takes no automated backups). Read replicas (`master_instance_name`) cannot have
//! backups of their own and are skipped.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if util::set(r, "master_instance_name").is_some() {
        return;
    }
    let Some(settings) = util::set(r, "settings") else {
        return; // `settings` is required; nothing to judge without it
    };
    if settings.is_unknown() {
        out.push(Hit::unknown(settings, "settings"));
        return;
    }
    for s in settings.items() {
        if s.is_unknown() {
            out.push(Hit::unknown(s, "settings"));
            continue;
        }
        let blocks: Vec<_> = s
            .child("backup_configuration")
            .map(|b| b.items())
            .unwrap_or_default();
        if blocks.is_empty() {
            out.push(Hit::value(
                s,
                util::unset("settings.backup_configuration.enabled", "false"),
            ));
            continue;
        }
        for b in blocks {
            if b.is_unknown() {
                out.push(Hit::unknown(b, "settings.backup_configuration"));
                continue;
            }
            match b.child("enabled").filter(|n| !n.is_null()) {
                Some(e) if e.is_unknown() => {
                    out.push(Hit::unknown(e, "settings.backup_configuration.enabled"))
                }
                Some(e) if e.as_bool() == Some(true) => {}
                Some(e) => out.push(Hit::value(
                    e,
                    util::is("settings.backup_configuration.enabled", e),
                )),
                None => out.push(Hit::value(
                    b,
                    util::unset("settings.backup_configuration.enabled", "false"),
                )),
            }
        }
    }
}
