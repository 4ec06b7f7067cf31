locals {
  volume_size = 50
}

resource "aws_ebs_volume" "app_data" {
  availability_zone = "ap-northeast-1a"
  size              = local.volume_size
  encrypted         = var.encrypt_volumes
}

module "reports" {
  source = "./modules/storage"

  name      = "reports"
  encrypted = false

  providers = {
    aws = aws.dr
  }
}

module "archive" {
  source = "./modules/storage"

  name      = "archive"
  encrypted = true
}
