//! KJ-N10-001 `aws-sg-rule-without-description`: a security group rule (inline `ingress` /
//! `egress`, `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule` /
//! `_egress_rule`) without a description.
//!
//! A rule whose purpose is written next to it can be reviewed; an undocumented address range or
//! port cannot be told apart from a forgotten one.

use crate::util::described;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match r.kind.as_str() {
        "aws_security_group" | "aws_default_security_group" => {
            for dir in ["ingress", "egress"] {
                let Some(n) = util::set(r, dir) else {
                    continue;
                };
                if n.is_unknown() {
                    out.push(Hit::unknown(n, dir));
                    continue;
                }
                let attr = format!("{dir}.description");
                for b in n.items() {
                    if b.is_unknown() {
                        out.push(Hit::unknown(b, dir));
                        continue;
                    }
                    described(r, Some(b), b.child("description"), &attr, out);
                }
            }
        }
        // CloudFormation: inline rules of AWS::EC2::SecurityGroup, and the standalone
        // AWS::EC2::SecurityGroupIngress / AWS::EC2::SecurityGroupEgress.
        "AWS::EC2::SecurityGroup" => {
            for dir in ["SecurityGroupIngress", "SecurityGroupEgress"] {
                let Some(n) = util::set(r, dir) else {
                    continue;
                };
                if n.is_unknown() {
                    out.push(Hit::unknown(n, dir));
                    continue;
                }
                let attr = format!("{dir}.Description");
                for b in n.items() {
                    if b.is_unknown() {
                        out.push(Hit::unknown(b, dir));
                        continue;
                    }
                    described(r, Some(b), b.child("Description"), &attr, out);
                }
            }
        }
        "AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress" => {
            described(r, None, r.get("Description"), "Description", out)
        }
        _ => described(r, None, r.get("description"), "description", out),
    }
}
