//! KJ-N1-003 `gcp-admin-port-open-to-internet`: VPC firewall rules that admit the whole internet to
//! a remote-administration port.
//! The reading of the rules is shared with the other N1/N2 checks in [`super::net`].

use crate::facts::network as net;
use crate::{Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    net::check_exposure(ctx, r, net::admin_judge, out);
}
