//! KJ-N3-003 `azure-gcp-egress-unrestricted`: at confidentiality 3, an Azure NSG rule or a Google
//! Cloud firewall rule that explicitly allows every protocol and port out to the whole internet.
//!
//! Only rules written in the configuration are judged: the platforms' implied outbound allow rules
//! (Azure `AllowInternetOutBound`, Google Cloud's implied egress rule) are not resources.

use crate::facts::egress::{dests_of, judge, Dest, Egress};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

fn every_port(n: &Node) -> bool {
    n.items()
        .iter()
        .any(|p| util::port_range(p).is_some_and(|(a, b)| a == 0 && b >= 65535))
}

/// One NSG rule, inline or standalone; Azure compares these values without case.
fn nsg<'a>(get: impl Fn(&str) -> Option<&'a Node>) -> Option<Egress<'a>> {
    let mut pending = None;
    match get("direction") {
        Some(d) if d.is_unknown() => pending = Some((d, "direction")),
        Some(d)
            if d.as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("outbound")) => {}
        _ => return None,
    }
    match get("access") {
        Some(a) if a.is_unknown() => pending = pending.or(Some((a, "access"))),
        Some(a) if a.as_str().is_some_and(|s| s.eq_ignore_ascii_case("allow")) => {}
        _ => return None,
    }
    let all = match get("protocol") {
        Some(p) if p.is_unknown() => Err((p, "protocol")),
        Some(p) => {
            let proto_ok = p.as_str().is_some_and(|s| {
                s == "*" || s.eq_ignore_ascii_case("tcp") || s.eq_ignore_ascii_case("udp")
            });
            let mut ports = Ok(false);
            for attr in ["destination_port_range", "destination_port_ranges"] {
                let attr: &'static str = if attr == "destination_port_range" {
                    "destination_port_range"
                } else {
                    "destination_port_ranges"
                };
                match get(attr) {
                    Some(n) if n.is_unknown() => ports = ports.and(Err((n, attr))),
                    Some(n) if every_port(n) => ports = ports.map(|_| true),
                    _ => {}
                }
            }
            if proto_ok {
                ports
            } else {
                Ok(false)
            }
        }
        None => Ok(false),
    };
    let mut dests = Vec::new();
    dests_of(
        get("destination_address_prefix"),
        "destination_address_prefix",
        &mut dests,
    );
    dests_of(
        get("destination_address_prefixes"),
        "destination_address_prefixes",
        &mut dests,
    );
    Some(Egress {
        all,
        dests,
        pending,
    })
}

