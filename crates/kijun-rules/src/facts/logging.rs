//! Logging destinations: which Azure diagnostic settings export which log categories of a
//! resource (`azurerm_monitor_diagnostic_setting`, `enabled_log` and legacy `log` blocks), and
//! whether a setting targets a subscription. Used by the Azure logging rules (L1, L2, L5).
//! Also where the AWS log stores keep their destination and retention, as each platform
//! spells it.

use super::links::{designates, Link};
use super::platform::{ByPlatform, Spelling};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource, Value};

/// Log categories and category groups enabled for one target, over all its diagnostic settings.
pub struct EnabledLogs<'a> {
    /// Lower-cased category and category-group names.
    pub names: Vec<String>,
    /// A category, a block or a setting's target that cannot be known.
    pub unknown: Option<&'a Node>,
    /// How many diagnostic settings target the resource.
    pub settings: usize,
}

impl<'a> EnabledLogs<'a> {
    pub fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n.eq_ignore_ascii_case(name))
    }

    pub fn has_any(&self, names: &[&str]) -> bool {
        names.iter().any(|n| self.has(n))
    }

    /// The log categories one exported entry names (`keys`: the category and category-group
    /// fields as the platform spells them); an unknown one makes the export unknown.
    fn add_categories(&mut self, entry: &'a Node, keys: [&str; 2]) {
        for key in keys {
            match entry.child(key).filter(|n| !n.is_null()) {
                Some(n) if n.is_unknown() => {
                    self.unknown.get_or_insert(n);
                }
                Some(n) => {
                    if let Some(s) = n.as_str() {
                        self.names.push(s.to_ascii_lowercase());
                    }
                }
                None => {}
            }
        }
    }
}

/// The logs exported by one diagnostic setting: `enabled_log` blocks (azurerm 3.39+) and legacy
/// `log` blocks (azurerm 3.x, `enabled` defaults to true).
pub fn setting_logs<'a>(d: &'a Resource, out: &mut EnabledLogs<'a>) {
    for block_name in ["enabled_log", "log"] {
        let Some(blocks) = util::set(d, block_name) else {
            continue;
        };
        if blocks.is_unknown() {
            out.unknown.get_or_insert(blocks);
            continue;
        }
        for b in blocks.items() {
            if b.is_unknown() {
                out.unknown.get_or_insert(b);
                continue;
            }
            if block_name == "log" {
                match b.child("enabled").filter(|n| !n.is_null()) {
                    Some(e) if e.is_unknown() => {
                        out.unknown.get_or_insert(e);
                        continue;
                    }
                    Some(e) if e.as_bool() == Some(false) => continue,
                    _ => {}
                }
            }
            out.add_categories(b, ["category", "category_group"]);
        }
    }
}

/// The logs the diagnostic settings in the scan export for `target` (settings whose
/// `target_resource_id` refers to it, also through a sub-resource path such as
/// `"${azurerm_storage_account.x.id}/blobServices/default"`).
pub fn enabled_logs<'a>(ctx: &Ctx<'a>, target: &Resource) -> EnabledLogs<'a> {
    let mut out = EnabledLogs {
        names: Vec::new(),
        unknown: None,
        settings: 0,
    };
    for d in ctx.of_kind("azurerm_monitor_diagnostic_setting") {
        let Some(t) = util::set(d, "target_resource_id") else {
            continue;
        };
        match designates(t, d, target, &["id"]) {
            Link::Yes => {
                out.settings += 1;
                setting_logs(d, &mut out)
            }
            Link::Unknown => {
                out.unknown.get_or_insert(t);
            }
            Link::No => {}
        }
    }
    out
}

/// A not-evaluated hit on the resource header, saying why.
pub fn undetermined(r: &Resource, n: &Node, what_ja: &str, what_en: &str) -> Hit {
    let why = Hit::unknown(n, "azurerm_monitor_diagnostic_setting").detail;
    Hit {
        not_evaluated: true,
        ..Hit::missing(
            r,
            util::t(
                format!("{what_ja}を判定できません。{}", why.ja),
                format!("{what_en} cannot be judged: {}", why.en),
            ),
        )
    }
}

/// What an Azure L2 rule asks of the diagnostic settings of one resource: one of `any_of`
/// (categories or category groups that suffice alone), or all of `all_of` together.
pub struct Wanted<'s> {
    pub any_of: &'s [&'s str],
    pub all_of: &'s [&'s str],
    /// "Key Vault" / "このキーコンテナー": how the detail names the resource.
    pub what_ja: &'s str,
    pub what_en: &'s str,
}

