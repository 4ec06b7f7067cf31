//! KJ-E6-002 `azure-vpn-weak-ipsec`: Azure VPN gateway connections use a CRYPTREC-grade custom
//! IPsec/IKE policy. Terraform's `ipsec_policy` blocks and ARM's `properties.ipsecPolicies[]`
//! hold the same six settings with the same values; the names come from
//! `cryptrec::AZURE_IPSEC_CONNECTION`.

use crate::facts::cryptrec::{self, IpsecConnectionNames, Verdict, AZURE_IPSEC_CONNECTION};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource, Text};

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(t) = cryptrec::table(&["ipsec", "azure"]) else {
        out.push(cryptrec::no_data(r));
        return;
    };
    let names = AZURE_IPSEC_CONNECTION.of(r);
    // ExpressRoute connections are private circuits without IPsec, and point-to-site (VPN
    // client) connections have no IPsec policy of their own; the rule is about IPsec
    // (site-to-site) and VNet-to-VNet connections.
    let (kind, kind_attr) = match names.setting(r, names.connection_type) {
        (Err(props), _) => {
            out.push(Hit::unknown(props, names.props.unwrap_or_default()));
            return;
        }
        (Ok(k), attr) => (k, attr),
    };
    if kind.and_then(|n| n.as_str()).is_some_and(|s| {
        s.eq_ignore_ascii_case("ExpressRoute") || s.eq_ignore_ascii_case("VPNClient")
    }) {
        return;
    }
    protocol(r, &names, t, out);
    let (policies, policies_attr) = names.setting(r, names.policies);
    let policies = policies.ok().flatten();
    if let Some(p) = policies.filter(|n| n.is_unknown()) {
        out.push(Hit::unknown(p, &policies_attr));
        return;
    }
    let blocks: Vec<&Node> = policies.map(|n| n.items()).unwrap_or_default();
    if blocks.is_empty() {
        if let Some(k) = kind.filter(|n| n.is_unknown()) {
            out.push(Hit::unknown(k, &kind_attr));
            return;
        }
        // why: without a custom policy the gateway offers Azure's default proposals, and
        // Microsoft documents that the IKEv2 main mode proposals use only DH group 2 (1024-bit
        // MODP, 80-bit security): below CRYPTREC's 112 bits (第133条第2項).
        out.push(Hit::missing(
            r,
            util::t(
                format!("`{policies_attr}` が設定されていないため Azure の既定のプロポーザルが使われ、IKE メインモードでは DH グループ 2（1024 ビット MODP、安全性約 80 ビット）が使われます"),
                format!("`{policies_attr}` is not set; Azure's default proposals apply, and their IKE main mode uses DH group 2 (1024-bit MODP, about 80-bit security)"),
            ),
        ));
        return;
    }
    for block in blocks {
        for (field, name) in names.fields {
            let Some(n) = block.child(name).filter(|n| !n.is_null()) else {
                continue; // required by the provider schema and the ARM API
            };
            let attr = format!("{policies_attr}.{name}");
            if n.is_unknown() {
                out.push(Hit::unknown(n, &attr));
                continue;
            }
            let Some(value) = n.as_str() else {
                continue;
            };
            let Some(v) = cryptrec::verdict_of(t, field, value) else {
                out.push(cryptrec::not_in_table(n, &attr));
                continue;
            };
            if !v.reported_on(ctx.today()) {
                continue;
            }
            let bits = dh_group(value).and_then(cryptrec::dh_security_bits);
            let reason = cryptrec::weak_primitive(value).unwrap_or_else(|| v.reason(bits));
            out.push(Hit::value(
                n,
                cryptrec::with_reason(util::is(&attr, n), reason),
            ));
        }
    }
}

/// why: 第133条第2項 asks for secure protocols; IKEv1 is a protocol weakness, reported like the
/// IKEv1 permission of AWS tunnels (KJ-E6-001). The documented default is IKEv2.
fn protocol(r: &Resource, names: &IpsecConnectionNames, t: &toml::Table, out: &mut Vec<Hit>) {
    let (Ok(Some(n)), attr) = names.setting(r, names.protocol) else {
        return;
    };
    let attr = attr.as_str();
    if n.is_unknown() {
        out.push(Hit::unknown(n, attr));
        return;
    }
    let Some(value) = n.as_str() else {
        return;
    };
    match cryptrec::verdict_of(t, "connection_protocol", value) {
        None => out.push(cryptrec::not_in_table(n, attr)),
        Some(Verdict::Ok) => {}
        Some(_) => out.push(Hit::value(
            n,
            cryptrec::with_reason(
                util::is(attr, n),
                Text::new(
                    "IKEv1 は安全なプロトコルとして認められません",
                    "IKEv1 is not accepted as a secure protocol",
                ),
            ),
        )),
    }
}

/// Azure's DH/PFS group names as IANA group numbers (for the strength in messages).
fn dh_group(name: &str) -> Option<i64> {
    Some(match name.to_ascii_uppercase().as_str() {
        "DHGROUP1" | "PFS1" => 1,
        "DHGROUP2" | "PFS2" => 2,
        "DHGROUP14" | "DHGROUP2048" | "PFS14" | "PFS2048" => 14,
        "DHGROUP24" | "PFS24" => 24,
        "ECP256" => 19,
        "ECP384" => 20,
        _ => return None,
    })
}
