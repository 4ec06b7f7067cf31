//! Who designates whom: whether an attribute of one resource points at another resource of the
//! scan (a reference, a value copied from it, or a literal equal to one of its identifiers), and
//! which buckets receive access logs. Used by every rule that looks across resources (logging
//! companions, flow logs, key and log destinations). Graph edges by kind are [`crate::Ctx::referring_to`].

use super::platform::ByPlatform;
use crate::{strip_instance_key, util, Ctx, Hit};
use kijun_model::{Node, Resource, Value};

/// Whether an attribute of one resource designates another resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    Yes,
    No,
    /// The value depends on something the scan cannot see (a variable without a value, a
    /// data source, a module output).
    Unknown,
}

/// `module.a.aws_s3_bucket.logs[0]` → `aws_s3_bucket.logs`: how the resource is named from
/// inside its own module (the form provenance records use).
fn local_name(r: &Resource) -> &str {
    let base = strip_instance_key(&r.address);
    if r.module.is_empty() {
        return base;
    }
    base.strip_prefix(r.module.as_str())
        .and_then(|s| s.strip_prefix('.'))
        .unwrap_or(base)
}

/// Whether `n`, an attribute of `from`, designates `target`: a reference to it
/// (`aws_s3_bucket.logs.id`), a value copied from one of its configured attributes
/// (`aws_s3_bucket.logs.bucket`), or a literal equal to one of its literal identifiers `idents`
/// (also as the last segment of an ARN or path: `arn:aws:s3:::logs`, `storage.googleapis.com/logs`).
pub fn designates(n: &Node, from: &Resource, target: &Resource, idents: &[&str]) -> Link {
    let base = strip_instance_key(&target.address);
    match &n.value {
        Value::Null => Link::No,
        Value::Unknown(u) => {
            if u.refs
                .iter()
                .any(|x| &**x == base || **x == *target.address)
            {
                return Link::Yes;
            }
            // why: a reference to another managed resource names that resource; a module
            // output or a variable without a value could name anything, and a data source could
            // read this very object when it is of the same type.
            let opaque = u.refs.is_empty() || u.refs.iter().any(|x| is_opaque(x, &target.kind));
            if opaque {
                Link::Unknown
            } else {
                Link::No
            }
        }
        Value::String(s) => {
            if from.module == target.module {
                if let Some(p) = &n.from {
                    let me = format!("{}.", local_name(target));
                    if p.via.split(" ← ").any(|v| v.starts_with(&me)) {
                        return Link::Yes;
                    }
                }
            }
            literal_matches(s, target, idents)
        }
        _ => Link::No,
    }
}

/// A module output (`module.logs`), or a data source (`data.aws_s3_bucket.x`, also inside a
/// module) of the same type as the target (a data source of another type reads another kind of
/// object).
fn is_opaque(address: &str, target_kind: &str) -> bool {
    let mut rest = address;
    while let Some(r) = rest.strip_prefix("module.") {
        match r.split_once('.') {
            Some((_, tail)) => rest = tail,
            // `module.logs`: the module's outputs.
            None => return true,
        }
    }
    match rest.strip_prefix("data.") {
        Some(d) => d.split('.').next() == Some(target_kind),
        None => false,
    }
}

fn literal_matches(s: &str, target: &Resource, idents: &[&str]) -> Link {
    let mut unknown = false;
    for attr in idents {
        match util::set(target, attr) {
            Some(v) if v.is_unknown() => unknown = true,
            Some(v) => {
                if let Some(id) = v.as_str().filter(|id| !id.is_empty()) {
                    let tail = s.rsplit([':', '/']).find(|p| !p.is_empty()).unwrap_or(s);
                    if s == id || tail == id {
                        return Link::Yes;
                    }
                }
            }
            None => {}
        }
    }
    if unknown {
        Link::Unknown
    } else {
        Link::No
    }
}

/// Combines the links of several candidates: any Yes wins, then any Unknown.
pub fn any_link(links: impl IntoIterator<Item = Link>) -> Link {
    let mut out = Link::No;
    for l in links {
        match l {
            Link::Yes => return Link::Yes,
            Link::Unknown => out = Link::Unknown,
            Link::No => {}
        }
    }
    out
}