/// Judges the diagnostic settings in the scan that target `r` against `want`.
pub fn require_logs(ctx: &Ctx, r: &Resource, want: &Wanted, out: &mut Vec<Hit>) {
    let logs = enabled_logs(ctx, r);
    if logs.has_any(want.any_of)
        || (!want.all_of.is_empty() && want.all_of.iter().all(|c| logs.has(c)))
    {
        return;
    }
    if let Some(n) = logs.unknown {
        out.push(undetermined(
            r,
            n,
            &format!("{}の監査ログが出力されているか", want.what_ja),
            &format!("whether the audit logs of {} are exported", want.what_en),
        ));
        return;
    }
    let list = if want.all_of.is_empty() {
        want.any_of.first().copied().unwrap_or_default().to_string()
    } else {
        want.all_of.join(", ")
    };
    out.push(Hit::missing(
        r,
        if logs.settings == 0 {
            util::t(
                format!(
                    "スキャンした構成に、{}を対象とする `azurerm_monitor_diagnostic_setting` がありません",
                    want.what_ja
                ),
                format!(
                    "no `azurerm_monitor_diagnostic_setting` in the scanned configuration targets {}",
                    want.what_en
                ),
            )
        } else {
            util::t(
                format!(
                    "{}を対象とする診断設定が、監査ログのカテゴリ（{list}）を出力していません",
                    want.what_ja
                ),
                format!(
                    "the diagnostic settings targeting {} do not export its audit log categories ({list})",
                    want.what_en
                ),
            )
        },
    ));
}

/// Whether a diagnostic setting targets a subscription: a literal `/subscriptions/<id>` or a
/// reference to a subscription (data source or resource).
pub fn subscription_target(t: &Node) -> bool {
    match &t.value {
        Value::String(s) => {
            let s = s.trim_end_matches('/');
            s.strip_prefix("/subscriptions/")
                .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
        }
        Value::Unknown(u) => {
            !u.refs.is_empty()
                && u.refs.iter().all(|a| {
                    let kind = a.rsplit('.').nth(1).unwrap_or_default();
                    kind == "azurerm_subscription"
                })
        }
        _ => false,
    }
}

/// How long a CloudWatch Logs log group keeps its events (`aws_cloudwatch_log_group`,
/// `AWS::Logs::LogGroup`); unset means they never expire.
pub const LOG_GROUP_RETENTION: Spelling = Spelling::aws("retention_in_days", "RetentionInDays");

/// The CloudWatch Logs log group a CloudTrail trail delivers to (`aws_cloudtrail`,
/// `AWS::CloudTrail::Trail`).
pub const CLOUDTRAIL_LOG_GROUP: Spelling =
    Spelling::aws("cloud_watch_logs_group_arn", "CloudWatchLogsLogGroupArn");

/// A logging resource that attaches to the resource it logs: its kind, and the attribute that
/// names the logged resource.
#[derive(Clone, Copy, Debug)]
pub struct Attachment {
    pub kind: &'static str,
    pub attr: &'static str,
}

/// The flow log of a VPC: an `aws_flow_log` whose `vpc_id`, or an `AWS::EC2::FlowLog` whose
/// `ResourceId`, designates it.
pub const VPC_FLOW_LOG: ByPlatform<Attachment> = ByPlatform::aws(
    Attachment {
        kind: "aws_flow_log",
        attr: "vpc_id",
    },
    Attachment {
        kind: "AWS::EC2::FlowLog",
        attr: "ResourceId",
    },
);

/// What tells whether an Elastic Load Balancing v2 load balancer writes access logs, and which
/// listeners serve TLS on it (a Network Load Balancer logs TLS connections only), as each
/// platform spells them. Terraform sets the logs in an `access_logs` block; CloudFormation as a
/// `LoadBalancerAttributes` entry ([`LB_ACCESS_LOGS_KEY`]).
#[derive(Clone, Copy, Debug)]
pub struct LbLogNames {
    /// `application` (the default on both platforms), `network` or `gateway`.
    pub lb_type: &'static str,
    pub listener_kinds: &'static [&'static str],
    pub listener_lb: &'static str,
    pub listener_protocol: &'static str,
}

pub const LB_LOGS: ByPlatform<LbLogNames> = ByPlatform::aws(
    LbLogNames {
        lb_type: "load_balancer_type",
        listener_kinds: &["aws_lb_listener", "aws_alb_listener"],
        listener_lb: "load_balancer_arn",
        listener_protocol: "protocol",
    },
    LbLogNames {
        lb_type: "Type",
        listener_kinds: &["AWS::ElasticLoadBalancingV2::Listener"],
        listener_lb: "LoadBalancerArn",
        listener_protocol: "Protocol",
    },
);

/// The `LoadBalancerAttributes` key that turns on access logs of an
/// `AWS::ElasticLoadBalancingV2::LoadBalancer` (documented default "false").
pub const LB_ACCESS_LOGS_KEY: &str = "access_logs.s3.enabled";

