//! Where a resource's data is stored: shared by the data-residency rules (C1, C2).
//! why: 第64条第2項第2号 requires the security requirements to fix "the country and region where
//! the information is stored"; the organisation's allowed set is the data file / kijun.toml.

use crate::facts::platform::{cloud_of, ByPlatform};
use crate::settings::Cloud;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Provenance, Resource};
use std::sync::Arc;

/// Whether a resource of this type only configures another one and holds or processes no
/// information itself (`policies/data/resource-roles.toml`): its region is not where data is
/// stored, so the region rules do not judge it. A type the list does not name is judged.
pub fn configuration_only(cloud: Cloud, kind: &str) -> bool {
    crate::data::data()
        .resource_roles
        .as_ref()
        .is_some_and(|r| r.configuration_only(cloud, kind))
}

/// Judges one region value; pushes a finding (or not-evaluated) when it is not allowed.
pub fn judge(ctx: &Ctx, cloud: Cloud, attr: &str, node: &Node, out: &mut Vec<Hit>) {
    if node.is_unknown() {
        out.push(Hit::unknown(node, attr));
        return;
    }
    if let Some(h) = crate::facts::placeholder::not_a_value(node, attr) {
        out.push(h);
        return;
    }
    let Some(code) = node.as_str() else {
        return;
    };
    if ctx.settings.region_allowed(cloud, code) {
        return;
    }
    let d = ctx.settings.describe_region(cloud, code);
    let allowed = ctx.settings.allowed_list(cloud);
    out.push(Hit::value(
        node,
        util::t(
            format!(
                "`{attr}` が {} で、許可された地域（{allowed}）の外です",
                d.ja
            ),
            format!(
                "`{attr}` is {}, outside the allowed regions ({allowed})",
                d.en
            ),
        ),
    ));
}

/// The region a resource inherits from its provider configuration, as a node that points at
/// the resource header and records the provider's region setting as its origin.
pub fn from_provider(r: &Resource) -> Option<Node> {
    let p = r.provider.as_ref()?;
    let region = p.region.as_ref()?;
    let mut n = region.clone();
    let via = format!("provider {}", p.display_name());
    let origin = region.from.as_ref().map(|f| f.at).unwrap_or(region.at);
    n.from = Some(Arc::new(Provenance { via, at: origin }));
    n.at = r.at;
    Some(n)
}

/// The region of an ARN (`arn:aws:backup:us-west-2:123456789012:backup-vault:dr` → `us-west-2`),
/// as a node at the ARN's position that keeps the ARN's provenance (variable, parameter).
/// `None` when the value is not an ARN, or is one without a region (S3 buckets, IAM), or when
/// it is not known (the caller reports the unknown ARN itself).
pub fn arn_region(node: &Node) -> Option<Node> {
    let s = node.as_str()?;
    let mut parts = s.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let (_partition, _service) = (parts.next()?, parts.next()?);
    let region = parts.next()?;
    // why: a partial ARN still needs the account and resource parts to be an ARN at all.
    parts.next()?;
    if region.is_empty() {
        return None;
    }
    let mut n = Node::string(region, node.at);
    n.from = node.from.clone();
    Some(n)
}

/// Where an AWS resource lives: its own `region` argument (AWS provider v6), else the region of
/// its provider configuration (an alias such as `aws.osaka` included). `None` when neither says.
pub fn aws_region_of(r: &Resource) -> Option<Node> {
    if let Some(n) = util::set(r, "region") {
        return Some(n.clone());
    }
    from_provider(r)
}

/// Judges where an AWS resource is created ([`aws_region_of`]). Without a region in the
/// configuration it comes from the environment (AWS_REGION, the profile) at apply time, which a
/// static scan cannot see: not evaluated, never passed.
pub fn judge_aws_region(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    judge_or_unknown(
        ctx,
        Cloud::Aws,
        r,
        aws_region_of(r),
        kijun_model::text!(
            "プロバイダーにリージョンの設定がありません。apply 時に AWS_REGION かプロファイルから決まります",
            "the provider sets no region; it comes from AWS_REGION or the profile at apply time"
        ),
        out,
    );
}

