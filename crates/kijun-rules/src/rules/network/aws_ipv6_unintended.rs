//! KJ-N13-001 `aws-ipv6-unintended`: IPv6 switched on in AWS networking when the configuration
//! does not declare IPv6 as intended.
//!
//! In configuration, IPv6 is "not intended" unless the project declares it (`ipv6_intended`); every
//! setting that assigns IPv6 addresses or answers over IPv6 is then a finding, at every
//! classification level.
//!
//! CloudFront's `is_ipv6_enabled` / `IPV6Enabled` is not judged: it lets viewers reach the
//! CDN's edge locations over IPv6, outside the organisation's networks. Art. 117(2) and 118
//! concern IPv6 in the networks the organisation runs (where IPv6 could pass by filters written
//! for IPv4); the edge is AWS's, and what it forwards to the origin is filtered at the origin as
//! any other traffic.

use crate::facts::ipv6::{flag_set, flag_true, flag_value};
use crate::{util, Ctx, Hit};
use kijun_model::{Platform, Resource};


pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if ctx.settings.ipv6_intended {
        return;
    }
    match r.kind.as_str() {
        "aws_vpc" => {
            flag_true(r, "assign_generated_ipv6_cidr_block", out);
            // why: in a plan `ipv6_cidr_block` is computed, so it is unknown on every VPC; the
            // block is only assigned when the settings judged beside it ask for one.
            let computed = r.platform == Platform::TerraformPlan
                && util::set(r, "ipv6_cidr_block").is_some_and(|n| n.is_unknown());
            if !computed {
                flag_set(r, "ipv6_cidr_block", out);
            }
            flag_set(r, "ipv6_ipam_pool_id", out);
        }
        "aws_vpc_ipv6_cidr_block_association" => out.push(Hit::missing(
            r,
            util::t(
                "VPC に IPv6 CIDR ブロックを関連付けています",
                "associates an IPv6 CIDR block with the VPC",
            ),
        )),
        "aws_subnet" => {
            flag_set(r, "ipv6_cidr_block", out);
            flag_set(r, "ipv6_ipam_pool_id", out);
            flag_true(r, "assign_ipv6_address_on_creation", out);
            flag_true(r, "ipv6_native", out);
        }
        "aws_lb" | "aws_alb" => flag_value(
            r,
            "ip_address_type",
            &["dualstack", "dualstack-without-public-ipv4"],
            out,
        ),
        // CloudFormation: an IPv6 block is associated through AWS::EC2::VPCCidrBlock, which
        // also adds secondary IPv4 blocks; only its IPv6 settings count.
        "AWS::EC2::VPCCidrBlock" => {
            flag_true(r, "AmazonProvidedIpv6CidrBlock", out);
            flag_set(r, "Ipv6CidrBlock", out);
            flag_set(r, "Ipv6IpamPoolId", out);
            flag_set(r, "Ipv6Pool", out);
        }
        "AWS::EC2::Subnet" => {
            flag_set(r, "Ipv6CidrBlock", out);
            flag_set(r, "Ipv6IpamPoolId", out);
            flag_true(r, "AssignIpv6AddressOnCreation", out);
            flag_true(r, "Ipv6Native", out);
        }
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => flag_value(
            r,
            "IpAddressType",
            &["dualstack", "dualstack-without-public-ipv4"],
            out,
        ),
        _ => {}
    }
}
