//! Whether a key attribute names a customer-managed key: shared by the customer-key rules.

use crate::facts::platform::{ByPlatform, Spelling};
use crate::Hit;
use kijun_model::{Node, Resource, Text, Value};

/// What a key attribute (an ARN, an ID, a self link) tells about the key.
pub(crate) enum KeyRef<'a> {
    /// A key is named: a literal, or another resource's or data source's attribute.
    Set(&'a Node),
    /// Absent, null or empty.
    Unset,
    /// Depends on something the scan cannot see (an unset variable, a module output).
    Unknown(&'a Node),
}

/// why: a reference such as `aws_kms_key.table.arn` is known only after apply, but it names a
/// key that exists, so the key is set; only values whose origin is invisible are unknown.
pub(crate) fn key_ref(n: Option<&Node>) -> KeyRef<'_> {
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return KeyRef::Unset;
    };
    match &n.value {
        Value::String(s) if s.trim().is_empty() => KeyRef::Unset,
        Value::Unknown(u) => {
            let names_object = !u.refs.is_empty() && u.refs.iter().all(|a| !is_module_output(a));
            if names_object {
                KeyRef::Set(n)
            } else {
                KeyRef::Unknown(n)
            }
        }
        _ => KeyRef::Set(n),
    }
}

/// `module.kms` or `module.a.module.kms`: a module output may well be null.
fn is_module_output(address: &str) -> bool {
    address.rsplit('.').nth(1) == Some("module")
}

/// A key named by an AWS managed alias (`alias/aws/ebs`, `arn:aws:kms:…:alias/aws/rds`): the
/// key exists and encrypts, but AWS, not the organisation, manages it.
pub(crate) fn is_aws_managed(n: &Node) -> bool {
    n.as_str().is_some_and(|s| {
        let s = s.trim();
        s.starts_with("alias/aws/") || s.contains(":alias/aws/")
    })
}

/// The confidentiality-3 judgement of an AWS key attribute (第133条第1項第1号 with 第151条: at
/// confidentiality 3 the organisation manages the key): unset means the service's AWS managed
/// key or AWS owned key `default` (ja, en: "AWS マネージドキー（aws/rds）", "the AWS managed
/// key aws/rds"), an `alias/aws/…` value names one explicitly, a value whose
/// origin the scan cannot see is not evaluated. `anchor` is where an unset key is reported
/// (the block that should hold it); without one, the resource. Every hit applies from
/// confidentiality 3 only.
pub(crate) fn aws_customer_key(
    r: &Resource,
    key: Option<&Node>,
    attr: &str,
    default: [&str; 2],
    anchor: Option<&Node>,
) -> Option<Hit> {
    let [default_ja, default_en] = default;
    let hit = match key_ref(key) {
        KeyRef::Set(n) if is_aws_managed(n) => Hit::value(
            n,
            Text::new(
                format!(
                    "`{attr}` が {} で、組織ではなく AWS が管理するキーです",
                    n.display()
                ),
                format!(
                    "`{attr}` is {}, a key managed by AWS, not by the organisation",
                    n.display()
                ),
            ),
        ),
        KeyRef::Set(_) => return None,
        KeyRef::Unknown(n) => Hit::unknown(n, attr),
        KeyRef::Unset => {
            let detail = Text::new(
                format!("`{attr}` が設定されていないため、{default_ja}で暗号化され、組織が管理するキーではありません"),
                format!("`{attr}` is not set: data is encrypted with {default_en}, not a customer-managed key"),
            );
            match anchor {
                Some(a) => Hit::value(a, detail),
                None => Hit::missing(r, detail),
            }
        }
    };
    Some(hit.at_level(3))
}

/// "the AWS managed key aws/<service>" in both languages, for [`aws_customer_key`].
pub(crate) fn aws_managed(alias: &str) -> [String; 2] {
    [
        format!("AWS マネージドキー（{alias}）"),
        format!("the AWS managed key {alias}"),
    ]
}

impl KeyRef<'_> {
    pub(crate) fn is_unset(&self) -> bool {
        matches!(self, KeyRef::Unset)
    }
}

/// The settings of a KMS key that decide whether and how often it rotates: its spec and usage
/// (only symmetric encryption keys rotate automatically), the custom key store (no rotation
/// there; CloudFormation has no such property: `""`), the switch and the period.
#[derive(Clone, Copy, Debug)]
pub struct RotationNames {
    pub spec: &'static str,
    pub usage: &'static str,
    pub store: &'static str,
    pub enable: &'static str,
    pub period: &'static str,
}