/// A CloudFormation `Key`/`Value` attribute list (`LoadBalancerAttributes`): `Err` with the list
/// when it cannot be known, else the `Value` of the last entry whose `Key` is `key` (the
/// service applies entries in order).
pub fn key_value_entry<'a>(
    list: Option<&'a Node>,
    key: &str,
) -> Result<Option<&'a Node>, &'a Node> {
    let Some(list) = list.filter(|l| !l.is_null()) else {
        return Ok(None);
    };
    if list.is_unknown() {
        return Err(list);
    }
    let mut found = None;
    for e in list.items() {
        if e.is_unknown() {
            return Err(e);
        }
        match e.child("Key").filter(|k| !k.is_null()) {
            Some(k) if k.is_unknown() => return Err(k),
            Some(k) if k.as_str().is_some_and(|k| k.trim() == key) => {
                found = e.child("Value").filter(|v| !v.is_null());
            }
            _ => {}
        }
    }
    Ok(found)
}

/// A CloudFormation switch written as a string (`"true"`) or, in YAML, a bare boolean.
pub fn is_true(v: &Node) -> bool {
    v.as_bool() == Some(true)
        || v.as_str()
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("true"))
}

/// A setting at a dotted path (`DistributionConfig.Logging`): `Err` with the first node on the
/// way that cannot be known, `Ok(None)` when the configuration does not set it. A list on the
/// way is read through its first element (a Terraform block).
pub fn at_path<'a>(r: &'a Resource, path: &str) -> Result<Option<&'a Node>, &'a Node> {
    let mut parts = path.split('.');
    let Some(mut node) = parts.next().and_then(|p| util::set(r, p)) else {
        return Ok(None);
    };
    for p in parts {
        if node.is_unknown() {
            return Err(node);
        }
        let holder = match node.items().first() {
            Some(n) => *n,
            None => return Ok(None),
        };
        if holder.is_unknown() {
            return Err(holder);
        }
        match holder.child(p).filter(|n| !n.is_null()) {
            Some(n) => node = n,
            None => return Ok(None),
        }
    }
    if node.is_unknown() {
        Err(node)
    } else {
        Ok(Some(node))
    }
}

/// CloudFront standard logging, as each platform spells it: the distribution's own setting
/// ("legacy" logging to a bucket) and, since standard logging v2, a CloudWatch Logs delivery
/// source of type `ACCESS_LOGS` whose resource ARN is the distribution.
#[derive(Clone, Copy, Debug)]
pub struct CloudFrontLogNames {
    /// Path of the logging setting on the distribution, and the bucket inside it.
    pub config: &'static str,
    pub bucket: &'static str,
    pub source_kind: &'static str,
    pub log_type: &'static str,
    pub resource_arn: &'static str,
    /// Literal identifiers of a distribution a delivery source may name.
    pub idents: &'static [&'static str],
}

pub const CLOUDFRONT_LOGS: ByPlatform<CloudFrontLogNames> = ByPlatform::aws(
    CloudFrontLogNames {
        config: "logging_config",
        bucket: "bucket",
        source_kind: "aws_cloudwatch_log_delivery_source",
        log_type: "log_type",
        resource_arn: "resource_arn",
        idents: &["arn"],
    },
    CloudFrontLogNames {
        config: "DistributionConfig.Logging",
        bucket: "Bucket",
        source_kind: "AWS::Logs::DeliverySource",
        log_type: "LogType",
        resource_arn: "ResourceArn",
        idents: &[],
    },
);

/// Where an API Gateway stage keeps its access-log settings, and the destination inside them
/// that must be set for any log to be written.
#[derive(Clone, Copy, Debug)]
pub struct StageLogNames {
    pub settings: &'static str,
    /// Terraform's schema requires `destination_arn` in the block, so the block suffices;
    /// CloudFormation's `DestinationArn` is optional and nothing is written without it.
    pub destination: Option<&'static str>,
}

/// The access-log settings of an API Gateway stage of `kind`: Terraform spells them
/// `access_log_settings` on both REST (`aws_api_gateway_stage`) and HTTP/WebSocket
/// (`aws_apigatewayv2_stage`) stages; CloudFormation `AccessLogSetting` on
/// `AWS::ApiGateway::Stage` and `AccessLogSettings` on `AWS::ApiGatewayV2::Stage`.
pub fn stage_access_logs(r: &Resource) -> StageLogNames {
    let cfn = |settings| StageLogNames {
        settings,
        destination: Some("DestinationArn"),
    };
    ByPlatform::aws(
        StageLogNames {
            settings: "access_log_settings",
            destination: None,
        },
        if r.kind == "AWS::ApiGatewayV2::Stage" {
            cfn("AccessLogSettings")
        } else {
            cfn("AccessLogSetting")
        },
    )
    .of(r)
}