/// Judges where an OCI resource is created: its provider configuration's `region` (OCI
/// resources have no region of their own). Without one it comes from the OCI configuration file
/// or `OCI_REGION` at apply time: not evaluated, never passed.
pub fn judge_oci_region(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    judge_or_unknown(
        ctx,
        Cloud::Oci,
        r,
        from_provider(r),
        kijun_model::text!(
            "プロバイダーにリージョンの設定がありません。apply 時に OCI の設定ファイル（~/.oci/config）か OCI_REGION から決まります",
            "the provider sets no region; it comes from the OCI configuration file (~/.oci/config) or OCI_REGION at apply time"
        ),
        out,
    );
}

/// Judges `region` when the configuration gives one; otherwise reports it as not evaluated at
/// the resource, saying where the value comes from at apply time (`why`).
fn judge_or_unknown(
    ctx: &Ctx,
    cloud: Cloud,
    r: &Resource,
    region: Option<Node>,
    why: kijun_model::Text,
    out: &mut Vec<Hit>,
) {
    match region {
        Some(n) => judge(ctx, cloud, "region", &n, out),
        None => out.push(Hit::unknown(&Node::unknown(why, r.at), "region")),
    }
}

/// A value that names another resource of the scan, and that resource's region.
pub enum Designated<'a> {
    /// The value designates `resource`; `region` is where that resource lives, when known.
    Resource {
        resource: &'a Resource,
        region: Option<Node>,
    },
    /// The value may name a resource of the scan, but which one depends on a value the scan
    /// cannot see.
    Unknown,
    /// The value names nothing in the scan (an object outside it).
    Outside,
}

/// Which resource of the kinds `kinds` the attribute `n` of `from` designates (a reference, a
/// copied value or a literal equal to one of `idents`), and where that resource lives: for AWS
/// by [`aws_region_of`], for Azure and Google by its `location`/`region`.
pub fn designated<'a>(
    ctx: &Ctx<'a>,
    n: &Node,
    from: &Resource,
    kinds: &[&str],
    idents: &[&str],
) -> Designated<'a> {
    use crate::facts::links::{designates, Link};
    let mut unknown = false;
    for kind in kinds {
        for t in ctx.of_kind(kind) {
            match designates(n, from, t, idents) {
                Link::Yes => {
                    let region = if cloud_of(&t.kind) == Some(Cloud::Aws) {
                        aws_region_of(t)
                    } else {
                        util::set(t, "location")
                            .or_else(|| util::set(t, "region"))
                            .cloned()
                    };
                    return Designated::Resource {
                        resource: t,
                        region,
                    };
                }
                Link::Unknown => unknown = true,
                Link::No => {}
            }
        }
    }
    if unknown || n.is_unknown() {
        Designated::Unknown
    } else {
        Designated::Outside
    }
}

/// Where a resource lists the regions its data is replicated to: the list (a path of nested
/// attributes from the top), the item's key naming the region, and the name findings quote.
#[derive(Clone, Copy, Debug)]
pub struct ReplicaList {
    pub list: &'static [&'static str],
    pub region: &'static str,
    pub attr: &'static str,
}

impl ReplicaList {
    /// The list node, if the configuration sets it.
    pub fn on<'a>(&self, r: &'a Resource) -> Option<&'a Node> {
        let (first, rest) = self.list.split_first()?;
        rest.iter().try_fold(r.get(first)?, |n, k| n.child(k))
    }
}

/// The regions of an Azure Cosmos DB account: `geo_location[].location`,
/// `properties.locations[].locationName`.
pub const COSMOSDB_LOCATIONS: ByPlatform<ReplicaList> = ByPlatform::azure(
    ReplicaList {
        list: &["geo_location"],
        region: "location",
        attr: "geo_location.location",
    },
    ReplicaList {
        list: &["properties", "locations"],
        region: "locationName",
        attr: "properties.locations.locationName",
    },
);

/// Rules that each copy data to destinations: the list of rules (its `region` is the key of a
/// destination naming the region or the ARN), and each rule's list of destinations.
#[derive(Clone, Copy, Debug)]
pub struct RuleDestinations {
    pub rules: ReplicaList,
    pub destinations: &'static str,
}

