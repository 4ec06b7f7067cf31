//! KJ-E7-003 `gcp-kms-key-rotation-missing`: Cloud KMS symmetric keys rotate automatically, at
//! least once a year.
//!
//! `rotation_period` unset means no automatic rotation at all; a period longer than 31,536,000 s
//! (365 days) is reported too. Automatic rotation applies to `ENCRYPT_DECRYPT` keys (the default
//! `purpose`); other purposes are skipped.

use crate::{util, Ctx, Hit};
use kijun_model::{format_number, Resource};

const MAX_SECONDS: f64 = 31_536_000.0;

/// `"7776000s"` or `"7776000.5s"` → seconds.
fn seconds(s: &str) -> Option<f64> {
    s.trim().strip_suffix('s')?.parse().ok()
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if let Some(p) = util::set(r, "purpose") {
        if p.is_unknown() {
            out.push(Hit::unknown(p, "purpose"));
            return;
        }
        if !p
            .as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("ENCRYPT_DECRYPT"))
        {
            return;
        }
    }
    let Some(n) = util::set(r, "rotation_period") else {
        out.push(Hit::missing(
            r,
            util::t(
                "`rotation_period` が設定されていないため、鍵は自動でローテーションされません",
                "`rotation_period` is not set: the key is never rotated automatically",
            ),
        ));
        return;
    };
    if n.is_unknown() {
        out.push(Hit::unknown(n, "rotation_period"));
        return;
    }
    if let Some(secs) = n.as_str().and_then(seconds).filter(|s| *s > MAX_SECONDS) {
        out.push(Hit::value(
            n,
            util::t(
                format!(
                    "`rotation_period` が {} 秒（約 {} 日）で、1 年（31536000 秒）を超えています",
                    format_number(secs),
                    format_number((secs / 86_400.0).round())
                ),
                format!(
                    "`rotation_period` is {} s (about {} days), longer than one year (31536000 s)",
                    format_number(secs),
                    format_number((secs / 86_400.0).round())
                ),
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::seconds;

    #[test]
    fn durations() {
        assert_eq!(seconds("7776000s"), Some(7_776_000.0));
        assert_eq!(seconds("100000.5s"), Some(100_000.5));
        assert_eq!(seconds("90d"), None);
    }
}
