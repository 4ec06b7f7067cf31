//! Network access rules read into one shape, shared by the exposure rules KJ-N1-* (remote
//! administration ports) and KJ-N2-* (every other port): AWS security groups, security group
//! rules and network ACLs, Azure network security rules, Google Cloud firewalls. Each inbound
//! allow rule becomes "this protocol, these ports, from these sources", with the nodes the sources
//! were read from, so a finding points at the offending address prefix.
//!
//! why: 第110条第2項 asks for access control on the line and 第111条第1項 for measures where the
//! internal network meets the internet. A rule that admits the whole internet (0.0.0.0/0, ::/0,
//! `*`, `Internet`, `Any`) is the configuration-level sign that neither is in place. IPv4 and IPv6
//! sources are read alike (第118条: IPv6 must not become the unfiltered way in).

use crate::{util, Ctx, Hit};
use kijun_model::{format_number, Node, Resource, Text, Value};

/// The protocol an entry admits, reduced to what decides port exposure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proto {
    /// Every protocol, and so every port (`-1`, `all`, Azure `*` with every port).
    All,
    Tcp,
    Udp,
    Sctp,
    /// Azure `*` limited to some ports: TCP and UDP on those ports.
    TcpUdp,
}

/// A port range as written, or a value that cannot be known.
#[derive(Clone, Copy, Debug)]
pub enum PortRange<'a> {
    Known(u32, u32),
    Unknown(&'a Node, &'static str),
}

/// Where traffic may come from.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// An address prefix, service tag or wildcard, with the node it was read from.
    Known(&'a str, &'a Node),
    /// A value that cannot be known statically (variable without a value, data source).
    Unknown(&'a Node, &'static str),
    /// No source is written and the platform applies 0.0.0.0/0; names the unset attribute.
    Implied(&'static str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Allow,
    Deny,
}

/// One inbound entry of an access-control list, normalised.
#[derive(Clone, Debug)]
pub struct Inbound<'a> {
    pub action: Action,
    pub proto: Proto,
    /// For [`Proto::All`] always `0-65535`.
    pub ports: Vec<PortRange<'a>>,
    pub sources: Vec<Source<'a>>,
    /// A condition of the entry (direction, action, protocol, `disabled`) whose value is unknown:
    /// the entry may or may not apply.
    pub pending: Option<(&'a Node, &'static str)>,
    /// Evaluation order where the platform has one (NACL rule number, NSG priority): lower first.
    pub order: Option<f64>,
}

/// What a rule considers a problem: given the protocol and the port ranges an entry opens to the
/// whole internet, the offending port ranges (empty: nothing to report).
pub type Judge = fn(&Ctx, Proto, &[(u32, u32)]) -> Vec<(u32, u32)>;

const ALL_PORTS: (u32, u32) = (0, 65535);

/// Reads every inbound entry of `r` (allow and deny), grouped so that deny entries can shadow
/// later allow entries of the same list. Unknown kinds yield nothing.
pub fn inbound<'a>(ctx: &Ctx<'a>, r: &'a Resource) -> Vec<Vec<Inbound<'a>>> {
    match r.kind.as_str() {
        "aws_security_group" => vec![blocks(r, "ingress")
            .into_iter()
            .filter_map(aws_sg_entry)
            .collect()],
        "aws_security_group_rule" => {
            let gate = match r.get("type") {
                Some(t) if t.is_unknown() => Some((t, "type")),
                Some(t)
                    if t.as_str()
                        .is_some_and(|s| s.eq_ignore_ascii_case("ingress")) =>
                {
                    None
                }
                _ => return Vec::new(),
            };
            let Some(mut e) = sg_fields(|k| r.get(k), &AWS_SG) else {
                return Vec::new();
            };
            e.pending = e.pending.or(gate);
            vec![vec![e]]
        }
        "aws_vpc_security_group_ingress_rule" => {
            aws_vpc_rule(r).map(|e| vec![vec![e]]).unwrap_or_default()
        }
        "aws_network_acl" => vec![blocks(r, "ingress")
            .into_iter()
            .filter_map(|b| {
                nacl_entry(
                    |k| b.child(k).filter(|n| !n.is_null()),
                    &TF_NACL_BLOCK,
                    None,
                )
            })
            .collect()],
        "aws_network_acl_rule" => nacl_standalone(ctx, r, &TF_NACL_STANDALONE),
        "azurerm_network_security_group" => vec![blocks(r, "security_rule")
            .into_iter()
            .filter_map(|b| nsg_entry(|k| b.child(k).filter(|n| !n.is_null())))
            .collect()],
        "azurerm_network_security_rule" => azure_rule(ctx, r),
        "google_compute_firewall" => vec![gcp_firewall(r)],
        // CloudFormation: the same EC2 security-group model under CloudFormation's names.
        "AWS::EC2::SecurityGroup" => vec![blocks(r, "SecurityGroupIngress")
            .into_iter()
            .filter_map(cfn_sg_entry)
            .collect()],
        "AWS::EC2::SecurityGroupIngress" => sg_fields(|k| util::set(r, k), &CFN_SG)
            .map(|e| vec![vec![e]])
            .unwrap_or_default(),
        "AWS::EC2::NetworkAclEntry" => nacl_standalone(ctx, r, &CFN_NACL_STANDALONE),
        // ARM: the same network-security-rule model under ARM's names.
        "Microsoft.Network/networkSecurityGroups" => arm_nsg(ctx, r),
        "Microsoft.Network/networkSecurityGroups/securityRules" => arm_nsg_rule(ctx, r),
        _ => Vec::new(),
    }
}

