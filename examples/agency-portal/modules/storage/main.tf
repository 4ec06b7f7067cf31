variable "name" {
  type = string
}

variable "encrypted" {
  type    = bool
  default = true
}

resource "aws_ebs_volume" "this" {
  availability_zone = "ap-northeast-1c"
  size              = 100
  encrypted         = var.encrypted

  tags = {
    Name = var.name
  }
}
