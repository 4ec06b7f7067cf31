//! KJ-N5-001 `aws-instance-public-ip`: an EC2 instance, launch template or launch configuration
//! that explicitly asks for a public IPv4 address.
//!
//! When the attribute is unset, the subnet's `map_public_ip_on_launch` decides; that is
//! KJ-N5-002's.

use crate::facts::platform::ByPlatform;
use crate::{util, Ctx, Hit};
use kijun_model::Node;
use kijun_model::Resource;

fn judge(n: &Node, attr: &str, out: &mut Vec<Hit>) {
    if n.is_unknown() {
        out.push(Hit::unknown(n, attr));
    } else if n.as_bool() == Some(true) {
        let is = util::is(attr, n);
        out.push(Hit::value(
            n,
            util::t(
                format!(
                    "{}。インスタンスにパブリック IPv4 アドレスが割り当てられます",
                    is.ja
                ),
                format!("{}, so the instance gets a public IPv4 address", is.en),
            ),
        ));
    }
}

/// CloudFormation: `NetworkInterfaces[].AssociatePublicIpAddress` of `AWS::EC2::Instance`, and
/// the same list in the `LaunchTemplateData` of `AWS::EC2::LaunchTemplate`.
fn cloudformation(r: &Resource, out: &mut Vec<Hit>) {
    let (nis, attr) = if r.kind == "AWS::EC2::LaunchTemplate" {
        (
            util::set(r, "LaunchTemplateData").and_then(|d| d.child("NetworkInterfaces")),
            "LaunchTemplateData.NetworkInterfaces.AssociatePublicIpAddress",
        )
    } else {
        (
            util::set(r, "NetworkInterfaces"),
            "NetworkInterfaces.AssociatePublicIpAddress",
        )
    };
    let Some(nis) = nis.filter(|n| !n.is_null()) else {
        return;
    };
    if nis.is_unknown() {
        out.push(Hit::unknown(nis, attr));
        return;
    }
    for ni in nis.items() {
        if let Some(n) = ni
            .child("AssociatePublicIpAddress")
            .filter(|n| !n.is_null())
        {
            judge(n, attr, out);
        }
    }
}

/// Terraform sets the address on the instance (or in the launch template's
/// `network_interfaces`); CloudFormation only per network interface: each has its reader.
const READ: ByPlatform<fn(&Resource, &mut Vec<Hit>)> = ByPlatform::aws(terraform, cloudformation);

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(r, out);
}

fn terraform(r: &Resource, out: &mut Vec<Hit>) {
    let attr = "associate_public_ip_address";
    if r.kind == "aws_launch_template" {
        let Some(nis) = util::set(r, "network_interfaces") else {
            return;
        };
        if nis.is_unknown() {
            out.push(Hit::unknown(nis, "network_interfaces"));
            return;
        }
        for ni in nis.items() {
            if let Some(n) = ni.child(attr).filter(|n| !n.is_null()) {
                judge(n, "network_interfaces.associate_public_ip_address", out);
            }
        }
        return;
    }
    if let Some(n) = util::set(r, attr) {
        judge(n, attr, out);
    }
}
