//! KJ-E1-102 `k8s-ebs-storage-class-unencrypted`: a StorageClass that provisions Amazon EBS
//! volumes without encryption.
//!
//! The EBS CSI driver (and the in-tree `kubernetes.io/aws-ebs` provisioner it replaces) creates
//! volumes unencrypted unless the StorageClass parameter `encrypted` is "true"; its documented
//! default is false. Parameter names are case-insensitive for the driver.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// Provisioners that create EBS volumes and read the `encrypted` parameter.
const EBS: &[&str] = &[
    "ebs.csi.aws.com",
    "kubernetes.io/aws-ebs",
    "ebs.csi.eks.amazonaws.com",
];

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(prov) = r.get("provisioner").and_then(|p| p.as_str()) else {
        return;
    };
    if !EBS.contains(&prov) {
        return;
    }
    let param = r
        .get("parameters")
        .and_then(|p| p.as_object())
        .and_then(|m| {
            m.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("encrypted"))
                .map(|(_, v)| v)
        })
        .filter(|v| !v.is_null());
    match param {
        None => out.push(Hit::missing(
            r,
            util::unset("parameters.encrypted", "\"false\""),
        )),
        Some(v) if v.is_unknown() => out.push(Hit::unknown(v, "parameters.encrypted")),
        Some(v) if v.as_bool() == Some(true) => {}
        Some(v) => out.push(Hit::value(v, util::is("parameters.encrypted", v))),
    }
}
