//! KJ-C2-008 `kms-replica-key-region-not-allowed`: KMS multi-Region replica keys are created only
//! in allowed regions.

use crate::facts::platform::ByPlatform;
use crate::facts::regions as region;
use crate::{Ctx, Hit};
use kijun_model::{Node, Resource};

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // why: 第64条第2項第2号: a replica key shares the primary's key material, so the key that
    // protects the information is kept in a second region, the one the replica is created in.
    (READ.of(r))(ctx, r, out);
}

/// Terraform creates the replica in its provider's region; a CloudFormation template does not
/// name the region its stack is deployed to.
const READ: ByPlatform<fn(&Ctx, &Resource, &mut Vec<Hit>)> =
    ByPlatform::aws(region::judge_aws_region, stack_region);

fn stack_region(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let n = Node::unknown(
        kijun_model::text!("レプリカキーはスタックをデプロイするリージョンに作成されますが、テンプレートはそのリージョンを示していません", "the replica key is created in the region the stack is deployed to, which the template does not name"),
        r.at,
    );
    out.push(Hit::unknown(&n, "Region"));
}
