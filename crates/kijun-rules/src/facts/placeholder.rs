//! Template placeholders: text a sample or a template leaves for the user to fill in
//! (`"<image_url>"`, `"<YOUR-CONTAINER>"`, `"[Application_Insights_Key]"`, `"${IMAGE}"`,
//! `"{{ .Values.image }}"`). They are not values: a rule that judged `"<image_url>"` as an
//! image "without a tag, so `latest`" would report what the author never wrote. Every rule that
//! reads such a value as data asks [`not_a_value`] first and reports the place as not evaluated,
//! never as a pass and never as a finding.

use crate::{util, Hit};
use kijun_model::Node;

/// Whether `s` is an unrendered placeholder rather than a value.
///
/// Recognised markers, none of which can appear in the values they stand for (image
/// references, region codes, CIDR blocks, key identifiers):
/// - `<…>` anywhere (`<image_url>`, `<registry>/app:1.0`, `<YOUR-CONTAINER>`);
/// - `${…}` (envsubst, shell and CI templates; Terraform interpolation never reaches a rule as
///   text, and CloudFormation `Fn::Sub` is evaluated by its front end);
/// - `{{…}}` (Helm, Go, Jinja and Mustache templates);
/// - the whole value in square brackets around a plain name (`[Application_Insights_Key]`),
///   which is not an ARM template expression (those call a function: `[parameters('x')]`).
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    if let Some(open) = t.find('<') {
        if t.get(open + 1..).is_some_and(|rest| {
            rest.find('>')
                .is_some_and(|close| close > 0 && !rest[..close].contains('<'))
        }) {
            return true;
        }
    }
    if t.find("${")
        .is_some_and(|i| t.get(i + 2..).is_some_and(|r| r.contains('}')))
    {
        return true;
    }
    if t.find("{{")
        .is_some_and(|i| t.get(i + 2..).is_some_and(|r| r.contains("}}")))
    {
        return true;
    }
    if let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        let inner = inner.trim();
        return inner
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && inner
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' ' | '.'));
    }
    false
}

/// When `node` is a placeholder string, the not-evaluated entry a rule reports for `attr`
/// instead of judging it.
pub fn not_a_value(node: &Node, attr: &str) -> Option<Hit> {
    let s = node.as_str()?;
    if !is_placeholder(s) {
        return None;
    }
    let v = node.display();
    Some(Hit::not_evaluated(Hit::value(
        node,
        util::t(
            format!("`{attr}` が {v} で、テンプレートの置き換えられていないプレースホルダです（未評価: プレースホルダ）"),
            format!("`{attr}` is {v}, a template placeholder that was never filled in (not evaluated: placeholder)"),
        ),
    )))
}

#[cfg(test)]
mod tests {
    use super::is_placeholder;

    #[test]
    fn placeholders_and_values() {
        for p in [
            "<image_url>",
            "<YOUR-CONTAINER>",
            "<registry>/app:1.0",
            "[Application_Insights_Key]",
            "${IMAGE}",
            "registry.example.jp/app:${TAG}",
            "{{ .Values.image.repository }}",
            " <region> ",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for v in [
            "nginx",
            "nginx:1.25",
            "registry.example.jp:5000/team/app@sha256:2f1e5f7e3c1a4b6d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5",
            "ap-northeast-1",
            "japaneast",
            "0.0.0.0/0",
            "[parameters('location')]",
            "[resourceGroup().location]",
            "a < b",
            "$HOME",
            "",
        ] {
            assert!(!is_placeholder(v), "{v}");
        }
    }
}