/// The database logs an RDS DB instance or cluster exports to CloudWatch Logs
/// (`aws_db_instance`/`aws_rds_cluster`, `AWS::RDS::DBInstance`/`AWS::RDS::DBCluster`);
/// unset means none.
pub const RDS_LOG_EXPORTS: Spelling = Spelling::aws(
    "enabled_cloudwatch_logs_exports",
    "EnableCloudwatchLogsExports",
);

/// Whether `r` is a DB instance that belongs to a cluster (a CloudFormation
/// `AWS::RDS::DBInstance` with a `DBClusterIdentifier`): an Aurora instance's logs are exported
/// by its cluster. Terraform gives cluster members a kind of their own
/// (`aws_rds_cluster_instance`), so an `aws_db_instance` never is one.
pub fn rds_cluster_member(r: &Resource) -> bool {
    r.kind == "AWS::RDS::DBInstance" && util::set(r, "DBClusterIdentifier").is_some()
}

/// Where an MSK cluster sends its broker logs (`aws_msk_cluster`, `AWS::MSK::Cluster`): the
/// destinations under `logging_info.broker_logs` (`LoggingInfo.BrokerLogs`), each with a
/// switch.
#[derive(Clone, Copy, Debug)]
pub struct MskLogNames {
    pub info: &'static str,
    pub broker_logs: &'static str,
    pub destinations: [&'static str; 3],
    pub enabled: &'static str,
}

pub const MSK_BROKER_LOGS: ByPlatform<MskLogNames> = ByPlatform::aws(
    MskLogNames {
        info: "logging_info",
        broker_logs: "broker_logs",
        destinations: ["cloudwatch_logs", "firehose", "s3"],
        enabled: "enabled",
    },
    MskLogNames {
        info: "LoggingInfo",
        broker_logs: "BrokerLogs",
        destinations: ["CloudWatchLogs", "Firehose", "S3"],
        enabled: "Enabled",
    },
);

/// OpenSearch log publishing (`aws_opensearch_domain`/`aws_elasticsearch_domain`,
/// `AWS::OpenSearchService::Domain`/`AWS::Elasticsearch::Domain`). Terraform has a list of
/// `log_publishing_options` blocks with a `log_type` and `enabled` (default true);
/// CloudFormation a `LogPublishingOptions` map keyed by log type whose `Enabled` defaults to
/// false. The log type that records access is `AUDIT_LOGS` on both.
pub const OPENSEARCH_LOG_PUBLISHING: Spelling =
    Spelling::aws("log_publishing_options", "LogPublishingOptions");

/// Redshift audit logging on the cluster itself: Terraform's deprecated inline `logging`
/// block (its `enable` required), CloudFormation's `LoggingProperties` (logging is on when it
/// is set, to the bucket it names or to CloudWatch Logs).
pub const REDSHIFT_LOGGING: Spelling = Spelling::aws("logging", "LoggingProperties");

/// The logging configuration of a WAFv2 web ACL: an `aws_wafv2_web_acl_logging_configuration`
/// whose `resource_arn`, or an `AWS::WAFv2::LoggingConfiguration` whose `ResourceArn`,
/// designates it.
pub const WAF_LOGGING: ByPlatform<Attachment> = ByPlatform::aws(
    Attachment {
        kind: "aws_wafv2_web_acl_logging_configuration",
        attr: "resource_arn",
    },
    Attachment {
        kind: "AWS::WAFv2::LoggingConfiguration",
        attr: "ResourceArn",
    },
);

/// The control-plane log types an EKS cluster sends to CloudWatch Logs: Terraform's
/// `enabled_cluster_log_types` is a list of names; CloudFormation's
/// `Logging.ClusterLogging.EnabledTypes` a list of `{Type: name}`. Unset means none on both.
pub const EKS_LOG_TYPES: ByPlatform<(&str, Option<&str>)> = ByPlatform::aws(
    ("enabled_cluster_log_types", None),
    ("Logging.ClusterLogging.EnabledTypes", Some("Type")),
);

/// Where a log source names the bucket it writes to: a dotted path (every element of the lists
/// on the way), or the `Value` of a CloudFormation `Key`/`Value` attribute list entry.
#[derive(Clone, Copy, Debug)]
pub enum BucketField {
    Path(&'static str),
    Entry(&'static str, &'static str),
}

/// The log sources that write to S3 buckets (CloudTrail, load balancers, CloudFront, VPC flow
/// logs, Redshift, AWS Config, MSK, S3 server access logs), as each platform names them, and the
/// literal identifiers of a bucket a source may give.
#[derive(Clone, Copy, Debug)]
pub struct LogBucketNames {
    pub sources: &'static [(&'static str, BucketField)],
    pub idents: &'static [&'static str],
}

