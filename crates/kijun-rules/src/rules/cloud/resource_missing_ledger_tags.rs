//! KJ-C4-001 `resource-missing-ledger-tags`: taggable resources carry the tags that reconcile them
//! with the information-system ledger (情報システム台帳).
//!
//! Only resource types known to accept `tags` (AWS, Azure) or `labels` (GCP) at the top level
//! are judged, from the lists below: a type missing from a list is never reported, so the lists
//! err on the side of silence. AWS provider `default_tags` count as the resource's tags.

use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource, Value};

/// AWS resource types whose `tags` argument is documented (a pragmatic subset of the provider).
const AWS: &[&str] = &[
    "aws_acm_certificate",
    "aws_ami",
    "aws_api_gateway_rest_api",
    "aws_api_gateway_stage",
    "aws_apigatewayv2_api",
    "aws_apigatewayv2_stage",
    "aws_autoscaling_group", // uses `tag` blocks; see below
    "aws_backup_plan",
    "aws_backup_vault",
    "aws_cloudfront_distribution",
    "aws_cloudtrail",
    "aws_cloudwatch_log_group",
    "aws_cloudwatch_metric_alarm",
    "aws_codebuild_project",
    "aws_db_instance",
    "aws_db_subnet_group",
    "aws_docdb_cluster",
    "aws_dynamodb_table",
    "aws_ebs_volume",
    "aws_ecr_repository",
    "aws_ecs_cluster",
    "aws_ecs_service",
    "aws_ecs_task_definition",
    "aws_efs_file_system",
    "aws_eip",
    "aws_eks_cluster",
    "aws_eks_node_group",
    "aws_elasticache_replication_group",
    "aws_elasticsearch_domain",
    "aws_flow_log",
    "aws_iam_policy",
    "aws_iam_role",
    "aws_iam_user",
    "aws_instance",
    "aws_internet_gateway",
    "aws_kinesis_stream",
    "aws_kms_key",
    "aws_lambda_function",
    "aws_launch_template",
    "aws_lb",
    "aws_lb_target_group",
    "aws_msk_cluster",
    "aws_nat_gateway",
    "aws_network_acl",
    "aws_opensearch_domain",
    "aws_rds_cluster",
    "aws_redshift_cluster",
    "aws_route53_zone",
    "aws_route_table",
    "aws_s3_bucket",
    "aws_secretsmanager_secret",
    "aws_security_group",
    "aws_sfn_state_machine",
    "aws_sns_topic",
    "aws_sqs_queue",
    "aws_ssm_parameter",
    "aws_subnet",
    "aws_vpc",
    "aws_vpc_endpoint",
    "aws_wafv2_web_acl",
];

/// Azure resource types whose `tags` argument is documented.
const AZURE: &[&str] = &[
    "azurerm_application_gateway",
    "azurerm_container_registry",
    "azurerm_cosmosdb_account",
    "azurerm_firewall",
    "azurerm_key_vault",
    "azurerm_kubernetes_cluster",
    "azurerm_lb",
    "azurerm_linux_function_app",
    "azurerm_linux_virtual_machine",
    "azurerm_linux_web_app",
    "azurerm_log_analytics_workspace",
    "azurerm_managed_disk",
    "azurerm_mssql_database",
    "azurerm_mssql_server",
    "azurerm_mysql_flexible_server",
    "azurerm_network_interface",
    "azurerm_network_security_group",
    "azurerm_postgresql_flexible_server",
    "azurerm_private_endpoint",
    "azurerm_public_ip",
    "azurerm_redis_cache",
    "azurerm_resource_group",
    "azurerm_service_plan",
    "azurerm_storage_account",
    "azurerm_user_assigned_identity",
    "azurerm_virtual_network",
    "azurerm_windows_virtual_machine",
    "azurerm_windows_web_app",
];

/// GCP resource types whose top-level `labels` argument is documented (Cloud SQL keeps its
/// labels in `settings.user_labels` and GKE in `resource_labels`: not judged).
const GCP: &[&str] = &[
    "google_bigquery_dataset",
    "google_bigquery_table",
    "google_cloud_run_v2_service",
    "google_cloudfunctions2_function",
    "google_cloudfunctions_function",
    "google_compute_address",
    "google_compute_disk",
    "google_compute_image",
    "google_compute_instance",
    "google_compute_region_disk",
    "google_compute_snapshot",
    "google_dataproc_cluster",
    "google_filestore_instance",
    "google_kms_crypto_key",
    "google_pubsub_subscription",
    "google_pubsub_topic",
    "google_redis_instance",
    "google_secret_manager_secret",
    "google_spanner_instance",
    "google_storage_bucket",
];

