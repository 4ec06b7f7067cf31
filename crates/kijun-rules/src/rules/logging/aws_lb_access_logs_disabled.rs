//! KJ-L2-001 `aws-lb-access-logs-disabled`: a load balancer that does not write access logs.
//!
//! `aws_lb.access_logs.enabled` defaults to false even when a bucket is named;
//! `aws_elb.access_logs.enabled` defaults to true once the block is there. Gateway Load Balancers
//! have no access logs; Network Load Balancers write them only for TLS listeners, so a Network Load
//! Balancer is judged only when the scan shows such a listener on it.

use crate::facts::links::{designates, Link};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let classic = r.kind == "aws_elb";
    if !classic {
        match util::set(r, "load_balancer_type") {
            Some(t) if t.is_unknown() => {
                out.push(Hit::unknown(t, "load_balancer_type"));
                return;
            }
            Some(t) => match t.as_str().map(str::to_ascii_lowercase).as_deref() {
                Some("gateway") => return,
                Some("network") if !has_tls_listener(ctx, r) => return,
                _ => {}
            },
            // documented default: "application"
            None => {}
        }
    }
    let blocks = match util::set(r, "access_logs") {
        Some(n) if n.is_unknown() => {
            out.push(Hit::unknown(n, "access_logs"));
            return;
        }
        Some(n) => n.items(),
        None => Vec::new(),
    };
    let Some(block) = blocks.first() else {
        out.push(Hit::missing(
            r,
            util::t(
                "`access_logs` ブロックが設定されていないため、アクセスログは記録されません",
                "`access_logs` is not set, so no access logs are written",
            ),
        ));
        return;
    };
    judge_enabled(block, classic, out);
}

fn judge_enabled(block: &Node, classic: bool, out: &mut Vec<Hit>) {
    if block.is_unknown() {
        out.push(Hit::unknown(block, "access_logs"));
        return;
    }
    match block.child("enabled").filter(|n| !n.is_null()) {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, "access_logs.enabled")),
        Some(n) if n.as_bool() == Some(false) => {
            out.push(Hit::value(n, util::is("access_logs.enabled", n)))
        }
        Some(_) => {}
        // why: for `aws_lb` the documented default is false "even when `bucket` is specified".
        None if !classic => out.push(Hit::value(
            block,
            util::unset("access_logs.enabled", "false"),
        )),
        // documented default for `aws_elb`: true
        None => {}
    }
}

/// Whether a listener in the scan serves TLS on this Network Load Balancer.
fn has_tls_listener(ctx: &Ctx, lb: &Resource) -> bool {
    ctx.of_kind("aws_lb_listener")
        .chain(ctx.of_kind("aws_alb_listener"))
        .filter(|l| {
            util::set(l, "load_balancer_arn")
                .is_some_and(|a| designates(a, l, lb, &["arn"]) == Link::Yes)
        })
        .any(|l| {
            util::set(l, "protocol")
                .and_then(|p| p.as_str())
                .is_some_and(|p| p.eq_ignore_ascii_case("tls"))
        })
}
