//! KJ-E2-001 `aws-lambda-code-signing-missing`: a Lambda function deployed without code-signing
//! validation, or a code signing config that only warns.
//!
//! With `code_signing_config_arn` Lambda verifies that a .zip package was signed by an allowed AWS
//! Signer profile; the config's `policies.untrusted_artifact_on_deployment` defaults to `Warn`,
//! which deploys unsigned or tampered code anyway and only logs it. Container-image functions
//! (`package_type = "Image"`) cannot use code signing and are not judged here. A code signing
//! config is judged on `policies.untrusted_artifact_on_deployment` (default `Warn`, also when the
//! `policies` block is absent). CloudFormation has the same settings on `AWS::Lambda::Function`
//! (`PackageType`, `CodeSigningConfigArn`) and `AWS::Lambda::CodeSigningConfig`
//! (`CodeSigningPolicies.UntrustedArtifactOnDeployment`, same default); the names come from
//! `facts::signing`.

use crate::declarative::run_all;
use crate::facts::keys::{key_ref, KeyRef};
use crate::facts::signing;
use crate::{catalogue::Declarative, util, Ctx, Hit};
use kijun_model::Resource;
use std::sync::OnceLock;

fn specs() -> &'static [Declarative] {
    static S: OnceLock<Vec<Declarative>> = OnceLock::new();
    let untrusted = signing::LAMBDA_UNTRUSTED_ARTIFACT;
    S.get_or_init(|| {
        [
            ("aws_lambda_code_signing_config", untrusted.terraform),
            ("AWS::Lambda::CodeSigningConfig", untrusted.cloudformation),
        ]
        .into_iter()
        .map(|(kind, attr)| {
            Declarative::on(&[kind], attr)
                .equals("Enforce")
                .unset_means("Warn")
                .absent_block_uses_default()
        })
        .collect()
    })
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    run_all(specs(), r, out);
    if !matches!(r.kind.as_str(), "aws_lambda_function" | "AWS::Lambda::Function") {
        return;
    }
    let (package_attr, config_attr) = (
        signing::LAMBDA_PACKAGE_TYPE.of(r),
        signing::LAMBDA_CODE_SIGNING_CONFIG.of(r),
    );
    match util::set(r, package_attr) {
        Some(p) if p.is_unknown() => {
            out.push(Hit::unknown(p, package_attr));
            return;
        }
        Some(p) if p.as_str().is_some_and(|s| s.eq_ignore_ascii_case("image")) => return,
        // documented default: "Zip"
        _ => {}
    }
    match key_ref(r.get(config_attr)) {
        KeyRef::Set(_) => {}
        KeyRef::Unknown(n) => out.push(Hit::unknown(n, config_attr)),
        KeyRef::Unset => out.push(Hit::missing(
            r,
            util::t(
                format!("`{config_attr}` が設定されていないため、デプロイされるコードの署名は検証されません"),
                format!("`{config_attr}` is not set, so the signature of the deployed code is not verified"),
            ),
        )),
    }
}
