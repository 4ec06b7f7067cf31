//! KJ-C2-012 `cloudsql-backup-location-not-allowed`: Cloud SQL backups are stored in an allowed
//! region (unset = the nearest multi-region).

use crate::facts::regions as region;
use crate::settings::Cloud;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// Cloud SQL's multi-regional backup locations: each spans several countries.
const MULTI_REGIONS: &[&str] = &["asia", "us", "eu"];

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(backup) = r
        .get("settings")
        .and_then(|s| s.child("backup_configuration"))
        .filter(|n| !n.is_null())
    else {
        return;
    };
    let attr = "settings.backup_configuration.location";
    match backup.child("enabled").filter(|n| !n.is_null()) {
        Some(e) if e.is_unknown() => {
            // Whether backups are taken at all is unknown; where they would go still matters.
        }
        Some(e) if e.as_bool() == Some(true) => {}
        // Backups off (the provider's default): nothing is copied.
        _ => return,
    }
    match backup.child("location").filter(|n| !n.is_null()) {
        Some(loc) if loc.is_unknown() => out.push(Hit::unknown(loc, attr)),
        Some(loc) => {
            let code = loc.as_str().unwrap_or_default();
            if MULTI_REGIONS.iter().any(|m| m.eq_ignore_ascii_case(code)) {
                out.push(Hit::value(
                    loc,
                    util::t(
                        format!("`{attr}` がマルチリージョン {code} で、複数の国にバックアップが保存されます"),
                        format!("`{attr}` is the multi-region {code}, which stores backups in several countries"),
                    ),
                ));
                return;
            }
            region::judge(ctx, Cloud::Gcp, attr, loc, out);
        }
        // why: Google documents that without a location backups are stored in the
        // multi-region closest to the instance (`asia` for Tokyo), which spans several
        // countries: 第64条第2項第2号 asks for the storage location to be fixed.
        None => out.push(Hit::value(
            backup,
            util::unset_t(
                "location",
                "インスタンスに最も近いマルチリージョン（東京なら asia）",
                "the multi-region closest to the instance (asia for Tokyo)",
            ),
        )),
    }
}
