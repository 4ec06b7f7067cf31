//! Outbound allow entries read into one shape ("every protocol and port, to these
//! destinations") and judged alike for AWS, Azure and Google Cloud (the N3 rules).

use crate::facts::platform::ByPlatform;
use crate::{util, Hit};
use kijun_model::{Node, Resource, Text};

/// The names of an AWS security group's outbound rules: Terraform's `egress` blocks and
/// `aws_security_group_rule`, CloudFormation's `SecurityGroupEgress` items and
/// `AWS::EC2::SecurityGroupEgress` resources.
#[derive(Clone, Copy, Debug)]
pub struct SgEgressNames {
    /// The group's list of outbound rules.
    pub block: &'static str,
    pub protocol: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub v4: &'static str,
    pub v6: &'static str,
    /// Whether a group that lists no outbound rule keeps AWS's default rule (every protocol
    /// to 0.0.0.0/0). why: the EC2 API adds it to every new VPC security group, and
    /// CloudFormation removes it only when `SecurityGroupEgress` lists rules; the Terraform
    /// provider removes it always and creates only the `egress` blocks written.
    pub default_allows_all: bool,
}

pub const AWS_SG_EGRESS: ByPlatform<SgEgressNames> = ByPlatform::aws(
    SgEgressNames {
        block: "egress",
        protocol: "protocol",
        from: "from_port",
        to: "to_port",
        v4: "cidr_blocks",
        v6: "ipv6_cidr_blocks",
        default_allows_all: false,
    },
    SgEgressNames {
        block: "SecurityGroupEgress",
        protocol: "IpProtocol",
        from: "FromPort",
        to: "ToPort",
        v4: "CidrIp",
        v6: "CidrIpv6",
        default_allows_all: true,
    },
);

/// Where outbound traffic may go.
#[derive(Clone, Copy, Debug)]
pub enum Dest<'a> {
    Known(&'a str, &'a Node),
    Unknown(&'a Node, &'static str),
    /// No destination is written and the platform applies "everywhere"; names the attribute.
    Implied(&'static str),
}

/// One outbound allow entry.
pub struct Egress<'a> {
    /// Every protocol and port: `Ok(true)`, `Ok(false)`, or a value that cannot be known.
    pub all: Result<bool, (&'a Node, &'static str)>,
    pub dests: Vec<Dest<'a>>,
    /// A condition of the entry (direction, action, type) whose value is unknown.
    pub pending: Option<(&'a Node, &'static str)>,
}

/// Destinations read from a string or a list of strings.
pub fn dests_of<'a>(n: Option<&'a Node>, attr: &'static str, out: &mut Vec<Dest<'a>>) {
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return;
    };
    if n.is_unknown() {
        out.push(Dest::Unknown(n, attr));
        return;
    }
    for item in n.items() {
        if item.is_unknown() {
            out.push(Dest::Unknown(item, attr));
        } else if let Some(s) = item.as_str() {
            out.push(Dest::Known(s, item));
        }
    }
}

fn open_text(dest: &str) -> Text {
    util::t(
        format!("すべてのプロトコルとポートの送信が {dest} に許可されています"),
        format!("all outbound protocols and ports are allowed to {dest}"),
    )
}

/// Reports the entry's whole-internet destinations when it admits everything.
pub fn judge(r: &Resource, e: &Egress, out: &mut Vec<Hit>) {
    let all_unknown = match e.all {
        Ok(false) => return,
        Ok(true) => None,
        Err(u) => Some(u),
    };
    let mut hits = Vec::new();
    let mut unknown_dest = None;
    for d in &e.dests {
        match d {
            Dest::Known(s, n) if util::is_world(s) => hits.push(Hit::value(n, open_text(s))),
            Dest::Known(..) => {}
            Dest::Implied(attr) => {
                let t = open_text("0.0.0.0/0");
                hits.push(Hit::missing(
                    r,
                    util::t(
                        format!(
                            "`{attr}` が設定されていないため、送信先は制限されません。{}",
                            t.ja
                        ),
                        format!(
                            "`{attr}` is not set, so the destination is not limited: {}",
                            t.en
                        ),
                    ),
                ));
            }
            Dest::Unknown(n, a) => {
                unknown_dest.get_or_insert((*n, *a));
            }
        }
    }
    if !hits.is_empty() {
        if let Some((n, a)) = e.pending.or(all_unknown) {
            out.push(Hit::unknown(n, a));
        } else {
            out.extend(hits);
        }
        return;
    }
    if let Some((n, a)) = unknown_dest {
        out.push(Hit::unknown(n, a));
    }
}