pub const LOG_BUCKET_SOURCES: ByPlatform<LogBucketNames> = ByPlatform::aws(
    LogBucketNames {
        sources: &[
            ("aws_cloudtrail", BucketField::Path("s3_bucket_name")),
            ("aws_lb", BucketField::Path("access_logs.bucket")),
            ("aws_alb", BucketField::Path("access_logs.bucket")),
            ("aws_elb", BucketField::Path("access_logs.bucket")),
            (
                "aws_cloudfront_distribution",
                BucketField::Path("logging_config.bucket"),
            ),
            ("aws_flow_log", BucketField::Path("log_destination")),
            ("aws_redshift_logging", BucketField::Path("bucket_name")),
            (
                "aws_config_delivery_channel",
                BucketField::Path("s3_bucket_name"),
            ),
            (
                "aws_msk_cluster",
                BucketField::Path("logging_info.broker_logs.s3.bucket"),
            ),
            ("aws_s3_bucket_logging", BucketField::Path("target_bucket")),
        ],
        idents: &["bucket", "bucket_domain_name"],
    },
    LogBucketNames {
        sources: &[
            ("AWS::CloudTrail::Trail", BucketField::Path("S3BucketName")),
            (
                "AWS::ElasticLoadBalancingV2::LoadBalancer",
                BucketField::Entry("LoadBalancerAttributes", "access_logs.s3.bucket"),
            ),
            (
                "AWS::ElasticLoadBalancing::LoadBalancer",
                BucketField::Path("AccessLoggingPolicy.S3BucketName"),
            ),
            (
                "AWS::CloudFront::Distribution",
                BucketField::Path("DistributionConfig.Logging.Bucket"),
            ),
            ("AWS::EC2::FlowLog", BucketField::Path("LogDestination")),
            (
                "AWS::Redshift::Cluster",
                BucketField::Path("LoggingProperties.BucketName"),
            ),
            (
                "AWS::Config::DeliveryChannel",
                BucketField::Path("S3BucketName"),
            ),
            (
                "AWS::MSK::Cluster",
                BucketField::Path("LoggingInfo.BrokerLogs.S3.Bucket"),
            ),
            (
                "AWS::S3::Bucket",
                BucketField::Path("LoggingConfiguration.DestinationBucketName"),
            ),
        ],
        idents: &["BucketName"],
    },
);

/// The nodes of `src` that name a destination bucket.
fn bucket_nodes(src: &Resource, field: BucketField) -> Vec<&Node> {
    match field {
        BucketField::Path(path) => {
            let (first, rest) = path.split_once('.').unwrap_or((path, ""));
            let Some(top) = util::set(src, first) else {
                return Vec::new();
            };
            if rest.is_empty() {
                vec![top]
            } else {
                top.all(rest).into_iter().flat_map(|n| n.items()).collect()
            }
        }
        BucketField::Entry(list, key) => match key_value_entry(src.get(list), key) {
            Ok(v) => v.into_iter().collect(),
            Err(n) => vec![n],
        },
    }
}

/// Whether `bucket` receives logs from a source in the scan; `Some(address)` of the first
/// source that names it (`None` for S3 server access logs). `Link::Unknown` when a source's
/// destination cannot be known.
pub fn log_bucket_source(ctx: &Ctx, bucket: &Resource) -> (Link, Option<String>) {
    if super::links::is_access_log_target(ctx, bucket) {
        return (Link::Yes, None);
    }
    let names = LOG_BUCKET_SOURCES.of(bucket);
    let mut unknown = false;
    for (kind, field) in names.sources {
        for src in ctx.of_kind(kind) {
            for n in bucket_nodes(src, *field) {
                match designates(n, src, bucket, names.idents) {
                    Link::Yes => return (Link::Yes, Some(src.address.clone())),
                    Link::Unknown => unknown = true,
                    Link::No => {}
                }
            }
        }
    }
    if unknown {
        (Link::Unknown, None)
    } else {
        (Link::No, None)
    }
}

/// The lifecycle rules on a bucket itself: Terraform's legacy inline `lifecycle_rule` blocks
/// (`enabled`, `expiration.days`), CloudFormation's `LifecycleConfiguration.Rules`
/// (`Status: Enabled`, `ExpirationInDays`). The companion `aws_s3_bucket_lifecycle_configuration`
/// has `rule` blocks with `status` and `expiration.days`.
#[derive(Clone, Copy, Debug)]
pub struct LifecycleNames {
    pub rules: &'static str,
    pub status: &'static str,
    pub days: &'static str,
}

pub const S3_BUCKET_LIFECYCLE: ByPlatform<LifecycleNames> = ByPlatform::aws(
    LifecycleNames {
        rules: "lifecycle_rule",
        status: "enabled",
        days: "expiration.days",
    },
    LifecycleNames {
        rules: "LifecycleConfiguration.Rules",
        status: "Status",
        days: "ExpirationInDays",
    },
);

/// The rules of an `aws_s3_bucket_lifecycle_configuration`.
pub const S3_LIFECYCLE_CONFIGURATION: LifecycleNames = LifecycleNames {
    rules: "rule",
    status: "status",
    days: "expiration.days",
};

