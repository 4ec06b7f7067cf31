//! KJ-C6-004 `aws-autoscaling-group-single-az`: Auto Scaling groups span more than one subnet
//! (Availability Zone).
//!
//! A group launched into a single subnet, or a single Availability Zone, stops serving when that
//! zone fails. The number of entries is judged even when the subnet IDs themselves are known only
//! after apply.

use crate::facts::availability::{ASG_SUBNETS, ASG_ZONES};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // Both attributes are optional and computed: in a plan, the one the configuration does not
    // write is "known after apply". A known one decides; an unknown one only when neither is known.
    let attrs = [ASG_SUBNETS.of(r), ASG_ZONES.of(r)];
    let known = attrs
        .iter()
        .find(|a| util::set(r, a).is_some_and(|n| !n.is_unknown()));
    if known.is_none() {
        if let Some((a, n)) = attrs.iter().find_map(|a| util::set(r, a).map(|n| (a, n))) {
            out.push(Hit::unknown(n, a));
        }
        return;
    }
    if let Some(attr) = known {
        let Some(n) = util::set(r, attr) else {
            return;
        };
        let Some(list) = n.as_list() else {
            return;
        };
        if list.len() == 1 {
            out.push(Hit::value(
                n,
                util::t(
                    format!("`{attr}` の要素が 1 つだけで、単一のアベイラビリティゾーンでしか起動しません"),
                    format!("`{attr}` has a single entry: instances run in one Availability Zone only"),
                ),
            ));
        }
    }
}
