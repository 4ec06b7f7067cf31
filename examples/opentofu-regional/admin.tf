# Administration access, with the allowed networks kept in a JSON file the operations team
# edits, and the public read policy of the help pages rendered from a template.

provider "aws" {
  region = "ap-northeast-1"
}

resource "aws_security_group" "admin" {
  name        = "portal-admin"
  description = "SSH for the operations team"

  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = jsondecode(file("${path.module}/admin-cidrs.json"))
  }
}

resource "aws_s3_bucket" "help" {
  bucket = "portal-help-pages"
}

resource "aws_s3_bucket_policy" "help" {
  bucket = aws_s3_bucket.help.id
  policy = templatefile("${path.module}/policies/public-read.json.tftpl", {
    bucket  = "portal-help-pages"
    actions = ["s3:GetObject"]
  })
}
