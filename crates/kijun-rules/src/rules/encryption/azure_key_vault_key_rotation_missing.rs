//! KJ-E7-004 `azure-key-vault-key-rotation-missing`: Azure Key Vault keys rotate automatically, at
//! least once a year.
//!
//! A key without a `rotation_policy`, or with one that has no `automatic` block, is never rotated
//! by Key Vault. The rotation interval is `automatic.time_after_creation`, or `expire_after` minus
//! `automatic.time_before_expiry`; one longer than a year is reported.

use crate::{util, Ctx, Hit};
use kijun_model::{format_number, Node, Resource};

const MAX_DAYS: f64 = 365.0;

/// An ISO 8601 duration (`P90D`, `P1Y6M`, `P2W`, `P1DT12H`) in days; months count 30 days and
/// years 365.
fn days(s: &str) -> Option<f64> {
    let rest = s.trim().strip_prefix('P').or(s.trim().strip_prefix('p'))?;
    let mut total = 0.0;
    let mut num = String::new();
    let mut time = false;
    let mut any = false;
    for c in rest.chars() {
        match c.to_ascii_uppercase() {
            'T' => time = true,
            d if d.is_ascii_digit() || d == '.' => num.push(d),
            unit => {
                let v: f64 = num.parse().ok()?;
                num.clear();
                any = true;
                total += v * match (time, unit) {
                    (false, 'Y') => 365.0,
                    (false, 'M') => 30.0,
                    (false, 'W') => 7.0,
                    (false, 'D') => 1.0,
                    (true, 'H') => 1.0 / 24.0,
                    (true, 'M') => 1.0 / 1440.0,
                    (true, 'S') => 1.0 / 86_400.0,
                    _ => return None,
                };
            }
        }
    }
    (any && num.is_empty()).then_some(total)
}

fn known_days(n: Option<&Node>, out: &mut Vec<Hit>, attr: &str) -> Result<Option<f64>, ()> {
    match n.filter(|n| !n.is_null()) {
        None => Ok(None),
        Some(n) if n.is_unknown() => {
            out.push(Hit::unknown(n, attr));
            Err(())
        }
        Some(n) => Ok(n.as_str().and_then(days)),
    }
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(policy) = util::set(r, "rotation_policy").and_then(|n| n.items().into_iter().next())
    else {
        out.push(Hit::missing(
            r,
            util::t(
                "`rotation_policy` が設定されていないため、鍵は自動でローテーションされません",
                "`rotation_policy` is not set: the key is never rotated automatically",
            ),
        ));
        return;
    };
    if policy.is_unknown() {
        out.push(Hit::unknown(policy, "rotation_policy"));
        return;
    }
    let Some(auto) = policy
        .child("automatic")
        .and_then(|a| a.items().into_iter().next())
    else {
        out.push(Hit::value(
            policy,
            util::t(
                "`rotation_policy` に `automatic` ブロックがないため、鍵は自動でローテーションされません",
                "`rotation_policy` has no `automatic` block: the key is never rotated automatically",
            ),
        ));
        return;
    };
    if auto.is_unknown() {
        out.push(Hit::unknown(auto, "rotation_policy.automatic"));
        return;
    }
    let after_creation = auto.child("time_after_creation");
    let Ok(tac) = known_days(
        after_creation,
        out,
        "rotation_policy.automatic.time_after_creation",
    ) else {
        return;
    };
    let interval = match tac {
        Some(d) => Some((d, after_creation)),
        None => {
            let Ok(tbe) = known_days(
                auto.child("time_before_expiry"),
                out,
                "rotation_policy.automatic.time_before_expiry",
            ) else {
                return;
            };
            let Ok(exp) = known_days(
                policy.child("expire_after"),
                out,
                "rotation_policy.expire_after",
            ) else {
                return;
            };
            match (exp, tbe) {
                (Some(e), Some(b)) => Some((e - b, policy.child("expire_after"))),
                _ => None,
            }
        }
    };
    if let Some((d, Some(n))) = interval {
        if d > MAX_DAYS {
            out.push(Hit::value(
                n,
                util::t(
                    format!("自動ローテーションの間隔が約 {} 日で、1 年（365 日）を超えています", format_number(d.round())),
                    format!("the automatic rotation interval is about {} days, longer than one year (365 days)", format_number(d.round())),
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::days;

    #[test]
    fn iso_durations() {
        assert_eq!(days("P90D"), Some(90.0));
        assert_eq!(days("P1Y"), Some(365.0));
        assert_eq!(days("P2Y"), Some(730.0));
        assert_eq!(days("P1M"), Some(30.0));
        assert_eq!(days("P2W"), Some(14.0));
        assert_eq!(days("P1DT12H"), Some(1.5));
        assert_eq!(days("90D"), None);
        assert_eq!(days("P"), None);
    }
}
