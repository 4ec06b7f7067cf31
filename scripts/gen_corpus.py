#!/usr/bin/env python3
"""Generates a synthetic infrastructure-as-code tree for benchmarks (nothing is copied from real
repositories). Usage: gen_corpus.py OUT_DIR TARGET_MB [SEED] [MIX]

MIX is `mixed` (the default) or `terraform`. A mixed tree holds, by bytes, about 45% Terraform,
20% Kubernetes manifests, 18% CloudFormation (YAML and JSON) and 17% Azure ARM templates:

- Terraform: shared modules (network with dynamic security-group rules, storage, an app module
  that calls storage) and many environment root modules calling them with variables, tfvars,
  locals, count and for_each;
- Kubernetes: multi-document YAML files per team (Namespace, Deployment, Service, Ingress,
  NetworkPolicy, ConfigMap);
- CloudFormation: templates with Parameters, Mappings, Conditions and !Ref/!Sub/!If/!FindInMap
  (YAML short tags) or their long forms (JSON);
- ARM: templates with parameters, variables, concat()/resourceGroup().location and copy loops,
  beside a parameters file.

The output is deterministic for a given size and seed.
"""
import json
import os
import random
import sys

NETWORK = '''variable "name" { type = string }
variable "cidr" { type = string }
variable "ingress" {
  type = list(object({ port = number, cidrs = list(string) }))
  default = []
}
locals {
  subnets = { for i in range(3) : "s${i}" => cidrsubnet(var.cidr, 8, i) }
}
resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = var.name }
}
resource "aws_subnet" "this" {
  for_each   = local.subnets
  vpc_id     = aws_vpc.this.id
  cidr_block = each.value
  tags       = merge({ Name = "${var.name}-${each.key}" }, { tier = "app" })
}
resource "aws_security_group" "this" {
  name   = "${var.name}-sg"
  vpc_id = aws_vpc.this.id
  dynamic "ingress" {
    for_each = var.ingress
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ingress.value.cidrs
    }
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_flow_log" "this" {
  vpc_id       = aws_vpc.this.id
  traffic_type = "ALL"
}
'''

STORAGE = '''variable "name" { type = string }
variable "encrypted" {
  type    = bool
  default = true
}
variable "volumes" {
  type    = number
  default = 2
}
resource "aws_ebs_volume" "data" {
  count             = var.volumes
  availability_zone = "ap-northeast-1a"
  size              = 10 * (count.index + 1)
  encrypted         = var.encrypted
  tags              = { Name = format("%s-%02d", var.name, count.index) }
}
resource "aws_db_instance" "db" {
  identifier          = "${var.name}-db"
  engine              = "postgres"
  instance_class      = "db.t3.medium"
  allocated_storage   = 20
  storage_encrypted   = var.encrypted
  publicly_accessible = false
  multi_az            = true
}
resource "aws_cloudwatch_log_group" "logs" {
  name              = "/${var.name}/app"
  retention_in_days = 365
}
'''

ROOT = '''provider "aws" {{
  region = var.region
  default_tags {{
    tags = {{ env = "{env}" }}
  }}
}}
provider "aws" {{
  alias  = "osaka"
  region = "ap-northeast-3"
}}
locals {{
  name = "{env}-${{var.system}}"
  ingress = [
    {{ port = 443, cidrs = ["0.0.0.0/0"] }},
    {{ port = {port}, cidrs = var.admin_cidrs }},
  ]
}}
module "network" {{
  source  = "../../modules/network"
  name    = local.name
  cidr    = "10.{n}.0.0/16"
  ingress = local.ingress
}}
module "storage" {{
  source    = "../../modules/storage"
  name      = local.name
  encrypted = var.encrypt
  volumes   = {vols}
}}
module "backup" {{
  source    = "../../modules/storage"
  name      = "${{local.name}}-backup"
  providers = {{ aws = aws.osaka }}
}}
resource "aws_cloudtrail" "trail" {{
  name                  = local.name
  s3_bucket_name        = "${{local.name}}-trail"
  is_multi_region_trail = true
}}
'''

