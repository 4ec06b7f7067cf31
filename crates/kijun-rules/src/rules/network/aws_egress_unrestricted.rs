//! KJ-N3-002 `aws-egress-unrestricted`: at confidentiality 3, a security group rule that lets
//! every protocol and port out to the whole internet (0.0.0.0/0 or ::/0).
//!
//! An allow-all egress rule is the configuration that makes exfiltration to any host possible; for
//! confidentiality-3 information (the rule's level) the outbound destinations have to be limited.
//!
//! CloudFormation has the same rules under its names (`SecurityGroupEgress` items and
//! `AWS::EC2::SecurityGroupEgress`, from `egress::AWS_SG_EGRESS`); there a group without
//! `SecurityGroupEgress` keeps AWS's default rule, which lets everything out to 0.0.0.0/0.

use crate::facts::egress::{dests_of, judge, Dest, Egress, SgEgressNames, AWS_SG_EGRESS};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

fn text_of(n: &Node) -> Option<String> {
    match &n.value {
        kijun_model::Value::String(s) => Some(s.trim().to_ascii_lowercase()),
        kijun_model::Value::Number(x) => Some(kijun_model::format_number(*x)),
        _ => None,
    }
}

/// AWS: protocol `-1`/`all`, or TCP/UDP over 0-65535.
fn aws_all<'a>(
    proto: Option<&'a Node>,
    proto_attr: &'static str,
    (from, from_attr): (Option<&'a Node>, &'static str),
    (to, to_attr): (Option<&'a Node>, &'static str),
) -> Result<bool, (&'a Node, &'static str)> {
    let Some(p) = proto else {
        return Ok(false);
    };
    if p.is_unknown() {
        return Err((p, proto_attr));
    }
    match text_of(p).as_deref() {
        Some("-1" | "all") => Ok(true),
        Some("tcp" | "6" | "udp" | "17") => {
            for (n, a) in [(from, from_attr), (to, to_attr)] {
                if let Some(n) = n.filter(|n| n.is_unknown()) {
                    return Err((n, a));
                }
            }
            let f = from.and_then(|n| n.as_f64());
            let t = to.and_then(|n| n.as_f64());
            Ok(f == Some(0.0) && t == Some(65535.0))
        }
        _ => Ok(false),
    }
}

/// One outbound rule read through `names`: a group's item or a standalone resource.
fn sg_rule<'a>(
    get: impl Fn(&str) -> Option<&'a Node>,
    names: &SgEgressNames,
    pending: Option<(&'a Node, &'static str)>,
) -> Egress<'a> {
    let mut dests = Vec::new();
    dests_of(get(names.v4), names.v4, &mut dests);
    dests_of(get(names.v6), names.v6, &mut dests);
    Egress {
        all: aws_all(
            get(names.protocol),
            names.protocol,
            (get(names.from), names.from),
            (get(names.to), names.to),
        ),
        dests,
        pending,
    }
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let names = AWS_SG_EGRESS.of(r);
    match r.kind.as_str() {
        "aws_security_group" | "aws_default_security_group" | "AWS::EC2::SecurityGroup" => {
            let Some(eg) = util::set(r, names.block) else {
                if names.default_allows_all {
                    let e = Egress {
                        all: Ok(true),
                        dests: vec![Dest::Implied(names.block)],
                        pending: None,
                    };
                    judge(r, &e, out);
                }
                return;
            };
            if eg.is_unknown() {
                out.push(Hit::unknown(eg, names.block));
                return;
            }
            for b in eg.items() {
                if b.is_unknown() {
                    out.push(Hit::unknown(b, names.block));
                    continue;
                }
                let get = |k: &str| b.child(k).filter(|n| !n.is_null());
                judge(r, &sg_rule(get, &names, None), out);
            }
        }
        "AWS::EC2::SecurityGroupEgress" => {
            let get = |k: &str| util::set(r, k);
            judge(r, &sg_rule(get, &names, None), out);
        }
        "aws_security_group_rule" => {
            let pending = match util::set(r, "type") {
                Some(t) if t.is_unknown() => Some((t, "type")),
                Some(t) if t.as_str().is_some_and(|s| s.eq_ignore_ascii_case("egress")) => None,
                _ => return,
            };
            let get = |k: &str| util::set(r, k);
            judge(r, &sg_rule(get, &names, pending), out);
        }
        "aws_vpc_security_group_egress_rule" => {
            let get = |k: &str| util::set(r, k);
            let mut dests = Vec::new();
            dests_of(get("cidr_ipv4"), "cidr_ipv4", &mut dests);
            dests_of(get("cidr_ipv6"), "cidr_ipv6", &mut dests);
            let e = Egress {
                all: aws_all(
                    get("ip_protocol"),
                    "ip_protocol",
                    (get("from_port"), "from_port"),
                    (get("to_port"), "to_port"),
                ),
                dests,
                pending: None,
            };
            judge(r, &e, out);
        }
        _ => {}
    }
}
