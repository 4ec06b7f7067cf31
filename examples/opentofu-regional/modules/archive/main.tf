# The portal's archive of closed cases: one bucket in the region of the provider configuration
# the caller passes (`providers = { aws = … }`).

terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "name" {
  description = "Name of the archive bucket."
  type        = string
}

resource "aws_s3_bucket" "archive" {
  bucket = var.name
}
