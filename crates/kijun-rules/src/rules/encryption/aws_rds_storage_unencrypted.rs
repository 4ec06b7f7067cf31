//! KJ-E1-002 `aws-rds-storage-unencrypted`: RDS DB instances and clusters encrypt their storage.
//!
//! `storage_encrypted` defaults to false, except for Aurora Serverless v1 clusters (`engine_mode =
//! "serverless"`, default true); replicas and restores take the encryption of their source, which
//! is judged where the source is.
//!
//! CloudFormation (`AWS::RDS::DBInstance`, `AWS::RDS::DBCluster`): `StorageEncrypted`, by
//! default false ("By default, it isn't encrypted"); an Aurora instance (`DBClusterIdentifier`)
//! takes its cluster's encryption, and a replica or restore takes its source's.
//!
//! At confidentiality 3 an encrypted store names a customer-managed key (第133条第1項第1号 read
//! with 第151条, as CONTROLS.md E1 asks): `kms_key_id` / `KmsKeyId` unset means the AWS managed
//! key `aws/rds`, which the organisation does not manage.

use crate::facts::platform::ByPlatform;
use crate::facts::keys::{aws_customer_key, aws_managed};
use crate::{util, Ctx, Hit};
use kijun_model::{Resource, Text, Value};

/// Terraform and CloudFormation differ in more than spelling here (an Aurora instance, the
/// sources a replica or restore names): each has its reader.
const READ: ByPlatform<fn(&Ctx, &Resource, &mut Vec<Hit>)> =
    ByPlatform::aws(terraform, cloudformation);

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(ctx, r, out);
}

fn terraform(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if let Some(n) = util::set(r, "storage_encrypted") {
        if n.is_unknown() {
            out.push(Hit::unknown(n, "storage_encrypted"));
        } else if n.as_bool() == Some(false) {
            out.push(Hit::value(n, util::is("storage_encrypted", n)));
        } else {
            customer_key(r, "kms_key_id", out);
        }
        return;
    }
    let cluster = r.kind == "aws_rds_cluster";
    if cluster {
        match util::set(r, "engine_mode") {
            Some(m) if m.is_unknown() => {
                out.push(Hit::unknown(m, "engine_mode"));
                return;
            }
            Some(m)
                if m.as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case("serverless")) =>
            {
                // documented default: true for serverless
                customer_key(r, "kms_key_id", out);
                return;
            }
            _ => {}
        }
    }
    let kms = util::set(r, "kms_key_id").is_some();
    let source_attr = if cluster {
        "replication_source_identifier"
    } else {
        "replicate_source_db"
    };
    if util::set(r, source_attr).is_some() {
        // An encrypted (cross-Region) replica names its key; a replica of a source in this
        // scan is encrypted exactly when its source is, and the source is judged itself.
        let sources = ["aws_db_instance", "aws_rds_cluster"];
        let source_in_scan = r.refs.iter().any(|a| {
            let mut parts = a.rsplit('.');
            let kind = parts.nth(1).unwrap_or_default();
            // `data.aws_db_instance.x` reads an instance managed elsewhere.
            sources.contains(&kind) && parts.next() != Some("data")
        });
        if !kms && !source_in_scan {
            out.push(inherited(
                r,
                Text::new(
                    format!("`storage_encrypted` が設定されていないため、レプリカの暗号化は `{source_attr}` が指すスキャン対象外の複製元に従います"),
                    format!("`storage_encrypted` is not set; the replica takes the encryption of its source (`{source_attr}`), which is outside this scan"),
                ),
            ));
        }
        return;
    }
    let restored = util::set(r, "snapshot_identifier").is_some()
        || util::set(r, "restore_to_point_in_time").is_some();
    if restored {
        // A cluster restored with `kms_key_id` is encrypted with that key (provider docs).
        if !(cluster && kms) {
            out.push(inherited(
                r,
                util::t(
                    "`storage_encrypted` が設定されていないため、暗号化の有無は復元元（スナップショット等）に従い、静的には判定できません",
                    "`storage_encrypted` is not set; encryption follows the restore source (snapshot or source instance), which cannot be seen statically",
                ),
            ));
        }
        return;
    }
    out.push(Hit::missing(r, util::unset("storage_encrypted", "false")));
}

