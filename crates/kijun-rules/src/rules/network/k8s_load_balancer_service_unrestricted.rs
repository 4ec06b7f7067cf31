//! KJ-N6-101 `k8s-load-balancer-service-unrestricted`: a Service of `type: LoadBalancer` that
//! the cloud exposes to the internet without limiting the client addresses.
//!
//! A `LoadBalancer` Service that is not internal gets a public address; without
//! `spec.loadBalancerSourceRanges` (or the older annotation
//! `service.beta.kubernetes.io/load-balancer-source-ranges`) the cloud lets any address in.

use crate::facts::k8s;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

/// Annotations that make the cloud provision an internal load balancer, with the value that
/// does so (compared without case; `None` = any non-empty value). From the Kubernetes Service
/// documentation ("Internal load balancer") and the GKE legacy annotation.
const INTERNAL: &[(&str, Option<&str>)] = &[
    ("networking.gke.io/load-balancer-type", Some("Internal")),
    ("cloud.google.com/load-balancer-type", Some("Internal")),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        Some("true"),
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        Some("internal"),
    ),
    (
        "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type",
        Some("private"),
    ),
    (
        "service.beta.kubernetes.io/openstack-internal-load-balancer",
        Some("true"),
    ),
    (
        "service.beta.kubernetes.io/cce-load-balancer-internal-vpc",
        Some("true"),
    ),
    (
        "service.kubernetes.io/qcloud-loadbalancer-internal-subnetid",
        None,
    ),
    (
        "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type",
        Some("intranet"),
    ),
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        Some("true"),
    ),
];

const AWS_INTERNAL: &str = "service.beta.kubernetes.io/aws-load-balancer-internal";
const AWS_SCHEME: &str = "service.beta.kubernetes.io/aws-load-balancer-scheme";
const AWS_TYPE: &str = "service.beta.kubernetes.io/aws-load-balancer-type";
const SOURCE_RANGES: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

/// Whether the annotations make the cloud provision an internal load balancer.
fn internal(r: &Resource) -> bool {
    for (key, want) in INTERNAL {
        if let Some(v) = k8s::annotation_text(r, key) {
            let v = v.trim();
            let hit = match want {
                Some(w) => v.eq_ignore_ascii_case(w),
                None => !v.is_empty(),
            };
            if hit {
                return true;
            }
        }
    }
    // The in-tree AWS cloud provider makes the ELB internal for any value but "false"
    // (old manifests write "0.0.0.0/0" here).
    if let Some(v) = k8s::annotation_text(r, AWS_INTERNAL) {
        let v = v.trim();
        if !v.is_empty() && !v.eq_ignore_ascii_case("false") {
            return true;
        }
    }
    // The AWS Load Balancer Controller (v2.2.0+) provisions an internal NLB unless the scheme
    // annotation says internet-facing; it handles the Service when the type annotation is
    // `external` / `nlb-ip` or the class is `service.k8s.aws/nlb`.
    let lbc = k8s::annotation_text(r, AWS_TYPE)
        .is_some_and(|t| matches!(t.trim(), "external" | "nlb-ip"))
        || r.get("spec")
            .and_then(|s| s.child("loadBalancerClass"))
            .and_then(|c| c.as_str())
            == Some("service.k8s.aws/nlb");
    lbc && k8s::annotation(r, AWS_SCHEME).is_none()
}

/// The service ports (`spec.ports[].port`).
fn ports(spec: &Node) -> Vec<u32> {
    spec.child("ports")
        .map(|p| p.items())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.child("port").and_then(|n| n.as_f64()))
        .map(|x| x as u32)
        .collect()
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(spec) = r.get("spec") else {
        return;
    };
    let Some(ty) = spec.child("type") else {
        return;
    };
    if ty.as_str() != Some("LoadBalancer") || internal(r) {
        return;
    }
    let ports = ports(spec);
    // why: a web service meant to be public may be open to everyone on the public ports (as
    // KJ-N2-*); at confidentiality 3 no internet endpoint is acceptable (第47条第6項第1号).
    let only_public =
        !ports.is_empty() && ports.iter().all(|p| ctx.settings.public_ports.contains(p));
    let grade = |h: Hit| if only_public { h.at_level(3) } else { h };
    let listed = ports
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let ranges = spec
        .child("loadBalancerSourceRanges")
        .filter(|n| !n.items().is_empty());
    match ranges {
        Some(list) => {
            for n in list.items() {
                if n.is_unknown() {
                    out.push(Hit::unknown(n, "spec.loadBalancerSourceRanges"));
                } else if n.as_str().is_some_and(util::is_world) {
                    out.push(grade(Hit::value(
                        n,
                        util::t(
                            format!("`spec.loadBalancerSourceRanges` に {} が含まれ、インターネット上のすべてのアドレスからポート {listed} に接続できます", n.display()),
                            format!("`spec.loadBalancerSourceRanges` contains {}, so every internet address can reach port(s) {listed}", n.display()),
                        ),
                    )));
                }
            }
        }
        None => match k8s::annotation(r, SOURCE_RANGES) {
            // why: the API server copies this older annotation's ranges only when the spec
            // field is empty; the cloud providers read either.
            Some(a) if a.as_str().is_some_and(|s| !s.trim().is_empty()) => {
                let text = a.as_str().unwrap_or("");
                if let Some(w) = text.split(',').map(str::trim).find(|s| util::is_world(s)) {
                    out.push(grade(Hit::value(
                        a,
                        util::t(
                            format!("注釈 `{SOURCE_RANGES}` に {w} が含まれ、インターネット上のすべてのアドレスからポート {listed} に接続できます"),
                            format!("annotation `{SOURCE_RANGES}` contains {w}, so every internet address can reach port(s) {listed}"),
                        ),
                    )));
                }
            }
            _ => out.push(grade(Hit::value(
                ty,
                util::t(
                    format!("`spec.loadBalancerSourceRanges` が設定されていないため、内部ロードバランサーの注釈のないこの Service はインターネット上のすべてのアドレス（0.0.0.0/0）からポート {listed} で接続を受け付けます"),
                    format!("`spec.loadBalancerSourceRanges` is not set, so this Service, with no internal load balancer annotation, accepts connections on port(s) {listed} from every internet address (0.0.0.0/0)"),
                ),
            ))),
        },
    }
}
