//! KJ-E2-001 `aws-lambda-code-signing-missing`: a Lambda function deployed without code-signing
//! validation, or a code signing config that only warns.
//!
//! With `code_signing_config_arn` Lambda verifies that a .zip package was signed by an allowed AWS
//! Signer profile; the config's `policies.untrusted_artifact_on_deployment` defaults to `Warn`,
//! which deploys unsigned or tampered code anyway and only logs it. Container-image functions
//! (`package_type = "Image"`) cannot use code signing and are not judged here. A code signing
//! config is judged on `policies.untrusted_artifact_on_deployment` (default `Warn`, also when the
//! `policies` block is absent).

use crate::facts::keys::{key_ref, KeyRef};
use crate::declarative::run_all;
use crate::{catalogue::Declarative, util, Ctx, Hit};
use kijun_model::Resource;
use std::sync::OnceLock;

fn specs() -> &'static [Declarative] {
    static S: OnceLock<Vec<Declarative>> = OnceLock::new();
    S.get_or_init(|| {
        vec![Declarative::on(
            &["aws_lambda_code_signing_config"],
            "policies.untrusted_artifact_on_deployment",
        )
        .equals("Enforce")
        .unset_means("Warn")
        .absent_block_uses_default()]
    })
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    run_all(specs(), r, out);
    if r.kind != "aws_lambda_function" {
        return;
    }
    match util::set(r, "package_type") {
        Some(p) if p.is_unknown() => {
            out.push(Hit::unknown(p, "package_type"));
            return;
        }
        Some(p) if p.as_str().is_some_and(|s| s.eq_ignore_ascii_case("image")) => return,
        // documented default: "Zip"
        _ => {}
    }
    match key_ref(r.get("code_signing_config_arn")) {
        KeyRef::Set(_) => {}
        KeyRef::Unknown(n) => out.push(Hit::unknown(n, "code_signing_config_arn")),
        KeyRef::Unset => out.push(Hit::missing(
            r,
            util::t(
                "`code_signing_config_arn` が設定されていないため、デプロイされるコードの署名は検証されません",
                "`code_signing_config_arn` is not set, so the signature of the deployed code is not verified",
            ),
        )),
    }
}