/// Runs `judge` over every inbound allow entry of `r` and reports each whole-internet source that
/// reaches an offending port; values that cannot be known are reported as not evaluated.
pub fn check_exposure(ctx: &Ctx, r: &Resource, judge: Judge, out: &mut Vec<Hit>) {
    for group in inbound(ctx, r) {
        for (i, e) in group.iter().enumerate() {
            if e.action == Action::Allow {
                let earlier: Vec<&Inbound> = group
                    .iter()
                    .enumerate()
                    .filter(|(j, d)| *j != i && d.action == Action::Deny && runs_before(d, e))
                    .map(|(_, d)| d)
                    .collect();
                judge_entry(ctx, r, e, &earlier, judge, out);
            }
        }
    }
}

fn runs_before(deny: &Inbound, allow: &Inbound) -> bool {
    match (deny.order, allow.order) {
        (Some(d), Some(a)) => d < a,
        _ => false,
    }
}

fn judge_entry(
    ctx: &Ctx,
    r: &Resource,
    e: &Inbound,
    denies: &[&Inbound],
    judge: Judge,
    out: &mut Vec<Hit>,
) {
    let known: Vec<(u32, u32)> = e
        .ports
        .iter()
        .filter_map(|p| match p {
            PortRange::Known(a, b) => Some((*a, *b)),
            PortRange::Unknown(..) => None,
        })
        .collect();
    let unknown_port = e.ports.iter().find_map(|p| match p {
        PortRange::Unknown(n, a) => Some((*n, *a)),
        PortRange::Known(..) => None,
    });
    let mut unknown_source = None;
    let mut any_world = false;
    let mut reported = false;
    for s in &e.sources {
        let (text, node) = match s {
            Source::Known(text, node) => (*text, Some(*node)),
            Source::Implied(_) => ("0.0.0.0/0", None),
            Source::Unknown(n, a) => {
                unknown_source.get_or_insert((*n, *a));
                continue;
            }
        };
        if !util::is_world(text) || is_admin_source(ctx, text) {
            continue;
        }
        any_world = true;
        let open = subtract(&known, &denied_for(denies, e.proto, text));
        let bad = judge(ctx, e.proto, &open);
        if bad.is_empty() {
            continue;
        }
        if let Some((n, a)) = e.pending {
            out.push(Hit::unknown(n, a));
            return;
        }
        let mut what = exposure_text(e.proto, &bad, text);
        // An N2 range that holds administration ports: say so, and which N1 rule it stands for.
        let admin = admin_ports_hit(ctx, &bad);
        if !admin.is_empty() && has_other_port(ctx, &bad) {
            let list: Vec<String> = admin.iter().map(|r| util::ports_text(*r)).collect();
            let joined = list.join(", ");
            let n1 = admin_rule_id(&r.kind);
            what = Text::new(
                format!(
                    "{}（リモート管理用ポート {joined} を含みます。{n1} の対象でもあります）",
                    what.ja
                ),
                format!(
                    "{}, including the remote-administration ports {joined} (also {n1})",
                    what.en
                ),
            );
        }
        let hit = match (s, node) {
            (Source::Implied(attr), _) => Hit::missing(
                r,
                Text::new(
                    format!(
                        "`{attr}` が設定されていないため、既定で 0.0.0.0/0 が送信元になります。{}",
                        what.ja
                    ),
                    format!(
                        "`{attr}` is not set, so the platform applies 0.0.0.0/0 as the source: {}",
                        what.en
                    ),
                ),
            ),
            (_, Some(n)) => Hit::value(n, what),
            (_, None) => Hit::missing(r, what),
        };
        out.push(hit);
        reported = true;
    }
    if reported {
        return;
    }
    let ports_may_fail = !judge(ctx, e.proto, &known).is_empty() || unknown_port.is_some();
    let source_may_fail = any_world || unknown_source.is_some();
    if ports_may_fail && source_may_fail {
        if let Some((n, a)) = e.pending.or(unknown_source).or(unknown_port) {
            out.push(Hit::unknown(n, a));
        }
    }
}

/// The N1 rule of the platform a resource belongs to, named in N2 findings that cover it.
fn admin_rule_id(kind: &str) -> &'static str {
    match crate::facts::platform::cloud_of(kind) {
        Some(crate::settings::Cloud::Azure) => "KJ-N1-002",
        Some(crate::settings::Cloud::Gcp) => "KJ-N1-003",
        _ => "KJ-N1-001",
    }
}

/// "port 22 is open to 0.0.0.0/0", "ports 22, 3389 are open to ::/0", "all protocols and ports
/// are open to *".
pub fn exposure_text(proto: Proto, bad: &[(u32, u32)], source: &str) -> Text {
    if proto == Proto::All && bad == [ALL_PORTS] {
        return Text::new(
            format!("すべてのプロトコルとポートが {source} に公開されています"),
            format!("all protocols and ports are open to {source}"),
        );
    }
    let list: Vec<String> = bad.iter().map(|r| util::ports_text(*r)).collect();
    let joined = list.join(", ");
    let plural = bad.len() > 1 || bad.iter().any(|(a, b)| a != b);
    Text::new(
        format!("ポート {joined} が {source} に公開されています"),
        if plural {
            format!("ports {joined} are open to {source}")
        } else {
            format!("port {joined} is open to {source}")
        },
    )
}

/// Sources the organisation declared as its own administration networks never count.
fn is_admin_source(ctx: &Ctx, source: &str) -> bool {
    use kijun_model::cidr::Cidr;
    ctx.settings
        .admin_cidrs
        .iter()
        .any(|a| match (Cidr::parse(a), Cidr::parse(source)) {
            (Some(x), Some(y)) => x.v6 == y.v6 && x.len == y.len && x.network() == y.network(),
            _ => a.trim().eq_ignore_ascii_case(source.trim()),
        })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    V4,
    V6,
    Both,
}

fn family(source: &str) -> Family {
    match kijun_model::cidr::Cidr::parse(source) {
        Some(c) if c.v6 => Family::V6,
        Some(_) => Family::V4,
        // `*`, `Internet`, `Any`: both families.
        None => Family::Both,
    }
}

