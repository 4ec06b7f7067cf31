# Dev takes it from a variable set in terraform.tfvars.
provider "aws" {
  region = "ap-northeast-1"
}

variable "encrypt_data" {
  type = bool
}

module "data" {
  source    = "../../modules/volume"
  encrypted = var.encrypt_data
}
