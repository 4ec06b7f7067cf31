locals {
  log_retention_days = 90
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/agency-portal/app"
  retention_in_days = local.log_retention_days
}

resource "aws_cloudtrail" "main" {
  name                       = "agency-portal"
  s3_bucket_name             = "agency-portal-trail"
  is_multi_region_trail      = var.trail_all_regions
  enable_log_file_validation = true
}
