//! KJ-E2-101 `k8s-image-not-pinned-by-digest`: a container image referenced by a tag (or by
//! nothing, which means `latest`) instead of an immutable digest.
//!
//! A tag is a movable name: whoever can push to the registry can make the same manifest run
//! different code. A digest (`@sha256:…`) names the exact image content, so the cluster runs what
//! was reviewed (CONTROLS.md E2).

use crate::facts::{k8s, placeholder};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// The digest of an image reference (`name@sha256:<64 hex>`), when it has a well-formed one.
pub fn digest(image: &str) -> Option<&str> {
    let (_, d) = image.rsplit_once('@')?;
    let (alg, hex) = d.split_once(':')?;
    let ok = match alg {
        "sha256" => hex.len() == 64,
        "sha512" => hex.len() == 128,
        _ => false,
    };
    (ok && hex.chars().all(|c| c.is_ascii_hexdigit())).then_some(d)
}

/// The tag of an image reference without digest: what follows the last `:` after the last
/// `/` (a `:` before it is a registry port).
pub fn tag(image: &str) -> Option<&str> {
    let last = image.rsplit('/').next().unwrap_or(image);
    last.rsplit_once(':').map(|(_, t)| t)
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let Some(spec) = k8s::pod_spec(r) else {
        return;
    };
    for c in k8s::containers(spec) {
        let Some(img) = c.child("image").filter(|n| !n.is_null()) else {
            continue;
        };
        if img.is_unknown() {
            out.push(Hit::unknown(img, "image"));
            continue;
        }
        if let Some(h) = placeholder::not_a_value(img, "image") {
            out.push(h);
            continue;
        }
        let Some(s) = img.as_str() else {
            continue;
        };
        if digest(s).is_some() {
            continue;
        }
        let v = img.display();
        let detail = match tag(s) {
            None => util::t(
                format!("`image` が {v} で、タグもダイジェストもないため `latest` タグが使われます（タグは別のイメージに付け替えられます）"),
                format!("`image` is {v}, with neither tag nor digest, so the `latest` tag is used (a tag can be moved to another image)"),
            ),
            Some("latest") => util::t(
                format!("`image` が {v} で、常に最新のイメージを指す `latest` タグを使っています（ダイジェスト `@sha256:` で固定されていません）"),
                format!("`image` is {v}, the `latest` tag that always points at the newest push (not pinned by a `@sha256:` digest)"),
            ),
            Some(_) => util::t(
                format!("`image` が {v} で、ダイジェスト `@sha256:` で固定されていません（タグは別のイメージに付け替えられます）"),
                format!("`image` is {v}, not pinned by a `@sha256:` digest (a tag can be moved to another image)"),
            ),
        };
        out.push(Hit::value(img, detail));
    }
}

#[cfg(test)]
mod tests {
    use super::{digest, tag};

    #[test]
    fn references() {
        let d = "sha256:2f1e5f7e3c1a4b6d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5";
        assert!(digest(&format!("nginx@{d}")).is_some());
        assert!(digest(&format!("registry.example.jp:5000/app:1.2@{d}")).is_some());
        assert!(digest("nginx@sha256:abc").is_none());
        assert_eq!(tag("nginx"), None);
        assert_eq!(tag("nginx:1.25"), Some("1.25"));
        assert_eq!(tag("registry.example.jp:5000/team/app"), None);
        assert_eq!(
            tag("registry.example.jp:5000/team/app:latest"),
            Some("latest")
        );
    }
}