pub const KMS_ROTATION: ByPlatform<RotationNames> = ByPlatform::aws(
    RotationNames {
        spec: KMS_KEY_SPEC.terraform,
        usage: "key_usage",
        store: "custom_key_store_id",
        enable: "enable_key_rotation",
        period: "rotation_period_in_days",
    },
    RotationNames {
        spec: KMS_KEY_SPEC.cloudformation,
        usage: "KeyUsage",
        store: "",
        enable: "EnableKeyRotation",
        period: "RotationPeriodInDays",
    },
);

/// The spec of a KMS key (`aws_kms_key`, `AWS::KMS::Key`): symmetric, RSA, ECC, HMAC.
pub const KMS_KEY_SPEC: Spelling = Spelling::aws("customer_master_key_spec", "KeySpec");

/// The key algorithm of a certificate ACM issues (`aws_acm_certificate`,
/// `AWS::CertificateManager::Certificate`).
pub const ACM_KEY_ALGORITHM: Spelling = Spelling::aws("key_algorithm", "KeyAlgorithm");

/// How an Azure Key Vault or Managed HSM key states its algorithm (`azurerm_key_vault_key`,
/// `Microsoft.KeyVault/vaults/keys`): the key type, the RSA or AES size in bits, the EC curve.
/// ARM names are paths under the resource (`properties.kty`).
pub struct VaultKeyNames {
    pub key_type: Spelling,
    pub size: Spelling,
    pub curve: Spelling,
}

pub const VAULT_KEY: VaultKeyNames = VaultKeyNames {
    key_type: Spelling::azure("key_type", "properties.kty"),
    size: Spelling::azure("key_size", "properties.keySize"),
    curve: Spelling::azure("curve", "properties.curveName"),
};

/// Where a resource writes SSH public keys: one attribute (`aws_key_pair.public_key`), a list of
/// blocks (`admin_ssh_key[].public_key` of a Linux VM), or a path under ARM's `properties`.
/// The path's first segment is an attribute; lists fan out after it (see [`ssh_public_keys`]).
fn ssh_key_path(kind: &str) -> Option<&'static str> {
    const ARM: [(&str, &str); 3] = [
        ("Microsoft.Compute/sshPublicKeys", "properties.publicKey"),
        (
            "Microsoft.Compute/virtualMachines",
            "properties.osProfile.linuxConfiguration.ssh.publicKeys.keyData",
        ),
        (
            "Microsoft.Compute/virtualMachineScaleSets",
            "properties.virtualMachineProfile.osProfile.linuxConfiguration.ssh.publicKeys.keyData",
        ),
    ];
    Some(match kind {
        "aws_key_pair" | "azurerm_ssh_public_key" => "public_key",
        "azurerm_linux_virtual_machine" | "azurerm_linux_virtual_machine_scale_set" => {
            "admin_ssh_key.public_key"
        }
        "AWS::EC2::KeyPair" => "PublicKeyMaterial",
        // ARM types are case-insensitive.
        _ => ARM.iter().find(|(k, _)| k.eq_ignore_ascii_case(kind))?.1,
    })
}

/// The SSH public keys a resource sets, with the path they are named by in findings.
pub struct SshKeys<'a> {
    pub path: &'static str,
    pub keys: Vec<&'a Node>,
}

/// The SSH public keys written in `r`, or `None` for a kind that has none.
pub fn ssh_public_keys(r: &Resource) -> Option<SshKeys<'_>> {
    let path = ssh_key_path(&r.kind)?;
    let (first, rest) = path.split_once('.').unwrap_or((path, ""));
    let keys = match r.get(first) {
        Some(n) if rest.is_empty() || n.is_unknown() => vec![n],
        Some(n) => n.all(rest),
        None => Vec::new(),
    };
    let keys = keys.into_iter().filter(|n| !n.is_null()).collect();
    Some(SshKeys { path, keys })
}

/// The key a service generates when the configuration gives none: EC2 makes a key pair of
/// `KeyType` (`rsa`, 2048 bits, by default; or `ed25519`) for an `AWS::EC2::KeyPair` without
/// `PublicKeyMaterial`. The attribute's name, its node, and the default type.
pub fn generated_ssh_key(r: &Resource) -> Option<(&'static str, Option<&Node>, &'static str)> {
    (r.kind == "AWS::EC2::KeyPair").then(|| ("KeyType", r.get("KeyType"), "rsa"))
}
