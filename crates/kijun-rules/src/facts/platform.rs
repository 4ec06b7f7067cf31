//! The one place that knows how each platform spells a resource: rules ask the concept facts
//! (`at_rest`, `keys`, `logging`, `tls`, `regions`, `exposure` …) for a setting and get the
//! name their resource's platform gives it, never testing a kind's prefix themselves.
//!
//! Terraform HCL and the plan JSON share the provider's schema (snake_case); CloudFormation
//! spells properties in PascalCase; ARM in camelCase under `properties` (in templates, and in
//! Terraform's `azapi_resource`, whose kind and body are ARM's); Kubernetes manifests keep their
//! own field names and take the Terraform slot (no rule spells a setting differently for them).
//! Which schema a resource follows is read from its kind, here and nowhere else ([`schema`],
//! [`cloud_of`]). A new schema adds a variant to [`Schema`], its kind prefix to [`schema`] and
//! a field to [`ByPlatform`]: every spelling the compiler then asks for is one it needs.

use crate::settings::Cloud;
use kijun_model::{Node, Resource};

/// One value per schema family: the spelling of a setting, a documented default, or the
/// function that reads a setting whose shape differs (one nested block vs. flat attributes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByPlatform<T> {
    /// Terraform configuration and plan JSON (and Kubernetes, which no table distinguishes).
    /// An `azapi_resource` is ARM (see [`schema`]).
    pub terraform: T,
    pub cloudformation: T,
    pub arm: T,
}

/// An attribute name as each platform spells it.
pub type Spelling = ByPlatform<&'static str>;

impl<T: Copy> ByPlatform<T> {
    /// An AWS setting: Terraform's `aws_*` and CloudFormation's `AWS::*` (no ARM resource has
    /// it; the Terraform value stands in).
    pub const fn aws(terraform: T, cloudformation: T) -> Self {
        ByPlatform {
            terraform,
            cloudformation,
            arm: terraform,
        }
    }

    /// An Azure setting: Terraform's `azurerm_*` and ARM's `Microsoft.*` (no CloudFormation
    /// resource has it; the Terraform value stands in).
    pub const fn azure(terraform: T, arm: T) -> Self {
        ByPlatform {
            terraform,
            cloudformation: terraform,
            arm,
        }
    }

    /// The value for the schema `r`'s attributes follow (see [`schema`]).
    pub fn of(&self, r: &Resource) -> T {
        match schema(&r.kind) {
            Schema::Cloudformation => self.cloudformation,
            Schema::Arm => self.arm,
            Schema::Provider => self.terraform,
        }
    }
}

/// The schema a resource's attributes follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schema {
    /// A Terraform provider's (also in plan JSON), or a Kubernetes manifest's.
    Provider,
    /// CloudFormation's resource specification (`AWS::…`).
    Cloudformation,
    /// Azure Resource Manager's (`Microsoft.…`).
    Arm,
}

/// The kind decides, not the file it came from: Terraform's `azapi_resource` (in HCL or in a
/// plan) carries an ARM type and an ARM-shaped body, which rules read as ARM.
pub fn schema(kind: &str) -> Schema {
    if kind.starts_with("AWS::") {
        Schema::Cloudformation
    } else if kind.starts_with("Microsoft.") {
        Schema::Arm
    } else {
        Schema::Provider
    }
}

/// A setting of one resource: its name as the platform spells it (findings quote it) and its
/// node, if the configuration sets it.
#[derive(Clone, Copy, Debug)]
pub struct Attr<'a> {
    pub name: &'static str,
    pub node: Option<&'a Node>,
}

impl Spelling {
    /// The setting on `r`, named as `r`'s platform names it.
    pub fn on<'a>(&self, r: &'a Resource) -> Attr<'a> {
        let name = self.of(r);
        Attr {
            name,
            node: r.get(name),
        }
    }
}

/// A setting that one platform writes on the resource and another inside a wrapper object
/// (ARM's `properties`, CloudFormation's `DistributionConfig`): `wrapper` is that object's name
/// for `r`'s platform, `None` where the setting is top-level. `Ok(None)` when it is not set,
/// `Err` with the wrapper when the wrapper itself cannot be known (an unknown setting inside a
/// known wrapper is `Ok(Some(unknown))`). Also gives the path findings quote
/// (`properties.sslPolicy`).
pub fn setting_in<'a>(
    r: &'a Resource,
    wrapper: Option<&str>,
    key: &str,
) -> (Result<Option<&'a Node>, &'a Node>, String) {
    let set = |n: Option<&'a Node>| n.filter(|n| !n.is_null());
    match wrapper {
        None => (Ok(set(r.get(key))), key.to_string()),
        Some(w) => {
            let path = format!("{w}.{key}");
            match set(r.get(w)) {
                None => (Ok(None), path),
                Some(n) if n.is_unknown() => (Err(n), path),
                Some(n) => (Ok(set(n.child(key))), path),
            }
        }
    }
}