VARS = '''variable "region" {
  type    = string
  default = "ap-northeast-1"
}
variable "system" {
  type    = string
  default = "portal"
}
variable "admin_cidrs" {
  type    = list(string)
  default = ["10.0.0.0/8"]
}
variable "encrypt" {
  type    = bool
  default = true
}
'''



APP = """variable "name" { type = string }
variable "instances" {
  type    = number
  default = 2
}
variable "ami" {
  type    = string
  default = "ami-0123456789abcdef0"
}
variable "encrypted" {
  type    = bool
  default = true
}
locals {
  common_tags = { system = var.name, managed = "terraform" }
}
module "data" {
  source    = "../storage"
  name      = "${var.name}-data"
  encrypted = var.encrypted
  volumes   = 1
}
resource "aws_instance" "app" {
  count         = var.instances
  ami           = var.ami
  instance_type = "t3.medium"
  root_block_device {
    encrypted   = var.encrypted
    volume_size = 30
  }
  metadata_options {
    http_tokens = count.index == 0 ? "required" : "optional"
  }
  tags = merge(local.common_tags, { Name = "${var.name}-${count.index}" })
}
resource "aws_s3_bucket" "assets" {
  bucket = "${var.name}-assets"
  tags   = local.common_tags
}
resource "aws_s3_bucket_server_side_encryption_configuration" "assets" {
  bucket = aws_s3_bucket.assets.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
resource "aws_lb_listener" "https" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/x/1"
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  default_action {
    type = "forward"
  }
}
"""

APP_CALL = """module "app" {{
  source    = "../../modules/app"
  name      = local.name
  instances = {inst}
  encrypted = var.encrypt
}}
"""


