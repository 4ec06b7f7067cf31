//! KJ-C6-005 `aws-lb-single-subnet`: load balancers are placed in more than one subnet
//! (Availability Zone).
//!
//! A load balancer with a single subnet (possible for Network and Gateway Load Balancers;
//! Application Load Balancers require two) has one Availability Zone: when it fails, the service
//! behind it is unreachable. `subnets` and `subnet_mapping` blocks are counted; the count is known
//! even when the IDs are not.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // `subnets` and `subnet_mapping` are optional and computed: in a plan, the one the
    // configuration does not write is "known after apply" and must not hide the other.
    let known_mapping = util::set(r, "subnet_mapping").is_some_and(|n| !n.is_unknown());
    if let Some(n) = util::set(r, "subnets").filter(|n| !(n.is_unknown() && known_mapping)) {
        if n.is_unknown() {
            out.push(Hit::unknown(n, "subnets"));
            return;
        }
        if n.as_list().is_some_and(|l| l.len() == 1) {
            out.push(Hit::value(
                n,
                util::t(
                    "`subnets` の要素が 1 つだけで、単一のアベイラビリティゾーンにしか配置されません",
                    "`subnets` has a single entry: the load balancer sits in one Availability Zone only",
                ),
            ));
        }
        return;
    }
    if let Some(n) = util::set(r, "subnet_mapping") {
        if n.is_unknown() {
            out.push(Hit::unknown(n, "subnet_mapping"));
            return;
        }
        if n.items().len() == 1 {
            out.push(Hit::value(
                n,
                util::t(
                    "`subnet_mapping` ブロックが 1 つだけで、単一のアベイラビリティゾーンにしか配置されません",
                    "a single `subnet_mapping` block: the load balancer sits in one Availability Zone only",
                ),
            ));
        }
    }
}
