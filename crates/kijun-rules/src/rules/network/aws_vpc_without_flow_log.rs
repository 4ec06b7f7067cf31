//! KJ-N9-001 `aws-vpc-without-flow-log`: a VPC that no `aws_flow_log` in the configuration
//! captures through `vpc_id`. Flow logs of single subnets or network interfaces do not count for
//! the VPC, since traffic elsewhere in it stays unrecorded.
//!
//! VPC flow logs are the record of that traffic.

use crate::facts::links::require_attachment;
use crate::facts::logging::{Attachment, VPC_FLOW_LOG};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // CloudFormation: an AWS::EC2::FlowLog whose `ResourceId` refers to the AWS::EC2::VPC.
    let Attachment { kind, attr } = VPC_FLOW_LOG.of(r);
    require_attachment(
        ctx,
        r,
        (&[kind], attr),
        ("この VPC のフローログがある", "this VPC has a flow log"),
        util::t(
            format!("この VPC を `{attr}` で指定する `{kind}` が構成内にありません"),
            format!("no `{kind}` in the configuration names this VPC in `{attr}`"),
        ),
        out,
    );
}