/// CloudFormation resource types whose `Tags` (a list of `Key`/`Value`) is documented.
const CFN: &[&str] = &[
    "AWS::DynamoDB::Table",
    "AWS::EC2::Instance",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::Subnet",
    "AWS::EC2::VPC",
    "AWS::EKS::Cluster",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::KMS::Key",
    "AWS::Lambda::Function",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::S3::Bucket",
    "AWS::SNS::Topic",
    "AWS::SQS::Queue",
];

/// ARM resource types whose top-level `tags` object is documented.
const ARM: &[&str] = &[
    "Microsoft.Compute/virtualMachines",
    "Microsoft.ContainerService/managedClusters",
    "Microsoft.DocumentDB/databaseAccounts",
    "Microsoft.KeyVault/vaults",
    "Microsoft.Network/networkSecurityGroups",
    "Microsoft.Network/virtualNetworks",
    "Microsoft.Sql/servers",
    "Microsoft.Sql/servers/databases",
    "Microsoft.Storage/storageAccounts",
    "Microsoft.Web/sites",
];

/// Kubernetes kinds whose `metadata.labels` carry the ledger labels.
const K8S: &[&str] = &[
    "CronJob",
    "DaemonSet",
    "Deployment",
    "Ingress",
    "Job",
    "Pod",
    "Service",
    "StatefulSet",
];

fn tag_attr(kind: &str) -> Option<&'static str> {
    if AWS.contains(&kind) || AZURE.contains(&kind) || ARM.contains(&kind) {
        Some("tags")
    } else if GCP.contains(&kind) {
        Some("labels")
    } else if CFN.contains(&kind) {
        Some("Tags")
    } else if K8S.contains(&kind) {
        Some("metadata.labels")
    } else {
        None
    }
}

