//! KJ-E1-005 `aws-instance-block-device-unencrypted`: EC2 instance and launch template volumes are
//! encrypted.
//!
//! A volume whose `encrypted` is unset is unencrypted unless EBS encryption by default is switched
//! on for the account (`aws_ebs_encryption_by_default`, whose `enabled` defaults to true) or it
//! comes from an encrypted snapshot. CloudFormation (`AWS::EC2::Instance`,
//! `AWS::EC2::LaunchTemplate`) writes the same volumes as `BlockDeviceMappings[].Ebs` with the same
//! meaning of an unset `Encrypted`.
//!
//! At confidentiality 3 an encrypted volume names a customer-managed key (第133条第1項第1号 with
//! 第151条, CONTROLS.md E1): `kms_key_id` / `KmsKeyId` unset means the account's default EBS key,
//! the AWS managed `aws/ebs` unless the scan sets a customer key with `aws_ebs_default_kms_key`.

use crate::facts::keys::{aws_customer_key, aws_managed, is_aws_managed, key_ref, KeyRef};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource, Text};

/// Whether the scan switches on EBS encryption by default.
enum AccountDefault<'a> {
    On,
    Off,
    Unknown(&'a Node),
}

fn account_default<'a>(ctx: &Ctx<'a>) -> AccountDefault<'a> {
    let mut unknown = None;
    for d in ctx.of_kind("aws_ebs_encryption_by_default") {
        match util::set(d, "enabled") {
            None => return AccountDefault::On,
            Some(n) if n.is_unknown() => unknown = unknown.or(Some(n)),
            Some(n) if n.as_bool() == Some(true) => return AccountDefault::On,
            Some(_) => {}
        }
    }
    match unknown {
        Some(n) => AccountDefault::Unknown(n),
        None => AccountDefault::Off,
    }
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let default = account_default(ctx);
    let customer_default = ctx
        .of_kind("aws_ebs_default_kms_key")
        .any(|d| matches!(key_ref(d.get("key_arn")), KeyRef::Set(n) if !is_aws_managed(n)));
    let mut j = Judge {
        r,
        default: &default,
        customer_default,
        out,
    };
    match r.kind.as_str() {
        "aws_instance" => instance(&mut j),
        "aws_launch_template" => launch_template(&mut j),
        "AWS::EC2::Instance" => cfn_instance(&mut j),
        "AWS::EC2::LaunchTemplate" => cfn_launch_template(&mut j),
        _ => {}
    }
}

struct Judge<'a, 'b> {
    r: &'a Resource,
    default: &'a AccountDefault<'b>,
    /// `aws_ebs_default_kms_key` names a customer-managed key for volumes without their own.
    customer_default: bool,
    out: &'a mut Vec<Hit>,
}

fn instance(j: &mut Judge) {
    let r = j.r;
    match util::set(r, "root_block_device").map(|n| n.items()) {
        Some(blocks) if !blocks.is_empty() => {
            for b in blocks {
                j.volume(b, "root_block_device", false);
            }
        }
        // An instance launched from a launch template gets its volumes from the template,
        // which is judged itself.
        _ if util::set(r, "launch_template").is_some() => {}
        _ => j.unset(Text::new(
            "`root_block_device` が設定されていないため、ルートボリュームは AMI の設定に従い、EBS のデフォルト暗号化が無効なら暗号化されません",
            "`root_block_device` is not set; the root volume follows the AMI, which is unencrypted unless EBS encryption by default is on",
        )),
    }
    for b in util::set(r, "ebs_block_device")
        .map(|n| n.items())
        .unwrap_or_default()
    {
        j.volume(b, "ebs_block_device", true);
    }
}

fn launch_template(j: &mut Judge) {
    let mappings = util::set(j.r, "block_device_mappings")
        .map(|n| n.items())
        .unwrap_or_default();
    if mappings.is_empty() {
        j.unset(Text::new(
            "`block_device_mappings` が設定されていないため、ボリュームは AMI の設定に従い、EBS のデフォルト暗号化が無効なら暗号化されません",
            "`block_device_mappings` is not set; the volumes follow the AMI, which are unencrypted unless EBS encryption by default is on",
        ));
        return;
    }
    for m in mappings {
        if m.is_unknown() {
            j.out.push(Hit::unknown(m, "block_device_mappings"));
            continue;
        }
        // Mappings without `ebs` are instance-store volumes or suppress an AMI device.
        for ebs in m.child("ebs").map(|n| n.items()).unwrap_or_default() {
            j.volume(ebs, "block_device_mappings.ebs", true);
        }
    }
}

/// CloudFormation: `BlockDeviceMappings` of the instance, each with an `Ebs` volume (mappings with
/// `NoDevice` or `VirtualName` only are instance-store volumes or suppress an AMI device).
fn cfn_instance(j: &mut Judge) {
    let r = j.r;
    let mappings = util::set(r, "BlockDeviceMappings")
        .map(|n| n.items())
        .unwrap_or_default();
    if mappings.is_empty() {
        // An instance launched from a launch template gets its volumes from the template,
        // which is judged itself.
        if util::set(r, "LaunchTemplate").is_none() {
            j.unset(Text::new(
                "`BlockDeviceMappings` が設定されていないため、ボリュームは AMI の設定に従い、EBS のデフォルト暗号化が無効なら暗号化されません",
                "`BlockDeviceMappings` is not set; the volumes follow the AMI, which are unencrypted unless EBS encryption by default is on",
            ));
        }
        return;
    }
    cfn_mappings(j, mappings, "BlockDeviceMappings");
}

