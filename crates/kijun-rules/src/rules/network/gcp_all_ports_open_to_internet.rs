//! KJ-N2-003 `gcp-all-ports-open-to-internet`: VPC firewall rules that admit the whole internet to
//! every port, every protocol, or a port that is not a public (web) port.
//! The reading of the rules is shared with the other N1/N2 checks in [`super::net`].

use crate::facts::network as net;
use crate::{Ctx, Hit};
use kijun_model::Resource;

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    net::check_exposure(ctx, r, net::other_judge, out);
}
