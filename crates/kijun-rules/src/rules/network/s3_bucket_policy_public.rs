//! KJ-N4-007 `s3-bucket-policy-public`: an S3 bucket policy with an `Allow` statement for every
//! principal (`"Principal": "*"` or `{"AWS": "*"}`, or `NotPrincipal`) and no `Condition` that
//! could narrow it (source VPC, source IP, organisation …).
//!
//! The policy is a JSON string: a literal heredoc, or `jsonencode()` of a value (parts known only
//! after apply, such as a bucket ARN, appear as a placeholder, so Principal and Condition stay
//! readable). A policy from an `aws_iam_policy_document` data source cannot be read and is reported
//! as not evaluated.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;
use serde_json::Value as J;

fn is_star(v: &J) -> bool {
    match v {
        J::String(s) => s.trim() == "*",
        J::Array(a) => a.iter().any(is_star),
        _ => false,
    }
}

/// Whether a statement's principal is everyone.
fn everyone(st: &serde_json::Map<String, J>) -> bool {
    if st.contains_key("NotPrincipal") {
        // why: Allow with NotPrincipal grants every principal except the listed ones.
        return true;
    }
    match st.get("Principal") {
        Some(J::String(s)) => s.trim() == "*",
        Some(J::Object(m)) => m.get("AWS").is_some_and(is_star),
        _ => false,
    }
}

fn has_condition(st: &serde_json::Map<String, J>) -> bool {
    match st.get("Condition") {
        Some(J::Object(m)) => !m.is_empty(),
        Some(J::Null) | None => false,
        Some(_) => true,
    }
}

fn actions(st: &serde_json::Map<String, J>) -> String {
    let list: Vec<String> = match st.get("Action").or_else(|| st.get("NotAction")) {
        Some(J::String(s)) => vec![s.clone()],
        Some(J::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    list.join(", ")
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let attr = "policy";
    let Some(n) = util::set(r, attr) else {
        return;
    };
    if n.is_unknown() {
        // The deprecated inline `policy` of aws_s3_bucket is computed: a plan shows it as "known
        // after apply" whenever the configuration leaves it out (aws_s3_bucket_policy is read
        // on its own).
        if r.platform == kijun_model::Platform::TerraformPlan && r.kind == "aws_s3_bucket" {
            return;
        }
        out.push(Hit::unknown(n, attr));
        return;
    }
    let Some(text) = n.as_str() else {
        return;
    };
    let doc: J = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(_) => {
            out.push(Hit {
                not_evaluated: true,
                ..Hit::value(
                    n,
                    util::t(
                        "`policy` を JSON として読み取れないため判定できません",
                        "`policy` cannot be read as JSON, so it cannot be judged",
                    ),
                )
            });
            return;
        }
    };
    let statements: Vec<&J> = match doc.get("Statement") {
        Some(J::Array(a)) => a.iter().collect(),
        Some(s @ J::Object(_)) => vec![s],
        _ => Vec::new(),
    };
    for (i, st) in statements.into_iter().enumerate() {
        let Some(st) = st.as_object() else {
            continue;
        };
        let allow = st
            .get("Effect")
            .and_then(|e| e.as_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("allow"));
        if !allow || !everyone(st) || has_condition(st) {
            continue;
        }
        let name = st
            .get("Sid")
            .and_then(|s| s.as_str())
            .map(|s| format!("\"{s}\""))
            .unwrap_or_else(|| format!("#{}", i + 1));
        let acts = actions(st);
        out.push(Hit::value(
            n,
            util::t(
                format!("`policy` のステートメント {name} が条件（Condition）なしですべてのプリンシパルにアクセス（{acts}）を許可しています"),
                format!("statement {name} of `policy` allows every principal ({acts}) without a Condition"),
            ),
        ));
    }
}
