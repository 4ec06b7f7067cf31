# Staging passes the setting as a module argument.
provider "aws" {
  region = "ap-northeast-1"
}

module "data" {
  source    = "../../modules/volume"
  encrypted = false
}