/// Where an S3 bucket's server access logs are configured, as each platform spells it:
/// Terraform (provider v4+) in a companion resource naming the bucket, or in the legacy inline
/// `logging` block; CloudFormation in the bucket's own `LoggingConfiguration`.
#[derive(Clone, Copy, Debug)]
pub struct S3AccessLogNames {
    pub bucket_kind: &'static str,
    /// The bucket's name (a literal a destination may be given as).
    pub name: &'static str,
    /// The companion resource (`aws_s3_bucket_logging`): its kind, the attribute naming the
    /// logged bucket and the one naming the destination. None where the platform has none.
    pub companion: Option<(&'static str, &'static str, &'static str)>,
    /// The setting on the bucket itself and the destination inside it.
    pub inline: &'static str,
    pub inline_target: &'static str,
    /// Whether the inline setting logs only when it names a destination: Terraform's `logging`
    /// block must; CloudFormation's `LoggingConfiguration` without `DestinationBucketName`
    /// logs into the bucket itself (its documented default).
    pub inline_needs_target: bool,
}

pub const S3_ACCESS_LOGS: ByPlatform<S3AccessLogNames> = ByPlatform::aws(
    S3AccessLogNames {
        bucket_kind: "aws_s3_bucket",
        name: "bucket",
        companion: Some(("aws_s3_bucket_logging", "bucket", "target_bucket")),
        inline: "logging",
        inline_target: "target_bucket",
        inline_needs_target: true,
    },
    S3AccessLogNames {
        bucket_kind: "AWS::S3::Bucket",
        name: "BucketName",
        companion: None,
        inline: "LoggingConfiguration",
        inline_target: "DestinationBucketName",
        inline_needs_target: false,
    },
);

/// Whether `bucket` receives S3 server access logs of some bucket in the scan (the target of an
/// `aws_s3_bucket_logging` or of a legacy inline `logging` block; in CloudFormation the
/// `LoggingConfiguration.DestinationBucketName` of another `AWS::S3::Bucket`).
pub fn is_access_log_target(ctx: &Ctx, bucket: &Resource) -> bool {
    let names = S3_ACCESS_LOGS.of(bucket);
    let companion = names.companion.is_some_and(|(kind, _, target)| {
        ctx.of_kind(kind).any(|l| {
            util::set(l, target)
                .is_some_and(|t| designates(t, l, bucket, &[names.name]) == Link::Yes)
        })
    });
    companion
        || ctx.of_kind(names.bucket_kind).any(|b| {
            util::set(b, names.inline)
                .map(|n| n.items())
                .unwrap_or_default()
                .into_iter()
                .filter_map(|blk| blk.child(names.inline_target))
                .any(|t| designates(t, b, bucket, &[names.name]) == Link::Yes)
        })
}

/// Whether `n` (e.g. a flow log's `vpc_id`) is a reference to `target`. Unlike [`designates`],
/// literal values never link; a value known only after apply that refers to no resource of the
/// scan (a variable without a value, a data source, an unevaluated module) is `Unknown`.
pub fn reference_to(n: Option<&Node>, target: &Resource) -> Link {
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return Link::No;
    };
    match &n.value {
        Value::Unknown(u) => {
            let base = strip_instance_key(&target.address);
            if u.refs
                .iter()
                .any(|x| &**x == base || **x == *target.address)
            {
                Link::Yes
            } else if u
                .refs
                .iter()
                .all(|x| x.starts_with("data.") || x.starts_with("var."))
                // why: an output of a module the scan could not evaluate (count/for_each, remote)
                // refers only to the module, which may well contain the VPC.
                || u
                    .refs
                    .iter()
                    .any(|x| {
                        target.address.starts_with(&format!("{x}."))
                            || target.address.starts_with(&format!("{x}["))
                    })
            {
                Link::Unknown
            } else {
                Link::No
            }
        }
        _ => Link::No,
    }
}

/// Whether `n`, a resource ID in an ARM template (a flow log's `targetResourceId`), designates
/// the ARM resource `target` (whose address is `type/name`): `resourceId('type', 'name')`, which
/// the template reader leaves unknown with the reference `type/name`, or a literal ID ending in
/// `/providers/type/name` (ARM types and names compare without case). `resourceId` with a name
/// that cannot be known (a parameter without a value), `reference()` or another value decided at
/// deployment is `Unknown`.
pub fn arm_id_designates(n: Option<&Node>, target: &Resource) -> Link {
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return Link::No;
    };
    let address = strip_instance_key(&target.address).to_ascii_lowercase();
    let ty = target.kind.to_ascii_lowercase();
    match &n.value {
        Value::Unknown(u) => {
            let refs: Vec<String> = u.refs.iter().map(|x| x.to_ascii_lowercase()).collect();
            if refs.contains(&address) {
                Link::Yes
            } else if refs.is_empty()
                || refs
                    .iter()
                    .any(|x| x.strip_prefix(&ty).is_some_and(|rest| rest == "/"))
            {
                Link::Unknown
            } else {
                Link::No
            }
        }
        Value::String(s) => {
            let id = s.trim().trim_end_matches('/').to_ascii_lowercase();
            if id.ends_with(&format!("/providers/{address}")) {
                Link::Yes
            } else {
                Link::No
            }
        }
        _ => Link::No,
    }
}

