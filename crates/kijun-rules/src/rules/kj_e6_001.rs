//! KJ-E6-001: AWS Site-to-Site VPN tunnels permit only CRYPTREC-grade IKE/IPsec parameters.

use super::cryptrec::{self, Verdict};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource, Text};

/// One tunnel option: the attribute suffix, the column of `[ipsec.aws]` that grades its values,
/// and the key of `defaults_when_unset` listing what AWS permits when it is not set.
const OPTIONS: [(&str, &str, &str); 7] = [
    (
        "phase1_encryption_algorithms",
        "encryption",
        "phase1_encryption",
    ),
    (
        "phase2_encryption_algorithms",
        "encryption",
        "phase2_encryption",
    ),
    ("phase1_integrity_algorithms", "integrity", "integrity"),
    ("phase2_integrity_algorithms", "integrity", "integrity"),
    ("phase1_dh_group_numbers", "phase1_dh_groups", "phase1_dh"),
    ("phase2_dh_group_numbers", "phase2_dh_groups", "phase2_dh"),
    ("ike_versions", "ike_versions", "ike_versions"),
];

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(t) = cryptrec::table(&["ipsec", "aws"]) else {
        out.push(cryptrec::no_data(r));
        return;
    };
    for tunnel in ["tunnel1", "tunnel2"] {
        for (suffix, column, default_key) in OPTIONS {
            let attr = format!("{tunnel}_{suffix}");
            judge(r, t, &attr, column, default_key, out);
        }
    }
}

fn judge(
    r: &Resource,
    t: &toml::Table,
    attr: &str,
    column: &str,
    default_key: &str,
    out: &mut Vec<Hit>,
) {
    let node = util::set(r, attr);
    if let Some(n) = node.filter(|n| n.is_unknown()) {
        out.push(Hit::unknown(n, attr));
        return;
    }
    let items: Vec<&Node> = node.map(|n| n.items()).unwrap_or_default();
    // why: an empty list sends no restriction to AWS, so AWS's defaults apply as when unset.
    if items.is_empty() {
        let defaults: Vec<String> = t
            .get("defaults_when_unset")
            .and_then(|d| d.get(default_key))
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| match v {
                        toml::Value::String(s) => Some(s.clone()),
                        toml::Value::Integer(i) => Some(i.to_string()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let weak: Vec<&String> = defaults
            .iter()
            .filter(|v| grade(t, column, v).is_some_and(|(v, _)| reported(column, v)))
            .collect();
        if weak.is_empty() {
            return;
        }
        let all = defaults.join(", ");
        let weak = weak
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        out.push(Hit::missing(
            r,
            Text::new(
                format!("`{attr}` が設定されていないため、AWS の既定値（{all}）が適用され、基準を満たさない {weak} が許可されます"),
                format!("`{attr}` is not set; AWS's default ({all}) applies and permits {weak}, which do not meet the CRYPTREC-based requirements"),
            ),
        ));
        return;
    }
    for item in items {
        if item.is_unknown() {
            out.push(Hit::unknown(item, attr));
            continue;
        }
        let Some(value) = cryptrec::key_text(item) else {
            continue;
        };
        match grade(t, column, &value) {
            None => out.push(cryptrec::not_in_table(item, attr)),
            Some((v, bits)) if reported(column, v) => {
                let reason = if column == "ike_versions" {
                    util::t(
                        "IKEv1 は安全なプロトコルとして認められません",
                        "IKEv1 is not accepted as a secure protocol",
                    )
                } else {
                    cryptrec::weak_primitive(&value).unwrap_or_else(|| v.reason(bits))
                };
                out.push(Hit::value(
                    item,
                    cryptrec::with_reason(
                        Text::new(
                            format!("`{attr}` に {} が含まれています", item.display()),
                            format!("`{attr}` includes {}", item.display()),
                        ),
                        reason,
                    ),
                ));
            }
            Some(_) => {}
        }
    }
}

/// The verdict of one value, and its security strength when it is a DH group.
fn grade(t: &toml::Table, column: &str, value: &str) -> Option<(Verdict, Option<i64>)> {
    let is_dh = column.ends_with("_dh_groups");
    let bits = if is_dh {
        value
            .parse::<i64>()
            .ok()
            .and_then(cryptrec::dh_security_bits)
    } else {
        None
    };
    if let Some(v) = cryptrec::verdict_of(t, column, value) {
        return Some((v, bits));
    }
    // A DH group the AWS table does not list (e.g. group 5 in phase 1, accepted by older
    // provider versions) is graded by its strength alone.
    let b = bits?;
    let min = cryptrec::minimum_bits();
    let v = if b < min {
        Verdict::Fail
    } else if b == min {
        Verdict::Warn
    } else {
        Verdict::Ok
    };
    Some((v, Some(b)))
}

/// why: 第133条第2項 asks for secure protocols. IKEv1 is graded "warn" in the data file, but it
/// is a protocol weakness rather than a 112-bit strength that CRYPTREC accepts until 2030, and a
/// finding cannot be graded lower per hit, so it is reported now.
fn reported(column: &str, v: Verdict) -> bool {
    if column == "ike_versions" {
        return v != Verdict::Ok;
    }
    v.reported()
}