/// Port ranges that deny entries evaluated earlier close for this protocol and source family.
/// why: NACLs and NSGs stop at the first matching entry, so "deny 22 from 0.0.0.0/0" at rule 50
/// really closes port 22 for "allow all from 0.0.0.0/0" at rule 100.
fn denied_for(denies: &[&Inbound], proto: Proto, source: &str) -> Vec<(u32, u32)> {
    let fam = family(source);
    let mut out = Vec::new();
    for d in denies {
        if d.pending.is_some() {
            continue;
        }
        let covers_proto = d.proto == Proto::All
            || d.proto == proto
            || (d.proto == Proto::TcpUdp && matches!(proto, Proto::Tcp | Proto::Udp));
        if !covers_proto {
            continue;
        }
        let covers_source = d.sources.iter().any(|s| match s {
            Source::Known(t, _) => {
                util::is_world(t) && {
                    let f = family(t);
                    f == Family::Both || f == fam
                }
            }
            _ => false,
        });
        if !covers_source {
            continue;
        }
        for p in &d.ports {
            if let PortRange::Known(a, b) = p {
                out.push((*a, *b));
            }
        }
    }
    out
}

/// `ranges` minus `minus`, as sorted disjoint ranges.
fn subtract(ranges: &[(u32, u32)], minus: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut cur: Vec<(u32, u32)> = ranges.iter().copied().filter(|(a, b)| a <= b).collect();
    for &(ma, mb) in minus {
        let mut next = Vec::new();
        for (a, b) in cur {
            if mb < a || ma > b {
                next.push((a, b));
                continue;
            }
            if ma > a {
                next.push((a, ma - 1));
            }
            if mb < b {
                next.push((mb + 1, b));
            }
        }
        cur = next;
    }
    cur
}

/// The part of `open` that falls on a remote-administration port (N1).
pub fn admin_ports_hit(ctx: &Ctx, open: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for &(a, b) in &ctx.settings.admin_ports {
        for &(x, y) in open {
            let lo = a.max(x);
            let hi = b.min(y);
            if lo <= hi {
                out.push((lo, hi));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether `open` contains a port that is neither a public port nor a remote-administration port
/// (those are N1's).
pub fn has_other_port(ctx: &Ctx, open: &[(u32, u32)]) -> bool {
    let mut known: Vec<(u32, u32)> = ctx.settings.admin_ports.clone();
    known.extend(ctx.settings.public_ports.iter().map(|p| (*p, *p)));
    !subtract(open, &known).is_empty()
}

/// KJ-N1-*: the remote-administration ports among the open ports.
///
/// One misconfiguration, one finding: an open range that also reaches ports that are neither
/// public nor administration ports (all ports, 0-1024 …) is reported by N2 alone, the rule
/// whose finding describes the whole range and whose remediation (open only the ports the
/// service needs) closes the administration ports too; its message names the administration
/// ports inside the range and this rule. N1 reports the ranges that open administration ports
/// and nothing else unintended (22, 3389, 5985-5986, 22-443 minus nothing but public ports).
pub fn admin_judge(ctx: &Ctx, _proto: Proto, open: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let own: Vec<(u32, u32)> = open
        .iter()
        .copied()
        .filter(|r| !has_other_port(ctx, &[*r]))
        .collect();
    admin_ports_hit(ctx, &own)
}

/// KJ-N2-*: the open ranges that reach a port that is neither a public port nor a
/// remote-administration port. A range holding both (0-65535) is reported here only, with the
/// administration ports it holds named in the message (see [`admin_judge`]).
pub fn other_judge(ctx: &Ctx, _proto: Proto, open: &[(u32, u32)]) -> Vec<(u32, u32)> {
    open.iter()
        .copied()
        .filter(|r| has_other_port(ctx, &[*r]))
        .collect()
}

// ------------------------------------------------------------------------------------------------
// Reading values
// ------------------------------------------------------------------------------------------------

/// Nested blocks (a list of objects), or the attribute itself when it is a single object.
fn blocks<'a>(r: &'a Resource, name: &str) -> Vec<&'a Node> {
    r.get(name).map(|n| n.items()).unwrap_or_default()
}

enum ProtoRead {
    Known(Proto),
    /// A protocol without ports (ICMP, ESP, AH, GRE …): not port exposure.
    Portless,
    Unknown,
}

fn text_of(n: &Node) -> Option<String> {
    match &n.value {
        Value::String(s) => Some(s.trim().to_ascii_lowercase()),
        Value::Number(x) => Some(format_number(*x)),
        _ => None,
    }
}

/// AWS and GCP protocol names and IANA numbers.
fn proto_of(n: &Node) -> ProtoRead {
    if n.is_unknown() {
        return ProtoRead::Unknown;
    }
    match text_of(n).as_deref() {
        Some("-1" | "all" | "*") => ProtoRead::Known(Proto::All),
        Some("tcp" | "6") => ProtoRead::Known(Proto::Tcp),
        Some("udp" | "17") => ProtoRead::Known(Proto::Udp),
        Some("sctp" | "132") => ProtoRead::Known(Proto::Sctp),
        _ => ProtoRead::Portless,
    }
}

fn port_node<'a>(
    n: Option<&'a Node>,
    attr: &'static str,
) -> Option<Result<u32, (&'a Node, &'static str)>> {
    let n = n?;
    if n.is_unknown() {
        return Some(Err((n, attr)));
    }
    let x = n.as_f64()?;
    if x < 0.0 {
        return None;
    }
    Some(Ok(x as u32))
}

/// `from_port`/`to_port` pairs (AWS).
fn from_to<'a>(from: Option<&'a Node>, to: Option<&'a Node>) -> Vec<PortRange<'a>> {
    match (port_node(from, "from_port"), port_node(to, "to_port")) {
        (Some(Ok(a)), Some(Ok(b))) => vec![PortRange::Known(a, b)],
        (Some(Err((n, a))), _) | (_, Some(Err((n, a)))) => vec![PortRange::Unknown(n, a)],
        _ => Vec::new(),
    }
}

/// Every string of a list attribute (or a single string) as a source.
fn sources_of<'a>(n: Option<&'a Node>, attr: &'static str, out: &mut Vec<Source<'a>>) {
    let Some(n) = n else {
        return;
    };
    if n.is_unknown() {
        out.push(Source::Unknown(n, attr));
        return;
    }
    for item in n.items() {
        match &item.value {
            Value::String(s) => out.push(Source::Known(s, item)),
            Value::Unknown(_) => out.push(Source::Unknown(item, attr)),
            _ => {}
        }
    }
}

