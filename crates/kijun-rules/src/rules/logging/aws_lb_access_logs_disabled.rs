//! KJ-L2-001 `aws-lb-access-logs-disabled`: a load balancer that does not write access logs.
//!
//! `aws_lb.access_logs.enabled` defaults to false even when a bucket is named;
//! `aws_elb.access_logs.enabled` defaults to true once the block is there. In CloudFormation an
//! `AWS::ElasticLoadBalancingV2::LoadBalancer` turns them on with the `LoadBalancerAttributes`
//! entry `access_logs.s3.enabled` (default "false"), a classic
//! `AWS::ElasticLoadBalancing::LoadBalancer` with `AccessLoggingPolicy.Enabled` (required).
//! Gateway Load Balancers have no access logs; Network Load Balancers write them only for TLS
//! listeners, so a Network Load Balancer is judged only when the scan shows such a listener on it.

use crate::facts::links::{designates, Link};
use crate::facts::logging::{is_true, key_value_entry, LB_ACCESS_LOGS_KEY, LB_LOGS};
use crate::facts::platform::ByPlatform;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

/// Terraform writes the logs as a block, CloudFormation as a list entry or a policy object:
/// each platform has its reader.
const READ: ByPlatform<fn(&Ctx, &Resource, &mut Vec<Hit>)> =
    ByPlatform::aws(terraform, cloudformation);

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(ctx, r, out);
}

/// Whether an ELB v2 load balancer can have access logs worth asking for: `false` for a
/// Gateway Load Balancer and for a Network Load Balancer without a TLS listener in the scan;
/// `None` (after reporting) when its type cannot be known.
fn logs_apply(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) -> Option<bool> {
    let names = LB_LOGS.of(r);
    match util::set(r, names.lb_type) {
        Some(t) if t.is_unknown() => {
            out.push(Hit::unknown(t, names.lb_type));
            None
        }
        Some(t) => match t.as_str().map(str::to_ascii_lowercase).as_deref() {
            Some("gateway") => Some(false),
            Some("network") => Some(has_tls_listener(ctx, r)),
            _ => Some(true),
        },
        // documented default on both platforms: "application"
        None => Some(true),
    }
}

fn terraform(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let classic = r.kind == "aws_elb";
    if !classic && logs_apply(ctx, r, out) != Some(true) {
        return;
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

fn cloudformation(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if r.kind == "AWS::ElasticLoadBalancing::LoadBalancer" {
        classic_policy(r, out);
        return;
    }
    if logs_apply(ctx, r, out) != Some(true) {
        return;
    }
    let attr = format!("LoadBalancerAttributes {LB_ACCESS_LOGS_KEY}");
    match key_value_entry(r.get("LoadBalancerAttributes"), LB_ACCESS_LOGS_KEY) {
        Err(n) => out.push(Hit::unknown(n, &attr)),
        Ok(Some(v)) if v.is_unknown() => out.push(Hit::unknown(v, &attr)),
        Ok(Some(v)) if is_true(v) => {}
        Ok(Some(v)) => out.push(Hit::value(v, util::is(&attr, v))),
        Ok(None) => out.push(Hit::missing(r, util::unset(&attr, "false"))),
    }
}

/// A classic load balancer: `AccessLoggingPolicy` with `Enabled: true`.
fn classic_policy(r: &Resource, out: &mut Vec<Hit>) {
    let policy = match util::set(r, "AccessLoggingPolicy") {
        Some(p) if p.is_unknown() => {
            out.push(Hit::unknown(p, "AccessLoggingPolicy"));
            return;
        }
        Some(p) => p,
        None => {
            out.push(Hit::missing(
                r,
                util::t(
                    "`AccessLoggingPolicy` が設定されていないため、アクセスログは記録されません",
                    "`AccessLoggingPolicy` is not set, so no access logs are written",
                ),
            ));
            return;
        }
    };
    match policy.child("Enabled").filter(|n| !n.is_null()) {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, "AccessLoggingPolicy.Enabled")),
        Some(n) if is_true(n) => {}
        Some(n) => out.push(Hit::value(n, util::is("AccessLoggingPolicy.Enabled", n))),
        // A required property: without it the policy turns nothing on.
        None => out.push(Hit::value(policy, util::missing("AccessLoggingPolicy.Enabled"))),
    }
}

/// Whether a listener in the scan serves TLS on this Network Load Balancer.
fn has_tls_listener(ctx: &Ctx, lb: &Resource) -> bool {
    let names = LB_LOGS.of(lb);
    names
        .listener_kinds
        .iter()
        .flat_map(|k| ctx.of_kind(k))
        .filter(|l| {
            util::set(l, names.listener_lb)
                .is_some_and(|a| designates(a, l, lb, &["arn"]) == Link::Yes)
        })
        .any(|l| {
            util::set(l, names.listener_protocol)
                .and_then(|p| p.as_str())
                .is_some_and(|p| p.eq_ignore_ascii_case("tls"))
        })
}
