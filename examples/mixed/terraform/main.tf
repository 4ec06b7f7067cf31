provider "aws" {
  region = "ap-northeast-1"
}

resource "aws_db_instance" "reports" {
  identifier          = "reports"
  engine              = "postgres"
  instance_class      = "db.t3.medium"
  allocated_storage   = 20
  publicly_accessible = true
  storage_encrypted   = true
  multi_az            = true
}