fn ports_for(proto: Proto, ports: Vec<PortRange>) -> Vec<PortRange> {
    if proto == Proto::All {
        vec![PortRange::Known(ALL_PORTS.0, ALL_PORTS.1)]
    } else {
        ports
    }
}

/// The attribute names of one platform's security-group rule, and its port reader.
struct SgSchema {
    protocol: &'static str,
    v4: &'static str,
    v6: &'static str,
    from: &'static str,
    to: &'static str,
    ports: for<'a> fn(Option<&'a Node>, Option<&'a Node>) -> Vec<PortRange<'a>>,
}

/// `aws_security_group.ingress` blocks and `aws_security_group_rule`.
const AWS_SG: SgSchema = SgSchema {
    protocol: "protocol",
    v4: "cidr_blocks",
    v6: "ipv6_cidr_blocks",
    from: "from_port",
    to: "to_port",
    ports: from_to,
};

/// An `AWS::EC2::SecurityGroup` ingress rule and an `AWS::EC2::SecurityGroupIngress` resource.
/// Rules naming a security group or prefix list (`SourceSecurityGroupId`, `SourcePrefixListId`)
/// have no address source and are not exposure.
const CFN_SG: SgSchema = SgSchema {
    protocol: "IpProtocol",
    v4: "CidrIp",
    v6: "CidrIpv6",
    from: "FromPort",
    to: "ToPort",
    ports: cfn_from_to,
};

/// One inbound rule read through `schema`'s attribute names.
fn sg_fields<'a>(get: impl Fn(&str) -> Option<&'a Node>, schema: &SgSchema) -> Option<Inbound<'a>> {
    let get = |k: &str| get(k).filter(|n| !n.is_null());
    let (proto, pending) = match get(schema.protocol).map(|p| (p, proto_of(p))) {
        Some((_, ProtoRead::Known(p))) => (p, None),
        Some((p, ProtoRead::Unknown)) => (Proto::All, Some((p, schema.protocol))),
        _ => return None,
    };
    let mut sources = Vec::new();
    sources_of(get(schema.v4), schema.v4, &mut sources);
    sources_of(get(schema.v6), schema.v6, &mut sources);
    Some(Inbound {
        action: Action::Allow,
        proto,
        ports: ports_for(proto, (schema.ports)(get(schema.from), get(schema.to))),
        sources,
        pending,
        order: None,
    })
}

fn aws_sg_entry(b: &Node) -> Option<Inbound<'_>> {
    if b.is_unknown() {
        // `ingress = var.rules` without a value: nothing can be read, say so.
        return Some(Inbound {
            action: Action::Allow,
            proto: Proto::All,
            ports: vec![PortRange::Unknown(b, "ingress")],
            sources: vec![Source::Unknown(b, "ingress")],
            pending: Some((b, "ingress")),
            order: None,
        });
    }
    sg_fields(|k| b.child(k), &AWS_SG)
}

fn aws_vpc_rule(r: &Resource) -> Option<Inbound<'_>> {
    let get = |k: &str| util::set(r, k);
    let (proto, pending) = match get("ip_protocol").map(|p| (p, proto_of(p))) {
        Some((_, ProtoRead::Known(p))) => (p, None),
        Some((p, ProtoRead::Unknown)) => (Proto::All, Some((p, "ip_protocol"))),
        _ => return None,
    };
    let mut sources = Vec::new();
    sources_of(get("cidr_ipv4"), "cidr_ipv4", &mut sources);
    sources_of(get("cidr_ipv6"), "cidr_ipv6", &mut sources);
    Some(Inbound {
        action: Action::Allow,
        proto,
        ports: ports_for(proto, from_to(get("from_port"), get("to_port"))),
        sources,
        pending,
        order: None,
    })
}

/// The attribute names of one network ACL entry: Terraform's inline `ingress` block, its
/// standalone `aws_network_acl_rule`, or CloudFormation's `AWS::EC2::NetworkAclEntry` (whose
/// ports are a `PortRange` object with `From` and `To`).
struct NaclNames {
    action: &'static str,
    order: &'static str,
    protocol: &'static str,
    v4: &'static str,
    v6: &'static str,
    /// The object holding `from` and `to` (CloudFormation's `PortRange`), or `None`.
    range: Option<&'static str>,
    /// As findings quote them (`PortRange.From`); the key read is the last segment.
    from: &'static str,
    to: &'static str,
}

const TF_NACL_BLOCK: NaclNames = NaclNames {
    action: "action",
    order: "rule_no",
    protocol: "protocol",
    v4: "cidr_block",
    v6: "ipv6_cidr_block",
    range: None,
    from: "from_port",
    to: "to_port",
};

const TF_NACL_RULE: NaclNames = NaclNames {
    action: "rule_action",
    order: "rule_number",
    ..TF_NACL_BLOCK
};

const CFN_NACL_ENTRY: NaclNames = NaclNames {
    action: "RuleAction",
    order: "RuleNumber",
    protocol: "Protocol",
    v4: "CidrBlock",
    v6: "Ipv6CidrBlock",
    range: Some("PortRange"),
    from: "PortRange.From",
    to: "PortRange.To",
};

