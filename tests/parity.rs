#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // why: test code may fail loudly
//! Cross-format parity: one misconfiguration written in Terraform, as a Terraform plan, as a
//! CloudFormation template (YAML and JSON) and, where the service exists there, as an ARM
//! template yields the same rule ids. A rule is the control for one cloud service across
//! formats, so an AWS security group is KJ-N1-001 in every AWS format and an Azure NSG is
//! KJ-N1-002 in every Azure format.
//!
//! Compared per case: the ids of the findings of the rules that claim every format of the case
//! (plus the expected ids), and how many findings each expected id has.

use crate::common;

use kijun::engine::{Document, Options};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// One way of writing the misconfiguration: (path, text); the path's extension and the content
/// tell the engine the format.
type Variant = (&'static str, String);

struct Case {
    name: &'static str,
    /// The platforms of the variants, as the catalogue names them.
    platforms: &'static [&'static str],
    expected: &'static [&'static str],
    /// The information's confidentiality level (rules such as customer-managed keys start at 3).
    confidentiality: u8,
    variants: Vec<Variant>,
}

/// A plan as `terraform show -json` writes it, for resources of one provider: planned values,
/// resource changes with `after_unknown`, and the configuration with the provider's region.
fn plan(provider: &str, resources: &[(&str, Value, Value)]) -> String {
    let full = format!("registry.terraform.io/hashicorp/{provider}");
    let mut planned = Vec::new();
    let mut changes = Vec::new();
    let mut config = Vec::new();
    for (address, values, unknown) in resources {
        let (kind, name) = address.split_once('.').unwrap();
        planned.push(json!({
            "address": address, "mode": "managed", "type": kind, "name": name,
            "provider_name": full, "schema_version": 0,
            "values": values, "sensitive_values": {}
        }));
        changes.push(json!({
            "address": address, "mode": "managed", "type": kind, "name": name,
            "provider_name": full,
            "change": {
                "actions": ["create"], "before": null, "after": values,
                "after_unknown": unknown, "before_sensitive": false, "after_sensitive": {}
            }
        }));
        config.push(json!({
            "address": address, "mode": "managed", "type": kind, "name": name,
            "provider_config_key": provider, "schema_version": 0, "expressions": {}
        }));
    }
    let provider_expressions = if provider == "aws" {
        json!({ "region": { "constant_value": "ap-northeast-1" } })
    } else {
        json!({ "features": [{}] })
    };
    let doc = json!({
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": { "root_module": { "resources": planned } },
        "resource_changes": changes,
        "configuration": {
            "provider_config": {
                provider: { "name": provider, "full_name": full, "expressions": provider_expressions }
            },
            "root_module": { "resources": config }
        },
        "timestamp": "2026-11-20T01:23:45Z",
        "applyable": true,
        "complete": true,
        "errored": false
    });
    serde_json::to_string_pretty(&doc).unwrap()
}

const AWS_PROVIDER: &str = r#"
provider "aws" {
  region = "ap-northeast-1"
}
"#;

const AZURE_PROVIDER: &str = r#"
provider "azurerm" {
  features {}
}
"#;

fn tf(provider: &str, body: &str) -> String {
    format!("{provider}{body}")
}

fn arm(resources: Value) -> String {
    serde_json::to_string_pretty(&json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {
            "location": { "type": "string", "defaultValue": "japaneast" }
        },
        "resources": resources
    }))
    .unwrap()
}

