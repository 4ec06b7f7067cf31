//! Signatures on code and data (E2): how each platform spells the settings that make a service
//! verify or produce signatures. Lambda code signing (a function's code signing config and the
//! config's policy) and Route 53 DNSSEC (a hosted zone, the resource that signs it and the
//! key-signing key through which Terraform's example names the zone).

use crate::facts::platform::{ByPlatform, Spelling};

/// A Lambda function's deployment package type (`Zip` by default; `Image` cannot be signed).
pub const LAMBDA_PACKAGE_TYPE: Spelling = Spelling::aws("package_type", "PackageType");

/// The code signing configuration a Lambda function is deployed with.
pub const LAMBDA_CODE_SIGNING_CONFIG: Spelling =
    Spelling::aws("code_signing_config_arn", "CodeSigningConfigArn");

/// What a code signing configuration does with an unsigned or tampered package (`Warn` by
/// default on both platforms, also when the enclosing object is absent).
pub const LAMBDA_UNTRUSTED_ARTIFACT: Spelling = Spelling::aws(
    "policies.untrusted_artifact_on_deployment",
    "CodeSigningPolicies.UntrustedArtifactOnDeployment",
);

/// A Route 53 hosted zone and what signs it with DNSSEC. Terraform signs a zone with
/// `aws_route53_hosted_zone_dnssec` (whose `signing_status` defaults to `SIGNING`), naming the
/// zone directly or through its `aws_route53_key_signing_key`; CloudFormation with
/// `AWS::Route53::DNSSEC`, whose presence is the switch (it has no status), naming the zone by
/// `HostedZoneId` (a `Ref` to the `AWS::Route53::HostedZone`).
#[derive(Clone, Copy, Debug)]
pub struct DnssecNames {
    /// A zone with VPCs is private and cannot be signed.
    pub zone_vpcs: &'static str,
    /// Attributes of the zone whose literal values identify it (none in CloudFormation: the
    /// zone's ID is known only after deployment).
    pub zone_idents: &'static [&'static str],
    pub dnssec_kind: &'static str,
    pub ksk_kind: &'static str,
    /// The zone's ID on the DNSSEC resource and on the key-signing key.
    pub zone_id: &'static str,
    /// `None` where the resource has no status: it signs while it exists.
    pub signing_status: Option<&'static str>,
}

pub const DNSSEC: ByPlatform<DnssecNames> = ByPlatform::aws(
    DnssecNames {
        zone_vpcs: "vpc",
        zone_idents: &["zone_id"],
        dnssec_kind: "aws_route53_hosted_zone_dnssec",
        ksk_kind: "aws_route53_key_signing_key",
        zone_id: "hosted_zone_id",
        signing_status: Some("signing_status"),
    },
    DnssecNames {
        zone_vpcs: "VPCs",
        zone_idents: &[],
        dnssec_kind: "AWS::Route53::DNSSEC",
        ksk_kind: "AWS::Route53::KeySigningKey",
        zone_id: "HostedZoneId",
        signing_status: None,
    },
);