/// A standalone entry: the resource kind, its direction switch (`true` = outbound, default
/// false) and the list it belongs to.
struct NaclRuleNames {
    kind: &'static str,
    egress: &'static str,
    parent: &'static str,
    entry: NaclNames,
}

const TF_NACL_STANDALONE: NaclRuleNames = NaclRuleNames {
    kind: "aws_network_acl_rule",
    egress: "egress",
    parent: "network_acl_id",
    entry: TF_NACL_RULE,
};

const CFN_NACL_STANDALONE: NaclRuleNames = NaclRuleNames {
    kind: "AWS::EC2::NetworkAclEntry",
    egress: "Egress",
    parent: "NetworkAclId",
    entry: CFN_NACL_ENTRY,
};

/// A port pair whose attributes findings quote as `from_attr`/`to_attr`.
fn port_pair<'a>(
    from: Option<&'a Node>,
    to: Option<&'a Node>,
    from_attr: &'static str,
    to_attr: &'static str,
) -> Vec<PortRange<'a>> {
    match (port_node(from, from_attr), port_node(to, to_attr)) {
        (Some(Ok(a)), Some(Ok(b))) => vec![PortRange::Known(a, b)],
        (Some(Err((n, a))), _) | (_, Some(Err((n, a)))) => vec![PortRange::Unknown(n, a)],
        _ => Vec::new(),
    }
}

/// One network ACL entry read through `names`.
fn nacl_entry<'a>(
    get: impl Fn(&str) -> Option<&'a Node>,
    names: &NaclNames,
    mut pending: Option<(&'a Node, &'static str)>,
) -> Option<Inbound<'a>> {
    let action = match get(names.action) {
        Some(a) if a.is_unknown() => {
            pending = pending.or(Some((a, names.action)));
            Action::Allow
        }
        Some(a) => match a.as_str().map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            Some("allow") => Action::Allow,
            Some("deny") => Action::Deny,
            _ => return None,
        },
        None => return None,
    };
    let proto = match get(names.protocol).map(|p| (p, proto_of(p))) {
        Some((_, ProtoRead::Known(p))) => p,
        Some((p, ProtoRead::Unknown)) => {
            pending = pending.or(Some((p, names.protocol)));
            Proto::All
        }
        _ => return None,
    };
    let mut sources = Vec::new();
    sources_of(get(names.v4), names.v4, &mut sources);
    sources_of(get(names.v6), names.v6, &mut sources);
    let key = |path: &'static str| path.rsplit('.').next().unwrap_or(path);
    let ports = match names.range {
        None => port_pair(get(names.from), get(names.to), names.from, names.to),
        Some(range) => match get(range) {
            Some(n) if n.is_unknown() => vec![PortRange::Unknown(n, range)],
            Some(n) => port_pair(
                n.child(key(names.from)).filter(|x| !x.is_null()),
                n.child(key(names.to)).filter(|x| !x.is_null()),
                names.from,
                names.to,
            ),
            None => Vec::new(),
        },
    };
    Some(Inbound {
        action,
        proto,
        ports: ports_for(proto, ports),
        sources,
        pending,
        order: get(names.order).and_then(|n| n.as_f64()),
    })
}

/// Whether two resources name the same parent (`network_acl_id = aws_network_acl.main.id`,
/// `NetworkAclId: !Ref Acl`): the same literal, or unknown values that refer to the same
/// resources.
fn same_parent(a: Option<&Node>, b: Option<&Node>) -> bool {
    match (a.map(|n| &n.value), b.map(|n| &n.value)) {
        (Some(Value::String(x)), Some(Value::String(y))) => x == y,
        (Some(Value::Unknown(x)), Some(Value::Unknown(y))) => {
            !x.refs.is_empty() && x.refs == y.refs
        }
        _ => false,
    }
}

/// A standalone inbound NACL entry (Terraform's `aws_network_acl_rule`, CloudFormation's
/// `AWS::EC2::NetworkAclEntry`), grouped with the deny entries of the same list that may shadow
/// it (a lower rule number is evaluated first).
fn nacl_standalone<'a>(
    ctx: &Ctx<'a>,
    r: &'a Resource,
    names: &'static NaclRuleNames,
) -> Vec<Vec<Inbound<'a>>> {
    let standalone = |x: &'a Resource| -> Option<Inbound<'a>> {
        let get = |k: &str| util::set(x, k);
        let pending = match get(names.egress) {
            Some(e) if e.is_unknown() => Some((e, names.egress)),
            Some(e) if e.as_bool() == Some(true) => return None,
            // documented default: false (an ingress rule)
            _ => None,
        };
        nacl_entry(get, &names.entry, pending)
    };
    let Some(me) = standalone(r) else {
        return Vec::new();
    };
    let mut group = vec![me];
    if group.first().is_some_and(|e| e.action == Action::Allow) {
        for other in ctx.of_kind(names.kind) {
            if std::ptr::eq(other, r) || !same_parent(r.get(names.parent), other.get(names.parent))
            {
                continue;
            }
            if let Some(e) = standalone(other).filter(|e| e.action == Action::Deny) {
                group.push(e);
            }
        }
    } else {
        // A deny entry is only read as context for the allow entries.
        return Vec::new();
    }
    vec![group]
}

// --- Azure ------------------------------------------------------------------------------------

/// The attribute names of one network security rule: Terraform's snake_case or ARM's camelCase.
struct NsgNames {
    direction: &'static str,
    access: &'static str,
    protocol: &'static str,
    port: &'static str,
    ports: &'static str,
    prefix: &'static str,
    prefixes: &'static str,
    priority: &'static str,
}