/// At confidentiality 3, the key of an encrypted store is customer-managed (unset: `aws/rds`).
fn customer_key(r: &Resource, attr: &str, out: &mut Vec<Hit>) {
    let [ja, en] = aws_managed("aws/rds");
    out.extend(aws_customer_key(r, r.get(attr), attr, [&ja, &en], None));
}

/// Encryption decided by something outside the configuration: reported as not evaluated.
fn inherited(r: &Resource, detail: Text) -> Hit {
    Hit {
        not_evaluated: true,
        ..Hit::missing(r, detail)
    }
}

const CFN_KINDS: [&str; 2] = ["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"];

fn cloudformation(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if let Some(n) = util::set(r, "StorageEncrypted") {
        if n.is_unknown() {
            out.push(Hit::unknown(n, "StorageEncrypted"));
        } else if n.as_bool() == Some(false) {
            out.push(Hit::value(n, util::is("StorageEncrypted", n)));
        } else if !(r.kind == "AWS::RDS::DBInstance" && util::set(r, "DBClusterIdentifier").is_some())
        {
            customer_key(r, "KmsKeyId", out);
        }
        return;
    }
    let cluster = r.kind == "AWS::RDS::DBCluster";
    // An Aurora DB instance: "Not applicable. The encryption for DB instances is managed by the
    // DB cluster", which is judged itself.
    if !cluster && util::set(r, "DBClusterIdentifier").is_some() {
        return;
    }
    if cluster {
        match util::set(r, "EngineMode") {
            Some(m) if m.is_unknown() => {
                out.push(Hit::unknown(m, "EngineMode"));
                return;
            }
            // Aurora Serverless v1 clusters are always encrypted.
            Some(m)
                if m.as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case("serverless")) =>
            {
                customer_key(r, "KmsKeyId", out);
                return;
            }
            _ => {}
        }
    }
    // A read replica or point-in-time restore takes the encryption of its source.
    let sources: &[&str] = if cluster {
        &["ReplicationSourceIdentifier", "SourceDBClusterIdentifier"]
    } else {
        &[
            "SourceDBInstanceIdentifier",
            "SourceDBInstanceAutomatedBackupsArn",
            "SourceDbiResourceId",
        ]
    };
    if let Some((attr, n)) = sources
        .iter()
        .find_map(|a| util::set(r, a).map(|n| (*a, n)))
    {
        // A source in the same template is judged itself.
        let in_template = match &n.value {
            Value::Unknown(u) => u.refs.iter().any(|id| {
                CFN_KINDS
                    .iter()
                    .any(|k| ctx.of_kind(k).any(|s| s.address == **id))
            }),
            _ => false,
        };
        if !in_template {
            out.push(inherited(
                r,
                Text::new(
                    format!("`StorageEncrypted` が設定されていないため、暗号化の有無は `{attr}` が指すテンプレート外の複製元に従います"),
                    format!("`StorageEncrypted` is not set; encryption follows the source in `{attr}`, which is outside this template"),
                ),
            ));
        }
        return;
    }
    let snapshots: &[&str] = if cluster {
        &["SnapshotIdentifier"]
    } else {
        &["DBSnapshotIdentifier", "DBClusterSnapshotIdentifier"]
    };
    if let Some(attr) = snapshots.iter().find(|a| util::set(r, a).is_some()) {
        out.push(inherited(
            r,
            Text::new(
                format!("`StorageEncrypted` が設定されていないため、暗号化の有無は `{attr}` のスナップショットに従い、静的には判定できません"),
                format!("`StorageEncrypted` is not set; encryption follows the snapshot in `{attr}`, which cannot be seen statically"),
            ),
        ));
        return;
    }
    out.push(Hit::missing(r, util::unset("StorageEncrypted", "false")));
}