/// Keys of a tag map, or of `aws_autoscaling_group` `tag { key = … }` blocks. `Err` carries the
/// unknown node when the keys cannot be known.
/// The keys of a tag map, or of a list of blocks whose key is the child `key_field` (Auto
/// Scaling `tag` blocks: `key`; CloudFormation `Tags`: `Key`).
fn keys_of<'a>(n: &'a Node, key_field: Option<&str>) -> Result<Vec<&'a str>, &'a Node> {
    if n.is_unknown() {
        return Err(n);
    }
    if let Some(field) = key_field {
        let mut out = Vec::new();
        for b in n.items() {
            match b.child(field) {
                Some(k) if k.is_unknown() => return Err(k),
                Some(k) => {
                    if let Some(s) = k.as_str() {
                        out.push(s);
                    }
                }
                None if b.is_unknown() => return Err(b),
                None => {}
            }
        }
        return Ok(out);
    }
    match &n.value {
        Value::Object(m) => Ok(m.keys().map(|k| &**k).collect()),
        _ => Ok(Vec::new()),
    }
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let required = &ctx.settings.required_tags;
    if required.is_empty() {
        return;
    }
    let Some(mut attr) = tag_attr(&r.kind) else {
        return;
    };
    let asg = r.kind == "aws_autoscaling_group";
    // The AWS provider's `default_tags` apply to the Terraform AWS types listed above.
    let aws_terraform = AWS.contains(&r.kind.as_str());
    if asg {
        attr = "tag";
    }
    let key_field = if asg {
        Some("key")
    } else if attr == "Tags" {
        Some("Key")
    } else {
        None
    };
    let own = if attr == "metadata.labels" {
        util::set(r, "metadata")
            .and_then(|m| m.child("labels"))
            .filter(|n| !n.is_null())
    } else {
        util::set(r, attr)
    };
    let mut present: Vec<&str> = Vec::new();
    if let Some(n) = own {
        match keys_of(n, key_field) {
            Ok(k) => present.extend(k),
            Err(u) => {
                out.push(Hit::unknown(u, attr));
                return;
            }
        }
    }
    // AWS provider `default_tags` are applied to the provider's taggable resources, except
    // Auto Scaling groups (provider documentation).
    let default_tags = r
        .provider
        .as_ref()
        .filter(|_| aws_terraform && !asg)
        .and_then(|p| p.default_tags.as_ref())
        .filter(|n| !n.is_null());
    if let Some(d) = default_tags {
        match keys_of(d, None) {
            Ok(k) => present.extend(k),
            Err(u) => {
                out.push(Hit::unknown(u, "default_tags"));
                return;
            }
        }
    }
    // In a plan, Terraform has already merged the provider's `default_tags` into `tags_all`
    // (the plan's provider configuration does not carry them), so its keys count too.
    if r.platform == kijun_model::Platform::TerraformPlan && aws_terraform && !asg {
        if let Some(Value::Object(m)) = util::set(r, "tags_all").map(|n| &n.value) {
            present.extend(m.keys().map(|k| &**k));
        }
    }
    let missing: Vec<&str> = required
        .iter()
        .map(String::as_str)
        .filter(|k| !present.iter().any(|p| p.eq_ignore_ascii_case(k)))
        .collect();
    if missing.is_empty() {
        return;
    }
    let list = missing
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let detail = util::t(
        format!("台帳との照合に必要なタグ {list} が `{attr}` にありません"),
        format!("`{attr}` lacks the ledger tag(s) {list}"),
    );
    out.push(match own {
        Some(n) => Hit::value(n, detail),
        None => Hit::missing(r, detail),
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::Settings;
    use kijun_model::{Origin, Platform};
    use std::collections::BTreeMap;
    use std::sync::Arc;

    fn at() -> Origin {
        Origin::default()
    }

    fn map(keys: &[&str]) -> Node {
        let mut m = BTreeMap::new();
        for k in keys {
            m.insert(Arc::from(*k), Node::string("x", at()));
        }
        Node::new(Value::Object(m.into()), at())
    }

    fn resource(kind: &str, attrs: Vec<(&str, Node)>) -> Resource {
        Resource {
            platform: Platform::Terraform,
            kind: kind.into(),
            address: format!("{kind}.x"),
            at: at(),
            attrs: attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            provider: None,
            refs: Vec::new(),
            module: String::new(),
            inline_exceptions: Vec::new(),
        }
    }

    fn run(settings: &Settings, r: Resource) -> Vec<Hit> {
        let rs = vec![r];
        let ctx = Ctx::new(&rs, settings);
        let mut out = Vec::new();
        check(&ctx, &rs[0], &mut out);
        out
    }

    fn configured() -> Settings {
        let mut s = Settings::default();
        s.required_tags = vec!["system-id".into(), "owner".into()];
        s
    }

    #[test]
    fn inactive_without_a_convention() {
        let out = run(&Settings::default(), resource("aws_s3_bucket", vec![]));
        assert!(out.is_empty());
    }

    #[test]
    fn missing_tags_are_reported() {
        let out = run(
            &configured(),
            resource("aws_s3_bucket", vec![("tags", map(&["owner"]))]),
        );
        assert_eq!(out.len(), 1);
        assert!(out[0].detail.en.contains("`system-id`"));
        let out = run(&configured(), resource("google_storage_bucket", vec![]));
        assert_eq!(out.len(), 1);
        assert!(out[0].detail.en.contains("`labels`"));
    }

    #[test]
    fn default_tags_count_and_unknown_types_are_skipped() {
        let mut r = resource("aws_vpc", vec![("tags", map(&["owner"]))]);
        r.provider = Some(kijun_model::ProviderConfig {
            name: "aws".into(),
            default_tags: Some(map(&["system-id"])),
            ..Default::default()
        });
        assert!(run(&configured(), r).is_empty());
        assert!(run(&configured(), resource("aws_route", vec![])).is_empty());
    }

    #[test]
    fn unknown_tags_are_not_evaluated() {
        let out = run(
            &configured(),
            resource(
                "azurerm_key_vault",
                vec![("tags", Node::unknown(kijun_model::Text::new("var", "var"), at()))],
            ),
        );
        assert_eq!(out.len(), 1);
        assert!(out[0].not_evaluated);
    }
}
