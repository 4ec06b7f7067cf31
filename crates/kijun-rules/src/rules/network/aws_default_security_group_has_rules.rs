//! KJ-N3-001 `aws-default-security-group-has-rules`: the default security group of a VPC carries
//! rules, inline on `aws_default_security_group` or through standalone rule resources attached to
//! it.
//!
//! Every resource launched without an explicit security group lands in the VPC's default group, so
//! the access control only holds if that group admits nothing: Terraform removes AWS's default
//! rules when it adopts the group, and any rule written back is a deliberate opening of the
//! catch-all group.

use crate::{util, Ctx, Hit};
use kijun_model::{Resource, Value};

fn default_sg_rule_text(dir: &str) -> kijun_model::Text {
    util::t(
        format!("既定のセキュリティグループに `{dir}` ルールが定義されています"),
        format!("the default security group has an `{dir}` rule"),
    )
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if r.kind == "aws_default_security_group" {
        for dir in ["ingress", "egress"] {
            let Some(n) = util::set(r, dir) else {
                continue;
            };
            if n.is_unknown() {
                out.push(Hit::unknown(n, dir));
                continue;
            }
            for b in n.items() {
                if b.is_unknown() {
                    out.push(Hit::unknown(b, dir));
                } else {
                    out.push(Hit::value(b, default_sg_rule_text(dir)));
                }
            }
        }
        return;
    }
    // A standalone rule (aws_security_group_rule, aws_vpc_security_group_*_rule) whose
    // security_group_id names the default group.
    let Some(sg) = util::set(r, "security_group_id") else {
        return;
    };
    let Value::Unknown(u) = &sg.value else {
        // A literal group id: whether it is a default group cannot be seen in the configuration.
        return;
    };
    let names_default_resource = u.refs.iter().any(|x| {
        ctx.of_kind("aws_default_security_group")
            .any(|d| &**x == crate::strip_instance_key(&d.address))
    });
    // why: `aws_vpc.x.default_security_group_id` is the default group, too; the evaluator keeps
    // the referenced attribute only in the reason text of the unknown value.
    let names_vpc_default = u.reason.contains(".default_security_group_id");
    if !(names_default_resource || names_vpc_default) {
        return;
    }
    let dir = match r.kind.as_str() {
        "aws_vpc_security_group_ingress_rule" => "ingress",
        "aws_vpc_security_group_egress_rule" => "egress",
        _ => match util::set(r, "type") {
            Some(t) if t.is_unknown() => "ingress/egress",
            Some(t) => match t.as_str() {
                Some(s) if s.eq_ignore_ascii_case("egress") => "egress",
                _ => "ingress",
            },
            None => "ingress",
        },
    };
    out.push(Hit::value(
        sg,
        util::t(
            format!("`security_group_id` が既定のセキュリティグループを指しており、既定のセキュリティグループに `{dir}` ルールを追加しています"),
            format!("`security_group_id` names the default security group, so this adds an `{dir}` rule to it"),
        ),
    ));
}
