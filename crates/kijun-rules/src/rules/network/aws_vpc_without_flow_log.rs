//! KJ-N9-001 `aws-vpc-without-flow-log`: a VPC that no `aws_flow_log` in the configuration
//! captures through `vpc_id`. Flow logs of single subnets or network interfaces do not count for
//! the VPC, since traffic elsewhere in it stays unrecorded.
//!
//! VPC flow logs are the record of that traffic.

use crate::facts::links::{reference_to, Link};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let mut maybe = None;
    for fl in ctx.of_kind("aws_flow_log") {
        match reference_to(fl.get("vpc_id"), r) {
            Link::Yes => return,
            Link::Unknown => {
                maybe.get_or_insert(fl);
            }
            Link::No => {}
        }
    }
    if let Some(fl) = maybe {
        out.push(Hit {
            not_evaluated: true,
            ..Hit::missing(
                r,
                util::t(
                    format!("`{}` の `vpc_id` が静的に決定できないため、この VPC のフローログがあるか判定できません", fl.address),
                    format!("the `vpc_id` of `{}` cannot be determined statically, so whether this VPC has a flow log cannot be judged", fl.address),
                ),
            )
        });
        return;
    }
    out.push(Hit::missing(
        r,
        util::t(
            "この VPC を `vpc_id` で指定する `aws_flow_log` が構成内にありません",
            "no `aws_flow_log` in the configuration names this VPC in `vpc_id`",
        ),
    ));
}
