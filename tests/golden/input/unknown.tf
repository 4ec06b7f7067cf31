# A root module whose values cannot all be known statically: kijun reports them as not evaluated
# (never as passed). Used by the report golden tests.
variable "archive_encrypted" {
  type = bool
}

resource "aws_ebs_volume" "archive" {
  availability_zone = "ap-northeast-1a"
  size              = 200
  encrypted         = var.archive_encrypted
  tags = {
    Name = "アーカイブ用ボリューム"
  }
}