/// Whether `n`, a block or attribute of `r`, is one the provider computes and a plan shows
/// "known after apply" because the configuration leaves it out: unknown, referring to nothing,
/// in plan JSON. Since AWS provider v4 the legacy inline blocks of `aws_s3_bucket` (`logging`,
/// `lifecycle_rule`, `object_lock_configuration`) and `object_lock_enabled`, and the inline
/// `logging` of `aws_redshift_cluster`, are such; the companion resources decide.
pub fn computed_in_plan(r: &Resource, n: &Node) -> bool {
    r.platform == kijun_model::Platform::TerraformPlan
        && matches!(&n.value, Value::Unknown(u) if u.refs.is_empty())
}

/// The bucket a CloudTrail trail delivers to, and the bucket's Object Lock default retention,
/// as each platform spells them. Terraform: `aws_cloudtrail.s3_bucket_name`, and an
/// `aws_s3_bucket_object_lock_configuration` with a `rule` naming the bucket (or the legacy
/// inline `object_lock_configuration.rule`). CloudFormation: `AWS::CloudTrail::Trail`
/// `S3BucketName`, and the bucket's own `ObjectLockConfiguration.Rule` (which needs
/// `ObjectLockEnabled: true` on the bucket).
#[derive(Clone, Copy, Debug)]
pub struct TrailLockNames {
    pub trail_kind: &'static str,
    pub trail_bucket: &'static str,
    /// Literal identifiers of a bucket a trail may give.
    pub idents: &'static [&'static str],
    pub inline: &'static str,
    pub inline_rule: &'static str,
    /// The companion resource: its kind, the attribute naming the bucket, its rule block.
    pub companion: Option<(&'static str, &'static str, &'static str)>,
}

pub const CLOUDTRAIL_BUCKET_LOCK: ByPlatform<TrailLockNames> = ByPlatform::aws(
    TrailLockNames {
        trail_kind: "aws_cloudtrail",
        trail_bucket: "s3_bucket_name",
        idents: &["bucket"],
        inline: "object_lock_configuration",
        inline_rule: "rule",
        companion: Some(("aws_s3_bucket_object_lock_configuration", "bucket", "rule")),
    },
    TrailLockNames {
        trail_kind: "AWS::CloudTrail::Trail",
        trail_bucket: "S3BucketName",
        idents: &["BucketName"],
        inline: "ObjectLockConfiguration",
        inline_rule: "Rule",
        companion: None,
    },
);

/// The logs an ARM diagnostic setting (`Microsoft.Insights/diagnosticSettings`) exports:
/// `properties.logs[]` entries with a `category` or `categoryGroup` and a required `enabled`
/// (an entry without `enabled: true` exports nothing).
pub fn arm_setting_logs<'a>(d: &'a Resource, out: &mut EnabledLogs<'a>) {
    let logs = match at_path(d, "properties.logs") {
        Ok(Some(l)) => l,
        Ok(None) => return,
        Err(n) => {
            out.unknown.get_or_insert(n);
            return;
        }
    };
    for e in logs.items() {
        if e.is_unknown() {
            out.unknown.get_or_insert(e);
            continue;
        }
        match e.child("enabled").filter(|n| !n.is_null()) {
            Some(n) if n.is_unknown() => {
                out.unknown.get_or_insert(n);
                continue;
            }
            Some(n) if is_true(n) => {}
            _ => continue,
        }
        out.add_categories(e, ["category", "categoryGroup"]);
    }
}

/// The logs one diagnostic setting exports, read as its platform writes them (Terraform's
/// `azurerm_monitor_diagnostic_setting`, ARM's `Microsoft.Insights/diagnosticSettings`).
pub const DIAGNOSTIC_SETTING_LOGS: ByPlatform<for<'a> fn(&'a Resource, &mut EnabledLogs<'a>)> =
    ByPlatform::azure(setting_logs, arm_setting_logs);

/// How a finding names the category of a diagnostic setting's log entry.
pub const DIAGNOSTIC_LOG_CATEGORY: Spelling =
    Spelling::azure("enabled_log.category", "properties.logs.category");

