//! KJ-N10-003 `gcp-firewall-without-description`: a VPC firewall rule without a description.

use crate::util::described;
use crate::{Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    described(r, None, r.get("description"), "description", out);
}