const AWS: &[&str] = &["terraform", "terraform-plan", "cloudformation"];
const AZURE: &[&str] = &["terraform", "terraform-plan", "arm"];

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "unencrypted EBS volume",
            platforms: AWS,
            expected: &["KJ-E1-001"],
            confidentiality: 2,
            variants: vec![
                (
                    "ebs/main.tf",
                    tf(
                        AWS_PROVIDER,
                        r#"
resource "aws_ebs_volume" "data" {
  availability_zone = "ap-northeast-1a"
  size              = 100
  encrypted         = false
}
"#,
                    ),
                ),
                (
                    "ebs/plan.json",
                    plan(
                        "aws",
                        &[(
                            "aws_ebs_volume.data",
                            json!({ "availability_zone": "ap-northeast-1a", "encrypted": false,
                                    "final_snapshot": false, "multi_attach_enabled": false,
                                    "size": 100, "tags": null, "type": "gp3" }),
                            json!({ "arn": true, "id": true, "iops": true, "kms_key_id": true,
                                    "snapshot_id": true, "tags_all": true, "throughput": true }),
                        )],
                    ),
                ),
                (
                    "ebs/template.yaml",
                    r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Data:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: ap-northeast-1a
      Size: 100
      Encrypted: false
"#
                    .to_string(),
                ),
                (
                    "ebs/template.json",
                    r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Data": {
      "Type": "AWS::EC2::Volume",
      "Properties": { "AvailabilityZone": "ap-northeast-1a", "Size": 100, "Encrypted": false }
    }
  }
}"#
                    .to_string(),
                ),
            ],
        },
        Case {
            name: "unencrypted RDS storage",
            platforms: AWS,
            expected: &["KJ-E1-002"],
            confidentiality: 2,
            variants: vec![
                (
                    "rds/main.tf",
                    tf(
                        AWS_PROVIDER,
                        r#"
resource "aws_db_instance" "grants" {
  identifier                  = "grants"
  engine                      = "postgres"
  instance_class              = "db.m7g.large"
  allocated_storage           = 100
  username                    = "grants"
  manage_master_user_password = true
}
"#,
                    ),
                ),
                (
                    "rds/plan.json",
                    plan(
                        "aws",
                        &[(
                            "aws_db_instance.grants",
                            json!({ "allocated_storage": 100, "engine": "postgres",
                                    "identifier": "grants", "instance_class": "db.m7g.large",
                                    "manage_master_user_password": true,
                                    "publicly_accessible": false, "replicate_source_db": null,
                                    "snapshot_identifier": null, "storage_encrypted": false,
                                    "username": "grants" }),
                            json!({ "arn": true, "endpoint": true, "id": true, "kms_key_id": true,
                                    "tags_all": true }),
                        )],
                    ),
                ),
                (
                    "rds/template.yaml",
                    r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Grants:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceIdentifier: grants
      Engine: postgres
      DBInstanceClass: db.m7g.large
      AllocatedStorage: "100"
      MasterUsername: grants
      ManageMasterUserPassword: true
"#
                    .to_string(),
                ),
            ],
        },
        Case {
            name: "SSH open to 0.0.0.0/0 (AWS security group)",
            platforms: AWS,
            expected: &["KJ-N1-001"],
            confidentiality: 2,
            variants: vec![
                (
                    "ssh-aws/main.tf",
                    tf(
                        AWS_PROVIDER,
                        r#"
resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "Bastion hosts"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#,
                    ),
                ),
                (
                    "ssh-aws/plan.json",
                    plan(
                        "aws",
                        &[(
                            "aws_security_group.bastion",
                            json!({ "description": "Bastion hosts", "egress": [],
                                    "ingress": [{ "cidr_blocks": ["0.0.0.0/0"], "description": "SSH",
                                                  "from_port": 22, "ipv6_cidr_blocks": [],
                                                  "prefix_list_ids": [], "protocol": "tcp",
                                                  "security_groups": [], "self": false,
                                                  "to_port": 22 }],
                                    "name": "bastion", "revoke_rules_on_delete": false,
                                    "tags": null, "vpc_id": "vpc-0a1b2c3d4e5f60718" }),
                            json!({ "arn": true, "id": true, "owner_id": true, "tags_all": true }),
                        )],
                    ),
                ),
                (
                    "ssh-aws/template.yaml",
                    r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bastion:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: bastion
      GroupDescription: Bastion hosts
      VpcId: vpc-0a1b2c3d4e5f60718
      SecurityGroupIngress:
        - Description: SSH
          IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
"#
                    .to_string(),
                ),
            ],
        },
        Case {
            name: "SSH open to the internet (Azure NSG)",
            platforms: AZURE,
            expected: &["KJ-N1-002"],
            confidentiality: 2,
            variants: vec![
                (
                    "ssh-azure/main.tf",
                    tf(
                        AZURE_PROVIDER,
                        r#"
resource "azurerm_network_security_group" "jumpbox" {
  name                = "nsg-jumpbox"
  location            = "japaneast"
  resource_group_name = "rg-portal"

  security_rule {
    name                       = "allow-ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }
}
"#,
                    ),
                ),
                (
                    "ssh-azure/plan.json",
                    plan(
                        "azurerm",
                        &[(
                            "azurerm_network_security_group.jumpbox",
                            json!({ "location": "japaneast", "name": "nsg-jumpbox",
                                    "resource_group_name": "rg-portal",
                                    "security_rule": [{
                                        "access": "Allow", "description": "",
                                        "destination_address_prefix": "*",
                                        "destination_address_prefixes": [],
                                        "destination_application_security_group_ids": [],
                                        "destination_port_range": "22",
                                        "destination_port_ranges": [], "direction": "Inbound",
                                        "name": "allow-ssh", "priority": 100, "protocol": "Tcp",
                                        "source_address_prefix": "Internet",
                                        "source_address_prefixes": [],
                                        "source_application_security_group_ids": [],
                                        "source_port_range": "*", "source_port_ranges": [] }],
                                    "tags": null }),
                            json!({ "id": true }),
                        )],
                    ),
                ),
                (
                    "ssh-azure/template.json",
                    arm(json!([{
                        "type": "Microsoft.Network/networkSecurityGroups",
                        "apiVersion": "2023-09-01",
                        "name": "nsg-jumpbox",
                        "location": "[parameters('location')]",
                        "properties": { "securityRules": [{
                            "name": "allow-ssh",
                            "properties": {
                                "priority": 100, "direction": "Inbound", "access": "Allow",
                                "protocol": "Tcp", "sourcePortRange": "*",
                                "destinationPortRange": "22", "sourceAddressPrefix": "Internet",
                                "destinationAddressPrefix": "*"
                            }
                        }]}
                    }])),
                ),
            ],
        },
        Case {
            name: "publicly accessible RDS instance",
            platforms: AWS,
            expected: &["KJ-N4-001"],
            confidentiality: 2,
            variants: vec![
                (
                    "public-rds/main.tf",
                    tf(
                        AWS_PROVIDER,
                        r#"
resource "aws_db_instance" "permits" {
  identifier                  = "permits"
  engine                      = "postgres"
  instance_class              = "db.m7g.large"
  allocated_storage           = 100
  username                    = "permits"
  manage_master_user_password = true
  storage_encrypted           = true
  publicly_accessible         = true
}
"#,
                    ),
                ),
                (
                    "public-rds/plan.json",
                    plan(
                        "aws",
                        &[(
                            "aws_db_instance.permits",
                            json!({ "allocated_storage": 100, "engine": "postgres",
                                    "identifier": "permits", "instance_class": "db.m7g.large",
                                    "manage_master_user_password": true,
                                    "publicly_accessible": true, "replicate_source_db": null,
                                    "snapshot_identifier": null, "storage_encrypted": true,
                                    "username": "permits" }),
                            json!({ "arn": true, "endpoint": true, "id": true, "kms_key_id": true,
                                    "tags_all": true }),
                        )],
                    ),
                ),
                (
                    "public-rds/template.yaml",
                    r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Permits:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceIdentifier: permits
      Engine: postgres
      DBInstanceClass: db.m7g.large
      AllocatedStorage: "100"
      MasterUsername: permits
      ManageMasterUserPassword: true
      StorageEncrypted: true
      PubliclyAccessible: true
"#
                    .to_string(),
                ),
            ],
        },
        Case {
            name: "Azure SQL server open to the public network",
            platforms: &["terraform", "arm"],
            expected: &["KJ-N4-003"],
            confidentiality: 2,
            variants: vec![
                (
                    "public-sql/main.tf",
                    tf(
                        AZURE_PROVIDER,
                        r#"
resource "azurerm_mssql_server" "benefits" {
  name                          = "sql-benefits"
  resource_group_name           = "rg-benefits"
  location                      = "japaneast"
  version                       = "12.0"
  administrator_login           = "sqladmin"
  minimum_tls_version           = "1.2"
  public_network_access_enabled = true
}
"#,
                    ),
                ),
                (
                    "public-sql/template.json",
                    arm(json!([{
                        "type": "Microsoft.Sql/servers",
                        "apiVersion": "2023-08-01-preview",
                        "name": "sql-benefits",
                        "location": "[parameters('location')]",
                        "properties": {
                            "administratorLogin": "sqladmin",
                            "minimalTlsVersion": "1.2",
                            "publicNetworkAccess": "Enabled"
                        }
                    }])),
                ),
            ],
        },
        Case {
            name: "plain-HTTP load balancer listener",
            platforms: AWS,
            expected: &["KJ-N8-001"],
            confidentiality: 2,
            variants: vec![
                (
                    "http/main.tf",
                    tf(
                        AWS_PROVIDER,
                        r#"
resource "aws_lb_listener" "http" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/app/portal/50dc6c495c0c9188"
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:targetgroup/portal/73e2d6bc24d8a067"
  }
}
"#,
                    ),
                ),
                (
                    "http/plan.json",
                    plan(
                        "aws",
                        &[(
                            "aws_lb_listener.http",
                            json!({ "alpn_policy": null, "certificate_arn": null,
                                    "default_action": [{ "authenticate_cognito": [],
                                        "authenticate_oidc": [], "fixed_response": [],
                                        "forward": [], "redirect": [],
                                        "target_group_arn": "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:targetgroup/portal/73e2d6bc24d8a067",
                                        "type": "forward" }],
                                    "load_balancer_arn": "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/app/portal/50dc6c495c0c9188",
                                    "port": 80, "protocol": "HTTP", "ssl_policy": null,
                                    "tags": null }),
                            json!({ "arn": true, "default_action": [{ "order": true }],
                                    "id": true, "mutual_authentication": true,
                                    "tags_all": true }),
                        )],
                    ),
                ),
                (
                    "http/template.yaml",
                    r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Http:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/app/portal/50dc6c495c0c9188
      Port: 80
      Protocol: HTTP
      DefaultActions:
        - Type: forward
          TargetGroupArn: arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:targetgroup/portal/73e2d6bc24d8a067
"#
                    .to_string(),
                ),
            ],
        },
        Case {
            name: "TLS 1.0 security policy on an HTTPS listener",
            platforms: AWS,
            expected: &["KJ-E3-001"],
            confidentiality: 2,
            variants: vec![
                (
                    "tls-elb/main.tf",
                    tf(
                        AWS_PROVIDER,
                        r#"
resource "aws_lb_listener" "https" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/app/portal/50dc6c495c0c9188"
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-2016-08"
  certificate_arn   = "arn:aws:acm:ap-northeast-1:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"

  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:targetgroup/portal/73e2d6bc24d8a067"
  }
}
"#,
                    ),
                ),
                (
                    "tls-elb/plan.json",
                    plan(
                        "aws",
                        &[(
                            "aws_lb_listener.https",
                            json!({ "alpn_policy": null,
                                    "certificate_arn": "arn:aws:acm:ap-northeast-1:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
                                    "default_action": [{ "authenticate_cognito": [],
                                        "authenticate_oidc": [], "fixed_response": [],
                                        "forward": [], "redirect": [],
                                        "target_group_arn": "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:targetgroup/portal/73e2d6bc24d8a067",
                                        "type": "forward" }],
                                    "load_balancer_arn": "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/app/portal/50dc6c495c0c9188",
                                    "port": 443, "protocol": "HTTPS",
                                    "ssl_policy": "ELBSecurityPolicy-2016-08", "tags": null }),
                            json!({ "arn": true, "default_action": [{ "order": true }],
                                    "id": true, "mutual_authentication": true,
                                    "tags_all": true }),
                        )],
                    ),
                ),
                (
                    "tls-elb/template.yaml",
                    r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Https:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/app/portal/50dc6c495c0c9188
      Port: 443
      Protocol: HTTPS
      SslPolicy: ELBSecurityPolicy-2016-08
      Certificates:
        - CertificateArn: arn:aws:acm:ap-northeast-1:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789
      DefaultActions:
        - Type: forward
          TargetGroupArn: arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:targetgroup/portal/73e2d6bc24d8a067
"#
                    .to_string(),
                ),
            ],
        },
        Case {
            name: "storage account accepting TLS 1.0",
            platforms: AZURE,
            expected: &["KJ-E3-002"],
            confidentiality: 2,
            variants: vec![
                (
                    "tls-storage/main.tf",
                    tf(
                        AZURE_PROVIDER,
                        r#"
resource "azurerm_storage_account" "docs" {
  name                     = "stapplicationsdocs"
  resource_group_name      = "rg-applications"
  location                 = "japaneast"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
  min_tls_version          = "TLS1_0"
}
"#,
                    ),
                ),
                (
                    "tls-storage/plan.json",
                    plan(
                        "azurerm",
                        &[(
                            "azurerm_storage_account.docs",
                            json!({ "account_kind": "StorageV2", "account_replication_type": "ZRS",
                                    "account_tier": "Standard", "location": "japaneast",
                                    "min_tls_version": "TLS1_0", "name": "stapplicationsdocs",
                                    "resource_group_name": "rg-applications", "tags": null }),
                            json!({ "id": true, "primary_access_key": true,
                                    "primary_blob_endpoint": true }),
                        )],
                    ),
                ),
                (
                    "tls-storage/template.json",
                    arm(json!([{
                        "type": "Microsoft.Storage/storageAccounts",
                        "apiVersion": "2023-05-01",
                        "name": "stapplicationsdocs",
                        "location": "[parameters('location')]",
                        "sku": { "name": "Standard_ZRS" },
                        "kind": "StorageV2",
                        "properties": { "minimumTlsVersion": "TLS1_0" }
                    }])),
                ),
            ],
        },
        Case {
            name: "log group kept for 30 days",
            platforms: AWS,
            expected: &["KJ-L3-001"],
            confidentiality: 2,
            variants: vec![
                (
                    "retention-aws/main.tf",
                    tf(
                        AWS_PROVIDER,
                        r#"
resource "aws_cloudwatch_log_group" "app" {
  name              = "/portal/app"
  retention_in_days = 30
}
"#,
                    ),
                ),
                (
                    "retention-aws/plan.json",
                    plan(
                        "aws",
                        &[(
                            "aws_cloudwatch_log_group.app",
                            json!({ "kms_key_id": null, "log_group_class": "STANDARD",
                                    "name": "/portal/app", "retention_in_days": 30,
                                    "skip_destroy": false, "tags": null }),
                            json!({ "arn": true, "id": true, "name_prefix": true,
                                    "tags_all": true }),
                        )],
                    ),
                ),
                (
                    "retention-aws/template.yaml",
                    r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  App:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /portal/app
      RetentionInDays: 30
"#
                    .to_string(),
                ),
            ],
        },
        Case {
            name: "Log Analytics workspace kept for 30 days",
            platforms: AZURE,
            expected: &["KJ-L3-002"],
            confidentiality: 2,
            variants: vec![
                (
                    "retention-azure/main.tf",
                    tf(
                        AZURE_PROVIDER,
                        r#"
resource "azurerm_log_analytics_workspace" "operations" {
  name                = "log-operations"
  location            = "japaneast"
  resource_group_name = "rg-monitoring"
  sku                 = "PerGB2018"
  retention_in_days   = 30
}
"#,
                    ),
                ),
                (
                    "retention-azure/plan.json",
                    plan(
                        "azurerm",
                        &[(
                            "azurerm_log_analytics_workspace.operations",
                            json!({ "location": "japaneast", "name": "log-operations",
                                    "resource_group_name": "rg-monitoring",
                                    "retention_in_days": 30, "sku": "PerGB2018", "tags": null }),
                            json!({ "id": true, "primary_shared_key": true,
                                    "workspace_id": true }),
                        )],
                    ),
                ),
                (
                    "retention-azure/template.json",
                    arm(json!([{
                        "type": "Microsoft.OperationalInsights/workspaces",
                        "apiVersion": "2023-09-01",
                        "name": "log-operations",
                        "location": "[parameters('location')]",
                        "properties": { "sku": { "name": "PerGB2018" }, "retentionInDays": 30 }
                    }])),
                ),
            ],
        },
        Case {
            // The level comes from the options here, as it would from kijun.toml, so that the
            // variants differ in nothing but their format.
            name: "DynamoDB table without a customer-managed key at confidentiality 3",
            platforms: AWS,
            expected: &["KJ-E1-007"],
            confidentiality: 3,
            variants: vec![
                (
                    "dynamodb/main.tf",
                    tf(
                        AWS_PROVIDER,
                        r#"
resource "aws_dynamodb_table" "cases" {
  name         = "cases"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "case_id"

  attribute {
    name = "case_id"
    type = "S"
  }

  server_side_encryption {
    enabled = false
  }
}
"#,
                    ),
                ),
                (
                    "dynamodb/plan.json",
                    plan(
                        "aws",
                        &[(
                            "aws_dynamodb_table.cases",
                            json!({ "attribute": [{ "name": "case_id", "type": "S" }],
                                    "billing_mode": "PAY_PER_REQUEST", "hash_key": "case_id",
                                    "name": "cases", "replica": [],
                                    "server_side_encryption": [{ "enabled": false,
                                                                 "kms_key_arn": "" }],
                                    "tags": null }),
                            json!({ "arn": true, "id": true, "stream_arn": true,
                                    "tags_all": true }),
                        )],
                    ),
                ),
                (
                    "dynamodb/template.yaml",
                    r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Cases:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: cases
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: case_id
          AttributeType: S
      KeySchema:
        - AttributeName: case_id
          KeyType: HASH
      SSESpecification:
        SSEEnabled: false
"#
                    .to_string(),
                ),
            ],
        },
    ]
}