const TF_NSG: NsgNames = NsgNames {
    direction: "direction",
    access: "access",
    protocol: "protocol",
    port: "destination_port_range",
    ports: "destination_port_ranges",
    prefix: "source_address_prefix",
    prefixes: "source_address_prefixes",
    priority: "priority",
};

const ARM_NSG: NsgNames = NsgNames {
    direction: "direction",
    access: "access",
    protocol: "protocol",
    port: "destinationPortRange",
    ports: "destinationPortRanges",
    prefix: "sourceAddressPrefix",
    prefixes: "sourceAddressPrefixes",
    priority: "priority",
};

fn azure_ports<'a>(
    get: &impl Fn(&str) -> Option<&'a Node>,
    names: &NsgNames,
) -> Vec<PortRange<'a>> {
    let mut out = Vec::new();
    for attr in [names.port, names.ports] {
        let Some(n) = get(attr) else {
            continue;
        };
        if n.is_unknown() {
            out.push(PortRange::Unknown(n, attr));
            continue;
        }
        for item in n.items() {
            if item.is_unknown() {
                out.push(PortRange::Unknown(item, attr));
            } else if let Some((a, b)) = util::port_range(item) {
                out.push(PortRange::Known(a, b));
            }
        }
    }
    out
}

/// One NSG rule, inline (`security_rule`) or standalone. Azure compares these values without case.
fn nsg_entry<'a>(get: impl Fn(&str) -> Option<&'a Node>) -> Option<Inbound<'a>> {
    nsg_entry_named(get, &TF_NSG)
}

/// [`nsg_entry`] for any spelling of the attribute names.
fn nsg_entry_named<'a>(
    get: impl Fn(&str) -> Option<&'a Node>,
    names: &NsgNames,
) -> Option<Inbound<'a>> {
    let mut pending = None;
    match get(names.direction) {
        Some(d) if d.is_unknown() => pending = Some((d, names.direction)),
        Some(d)
            if d.as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("inbound")) => {}
        _ => return None,
    }
    let action = match get(names.access) {
        Some(a) if a.is_unknown() => {
            pending = pending.or(Some((a, names.access)));
            Action::Allow
        }
        Some(a) => match a.as_str().map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            Some("allow") => Action::Allow,
            Some("deny") => Action::Deny,
            _ => return None,
        },
        None => return None,
    };
    let ports = azure_ports(&get, names);
    let proto = match get(names.protocol) {
        Some(p) if p.is_unknown() => {
            pending = pending.or(Some((p, names.protocol)));
            Proto::TcpUdp
        }
        Some(p) => match p.as_str().map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            Some("*") => {
                let every_port = ports
                    .iter()
                    .any(|r| matches!(r, PortRange::Known(0, 65535)));
                if every_port {
                    Proto::All
                } else {
                    Proto::TcpUdp
                }
            }
            Some("tcp") => Proto::Tcp,
            Some("udp") => Proto::Udp,
            // Icmp, Esp, Ah: no ports.
            _ => return None,
        },
        None => return None,
    };
    let mut sources = Vec::new();
    sources_of(get(names.prefix), names.prefix, &mut sources);
    sources_of(get(names.prefixes), names.prefixes, &mut sources);
    Some(Inbound {
        action,
        proto,
        ports,
        sources,
        pending,
        order: get(names.priority).and_then(|n| n.as_f64()),
    })
}

fn azure_rule<'a>(ctx: &Ctx<'a>, r: &'a Resource) -> Vec<Vec<Inbound<'a>>> {
    let Some(me) = nsg_entry(|k| util::set(r, k)) else {
        return Vec::new();
    };
    if me.action != Action::Allow {
        return Vec::new();
    }
    let mut group = vec![me];
    for other in ctx.of_kind("azurerm_network_security_rule") {
        let same = same_parent(
            r.get("network_security_group_name"),
            other.get("network_security_group_name"),
        ) && same_parent(
            r.get("resource_group_name"),
            other.get("resource_group_name"),
        );
        if std::ptr::eq(other, r) || !same {
            continue;
        }
        if let Some(e) = nsg_entry(|k| util::set(other, k)).filter(|e| e.action == Action::Deny) {
            group.push(e);
        }
    }
    vec![group]
}

// --- CloudFormation ---------------------------------------------------------------------------

/// An entry whose whole content cannot be known (`SecurityGroupIngress: !Ref Rules`, an ARM
/// `securityRules` from a parameter without a value): nothing can be read, say so.
fn unknown_entry<'a>(b: &'a Node, attr: &'static str) -> Inbound<'a> {
    Inbound {
        action: Action::Allow,
        proto: Proto::All,
        ports: vec![PortRange::Unknown(b, attr)],
        sources: vec![Source::Unknown(b, attr)],
        pending: Some((b, attr)),
        order: None,
    }
}

/// `FromPort`/`ToPort` (the AWS port pair under CloudFormation's names).
fn cfn_from_to<'a>(from: Option<&'a Node>, to: Option<&'a Node>) -> Vec<PortRange<'a>> {
    match (port_node(from, "FromPort"), port_node(to, "ToPort")) {
        (Some(Ok(a)), Some(Ok(b))) => vec![PortRange::Known(a, b)],
        (Some(Err((n, a))), _) | (_, Some(Err((n, a)))) => vec![PortRange::Unknown(n, a)],
        _ => Vec::new(),
    }
}

fn cfn_sg_entry(b: &Node) -> Option<Inbound<'_>> {
    if b.is_unknown() {
        return Some(unknown_entry(b, "SecurityGroupIngress"));
    }
    sg_fields(|k| b.child(k), &CFN_SG)
}

// --- ARM --------------------------------------------------------------------------------------

const ARM_NSG_KIND: &str = "Microsoft.Network/networkSecurityGroups";
const ARM_RULE_KIND: &str = "Microsoft.Network/networkSecurityGroups/securityRules";

