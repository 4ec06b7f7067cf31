#!/usr/bin/env python3
"""Generates a synthetic infrastructure-as-code tree for benchmarks (nothing is copied from real
repositories). Usage: gen_corpus.py OUT_DIR TARGET_MB [SEED]

Terraform: shared modules (network with dynamic security-group rules, storage, compute) and many
environment root modules calling them with variables, tfvars, locals, count and for_each.
"""
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


def main():
    out = sys.argv[1]
    target = float(sys.argv[2]) * 1024 * 1024
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    os.makedirs(os.path.join(out, "modules/network"), exist_ok=True)
    os.makedirs(os.path.join(out, "modules/storage"), exist_ok=True)
    total = 0
    for path, text in (("modules/network/main.tf", NETWORK), ("modules/storage/main.tf", STORAGE)):
        with open(os.path.join(out, path), "w") as f:
            f.write(text)
        total += len(text)
    i = 0
    while total < target:
        env = f"env{i:05d}"
        d = os.path.join(out, "envs", env)
        os.makedirs(d, exist_ok=True)
        root = ROOT.format(env=env, n=i % 250, port=rnd.choice([22, 3389, 8443]), vols=rnd.randint(1, 4))
        tfvars = 'encrypt = %s\nsystem = "sys%d"\n' % (rnd.choice(["true", "true", "false"]), i)
        for name, text in (("main.tf", root), ("variables.tf", VARS), ("terraform.tfvars", tfvars)):
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
            total += len(text.encode())
        i += 1
    print(f"{out}: {i} root modules, {total / 1048576:.1f} MiB")


if __name__ == "__main__":
    main()