/// Rule id → number of findings, for the rules that claim every platform of the case and the
/// expected ones.
fn findings(case: &Case, variant: &Variant) -> BTreeMap<String, usize> {
    let cat = kijun::rules::catalogue();
    let relevant: BTreeSet<&str> = cat
        .rules
        .iter()
        .filter(|r| {
            case.platforms
                .iter()
                .all(|p| r.platforms.iter().any(|x| x == p))
        })
        .map(|r| r.id.as_str())
        .chain(case.expected.iter().copied())
        .collect();
    let mut opts = Options::default();
    opts.classification.confidentiality = case.confidentiality;
    let out = common::run(vec![Document::new(variant.0, variant.1.clone())], &opts);
    assert!(
        out.errors.is_empty(),
        "{} / {}: input errors {:?}",
        case.name,
        variant.0,
        out.errors.iter().map(|e| &e.message).collect::<Vec<_>>()
    );
    assert!(
        out.resources > 0,
        "{} / {}: no resources read",
        case.name,
        variant.0
    );
    let mut ids = BTreeMap::new();
    for f in &out.findings {
        if relevant.contains(&*f.rule_id) {
            *ids.entry(f.rule_id.to_string()).or_insert(0) += 1;
        }
    }
    ids
}

#[test]
fn the_same_misconfiguration_yields_the_same_rule_ids_in_every_format() {
    let cat = kijun::rules::catalogue();
    let mut failures = Vec::new();
    let all = cases();
    assert!(all.len() >= 6);
    for case in &all {
        for id in case.expected {
            assert!(cat.get(id).is_some(), "{}: no rule {id}", case.name);
        }
        let results: Vec<(&str, BTreeMap<String, usize>)> = case
            .variants
            .iter()
            .map(|v| (v.0, findings(case, v)))
            .collect();
        let Some((first_path, first)) = results.first() else {
            continue;
        };
        for id in case.expected {
            for (path, ids) in &results {
                if !ids.contains_key(*id) {
                    failures.push(format!(
                        "{}: {path} does not report {id}: {ids:?}",
                        case.name
                    ));
                }
            }
        }
        for (path, ids) in results.iter().skip(1) {
            let a: BTreeSet<&String> = first.keys().collect();
            let b: BTreeSet<&String> = ids.keys().collect();
            if a != b {
                failures.push(format!(
                    "{}: {first_path} reports {a:?} but {path} reports {b:?}",
                    case.name
                ));
            }
            for id in case.expected {
                if first.get(*id) != ids.get(*id) {
                    failures.push(format!(
                        "{}: {id} is reported {:?} times in {first_path} and {:?} times in {path}",
                        case.name,
                        first.get(*id),
                        ids.get(*id)
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} parity problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The compliant form of each misconfiguration is compliant in every format too: the same
/// templates with the offending value corrected report none of the expected ids.
#[test]
fn the_compliant_form_passes_in_every_format() {
    let fixes: &[(&str, &str, &str)] = &[
        (
            "encrypted         = false",
            "encrypted         = true",
            "KJ-E1-001",
        ),
        ("\"encrypted\": false", "\"encrypted\": true", "KJ-E1-001"),
        ("Encrypted: false", "Encrypted: true", "KJ-E1-001"),
        ("\"Encrypted\": false", "\"Encrypted\": true", "KJ-E1-001"),
        ("0.0.0.0/0", "198.51.100.0/24", "KJ-N1-001"),
        ("\"Internet\"", "\"198.51.100.0/24\"", "KJ-N1-002"),
        (
            "publicly_accessible         = true",
            "publicly_accessible         = false",
            "KJ-N4-001",
        ),
        (
            "\"publicly_accessible\": true",
            "\"publicly_accessible\": false",
            "KJ-N4-001",
        ),
        (
            "PubliclyAccessible: true",
            "PubliclyAccessible: false",
            "KJ-N4-001",
        ),
        (
            "ELBSecurityPolicy-2016-08",
            "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "KJ-E3-001",
        ),
        ("TLS1_0", "TLS1_2", "KJ-E3-002"),
        ("= 30", "= 365", "KJ-L3-001"),
        (
            "\"retention_in_days\": 30",
            "\"retention_in_days\": 365",
            "KJ-L3-001",
        ),
        ("RetentionInDays: 30", "RetentionInDays: 365", "KJ-L3-001"),
        // RDS storage encrypted: Terraform and CloudFormation default to unencrypted, so the
        // compliant form adds the setting.
        (
            "  manage_master_user_password = true\n}",
            "  manage_master_user_password = true\n  storage_encrypted           = true\n}",
            "KJ-E1-002",
        ),
        (
            "\"storage_encrypted\": false",
            "\"storage_encrypted\": true",
            "KJ-E1-002",
        ),
        (
            "      ManageMasterUserPassword: true\n",
            "      ManageMasterUserPassword: true\n      StorageEncrypted: true\n",
            "KJ-E1-002",
        ),
        (
            "public_network_access_enabled = true",
            "public_network_access_enabled = false",
            "KJ-N4-003",
        ),
        (
            "\"publicNetworkAccess\": \"Enabled\"",
            "\"publicNetworkAccess\": \"Disabled\"",
            "KJ-N4-003",
        ),
        // The listener serves HTTPS on 443 with a current policy and a certificate.
        ("port              = 80", "port              = 443", "KJ-N8-001"),
        (
            "protocol          = \"HTTP\"",
            "protocol          = \"HTTPS\"\n  ssl_policy        = \"ELBSecurityPolicy-TLS13-1-2-2021-06\"\n  certificate_arn   = \"arn:aws:acm:ap-northeast-1:111122223333:certificate/5e0a7c1d-93b2-4f6e-8a41-0c2d9b7e6f13\"",
            "KJ-N8-001",
        ),
        ("\"port\": 80", "\"port\": 443", "KJ-N8-001"),
        ("\"protocol\": \"HTTP\"", "\"protocol\": \"HTTPS\"", "KJ-N8-001"),
        (
            "\"ssl_policy\": null",
            "\"ssl_policy\": \"ELBSecurityPolicy-TLS13-1-2-2021-06\"",
            "KJ-N8-001",
        ),
        (
            "\"certificate_arn\": null",
            "\"certificate_arn\": \"arn:aws:acm:ap-northeast-1:111122223333:certificate/5e0a7c1d-93b2-4f6e-8a41-0c2d9b7e6f13\"",
            "KJ-N8-001",
        ),
        (
            "      Port: 80\n      Protocol: HTTP\n",
            "      Port: 443\n      Protocol: HTTPS\n      SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06\n      Certificates:\n        - CertificateArn: arn:aws:acm:ap-northeast-1:111122223333:certificate/5e0a7c1d-93b2-4f6e-8a41-0c2d9b7e6f13\n",
            "KJ-N8-001",
        ),
        (
            "retention_in_days   = 30",
            "retention_in_days   = 365",
            "KJ-L3-002",
        ),
        (
            "\"retention_in_days\": 30",
            "\"retention_in_days\": 365",
            "KJ-L3-002",
        ),
        (
            "\"retentionInDays\": 30",
            "\"retentionInDays\": 365",
            "KJ-L3-002",
        ),
        // DynamoDB with a customer-managed key named by its ARN.
        (
            "  server_side_encryption {\n    enabled = false\n  }",
            "  server_side_encryption {\n    enabled     = true\n    kms_key_arn = \"arn:aws:kms:ap-northeast-1:111122223333:key/6c1f2a9e-4b7d-4e08-9c35-d2a1f0b8e741\"\n  }",
            "KJ-E1-007",
        ),
        ("\"enabled\": false", "\"enabled\": true", "KJ-E1-007"),
        (
            "\"kms_key_arn\": \"\"",
            "\"kms_key_arn\": \"arn:aws:kms:ap-northeast-1:111122223333:key/6c1f2a9e-4b7d-4e08-9c35-d2a1f0b8e741\"",
            "KJ-E1-007",
        ),
        (
            "        SSEEnabled: false\n",
            "        SSEEnabled: true\n        SSEType: KMS\n        KMSMasterKeyId: arn:aws:kms:ap-northeast-1:111122223333:key/6c1f2a9e-4b7d-4e08-9c35-d2a1f0b8e741\n",
            "KJ-E1-007",
        ),
    ];
    let mut failures = Vec::new();
    for case in cases() {
        let checked: Vec<&(&str, &str, &str)> = fixes
            .iter()
            .filter(|(_, _, id)| case.expected.contains(id))
            .collect();
        // Every case has its compliant form: a case without one would pass here unchecked.
        assert!(
            !checked.is_empty(),
            "{}: no compliant form for {:?}",
            case.name,
            case.expected
        );
        for (path, text) in &case.variants {
            let mut fixed = text.clone();
            for (from, to, _) in &checked {
                fixed = fixed.replace(from, to);
            }
            assert_ne!(&fixed, text, "{}: {path}: no fix applied", case.name);
            let ids = findings(&case, &(*path, fixed));
            for id in case.expected {
                if ids.contains_key(*id) {
                    failures.push(format!("{}: {path} still reports {id}", case.name));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