/// One ARM security rule: `{"name": …, "properties": {…}}` inline, or a child resource's
/// `properties`.
fn arm_entry<'a>(props: Option<&'a Node>, attr: &'static str) -> Option<Inbound<'a>> {
    let props = props.filter(|n| !n.is_null())?;
    if props.is_unknown() {
        return Some(unknown_entry(props, attr));
    }
    nsg_entry_named(|k| props.child(k).filter(|n| !n.is_null()), &ARM_NSG)
}

/// The rules written inline in an NSG's `properties.securityRules`.
fn arm_inline<'a>(r: &'a Resource) -> Vec<Inbound<'a>> {
    let Some(props) = util::set(r, "properties") else {
        return Vec::new();
    };
    if props.is_unknown() {
        return vec![unknown_entry(props, "properties")];
    }
    let Some(rules) = props.child("securityRules").filter(|n| !n.is_null()) else {
        return Vec::new();
    };
    if rules.is_unknown() {
        return vec![unknown_entry(rules, "properties.securityRules")];
    }
    rules
        .items()
        .into_iter()
        .filter_map(|rule| {
            if rule.is_unknown() {
                return Some(unknown_entry(rule, "properties.securityRules"));
            }
            arm_entry(rule.child("properties"), "properties.securityRules")
        })
        .collect()
}

/// The resource name after the type in an ARM address: `nsg-web` of an NSG, `nsg-web/ssh` of a
/// rule.
fn arm_name(r: &Resource) -> &str {
    r.address.get(r.kind.len() + 1..).unwrap_or("")
}

/// The NSG a child security rule belongs to: `nsg-web` of `nsg-web/ssh`.
fn arm_parent(rule: &Resource) -> &str {
    let name = arm_name(rule);
    name.rsplit_once('/').map(|(p, _)| p).unwrap_or("")
}

/// Deny rules written as child resources of the NSG `nsg`.
fn arm_child_denies<'a>(ctx: &Ctx<'a>, nsg: &str, skip: &Resource) -> Vec<Inbound<'a>> {
    ctx.of_kind(ARM_RULE_KIND)
        .filter(|c| !std::ptr::eq(*c, skip) && arm_parent(c).eq_ignore_ascii_case(nsg))
        .filter_map(|c| arm_entry(util::set(c, "properties"), "properties"))
        .filter(|e| e.action == Action::Deny && e.pending.is_none())
        .collect()
}

/// why: Azure evaluates an NSG's inline rules and its child `securityRules` resources together by
/// priority, so a child deny rule closes ports for an inline allow rule and the other way round.
fn arm_nsg<'a>(ctx: &Ctx<'a>, r: &'a Resource) -> Vec<Vec<Inbound<'a>>> {
    let mut group = arm_inline(r);
    if group.iter().any(|e| e.action == Action::Allow) {
        group.extend(arm_child_denies(ctx, arm_name(r), r));
    }
    vec![group]
}

fn arm_nsg_rule<'a>(ctx: &Ctx<'a>, r: &'a Resource) -> Vec<Vec<Inbound<'a>>> {
    let Some(me) = arm_entry(util::set(r, "properties"), "properties") else {
        return Vec::new();
    };
    if me.action != Action::Allow {
        return Vec::new();
    }
    let parent = arm_parent(r);
    let mut group = vec![me];
    group.extend(arm_child_denies(ctx, parent, r));
    for nsg in ctx.of_kind(ARM_NSG_KIND) {
        if arm_name(nsg).eq_ignore_ascii_case(parent) {
            group.extend(
                arm_inline(nsg)
                    .into_iter()
                    .filter(|e| e.action == Action::Deny && e.pending.is_none()),
            );
        }
    }
    vec![group]
}

// --- Google Cloud -----------------------------------------------------------------------------

fn gcp_firewall(r: &Resource) -> Vec<Inbound<'_>> {
    let get = |k: &str| util::set(r, k);
    let mut pending = None;
    // documented default: INGRESS
    if let Some(d) = get("direction") {
        if d.is_unknown() {
            pending = Some((d, "direction"));
        } else if !d
            .as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("ingress"))
        {
            return Vec::new();
        }
    }
    // documented default: enabled
    if let Some(d) = get("disabled") {
        if d.is_unknown() {
            pending = pending.or(Some((d, "disabled")));
        } else if d.as_bool() == Some(true) {
            return Vec::new();
        }
    }
    let mut sources = Vec::new();
    sources_of(get("source_ranges"), "source_ranges", &mut sources);
    let written = |k: &str| get(k).is_some_and(|n| n.is_unknown() || !n.items().is_empty());
    if sources.is_empty() && !written("source_tags") && !written("source_service_accounts") {
        // why: the Compute API applies 0.0.0.0/0 to an ingress rule without any source
        // (hashicorp/terraform-provider-google#6789); newer provider versions reject such a rule.
        sources.push(Source::Implied("source_ranges"));
    }
    let mut out = Vec::new();
    for a in blocks(r, "allow") {
        let (proto, mut p) = match a.child("protocol").map(|n| (n, proto_of(n))) {
            Some((_, ProtoRead::Known(p))) => (p, pending),
            Some((n, ProtoRead::Unknown)) => (Proto::All, pending.or(Some((n, "protocol")))),
            _ if a.is_unknown() => (Proto::All, pending.or(Some((a, "allow")))),
            _ => continue,
        };
        let mut ports = Vec::new();
        match a.child("ports").filter(|n| !n.is_null()) {
            // documented: without ports the rule applies to every port
            None => ports.push(PortRange::Known(ALL_PORTS.0, ALL_PORTS.1)),
            Some(n) if n.is_unknown() => ports.push(PortRange::Unknown(n, "ports")),
            Some(n) => {
                for item in n.items() {
                    if item.is_unknown() {
                        ports.push(PortRange::Unknown(item, "ports"));
                    } else if let Some((x, y)) = util::port_range(item) {
                        ports.push(PortRange::Known(x, y));
                    }
                }
                if n.items().is_empty() {
                    ports.push(PortRange::Known(ALL_PORTS.0, ALL_PORTS.1));
                }
            }
        }
        if p.is_none() && a.is_unknown() {
            p = Some((a, "allow"));
        }
        out.push(Inbound {
            action: Action::Allow,
            proto,
            ports: ports_for(proto, ports),
            sources: sources.clone(),
            pending: p,
            order: None,
        });
    }
    // why: the `allow` blocks of one firewall share its sources; one entry per firewall gives one
    // finding per offending source ("ports 3389, 5900 are open to 0.0.0.0/0").
    let mut merged = out.into_iter();
    let Some(mut first) = merged.next() else {
        return Vec::new();
    };
    for e in merged {
        first.proto = match (first.proto, e.proto) {
            (Proto::All, _) | (_, Proto::All) => Proto::All,
            (a, b) if a == b => a,
            _ => Proto::TcpUdp,
        };
        first.ports.extend(e.ports);
        first.pending = first.pending.or(e.pending);
    }
    if first.proto == Proto::All {
        first
            .ports
            .retain(|p| matches!(p, PortRange::Known(0, 65535)));
        first.ports.truncate(1);
        if first.ports.is_empty() {
            first.ports.push(PortRange::Known(ALL_PORTS.0, ALL_PORTS.1));
        }
    }
    vec![first]
}