/// CloudFormation: `LaunchTemplateData.BlockDeviceMappings`.
fn cfn_launch_template(j: &mut Judge) {
    let data = util::set(j.r, "LaunchTemplateData");
    if let Some(d) = data.filter(|d| d.is_unknown()) {
        j.out.push(Hit::unknown(d, "LaunchTemplateData"));
        return;
    }
    let mappings = data
        .and_then(|d| d.child("BlockDeviceMappings"))
        .map(|n| n.items())
        .unwrap_or_default();
    if mappings.is_empty() {
        j.unset(Text::new(
            "`LaunchTemplateData.BlockDeviceMappings` が設定されていないため、ボリュームは AMI の設定に従い、EBS のデフォルト暗号化が無効なら暗号化されません",
            "`LaunchTemplateData.BlockDeviceMappings` is not set; the volumes follow the AMI, which are unencrypted unless EBS encryption by default is on",
        ));
        return;
    }
    cfn_mappings(j, mappings, "LaunchTemplateData.BlockDeviceMappings");
}

fn cfn_mappings(j: &mut Judge, mappings: Vec<&Node>, attr: &str) {
    for m in mappings {
        if m.is_unknown() {
            j.out.push(Hit::unknown(m, attr));
            continue;
        }
        let device = m.child("DeviceName").and_then(|d| d.as_str());
        for ebs in m.child("Ebs").map(|n| n.items()).unwrap_or_default() {
            j.volume_with(ebs, &format!("{attr}.Ebs"), device, true, &CFN_VOLUME);
        }
    }
}

/// The names of a volume's settings in Terraform and in CloudFormation.
struct VolumeNames {
    encrypted: &'static str,
    snapshot: &'static str,
    key: &'static str,
}

const TF_VOLUME: VolumeNames = VolumeNames {
    encrypted: "encrypted",
    snapshot: "snapshot_id",
    key: "kms_key_id",
};

const CFN_VOLUME: VolumeNames = VolumeNames {
    encrypted: "Encrypted",
    snapshot: "SnapshotId",
    key: "KmsKeyId",
};

impl Judge<'_, '_> {
    /// One volume block: `encrypted` false is a finding wherever it is set; unset follows the
    /// snapshot (when one is named) or the documented default false.
    fn volume(&mut self, b: &Node, block: &str, may_have_snapshot: bool) {
        let device = b.child("device_name").and_then(|d| d.as_str());
        self.volume_with(b, block, device, may_have_snapshot, &TF_VOLUME);
    }

    fn volume_with(
        &mut self,
        b: &Node,
        block: &str,
        device: Option<&str>,
        may_have_snapshot: bool,
        names: &VolumeNames,
    ) {
        let attr = format!("{block}.{}", names.encrypted);
        if b.is_unknown() {
            self.out.push(Hit::unknown(b, block));
            return;
        }
        match b.child(names.encrypted).filter(|n| !n.is_null()) {
            Some(n) if n.is_unknown() => self.out.push(Hit::unknown(n, &attr)),
            Some(n) if n.as_bool() == Some(false) => {
                self.out.push(Hit::value(n, util::is(&attr, n)))
            }
            Some(_) => {
                let key = b.child(names.key);
                if !(key_ref(key).is_unset() && self.customer_default) {
                    let [ja, en] = aws_managed("aws/ebs");
                    let attr = format!("{block}.{}", names.key);
                    self.out
                        .extend(aws_customer_key(self.r, key, &attr, [&ja, &en], Some(b)));
                }
            }
            None => {
                // The device name tells which of several blocks is meant.
                let ja = device.map(|d| format!("（{d}）")).unwrap_or_default();
                let en = device.map(|d| format!(" ({d})")).unwrap_or_default();
                let snapshot =
                    may_have_snapshot && b.child(names.snapshot).is_some_and(|s| !s.is_null());
                let snap = names.snapshot;
                if snapshot {
                    self.inherited(Text::new(
                        format!("`{attr}`{ja} が設定されていないため、暗号化の有無は `{snap}` のスナップショットに従い、静的には判定できません"),
                        format!("`{attr}`{en} is not set; encryption follows the snapshot in `{snap}`, which cannot be seen statically"),
                    ));
                } else {
                    self.unset(Text::new(
                        format!(
                            "`{attr}`{ja} が設定されていないため、既定値（false）が適用されます"
                        ),
                        format!("`{attr}`{en} is not set; the documented default (false) applies"),
                    ));
                }
            }
        }
    }

    /// A volume left to the default: a finding unless EBS encryption by default is on.
    fn unset(&mut self, detail: Text) {
        match self.default {
            AccountDefault::On => {}
            AccountDefault::Off => self.out.push(Hit::missing(self.r, detail)),
            AccountDefault::Unknown(n) => self.out.push(Hit {
                not_evaluated: true,
                ..Hit::missing(self.r, account_unknown(n, detail))
            }),
        }
    }

    /// A volume that takes a snapshot's encryption: still encrypted when the account default
    /// is on (volumes from unencrypted snapshots are then encrypted too).
    fn inherited(&mut self, detail: Text) {
        match self.default {
            AccountDefault::On => {}
            AccountDefault::Off => self.out.push(Hit {
                not_evaluated: true,
                ..Hit::missing(self.r, detail)
            }),
            AccountDefault::Unknown(n) => self.out.push(Hit {
                not_evaluated: true,
                ..Hit::missing(self.r, account_unknown(n, detail))
            }),
        }
    }
}

fn account_unknown(n: &Node, detail: Text) -> Text {
    let why = Hit::unknown(n, "aws_ebs_encryption_by_default.enabled").detail;
    Text::new(
        format!("{}。{}", detail.ja, why.ja),
        format!("{}; {}", detail.en, why.en),
    )
}