fn gcp(r: &Resource) -> Vec<Egress<'_>> {
    let get = |k: &str| util::set(r, k);
    let mut pending = None;
    match get("direction") {
        Some(d) if d.is_unknown() => pending = Some((d, "direction")),
        Some(d) if d.as_str().is_some_and(|s| s.eq_ignore_ascii_case("egress")) => {}
        // documented default: INGRESS
        _ => return Vec::new(),
    }
    if let Some(d) = get("disabled") {
        if d.is_unknown() {
            pending = pending.or(Some((d, "disabled")));
        } else if d.as_bool() == Some(true) {
            return Vec::new();
        }
    }
    let mut dests = Vec::new();
    dests_of(get("destination_ranges"), "destination_ranges", &mut dests);
    if dests.is_empty() {
        // why: the firewall is limited to destination_ranges only "if destination ranges are
        // specified" (provider documentation); without them it applies to every destination.
        dests.push(Dest::Implied("destination_ranges"));
    }
    let mut out = Vec::new();
    for a in get("allow").map(|n| n.items()).unwrap_or_default() {
        let all = match a.child("protocol").filter(|n| !n.is_null()) {
            Some(p) if p.is_unknown() => Err((p, "allow.protocol")),
            Some(p) => {
                let proto = p.as_str().map(|s| s.trim().to_ascii_lowercase());
                match proto.as_deref() {
                    Some("all") => Ok(true),
                    Some("tcp" | "udp" | "6" | "17") => {
                        match a.child("ports").filter(|n| !n.is_null()) {
                            // documented: without ports the rule applies to every port
                            None => Ok(true),
                            Some(n) if n.is_unknown() => Err((n, "allow.ports")),
                            Some(n) => Ok(n.items().is_empty() || every_port(n)),
                        }
                    }
                    _ => Ok(false),
                }
            }
            None if a.is_unknown() => Err((a, "allow")),
            None => Ok(false),
        };
        out.push(Egress {
            all,
            dests: dests.clone(),
            pending,
        });
    }
    out
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match r.kind.as_str() {
        "azurerm_network_security_group" => {
            let Some(rules) = util::set(r, "security_rule") else {
                return;
            };
            if rules.is_unknown() {
                out.push(Hit::unknown(rules, "security_rule"));
                return;
            }
            for b in rules.items() {
                if let Some(e) = nsg(|k| b.child(k).filter(|n| !n.is_null())) {
                    judge(r, &e, out);
                }
            }
        }
        "azurerm_network_security_rule" => {
            if let Some(e) = nsg(|k| util::set(r, k)) {
                judge(r, &e, out);
            }
        }
        "google_compute_firewall" => {
            // Only the first offending allow block is reported: they share the destinations.
            for e in gcp(r) {
                let before = out.len();
                judge(r, &e, out);
                if out.len() > before {
                    break;
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    //! Firewall rules and standalone NSG rules carry no labels or tags, so the fixtures cannot
    //! classify them at confidentiality 3; their reading is tested here.
    use super::*;
    use crate::Settings;
    use kijun_model::{Origin, Platform, Value};
    use std::collections::BTreeMap;
    use std::sync::Arc;

    fn s(v: &str) -> Node {
        Node::string(v, Origin::default())
    }

    fn list(v: Vec<Node>) -> Node {
        Node::new(Value::List(v), Origin::default())
    }

    fn obj(pairs: Vec<(&str, Node)>) -> Node {
        let m: BTreeMap<Arc<str>, Node> =
            pairs.into_iter().map(|(k, v)| (Arc::from(k), v)).collect();
        Node::new(Value::Object(m.into()), Origin::default())
    }

    fn resource(kind: &str, attrs: Vec<(&str, Node)>) -> Resource {
        Resource {
            platform: Platform::Terraform,
            kind: kind.to_string(),
            address: format!("{kind}.x"),
            at: Origin::default(),
            attrs: attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            provider: None,
            refs: Vec::new(),
            module: String::new(),
            inline_exceptions: Vec::new(),
        }
    }

    fn run(r: &Resource) -> Vec<Hit> {
        let settings = Settings::default();
        let all = [];
        let ctx = Ctx::new(&all, &settings);
        let mut out = Vec::new();
        check(&ctx, r, &mut out);
        out
    }

    #[test]
    fn gcp_egress_all_to_the_internet() {
        let open = resource(
            "google_compute_firewall",
            vec![
                ("direction", s("EGRESS")),
                ("allow", list(vec![obj(vec![("protocol", s("all"))])])),
                ("destination_ranges", list(vec![s("0.0.0.0/0")])),
            ],
        );
        assert_eq!(run(&open).len(), 1);
        // No destination_ranges: every destination.
        let implied = resource(
            "google_compute_firewall",
            vec![
                ("direction", s("EGRESS")),
                ("allow", list(vec![obj(vec![("protocol", s("tcp"))])])),
            ],
        );
        assert_eq!(run(&implied).len(), 1);
        let one_port = resource(
            "google_compute_firewall",
            vec![
                ("direction", s("EGRESS")),
                (
                    "allow",
                    list(vec![obj(vec![
                        ("protocol", s("tcp")),
                        ("ports", list(vec![s("443")])),
                    ])]),
                ),
                ("destination_ranges", list(vec![s("0.0.0.0/0")])),
            ],
        );
        assert!(run(&one_port).is_empty());
        let ingress = resource(
            "google_compute_firewall",
            vec![
                ("allow", list(vec![obj(vec![("protocol", s("all"))])])),
                ("source_ranges", list(vec![s("0.0.0.0/0")])),
            ],
        );
        assert!(run(&ingress).is_empty());
    }

    #[test]
    fn standalone_nsg_rule() {
        let open = resource(
            "azurerm_network_security_rule",
            vec![
                ("direction", s("Outbound")),
                ("access", s("Allow")),
                ("protocol", s("*")),
                ("destination_port_range", s("*")),
                ("destination_address_prefix", s("*")),
            ],
        );
        assert_eq!(run(&open).len(), 1);
        let deny = resource(
            "azurerm_network_security_rule",
            vec![
                ("direction", s("Outbound")),
                ("access", s("Deny")),
                ("protocol", s("*")),
                ("destination_port_range", s("*")),
                ("destination_address_prefix", s("*")),
            ],
        );
        assert!(run(&deny).is_empty());
    }
}