// --- Flow logs of Azure virtual networks ----------------------------------------------------

/// How a flow log names the virtual network it records: Terraform's
/// `azurerm_network_watcher_flow_log` (`target_resource_id`, a reference to the network;
/// `enabled` is required), ARM's `Microsoft.Network/networkWatchers/flowLogs` (under
/// `properties`: `targetResourceId`, a `resourceId(...)` or a literal ID; `enabled`).
#[derive(Clone, Copy, Debug)]
pub struct VnetFlowLogNames {
    pub kind: &'static str,
    pub props: Option<&'static str>,
    pub target: &'static str,
    pub enabled: &'static str,
    /// Whether the target attribute designates the network (a reference or a resource ID).
    pub designates: fn(Option<&Node>, &Resource) -> crate::facts::links::Link,
}

pub const VNET_FLOW_LOG: crate::facts::platform::ByPlatform<VnetFlowLogNames> =
    crate::facts::platform::ByPlatform::azure(
        VnetFlowLogNames {
            kind: "azurerm_network_watcher_flow_log",
            props: None,
            target: "target_resource_id",
            enabled: "enabled",
            designates: crate::facts::links::reference_to,
        },
        VnetFlowLogNames {
            kind: "Microsoft.Network/networkWatchers/flowLogs",
            props: Some("properties"),
            target: "targetResourceId",
            enabled: "enabled",
            designates: crate::facts::links::arm_id_designates,
        },
    );

impl VnetFlowLogNames {
    /// A setting of flow log `fl` (under `properties` in ARM) and the name findings quote.
    /// An unknown `properties` object stands for the setting (callers report it as unknown).
    pub fn setting<'a>(&self, fl: &'a Resource, key: &str) -> (Option<&'a Node>, String) {
        let (node, path) = crate::facts::platform::setting_in(fl, self.props, key);
        (node.unwrap_or_else(Some), path)
    }
}

// --- AWS Config: recording the network's configuration changes -------------------------------

/// The recording group of an AWS Config configuration recorder: Terraform's `recording_group`
/// block (`all_supported`, `resource_types`, `exclusion_by_resource_types.resource_types`),
/// CloudFormation's `RecordingGroup` (`AllSupported`, `ResourceTypes`,
/// `ExclusionByResourceTypes.ResourceTypes`).
#[derive(Clone, Copy, Debug)]
pub struct RecorderNames {
    pub group: &'static str,
    pub all_supported: &'static str,
    pub resource_types: &'static str,
    pub exclusion: &'static str,
    /// What an unset `all_supported` means when the group lists resource types (to record or to
    /// exclude): the Terraform provider documents `true` whatever else is set; CloudFormation
    /// passes the group to the API as written, and AWS Config accepts a list of types only
    /// with `AllSupported` false, so there the list itself says false.
    pub unset_all_with_lists: bool,
}

pub const CONFIG_RECORDER: crate::facts::platform::ByPlatform<RecorderNames> =
    crate::facts::platform::ByPlatform::aws(
        RecorderNames {
            group: "recording_group",
            all_supported: "all_supported",
            resource_types: "resource_types",
            exclusion: "exclusion_by_resource_types",
            unset_all_with_lists: true,
        },
        RecorderNames {
            group: "RecordingGroup",
            all_supported: "AllSupported",
            resource_types: "ResourceTypes",
            exclusion: "ExclusionByResourceTypes",
            unset_all_with_lists: false,
        },
    );

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtracting_ranges() {
        assert_eq!(
            subtract(&[(0, 65535)], &[(22, 22)]),
            vec![(0, 21), (23, 65535)]
        );
        assert_eq!(
            subtract(&[(22, 22)], &[(0, 65535)]),
            Vec::<(u32, u32)>::new()
        );
        assert_eq!(subtract(&[(20, 30)], &[(25, 40)]), vec![(20, 24)]);
    }

    #[test]
    fn wording() {
        let t = exposure_text(Proto::Tcp, &[(22, 22)], "0.0.0.0/0");
        assert_eq!(t.en, "port 22 is open to 0.0.0.0/0");
        let t = exposure_text(Proto::All, &[(0, 65535)], "::/0");
        assert_eq!(t.en, "all protocols and ports are open to ::/0");
        let t = exposure_text(Proto::Tcp, &[(22, 22), (3389, 3389)], "*");
        assert_eq!(t.en, "ports 22, 3389 are open to *");
    }
}
