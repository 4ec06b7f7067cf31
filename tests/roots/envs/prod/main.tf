# Production encrypts its volume: the module's finding does not hold here.
provider "aws" {
  region = "ap-northeast-1"
}

module "data" {
  source    = "../../modules/volume"
  encrypted = true
}