/// ECR replication: the rules of `replication_configuration`, each with destinations that
/// name a region.
pub const ECR_REPLICATION: ByPlatform<RuleDestinations> = ByPlatform::aws(
    RuleDestinations {
        rules: ReplicaList {
            list: &["replication_configuration", "rule"],
            region: "region",
            attr: "replication_configuration.rule.destination.region",
        },
        destinations: "destination",
    },
    RuleDestinations {
        rules: ReplicaList {
            list: &["ReplicationConfiguration", "Rules"],
            region: "Region",
            attr: "Rules.Destinations.Region",
        },
        destinations: "Destinations",
    },
);

/// AWS Backup plans: each rule's copy actions name a destination vault by ARN.
pub const BACKUP_COPIES: ByPlatform<RuleDestinations> = ByPlatform::aws(
    RuleDestinations {
        rules: ReplicaList {
            list: &["rule"],
            region: "destination_vault_arn",
            attr: "rule.copy_action.destination_vault_arn",
        },
        destinations: "copy_action",
    },
    RuleDestinations {
        rules: ReplicaList {
            list: &["BackupPlan", "BackupPlanRule"],
            region: "DestinationBackupVaultArn",
            attr: "BackupPlanRule.CopyActions.DestinationBackupVaultArn",
        },
        destinations: "CopyActions",
    },
);

/// A top-level list of replicas, each naming its region.
#[derive(Clone, Copy, Debug)]
pub struct ReplicaBlock {
    pub block: &'static str,
    pub region: &'static str,
}

/// The replicas of a DynamoDB table: `replica[].region_name`; of a CloudFormation global table,
/// `Replicas[].Region` (the stack's own Region included).
pub const DYNAMODB_REPLICAS: ByPlatform<ReplicaBlock> = ByPlatform::aws(
    ReplicaBlock {
        block: "replica",
        region: "region_name",
    },
    ReplicaBlock {
        block: "Replicas",
        region: "Region",
    },
);

/// The replicas of a Secrets Manager secret: `replica[].region`, `ReplicaRegions[].Region`.
pub const SECRET_REPLICAS: ByPlatform<ReplicaBlock> = ByPlatform::aws(
    ReplicaBlock {
        block: "replica",
        region: "region",
    },
    ReplicaBlock {
        block: "ReplicaRegions",
        region: "Region",
    },
);

/// A resource ID naming a server whose location is where a copy is stored, read through the
/// server it designates in the scan: the attribute holding the IDs (`root`, then the path to
/// each ID), the name findings quote, and the kinds and identifying attributes of servers.
#[derive(Clone, Copy, Debug)]
pub struct PartnerIds {
    pub root: &'static str,
    pub path: &'static str,
    pub attr: &'static str,
    pub kinds: &'static [&'static str],
    pub idents: &'static [&'static str],
}

/// The partner servers of an Azure SQL failover group.
pub const SQL_FAILOVER_PARTNERS: ByPlatform<PartnerIds> = ByPlatform::azure(
    PartnerIds {
        root: "partner_server",
        path: "id",
        attr: "partner_server.id",
        kinds: &["azurerm_mssql_server"],
        idents: &["name"],
    },
    PartnerIds {
        root: "properties",
        path: "partnerServers.id",
        attr: "properties.partnerServers.id",
        kinds: &["Microsoft.Sql/servers"],
        idents: &["name"],
    },
);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // why: test code may fail loudly
    use super::*;
    use kijun_model::Origin;

    fn s(v: &str) -> Node {
        Node::string(v, Origin::new(0, 0, v.len()))
    }

    #[test]
    fn the_region_of_an_arn() {
        let r = arn_region(&s("arn:aws:backup:us-west-2:123456789012:backup-vault:dr")).unwrap();
        assert_eq!(r.as_str(), Some("us-west-2"));
        let r = arn_region(&s("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1")).unwrap();
        assert_eq!(r.as_str(), Some("us-gov-west-1"));
        // S3 bucket and IAM ARNs carry no region; other strings are no ARN.
        assert!(arn_region(&s("arn:aws:s3:::dr-bucket")).is_none());
        assert!(arn_region(&s("arn:aws:iam::123456789012:role/x")).is_none());
        assert!(arn_region(&s("us-west-2")).is_none());
        assert!(arn_region(&s("arn:aws:backup:us-west-2")).is_none());
    }
}
