terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      system                = "agency-portal"
      kijun-confidentiality = "2"
    }
  }
}

# Disaster-recovery copies: a provider alias outside Japan.
provider "aws" {
  alias  = "dr"
  region = "us-west-2"
}