/// Whether any resource of `kinds` designates `target` through its attribute `attr` (a web ACL
/// association's `resource_arn`, a flow log's `vpc_id`): `Yes`, `No`, or `Unknown` with the first
/// resource whose attribute could not be resolved, so a rule can say which one to look at.
pub enum Attached<'a> {
    Yes,
    Unknown(&'a Resource),
    No,
}

pub fn attached_by<'a>(
    ctx: &Ctx<'a>,
    target: &Resource,
    kinds: &[&str],
    attr: &str,
) -> Attached<'a> {
    let mut maybe = None;
    for kind in kinds {
        for a in ctx.of_kind(kind) {
            match reference_to(a.get(attr), target) {
                Link::Yes => return Attached::Yes,
                Link::Unknown => {
                    maybe.get_or_insert(a);
                }
                Link::No => {}
            }
        }
    }
    maybe.map_or(Attached::No, Attached::Unknown)
}

/// Reports `target` when no resource of `kinds` designates it through `attr`: not evaluated,
/// naming the first resource whose `attr` could not be resolved, when the answer cannot be
/// known; otherwise a missing-attachment finding with the rule's own message. `question` says
/// what could not be judged, in both languages ("このステージに WAF が関連付けられている",
/// "this stage has a WAF").
pub fn require_attachment(
    ctx: &Ctx,
    target: &Resource,
    (kinds, attr): (&[&str], &str),
    question: (&str, &str),
    missing: kijun_model::Text,
    out: &mut Vec<Hit>,
) {
    match attached_by(ctx, target, kinds, attr) {
        Attached::Yes => {}
        Attached::Unknown(a) => out.push(Hit::not_evaluated(Hit::missing(
            target,
            util::t(
                format!(
                    "`{}` の `{attr}` が静的に決定できないため、{}か判定できません",
                    a.address, question.0
                ),
                format!(
                    "the `{attr}` of `{}` cannot be determined statically, so whether {} cannot be judged",
                    a.address, question.1
                ),
            ),
        ))),
        Attached::No => out.push(Hit::missing(target, missing)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kijun_model::{Origin, Platform, Text, Unknown};
    use std::sync::Arc;

    fn vnet(name: &str) -> Resource {
        Resource {
            platform: Platform::Arm,
            kind: "Microsoft.Network/virtualNetworks".into(),
            address: format!("Microsoft.Network/virtualNetworks/{name}"),
            at: Origin::default(),
            attrs: Default::default(),
            provider: None,
            refs: Vec::new(),
            module: String::new(),
            inline_exceptions: Vec::new(),
        }
    }

    /// `resourceId(...)` as the ARM reader leaves it: unknown, referring to `type/name`.
    fn resource_id(reference: Option<&str>) -> Node {
        Node::new(
            Value::Unknown(Unknown {
                reason: Arc::new(Text::new("デプロイ時", "at deployment")),
                refs: reference.map(Arc::from).into_iter().collect(),
            }),
            Origin::default(),
        )
    }

    #[test]
    fn arm_resource_ids_designate_their_resource() {
        let app = vnet("vnet-app");
        let by_function = resource_id(Some("Microsoft.Network/virtualNetworks/vnet-app"));
        assert_eq!(arm_id_designates(Some(&by_function), &app), Link::Yes);
        // ARM types and names compare without case.
        let other_case = resource_id(Some("microsoft.network/virtualnetworks/VNET-APP"));
        assert_eq!(arm_id_designates(Some(&other_case), &app), Link::Yes);
        let other = resource_id(Some("Microsoft.Network/virtualNetworks/vnet-data"));
        assert_eq!(arm_id_designates(Some(&other), &app), Link::No);
        // A name from a parameter without a value, or a value decided at deployment.
        let no_name = resource_id(Some("Microsoft.Network/virtualNetworks/"));
        assert_eq!(arm_id_designates(Some(&no_name), &app), Link::Unknown);
        assert_eq!(
            arm_id_designates(Some(&resource_id(None)), &app),
            Link::Unknown
        );
        let literal = Node::string(
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-app",
            Origin::default(),
        );
        assert_eq!(arm_id_designates(Some(&literal), &app), Link::Yes);
        assert_eq!(arm_id_designates(Some(&literal), &vnet("app")), Link::No);
        assert_eq!(arm_id_designates(None, &app), Link::No);
    }
}
