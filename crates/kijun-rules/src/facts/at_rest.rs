//! Encryption at rest: where each service keeps its switch, the key it encrypts with and its
//! service-managed alternative, as each platform spells them. The rules of 第133条第1項第1号 (and
//! 第151条 at confidentiality 3) read these and quote the name their resource's platform uses.

use crate::facts::platform::{ByPlatform, Spelling};

/// A store whose encryption is one switch and whose key is one attribute, both at the top level.
#[derive(Clone, Copy, Debug)]
pub struct Switched {
    /// Turns encryption at rest on (`encrypted`, `Encrypted`).
    pub switch: Spelling,
    /// Names the KMS key (unset: the service's AWS managed key).
    pub key: Spelling,
}

/// A store whose settings sit in one nested block.
#[derive(Clone, Copy, Debug)]
pub struct InBlock {
    pub block: Spelling,
    /// Turns encryption on, or says how it is done (`encryption_type`: `AES256`, `KMS`).
    pub switch: Spelling,
    pub key: Spelling,
}

const KMS_KEY_ID: Spelling = Spelling::aws("kms_key_id", "KmsKeyId");
const ENCRYPTED: Spelling = Spelling::aws("encrypted", "Encrypted");

/// EBS volumes (`aws_ebs_volume`, `AWS::EC2::Volume`).
pub const EBS: Switched = Switched {
    switch: ENCRYPTED,
    key: KMS_KEY_ID,
};

/// EFS file systems (`aws_efs_file_system`, `AWS::EFS::FileSystem`).
pub const EFS: Switched = Switched {
    switch: ENCRYPTED,
    key: KMS_KEY_ID,
};

/// Redshift clusters (`aws_redshift_cluster`, `AWS::Redshift::Cluster`).
pub const REDSHIFT: Switched = Switched {
    switch: ENCRYPTED,
    key: KMS_KEY_ID,
};

/// Whether an unset Redshift `encrypted` means encrypted: the Terraform provider documents
/// true, CloudFormation documents "Default: false".
pub const REDSHIFT_ENCRYPTED_BY_DEFAULT: ByPlatform<bool> = ByPlatform::aws(true, false);

/// OpenSearch / Elasticsearch domains: `encrypt_at_rest { enabled, kms_key_id }`,
/// `EncryptionAtRestOptions: { Enabled, KmsKeyId }`.
pub const OPENSEARCH: InBlock = InBlock {
    block: Spelling::aws("encrypt_at_rest", "EncryptionAtRestOptions"),
    switch: Spelling::aws("enabled", "Enabled"),
    key: KMS_KEY_ID,
};

/// ECR repositories: `encryption_configuration { encryption_type, kms_key }`,
/// `EncryptionConfiguration: { EncryptionType, KmsKey }`.
pub const ECR: InBlock = InBlock {
    block: Spelling::aws("encryption_configuration", "EncryptionConfiguration"),
    switch: Spelling::aws("encryption_type", "EncryptionType"),
    key: Spelling::aws("kms_key", "KmsKey"),
};

/// The key of an AWS Backup vault (`kms_key_arn`, `EncryptionKeyArn`); a vault always encrypts.
pub const BACKUP_VAULT_KEY: Spelling = Spelling::aws("kms_key_arn", "EncryptionKeyArn");

/// The key of an SNS topic or SQS queue (unset: an SNS topic is not encrypted; a queue uses
/// SSE-SQS unless switched off).
pub const SNS_SQS_KEY: Spelling = Spelling::aws("kms_master_key_id", "KmsMasterKeyId");

/// The switch of SQS-owned encryption keys (SSE-SQS).
pub const SQS_MANAGED_SSE: Spelling =
    Spelling::aws("sqs_managed_sse_enabled", "SqsManagedSseEnabled");

/// The key of a CloudWatch Logs log group (`aws_cloudwatch_log_group`, `AWS::Logs::LogGroup`).
pub const LOG_GROUP_KEY: Spelling = KMS_KEY_ID;

/// The key of a CloudTrail trail's log files (CloudFormation spells it `KMSKeyId`).
pub const CLOUDTRAIL_KEY: Spelling = Spelling::aws("kms_key_id", "KMSKeyId");

/// A Secrets Manager secret's key, and its replicas (each with its own key).
#[derive(Clone, Copy, Debug)]
pub struct SecretNames {
    pub key: &'static str,
    pub replicas: &'static str,
    pub replica_key: &'static str,
}

pub const SECRETS_MANAGER: ByPlatform<SecretNames> = ByPlatform::aws(
    SecretNames {
        key: "kms_key_id",
        replicas: "replica",
        replica_key: "kms_key_id",
    },
    SecretNames {
        key: "KmsKeyId",
        replicas: "ReplicaRegions",
        replica_key: "KmsKeyId",
    },
);

/// An ElastiCache replication group's at-rest encryption, whose default depends on the engine
/// and on a global datastore.
#[derive(Clone, Copy, Debug)]
pub struct ElastiCacheNames {
    pub encryption: &'static str,
    pub global: &'static str,
    pub engine: &'static str,
    pub key: &'static str,
}

pub const ELASTICACHE: ByPlatform<ElastiCacheNames> = ByPlatform::aws(
    ElastiCacheNames {
        encryption: "at_rest_encryption_enabled",
        global: "global_replication_group_id",
        engine: "engine",
        key: "kms_key_id",
    },
    ElastiCacheNames {
        encryption: "AtRestEncryptionEnabled",
        global: "GlobalReplicationGroupId",
        engine: "Engine",
        key: "KmsKeyId",
    },
);

/// An EKS cluster's envelope encryption of Kubernetes secrets: `encryption_config { resources,
/// provider { key_arn } }` and `version`; `EncryptionConfig[].{Resources, Provider.KeyArn}`
/// and `Version`.
#[derive(Clone, Copy, Debug)]
pub struct EksNames {
    pub config: &'static str,
    pub resources: &'static str,
    pub provider: &'static str,
    pub key: &'static str,
    pub version: &'static str,
}

pub const EKS_SECRETS: ByPlatform<EksNames> = ByPlatform::aws(
    EksNames {
        config: "encryption_config",
        resources: "resources",
        provider: "provider",
        key: "key_arn",
        version: "version",
    },
    EksNames {
        config: "EncryptionConfig",
        resources: "Resources",
        provider: "Provider",
        key: "KeyArn",
        version: "Version",
    },
);
