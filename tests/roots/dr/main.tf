# A disaster-recovery copy whose provider region comes from terraform.tfvars: every resource
# that stores data lands outside the allowed regions because of that one line.
variable "region" {
  type = string
}

provider "aws" {
  region = var.region
}

resource "aws_s3_bucket" "archive" {
  bucket = "agency-dr-archive"
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "us-east-1a"
  size              = 50
  encrypted         = true
}

resource "aws_dynamodb_table" "sessions" {
  name         = "agency-dr-sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}