/// Whether a diagnostic setting exports a subscription's activity log. Terraform: its
/// `target_resource_id` is a subscription ([`subscription_target`]). ARM: a
/// `Microsoft.Insights/diagnosticSettings` deployed at subscription scope (a subscription
/// deployment template) has no `scope`, or a `scope` that is a subscription; a setting of a
/// resource names the resource in `scope`.
pub fn targets_subscription(d: &Resource) -> bool {
    fn terraform(d: &Resource) -> bool {
        util::set(d, "target_resource_id").is_some_and(subscription_target)
    }
    fn arm(d: &Resource) -> bool {
        match util::set(d, "scope") {
            None => true,
            Some(s) => subscription_target(s),
        }
    }
    let read: ByPlatform<fn(&Resource) -> bool> = ByPlatform::azure(terraform, arm);
    (read.of(d))(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kijun_model::{Map, Origin};

    fn s(v: &str) -> Node {
        Node::string(v, Origin::default())
    }

    fn entry(k: Node, v: Node) -> Node {
        let m: Map = [("Key", k), ("Value", v)].into_iter().collect();
        Node::new(Value::Object(m), Origin::default())
    }

    fn list(items: Vec<Node>) -> Node {
        Node::new(Value::List(items), Origin::default())
    }

    /// A load balancer's access logs are one entry among other attributes; the last entry with
    /// the key wins, and an entry whose key is only known at deployment makes the answer unknown.
    #[test]
    fn key_value_entries_are_found_by_key() {
        let unknown = || Node::unknown(kijun_model::Text::default(), Origin::default());
        let attrs = list(vec![
            entry(s("idle_timeout.timeout_seconds"), s("60")),
            entry(s("access_logs.s3.enabled"), s("false")),
            entry(s(" access_logs.s3.enabled "), s("true")),
        ]);
        let v = key_value_entry(Some(&attrs), LB_ACCESS_LOGS_KEY);
        assert!(v.is_ok_and(|v| v.is_some_and(is_true)));
        let other = list(vec![entry(s("idle_timeout.timeout_seconds"), s("60"))]);
        assert!(key_value_entry(Some(&other), LB_ACCESS_LOGS_KEY).is_ok_and(|v| v.is_none()));
        assert!(key_value_entry(None, LB_ACCESS_LOGS_KEY).is_ok_and(|v| v.is_none()));
        let hidden = list(vec![entry(unknown(), s("true"))]);
        assert!(key_value_entry(Some(&hidden), LB_ACCESS_LOGS_KEY).is_err());
        assert!(key_value_entry(Some(&unknown()), LB_ACCESS_LOGS_KEY).is_err());
        assert!(is_true(&Node::new(Value::Bool(true), Origin::default())));
        assert!(is_true(&s("TRUE")));
        assert!(!is_true(&s("false")));
    }

    fn resource(platform: kijun_model::Platform, kind: &str, attrs: Vec<(&str, Node)>) -> Resource {
        Resource {
            platform,
            kind: kind.into(),
            address: "x".into(),
            at: Origin::default(),
            attrs: attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            provider: None,
            refs: Vec::new(),
            module: String::new(),
            inline_exceptions: Vec::new(),
        }
    }

    fn object(entries: Vec<(&str, Node)>) -> Node {
        let m: Map = entries.into_iter().collect();
        Node::new(Value::Object(m), Origin::default())
    }

    /// A nested CloudFormation setting is found through objects and blocks; one that depends on
    /// a value known only at deployment is an error naming that value, not "unset".
    #[test]
    fn settings_are_read_at_dotted_paths() {
        use kijun_model::Platform::Cloudformation;
        let logging = object(vec![("Bucket", s("acme-logs.s3.amazonaws.com"))]);
        let dist = resource(
            Cloudformation,
            "AWS::CloudFront::Distribution",
            vec![("DistributionConfig", object(vec![("Logging", logging)]))],
        );
        let got = at_path(&dist, CLOUDFRONT_LOGS.of(&dist).config);
        assert!(got.is_ok_and(|n| n.and_then(|n| n.child("Bucket")).is_some()));
        let bare = resource(
            Cloudformation,
            "AWS::CloudFront::Distribution",
            vec![("DistributionConfig", object(vec![("Enabled", s("true"))]))],
        );
        assert!(at_path(&bare, "DistributionConfig.Logging").is_ok_and(|n| n.is_none()));
        let unknown = Node::unknown(kijun_model::Text::default(), Origin::default());
        let hidden = resource(
            Cloudformation,
            "AWS::CloudFront::Distribution",
            vec![("DistributionConfig", unknown)],
        );
        assert!(at_path(&hidden, "DistributionConfig.Logging").is_err());
    }

    /// REST and HTTP API stages spell their access-log settings differently in CloudFormation,
    /// and the same in Terraform.
    #[test]
    fn api_stages_have_their_spelling() {
        use kijun_model::Platform::{Cloudformation, Terraform};
        let v1 = resource(Cloudformation, "AWS::ApiGateway::Stage", vec![]);
        let v2 = resource(Cloudformation, "AWS::ApiGatewayV2::Stage", vec![]);
        let tf = resource(Terraform, "aws_apigatewayv2_stage", vec![]);
        assert_eq!(stage_access_logs(&v1).settings, "AccessLogSetting");
        assert_eq!(stage_access_logs(&v2).settings, "AccessLogSettings");
        assert_eq!(stage_access_logs(&v2).destination, Some("DestinationArn"));
        assert_eq!(stage_access_logs(&tf).settings, "access_log_settings");
        assert_eq!(stage_access_logs(&tf).destination, None);
    }

    /// Only a value a plan computes (unknown, naming nothing) is "left out"; the same value in
    /// a configuration, or one that refers to a resource, is a real unknown.
    #[test]
    fn computed_blocks_are_recognised_in_plans_only() {
        use kijun_model::Platform::{Terraform, TerraformPlan};
        let computed = Node::unknown(kijun_model::Text::default(), Origin::default());
        let plan = resource(TerraformPlan, "aws_s3_bucket", vec![]);
        let hcl = resource(Terraform, "aws_s3_bucket", vec![]);
        assert!(computed_in_plan(&plan, &computed));
        assert!(!computed_in_plan(&hcl, &computed));
        let referring = Node::new(
            Value::Unknown(kijun_model::Unknown {
                reason: std::sync::Arc::new(kijun_model::Text::default()),
                refs: vec![std::sync::Arc::from("aws_s3_bucket.logs")],
            }),
            Origin::default(),
        );
        assert!(!computed_in_plan(&plan, &referring));
        assert!(!computed_in_plan(&plan, &s("acme")));
    }

    /// An ARM diagnostic setting without a scope belongs to the subscription deployment and
    /// exports only the entries switched on; one scoped to a resource is not the activity log.
    #[test]
    fn arm_diagnostic_settings_are_read() {
        use kijun_model::Platform::Arm;
        let entry = |k: &str, v: &str, on: bool| {
            object(vec![
                (k, s(v)),
                ("enabled", Node::new(Value::Bool(on), Origin::default())),
            ])
        };
        let logs = list(vec![
            entry("category", "Administrative", true),
            entry("category", "Security", false),
            entry("categoryGroup", "audit", true),
        ]);
        let d = resource(
            Arm,
            "Microsoft.Insights/diagnosticSettings",
            vec![("properties", object(vec![("logs", logs)]))],
        );
        assert!(targets_subscription(&d));
        let mut out = EnabledLogs {
            names: Vec::new(),
            unknown: None,
            settings: 1,
        };
        (DIAGNOSTIC_SETTING_LOGS.of(&d))(&d, &mut out);
        assert!(out.has("administrative") && out.has("audit"));
        assert!(!out.has("Security"));
        assert_eq!(DIAGNOSTIC_LOG_CATEGORY.of(&d), "properties.logs.category");
        let scoped = resource(
            Arm,
            "Microsoft.Insights/diagnosticSettings",
            vec![("scope", s("Microsoft.KeyVault/vaults/kv-app"))],
        );
        assert!(!targets_subscription(&scoped));
        let sub = resource(
            Arm,
            "Microsoft.Insights/diagnosticSettings",
            vec![(
                "scope",
                s("/subscriptions/00000000-0000-0000-0000-000000000000"),
            )],
        );
        assert!(targets_subscription(&sub));
    }

    /// The spellings of this module follow their platform's conventions (a PascalCase
    /// CloudFormation name in Terraform's slot is a copy mistake no fixture would show).
    #[test]
    fn aws_spellings_follow_each_platforms_case() {
        let snake = |t: &str| {
            t.split('.').all(|p| {
                p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            })
        };
        let pascal = |c: &str| {
            c.split('.').all(|p| {
                p.starts_with(|x: char| x.is_ascii_uppercase())
                    && p.chars().all(|x| x.is_ascii_alphanumeric() || x == '_')
            })
        };
        let pairs = [
            RDS_LOG_EXPORTS,
            OPENSEARCH_LOG_PUBLISHING,
            REDSHIFT_LOGGING,
            Spelling::aws(
                CLOUDFRONT_LOGS.terraform.config,
                CLOUDFRONT_LOGS.cloudformation.config,
            ),
            Spelling::aws(
                MSK_BROKER_LOGS.terraform.info,
                MSK_BROKER_LOGS.cloudformation.info,
            ),
            Spelling::aws(EKS_LOG_TYPES.terraform.0, EKS_LOG_TYPES.cloudformation.0),
            Spelling::aws(LB_LOGS.terraform.lb_type, LB_LOGS.cloudformation.lb_type),
            Spelling::aws(
                S3_BUCKET_LIFECYCLE.terraform.rules,
                S3_BUCKET_LIFECYCLE.cloudformation.rules,
            ),
            Spelling::aws(
                CLOUDTRAIL_BUCKET_LOCK.terraform.inline,
                CLOUDTRAIL_BUCKET_LOCK.cloudformation.inline,
            ),
            Spelling::aws(WAF_LOGGING.terraform.attr, WAF_LOGGING.cloudformation.attr),
        ];
        for p in pairs {
            assert!(
                snake(p.terraform),
                "{p:?}: the Terraform name is not snake_case"
            );
            assert!(
                pascal(p.cloudformation),
                "{p:?}: the CloudFormation name is not PascalCase"
            );
        }
    }
}
