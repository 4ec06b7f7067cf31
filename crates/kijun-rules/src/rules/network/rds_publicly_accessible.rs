//! KJ-N4-001 `rds-publicly-accessible`: Terraform `publicly_accessible` (provider default false)
//! and CloudFormation `AWS::RDS::DBInstance` `PubliclyAccessible`.
//!
//! CloudFormation sends no value when `PubliclyAccessible` is unset, and RDS then decides
//! (CreateDBInstance, `PubliclyAccessible`): the instance is public when the VPC of its DB subnet
//! group (or the default VPC, without a subnet group) has an internet gateway attached. The
//! template often shows that chain (subnet group → subnets → VPC → gateway attachment), so it is
//! followed; where it leaves the template the value cannot be known.

use crate::declarative::run_all;
use crate::{catalogue::Declarative, util, Ctx, Hit};
use kijun_model::{Node, Resource, Text, Value};
use std::sync::OnceLock;

fn specs() -> &'static [Declarative] {
    static S: OnceLock<Vec<Declarative>> = OnceLock::new();
    S.get_or_init(|| {
        vec![
            Declarative::on(&["aws_db_instance", "aws_rds_cluster_instance"], "publicly_accessible")
                .equals(false)
                .unset_means(false),
        ]
    })
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    run_all(specs(), r, out);
    if r.kind != "AWS::RDS::DBInstance" {
        return;
    }
    match util::set(r, "PubliclyAccessible") {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, "PubliclyAccessible")),
        Some(n) if n.as_bool() == Some(true) => {
            out.push(Hit::value(n, util::is("PubliclyAccessible", n)))
        }
        Some(_) => {}
        None => default_access(ctx, r, out),
    }
}

/// Logical ids a value refers to (`!Ref X`, `!GetAtt X.Y`).
fn refs(n: &Node) -> Vec<&str> {
    match &n.value {
        Value::Unknown(u) => u.refs.iter().map(|s| &**s).collect(),
        _ => Vec::new(),
    }
}

/// Resources of `kind` that `n` refers to.
fn targets<'a>(ctx: &Ctx<'a>, kind: &str, n: &Node) -> Vec<&'a Resource> {
    let ids = refs(n);
    ctx.of_kind(kind)
        .filter(|t| ids.iter().any(|id| *id == t.address))
        .collect()
}

/// What the template tells about the DB subnet group's VPC.
enum Vpc<'a> {
    /// The VPC is in the template and an internet gateway is attached to it there.
    Gateway(&'a Resource),
    /// The VPC is in the template and no internet gateway is attached to it there.
    Private,
    /// The chain leaves the template (a literal name or id, a parameter, an import).
    Outside,
}

fn subnet_group_vpc<'a>(ctx: &Ctx<'a>, group: &Node) -> Vpc<'a> {
    let groups = targets(ctx, "AWS::RDS::DBSubnetGroup", group);
    let mut vpcs: Vec<&Resource> = Vec::new();
    for g in &groups {
        let subnets = util::set(g, "SubnetIds")
            .map(|n| n.items())
            .unwrap_or_default();
        for s in subnets {
            for subnet in targets(ctx, "AWS::EC2::Subnet", s) {
                if let Some(v) = util::set(subnet, "VpcId") {
                    vpcs.extend(targets(ctx, "AWS::EC2::VPC", v));
                }
            }
        }
    }
    if vpcs.is_empty() {
        return Vpc::Outside;
    }
    for vpc in vpcs {
        let attached = ctx
            .of_kind("AWS::EC2::VPCGatewayAttachment")
            .filter(|a| util::set(a, "InternetGatewayId").is_some())
            .any(|a| {
                util::set(a, "VpcId").is_some_and(|v| refs(v).iter().any(|id| *id == vpc.address))
            });
        if attached {
            return Vpc::Gateway(vpc);
        }
    }
    Vpc::Private
}

fn default_access(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // An Aurora instance is placed in its cluster's DB subnet group.
    let group = util::set(r, "DBSubnetGroupName").or_else(|| {
        let cluster = util::set(r, "DBClusterIdentifier")?;
        targets(ctx, "AWS::RDS::DBCluster", cluster)
            .into_iter()
            .find_map(|c| util::set(c, "DBSubnetGroupName"))
    });
    let not_evaluated = |detail: Text| Hit {
        not_evaluated: true,
        ..Hit::missing(r, detail)
    };
    let Some(group) = group else {
        out.push(not_evaluated(util::t(
            "`PubliclyAccessible` と `DBSubnetGroupName` が設定されていないため、RDS は既定の VPC にインターネットゲートウェイが接続されていれば DB インスタンスを公開します。既定の VPC の構成は静的には判定できません",
            "neither `PubliclyAccessible` nor `DBSubnetGroupName` is set, so RDS makes the DB instance public when the default VPC has an internet gateway attached, which cannot be seen statically",
        )));
        return;
    };
    match subnet_group_vpc(ctx, group) {
        Vpc::Gateway(vpc) => out.push(Hit::missing(
            r,
            Text::new(
                format!("`PubliclyAccessible` が設定されていないため、DB サブネットグループの VPC `{}` にインターネットゲートウェイが接続されていることから、RDS は DB インスタンスを公開します", vpc.address),
                format!("`PubliclyAccessible` is not set, and the VPC `{}` of the DB subnet group has an internet gateway attached, so RDS makes the DB instance public", vpc.address),
            ),
        )),
        Vpc::Private => {}
        Vpc::Outside => out.push(not_evaluated(util::t(
            "`PubliclyAccessible` が設定されていないため、RDS は DB サブネットグループの VPC にインターネットゲートウェイが接続されていれば DB インスタンスを公開します。その VPC はテンプレート内にないため、静的には判定できません",
            "`PubliclyAccessible` is not set, so RDS makes the DB instance public when the VPC of its DB subnet group has an internet gateway attached; that VPC is not in the template, so this cannot be seen statically",
        ))),
    }
}
