# The same store for Terraform, which has no provider for_each: a single region.
# OpenTofu ignores this file because main.tofu exists beside it.

provider "aws" {
  region = "ap-northeast-1"
}

resource "aws_s3_bucket" "documents_single_region" {
  bucket = "portal-documents"
}