def k8s(team, rnd):
    ns = f"team-{team}"
    docs = [f"""apiVersion: v1
kind: Namespace
metadata:
  name: {ns}
  labels:
    team: "{team}"
    kijun-confidentiality: "{rnd.choice([1, 2, 3])}"
"""]
    for svc in range(rnd.randint(2, 4)):
        name = f"svc{svc}"
        priv = rnd.choice(["false", "false", "true"])
        root = rnd.choice(["true", "true", "false"])
        docs.append(f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels: &labels
    app: {name}
    team: "{team}"
spec:
  replicas: {rnd.randint(1, 5)}
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels: *labels
    spec:
      serviceAccountName: {name}
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: {root}
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: {name}
          image: registry.example.jp/{team}/{name}:1.{svc}.{rnd.randint(0, 9)}
          ports:
            - containerPort: {rnd.choice([8080, 8443, 80])}
          env:
            - name: LOG_LEVEL
              value: info
            - name: DB_HOST
              valueFrom:
                configMapKeyRef:
                  name: {name}-config
                  key: db_host
          resources:
            limits:
              cpu: 500m
              memory: 256Mi
          securityContext:
            privileged: {priv}
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
""")
        docs.append(f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
spec:
  type: {rnd.choice(["ClusterIP", "ClusterIP", "LoadBalancer"])}
  selector:
    app: {name}
  ports:
    - port: 443
      targetPort: 8443
""")
        docs.append(f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
  namespace: {ns}
data:
  db_host: db.{ns}.svc.cluster.local
  endpoint: "{rnd.choice(["https", "http"])}://api.{team}.example.jp/v1"
""")
    tls = rnd.choice([True, True, False])
    docs.append(f"""apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: {ns}
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "{str(tls).lower()}"
spec:
""" + (f"""  tls:
    - hosts: ["{team}.example.jp"]
      secretName: web-tls
""" if tls else "") + f"""  rules:
    - host: {team}.example.jp
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: svc0
                port:
                  number: 443
""")
    if rnd.random() < 0.7:
        docs.append(f"""apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: {ns}
spec:
  podSelector: {{}}
  policyTypes: ["Ingress", "Egress"]
  ingress:
    - from:
        - ipBlock:
            cidr: {rnd.choice(["10.0.0.0/8", "0.0.0.0/0", "192.168.0.0/16"])}
""")
    return "---\n".join(docs)


def cfn_yaml(n, rnd):
    return f"""AWSTemplateFormatVersion: "2010-09-09"
Description: Stack {n} (synthetic)
Parameters:
  Env:
    Type: String
    Default: {rnd.choice(["prod", "stg", "dev"])}
    AllowedValues: [prod, stg, dev]
  Encrypt:
    Type: String
    Default: "{rnd.choice(["true", "true", "false"])}"
  AdminCidr:
    Type: String
    Default: {rnd.choice(["10.0.0.0/8", "0.0.0.0/0"])}
Mappings:
  RegionMap:
    ap-northeast-1:
      Ami: ami-0a1b2c3d4e5f60001
    ap-northeast-3:
      Ami: ami-0a1b2c3d4e5f60003
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  DoEncrypt: !Equals [!Ref Encrypt, "true"]
  ProdAndEncrypted: !And [!Condition IsProd, !Condition DoEncrypt]
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "stack{n}-${{Env}}-logs"
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
      VersioningConfiguration:
        Status: Enabled
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "stack{n}-${{Env}}-data"
      BucketEncryption: !If
        - DoEncrypt
        - ServerSideEncryptionConfiguration:
            - ServerSideEncryptionByDefault:
                SSEAlgorithm: AES256
        - !Ref AWS::NoValue
      LoggingConfiguration:
        DestinationBucketName: !Ref Logs
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.medium
      AllocatedStorage: "20"
      StorageEncrypted: !If [DoEncrypt, true, false]
      PubliclyAccessible: false
      MultiAZ: !If [IsProd, true, false]
      MasterUsername: app
      ManageMasterUserPassword: true
  AppSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub "app {n}"
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
        - IpProtocol: tcp
          FromPort: {rnd.choice([22, 3389, 5432])}
          ToPort: {rnd.choice([22, 3389, 5432])}
          CidrIp: !Ref AdminCidr
  Server:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !FindInMap [RegionMap, !Ref "AWS::Region", Ami]
      InstanceType: t3.small
      SecurityGroupIds: [!GetAtt AppSg.GroupId]
      BlockDeviceMappings:
        - DeviceName: /dev/xvda
          Ebs:
            VolumeSize: 30
            Encrypted: !If [ProdAndEncrypted, true, false]
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: true
      S3BucketName: !Ref Logs
  AppLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub "/stack{n}/${{Env}}/app"
      RetentionInDays: {rnd.choice([30, 365, 400])}
Outputs:
  DataBucket:
    Value: !Ref Data
"""


def cfn_json(n, rnd):
    t = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"Stack {n} (synthetic, JSON)",
        "Parameters": {
            "Env": {"Type": "String", "Default": rnd.choice(["prod", "stg"])},
            "KmsKey": {"Type": "String", "Default": ""},
        },
        "Conditions": {
            "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
            "HasKey": {"Fn::Not": [{"Fn::Equals": [{"Ref": "KmsKey"}, ""]}]},
        },
        "Resources": {},
    }
    res = t["Resources"]
    for q in range(rnd.randint(2, 4)):
        res[f"Queue{q}"] = {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "QueueName": {"Fn::Sub": f"stack{n}-${{Env}}-q{q}"},
                "KmsMasterKeyId": {"Fn::If": ["HasKey", {"Ref": "KmsKey"}, {"Ref": "AWS::NoValue"}]},
            },
        }
    res["Table"] = {
        "Type": "AWS::DynamoDB::Table",
        "Properties": {
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "SSESpecification": {"SSEEnabled": {"Fn::If": ["IsProd", True, False]}},
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        },
    }
    res["Volume"] = {
        "Type": "AWS::EC2::Volume",
        "Properties": {
            "AvailabilityZone": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
            "Size": 100,
            "Encrypted": rnd.choice([True, False]),
        },
    }
    res["Listener"] = {
        "Type": "AWS::ElasticLoadBalancingV2::Listener",
        "Properties": {
            "LoadBalancerArn": "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/x/1",
            "Port": 443,
            "Protocol": "HTTPS",
            "SslPolicy": rnd.choice(["ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS13-1-2-2021-06"]),
            "DefaultActions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}],
        },
    }
    return json.dumps(t, indent=2) + "\n"


def arm(n, rnd):
    t = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {
            "location": {"type": "string", "defaultValue": rnd.choice(["[resourceGroup().location]", "japaneast", "eastus"])},
            "prefix": {"type": "string", "defaultValue": f"rg{n}"},
            "ruleCount": {"type": "int", "defaultValue": rnd.randint(2, 6)},
            "minTls": {"type": "string", "defaultValue": rnd.choice(["TLS1_2", "TLS1_2", "TLS1_0"])},
        },
        "variables": {
            "storageName": f"[concat(toLower(parameters('prefix')), 'st{n}')]",
            "nsgName": "[concat(parameters('prefix'), '-nsg')]",
            "tags": {"system": "[parameters('prefix')]", "kijun-confidentiality": str(rnd.choice([1, 2, 3]))},
        },
        "resources": [
            {
                "type": "Microsoft.Storage/storageAccounts",
                "apiVersion": "2023-01-01",
                "name": "[variables('storageName')]",
                "location": "[parameters('location')]",
                "tags": "[variables('tags')]",
                "sku": {"name": "Standard_GRS"},
                "kind": "StorageV2",
                "properties": {
                    "supportsHttpsTrafficOnly": rnd.choice([True, True, False]),
                    "minimumTlsVersion": "[parameters('minTls')]",
                    "allowBlobPublicAccess": False,
                    "encryption": {"keySource": "Microsoft.Storage", "services": {"blob": {"enabled": True}}},
                },
            },
            {
                "type": "Microsoft.Network/networkSecurityGroups",
                "apiVersion": "2023-04-01",
                "name": "[variables('nsgName')]",
                "location": "[parameters('location')]",
                "properties": {
                    "copy": [{
                        "name": "securityRules",
                        "count": "[parameters('ruleCount')]",
                        "input": {
                            "name": "[concat('rule-', copyIndex('securityRules'))]",
                            "properties": {
                                "priority": "[add(100, copyIndex('securityRules'))]",
                                "direction": "Inbound",
                                "access": "Allow",
                                "protocol": "Tcp",
                                "sourceAddressPrefix": rnd.choice(["*", "10.0.0.0/8", "Internet"]),
                                "sourcePortRange": "*",
                                "destinationAddressPrefix": "*",
                                "destinationPortRange": "[string(add(8000, copyIndex('securityRules')))]",
                            },
                        },
                    }],
                },
            },
            {
                "type": "Microsoft.Sql/servers",
                "apiVersion": "2022-05-01-preview",
                "name": "[concat(parameters('prefix'), '-sql')]",
                "location": "[parameters('location')]",
                "properties": {
                    "administratorLogin": "sqladmin",
                    "minimalTlsVersion": rnd.choice(["1.2", "1.0"]),
                    "publicNetworkAccess": rnd.choice(["Disabled", "Enabled"]),
                },
            },
            {
                "type": "Microsoft.KeyVault/vaults",
                "apiVersion": "2023-02-01",
                "name": "[concat(parameters('prefix'), '-kv')]",
                "location": "[parameters('location')]",
                "properties": {
                    "tenantId": "[subscription().tenantId]",
                    "sku": {"family": "A", "name": "standard"},
                    "enableSoftDelete": True,
                    "enablePurgeProtection": rnd.choice([True, False]),
                    "accessPolicies": [],
                },
            },
            {
                "type": "Microsoft.Compute/disks",
                "apiVersion": "2023-04-02",
                "name": "[concat(parameters('prefix'), '-disk', copyIndex())]",
                "location": "[parameters('location')]",
                "copy": {"name": "disks", "count": rnd.randint(1, 3)},
                "sku": {"name": "Premium_LRS"},
                "properties": {"creationData": {"createOption": "Empty"}, "diskSizeGB": 128},
            },
        ],
    }
    params = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"prefix": {"value": f"rg{n}"}},
    }
    return json.dumps(t, indent=2) + "\n", json.dumps(params, indent=2) + "\n"


def write(out, rel, text):
    p = os.path.join(out, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write(text)
    return len(text.encode())


def terraform_env(out, i, rnd, with_app):
    env = f"env{i:05d}"
    root = ROOT.format(env=env, n=i % 250, port=rnd.choice([22, 3389, 8443]), vols=rnd.randint(1, 4))
    if with_app:
        root += APP_CALL.format(inst=rnd.randint(1, 3))
    tfvars = 'encrypt = %s\nsystem = "sys%d"\n' % (rnd.choice(["true", "true", "false"]), i)
    d = f"envs/{env}"
    return (write(out, f"{d}/main.tf", root) + write(out, f"{d}/variables.tf", VARS)
            + write(out, f"{d}/terraform.tfvars", tfvars))


def main():
    args = [a for a in sys.argv[1:]]
    if len(args) < 2:
        sys.exit(__doc__)
    out = args[0]
    target = float(args[1]) * 1024 * 1024
    rnd = random.Random(int(args[2]) if len(args) > 2 else 1)
    mix = args[3] if len(args) > 3 else "mixed"
    if mix not in ("mixed", "terraform"):
        sys.exit(f"MIX must be mixed or terraform, not {mix}")
    mixed = mix == "mixed"
    total = {"terraform": 0, "kubernetes": 0, "cloudformation": 0, "arm": 0}
    share = ({"terraform": 0.45, "kubernetes": 0.20, "cloudformation": 0.18, "arm": 0.17}
             if mixed else {"terraform": 1.0})
    mods = [("modules/network/main.tf", NETWORK), ("modules/storage/main.tf", STORAGE)]
    if mixed:
        mods.append(("modules/app/main.tf", APP))
    for path, text in mods:
        total["terraform"] += write(out, path, text)
    counts = {k: 0 for k in total}
    while sum(total.values()) < target:
        # The kind furthest below its share of the bytes written so far comes next.
        done = max(sum(total.values()), 1)
        kind = min(share, key=lambda k: total[k] / done - share[k])
        i = counts[kind]
        counts[kind] += 1
        if kind == "terraform":
            total[kind] += terraform_env(out, i, rnd, mixed)
        elif kind == "kubernetes":
            total[kind] += write(out, f"k8s/team{i:04d}/app.yaml", k8s(f"t{i:04d}", rnd))
        elif kind == "cloudformation":
            if i % 3 == 2:
                total[kind] += write(out, f"cfn/stack{i:04d}/template.json", cfn_json(i, rnd))
            else:
                total[kind] += write(out, f"cfn/stack{i:04d}/template.yaml", cfn_yaml(i, rnd))
        else:
            t, p = arm(i, rnd)
            total[kind] += write(out, f"arm/rg{i:04d}/azuredeploy.json", t)
            total[kind] += write(out, f"arm/rg{i:04d}/azuredeploy.parameters.json", p)
    parts = ", ".join(f"{k} {v / 1048576:.1f} MiB ({counts[k]} units)" for k, v in total.items() if v)
    print(f"{out}: {sum(total.values()) / 1048576:.1f} MiB: {parts}")



if __name__ == "__main__":
    main()
