//! KJ-E6-001 `aws-vpn-weak-ipsec`: AWS Site-to-Site VPN tunnels permit only CRYPTREC-grade
//! IKE/IPsec parameters.

use crate::facts::platform::ByPlatform;
use crate::facts::cryptrec::{self, Verdict};
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

/// The same options in CloudFormation (`VpnTunnelOptionsSpecifications[]`), in the order of
/// [`OPTIONS`]; their list elements are `{Value: …}` objects.
const CFN_OPTIONS: [&str; 7] = [
    "Phase1EncryptionAlgorithms",
    "Phase2EncryptionAlgorithms",
    "Phase1IntegrityAlgorithms",
    "Phase2IntegrityAlgorithms",
    "Phase1DHGroupNumbers",
    "Phase2DHGroupNumbers",
    "IKEVersions",
];

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let today = ctx.today();
    let Some(t) = cryptrec::table(&["ipsec", "aws"]) else {
        out.push(cryptrec::no_data(r));
        return;
    };
    (READ.of(r))(r, t, today, out);
}

/// Terraform names each tunnel's options as flat attributes, CloudFormation as a list of
/// tunnel option blocks: each platform has its reader.
const READ: ByPlatform<Reader> = ByPlatform::aws(terraform, cloudformation);

/// A reader: the resource, the CRYPTREC IPsec table, today's date, the findings.
type Reader = fn(&Resource, &toml::Table, &str, &mut Vec<Hit>);

fn terraform(r: &Resource, t: &toml::Table, today: &str, out: &mut Vec<Hit>) {
    for tunnel in ["tunnel1", "tunnel2"] {
        for (suffix, column, default_key) in OPTIONS {
            let attr = format!("{tunnel}_{suffix}");
            let list = Permitted {
                node: util::set(r, &attr),
                attr: &attr,
                value_key: None,
                anchor: None,
            };
            judge(r, t, &list, column, default_key, today, out);
        }
    }
}

/// why: a VPN connection always has two tunnels; a tunnel without an entry in
/// `VpnTunnelOptionsSpecifications` (or without an option in its entry) gets AWS's defaults, as
/// an unset `tunnelN_*` attribute does in Terraform.
fn cloudformation(r: &Resource, t: &toml::Table, today: &str, out: &mut Vec<Hit>) {
    let specs = util::set(r, "VpnTunnelOptionsSpecifications");
    if let Some(n) = specs.filter(|n| n.is_unknown()) {
        out.push(Hit::unknown(n, "VpnTunnelOptionsSpecifications"));
        return;
    }
    let specs: Vec<&Node> = specs.map(|n| n.items()).unwrap_or_default();
    for i in 0..2 {
        let spec = specs.get(i).copied();
        if let Some(s) = spec.filter(|s| s.is_unknown()) {
            out.push(Hit::unknown(s, "VpnTunnelOptionsSpecifications"));
            continue;
        }
        for (name, (_, column, default_key)) in CFN_OPTIONS.iter().zip(OPTIONS) {
            let attr = format!("VpnTunnelOptionsSpecifications[{i}].{name}");
            let list = Permitted {
                node: spec.and_then(|s| s.child(name)).filter(|n| !n.is_null()),
                attr: &attr,
                value_key: Some("Value"),
                anchor: spec,
            };
            judge(r, t, &list, column, default_key, today, out);
        }
    }
}

/// One permitted-values list of a tunnel.
struct Permitted<'a> {
    node: Option<&'a Node>,
    /// The attribute as shown in messages.
    attr: &'a str,
    /// The key holding each element's value (`Value` in CloudFormation), or the element itself.
    value_key: Option<&'a str>,
    /// Where an unset option is reported: its tunnel's entry, or the resource header.
    anchor: Option<&'a Node>,
}

fn judge(
    r: &Resource,
    t: &toml::Table,
    list: &Permitted,
    column: &str,
    default_key: &str,
    today: &str,
    out: &mut Vec<Hit>,
) {
    let attr = list.attr;
    let node = list.node;
    if let Some(n) = node.filter(|n| n.is_unknown()) {
        out.push(Hit::unknown(n, attr));
        return;
    }
    let items: Vec<&Node> = node
        .map(|n| n.items())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|item| match list.value_key {
            Some(k) if !item.is_unknown() => item.child(k).filter(|n| !n.is_null()),
            _ => Some(item),
        })
        .collect();
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
            .filter(|v| grade(t, column, v).is_some_and(|(v, _)| reported(column, v, today)))
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
        let detail = Text::new(
            format!("`{attr}` が設定されていないため、AWS の既定値（{all}）が適用され、基準を満たさない {weak} が許可されます"),
            format!("`{attr}` is not set; AWS's default ({all}) applies and permits {weak}, which do not meet the CRYPTREC-based requirements"),
        );
        out.push(match list.anchor {
            Some(a) => Hit::value(a, detail),
            None => Hit::missing(r, detail),
        });
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
            Some((v, bits)) if reported(column, v, today) => {
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
fn reported(column: &str, v: Verdict, today: &str) -> bool {
    if column == "ike_versions" {
        return v != Verdict::Ok;
    }
    v.reported_on(today)
}
