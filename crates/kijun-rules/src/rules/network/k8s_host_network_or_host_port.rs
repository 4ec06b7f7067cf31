//! KJ-N7-103 `k8s-host-network-or-host-port`: a pod that shares the node's network namespace
//! (`hostNetwork: true`) or binds a container port on the node (`ports[].hostPort`).
//!
//! NetworkPolicies act on the pod network: Kubernetes leaves their behaviour for host-network pods
//! undefined (most plugins treat that traffic as the node's own), and a host port makes the pod
//! reachable wherever the node's address is. The Pod Security Standards' baseline profile forbids
//! both.

use crate::facts::k8s;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(spec) = k8s::pod_spec(r) else {
        return;
    };
    if let Some(n) = spec.child("hostNetwork") {
        if n.is_unknown() {
            out.push(Hit::unknown(n, "hostNetwork"));
        } else if n.as_bool() == Some(true) {
            out.push(Hit::value(
                n,
                util::t(
                    "`hostNetwork` が true のため、Pod がノードのネットワーク名前空間とアドレスを共有します（このような Pod に対する NetworkPolicy の動作は Kubernetes では未定義です）",
                    "`hostNetwork` is true, so the pod shares the node's network namespace and address (Kubernetes leaves NetworkPolicy behaviour for such pods undefined)",
                ),
            ));
        }
    }
    for c in k8s::containers(spec) {
        let cname = c
            .child("name")
            .and_then(|n| n.as_str())
            .unwrap_or("(unnamed)");
        for p in c.child("ports").map(|p| p.items()).unwrap_or_default() {
            let Some(hp) = p.child("hostPort").filter(|n| !n.is_null()) else {
                continue;
            };
            if hp.is_unknown() {
                out.push(Hit::unknown(hp, "hostPort"));
                continue;
            }
            // 0 is the API's "no host port".
            if hp.as_f64().is_some_and(|x| x == 0.0) {
                continue;
            }
            let v = hp.display();
            out.push(Hit::value(
                hp,
                util::t(
                    format!("コンテナ `{cname}` が `hostPort: {v}` により、ノードのアドレス上のポートで接続を受け付けます"),
                    format!("container `{cname}` accepts connections on the node's address through `hostPort: {v}`"),
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use crate::facts::k8s::build::*;
    use super::check;
    use crate::{Ctx, Settings};

    #[test]
    fn host_network_and_host_ports() {
        let pod = resource(
            "Pod",
            vec![(
                "spec",
                obj(vec![
                    ("hostNetwork", b(true)),
                    (
                        "containers",
                        list(vec![obj(vec![
                            ("name", s("a")),
                            (
                                "ports",
                                list(vec![
                                    obj(vec![("containerPort", n(80.0)), ("hostPort", n(0.0))]),
                                    obj(vec![("containerPort", n(53.0)), ("hostPort", n(53.0))]),
                                ]),
                            ),
                        ])]),
                    ),
                ]),
            )],
        );
        let settings = Settings::default();
        let ctx = Ctx::new(&[], &settings);
        let mut out = Vec::new();
        check(&ctx, &pod, &mut out);
        // hostNetwork and the one non-zero host port.
        assert_eq!(out.len(), 2);
    }
}
