//! KJ-L5-001 `aws-cloudtrail-not-sent-to-cloudwatch`: a CloudTrail trail that is not delivered
//! to CloudWatch Logs.
//!
//! A trail that only writes files to S3 has no such function attached; delivered to a CloudWatch
//! Logs log group it can feed metric filters and alarms. Analysis built elsewhere (a SIEM reading
//! the bucket) is not visible here and is handled as an exception.

use crate::facts::logging::CLOUDTRAIL_LOG_GROUP;
use crate::facts::keys::{key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // CloudFormation (`AWS::CloudTrail::Trail`) spells the attribute `CloudWatchLogsLogGroupArn`.
    let attr = CLOUDTRAIL_LOG_GROUP.of(r);
    match key_ref(r.get(attr)) {
        KeyRef::Set(_) => {}
        KeyRef::Unknown(n) => out.push(Hit::unknown(n, attr)),
        KeyRef::Unset => out.push(Hit::missing(
            r,
            util::t(
                format!("`{attr}` が設定されていないため、証跡は CloudWatch Logs に配信されず、メトリクスフィルターやアラームで分析できません"),
                format!("`{attr}` is not set; the trail is not delivered to CloudWatch Logs, where metric filters and alarms could analyse it"),
            ),
        )),
    }
}
