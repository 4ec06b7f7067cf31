//! KJ-L3-001 `aws-log-group-retention`: CloudWatch log groups keep logs for a defined, long enough
//! period.

use crate::facts::logging::LOG_GROUP_RETENTION;
use crate::{util, Ctx, Hit};
use kijun_model::{format_number, Resource};

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let min = ctx.settings.min_retention_days;
    // CloudFormation (`AWS::Logs::LogGroup`) calls it `RetentionInDays`; unset also means the
    // events never expire.
    let attr = LOG_GROUP_RETENTION.of(r);
    let Some(n) = util::set(r, attr) else {
        // why: 第132条第2項 asks for a defined retention period; an unset value means "never
        // expire", which is no decision at all, so it is reported as undefined.
        out.push(Hit::missing(
            r,
            util::unset_t(
                attr,
                "無期限、保存期間の定めなし",
                "never expire, no retention period defined",
            ),
        ));
        return;
    };
    if n.is_unknown() {
        out.push(Hit::unknown(n, attr));
        return;
    }
    match n.as_f64() {
        Some(d) if d <= 0.0 => out.push(Hit::value(
            n,
            util::t(
                format!("`{attr}` が 0（無期限）で、保存期間が定められていません"),
                format!("`{attr}` is 0 (never expire): no retention period is defined"),
            ),
        )),
        Some(d) if d < min => out.push(Hit::value(
            n,
            util::t(
                format!(
                    "`{attr}` が {} 日で、必要な {} 日に足りません",
                    format_number(d),
                    format_number(min)
                ),
                format!(
                    "`{attr}` is {} days, below the required {} days",
                    format_number(d),
                    format_number(min)
                ),
            ),
        )),
        _ => {}
    }
}
