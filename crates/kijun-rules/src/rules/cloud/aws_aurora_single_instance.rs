//! KJ-C6-002 `aws-aurora-single-instance`: Aurora clusters have more than one instance.
//!
//! An Aurora cluster with a single `aws_rds_cluster_instance` has no replica to fail over to: a
//! failure of that instance or its Availability Zone stops the database until a new instance is
//! created.
//!
//! The instances are found through the graph (`cluster_identifier = aws_rds_cluster.x.id`) or
//! by a literal `cluster_identifier` equal to the cluster's. A cluster whose instances are not in
//! the scan is not judged (absence is not evidence); Multi-AZ DB clusters
//! (`db_cluster_instance_class`) and Aurora Serverless v1 (`engine_mode = "serverless"`) manage
//! their capacity themselves and are skipped.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if util::set(r, "db_cluster_instance_class").is_some() {
        return;
    }
    if util::set(r, "engine_mode")
        .and_then(|m| m.as_str())
        .is_some_and(|m| m.eq_ignore_ascii_case("serverless"))
    {
        return;
    }
    let name = util::set(r, "cluster_identifier").and_then(|n| n.as_str());
    let mut instances = ctx.referring_to("aws_rds_cluster_instance", r);
    for i in ctx.of_kind("aws_rds_cluster_instance") {
        let literal =
            name.is_some() && i.get("cluster_identifier").and_then(|c| c.as_str()) == name;
        if literal && !instances.iter().any(|x| x.address == i.address) {
            instances.push(i);
        }
    }
    match instances.as_slice() {
        [] => {}
        [only] => {
            // `count`/`for_each` that could not be expanded leaves one `[*]` instance: the
            // number of instances is unknown, not one.
            if only.address.ends_with("[*]") {
                out.push(Hit {
                    not_evaluated: true,
                    ..Hit::missing(
                        r,
                        util::t(
                            format!("`{}` の `count`/`for_each` が静的に決まらず、インスタンス数を判定できません", only.address),
                            format!("the `count`/`for_each` of `{}` cannot be determined statically, so the number of instances is unknown", only.address),
                        ),
                    )
                });
                return;
            }
            out.push(Hit::missing(
                r,
                util::t(
                    format!("インスタンスは `{}` の 1 台だけです", only.address),
                    format!("its only instance is `{}`", only.address),
                ),
            ));
        }
        _ => {}
    }
}