/// The cloud a resource kind belongs to, by the prefix its ecosystem gives it (`aws_`,
/// `AWS::`, `azurerm_`, `Microsoft.`, `google_`, `oci_`); `None` for Kubernetes and other kinds.
pub fn cloud_of(kind: &str) -> Option<Cloud> {
    // ARM types are case-insensitive; the prefixes are ASCII, so a byte prefix compares them.
    let has = |p: &str| {
        kind.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    if has("aws_") || has("aws::") {
        Some(Cloud::Aws)
    } else if has("azurerm_") || has("microsoft.") {
        Some(Cloud::Azure)
    } else if has("google_") {
        Some(Cloud::Gcp)
    } else if has("oci_") {
        Some(Cloud::Oci)
    } else {
        None
    }
}

/// Whether every resource of `r`'s document is deployed to one region: a CloudFormation stack
/// is created in one region, so a resource of the same template that names no region is in
/// the stack's region, `r`'s own. A Terraform configuration may use several providers, and an
/// ARM template places each resource by its own `location`.
pub fn one_region_per_document(r: &Resource) -> bool {
    ByPlatform::aws(false, true).of(r)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // why: test code may fail loudly
    use super::*;
    use kijun_model::{Origin, Platform};

    fn resource(platform: Platform, kind: &str) -> Resource {
        Resource {
            platform,
            kind: kind.into(),
            address: "x".into(),
            at: Origin::default(),
            attrs: Default::default(),
            provider: None,
            refs: Vec::new(),
            module: String::new(),
            inline_exceptions: Vec::new(),
        }
    }

    /// Terraform and its plan share one spelling; CloudFormation and ARM have their own.
    #[test]
    fn each_platform_gets_its_spelling() {
        const KEY: Spelling = Spelling::aws("kms_key_id", "KmsKeyId");
        const TLS: Spelling = Spelling::azure("min_tls_version", "minimumTlsVersion");
        let tf = resource(Platform::Terraform, "aws_efs_file_system");
        let plan = resource(Platform::TerraformPlan, "aws_efs_file_system");
        let cfn = resource(Platform::Cloudformation, "AWS::EFS::FileSystem");
        let arm = resource(Platform::Arm, "Microsoft.Storage/storageAccounts");
        assert_eq!(KEY.of(&tf), "kms_key_id");
        assert_eq!(KEY.of(&plan), "kms_key_id");
        assert_eq!(KEY.of(&cfn), "KmsKeyId");
        assert_eq!(TLS.of(&arm), "minimumTlsVersion");
        assert_eq!(TLS.of(&tf), "min_tls_version");
        assert!(one_region_per_document(&cfn));
        assert!(!one_region_per_document(&tf));
        // An `azapi_resource` in Terraform has an ARM type and body.
        let azapi = resource(Platform::Terraform, "Microsoft.Storage/storageAccounts");
        assert_eq!(TLS.of(&azapi), "minimumTlsVersion");
    }

    /// The spellings of the concept facts follow their platform's conventions: a name in the
    /// wrong slot (a PascalCase CloudFormation name where Terraform's goes) is a copy mistake
    /// no fixture of the other platform would reveal.
    #[test]
    fn spellings_follow_each_platforms_case() {
        use crate::facts::{
            at_rest, availability, credentials, exposure, keys, logging, signing, tls,
        };
        let aws = [
            at_rest::EBS.switch,
            at_rest::EBS.key,
            at_rest::EFS.switch,
            at_rest::EFS.key,
            at_rest::REDSHIFT.switch,
            at_rest::REDSHIFT.key,
            at_rest::OPENSEARCH.block,
            at_rest::OPENSEARCH.switch,
            at_rest::OPENSEARCH.key,
            at_rest::ECR.block,
            at_rest::ECR.switch,
            at_rest::ECR.key,
            at_rest::BACKUP_VAULT_KEY,
            at_rest::SNS_SQS_KEY,
            at_rest::SQS_MANAGED_SSE,
            at_rest::LOG_GROUP_KEY,
            at_rest::CLOUDTRAIL_KEY,
            availability::ASG_SUBNETS,
            availability::ASG_ZONES,
            credentials::ACCESS_KEY_STATUS,
            exposure::EKS_ENDPOINT.block,
            exposure::EKS_ENDPOINT.public,
            exposure::EKS_ENDPOINT.cidrs,
            keys::KMS_KEY_SPEC,
            keys::ACM_KEY_ALGORITHM,
            logging::LOG_GROUP_RETENTION,
            logging::CLOUDTRAIL_LOG_GROUP,
            tls::LISTENER_PROTOCOL,
            tls::LISTENER_SSL_POLICY,
            tls::APIGW_SECURITY_POLICY,
            tls::OPENSEARCH_ENDPOINT_OPTIONS,
            tls::OPENSEARCH_TLS_POLICY,
            signing::LAMBDA_PACKAGE_TYPE,
            signing::LAMBDA_CODE_SIGNING_CONFIG,
        ];
        for s in aws {
            assert!(
                s.terraform
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{s:?}: the Terraform name is not snake_case"
            );
            assert!(
                s.cloudformation
                    .starts_with(|c: char| c.is_ascii_uppercase())
                    && s.cloudformation.chars().all(|c| c.is_ascii_alphanumeric()),
                "{s:?}: the CloudFormation name is not PascalCase"
            );
        }
    }

    #[test]
    fn clouds_by_kind() {
        assert_eq!(cloud_of("aws_s3_bucket"), Some(Cloud::Aws));
        assert_eq!(cloud_of("AWS::S3::Bucket"), Some(Cloud::Aws));
        assert_eq!(cloud_of("azurerm_key_vault"), Some(Cloud::Azure));
        assert_eq!(cloud_of("Microsoft.KeyVault/vaults"), Some(Cloud::Azure));
        assert_eq!(cloud_of("google_storage_bucket"), Some(Cloud::Gcp));
        assert_eq!(cloud_of("Deployment"), None);
        // ARM types in any case; a kind with multibyte characters where a prefix would end.
        assert_eq!(
            cloud_of("microsoft.storage/storageAccounts"),
            Some(Cloud::Azure)
        );
        assert_eq!(cloud_of("aw日本"), None);
    }
}
