# A data volume module shared by every environment. Whether the volume is encrypted is the
# caller's choice, which is what the roots disagree on.
variable "encrypted" {
  type = bool
}

variable "size" {
  type    = number
  default = 100
}

resource "aws_ebs_volume" "data" {
  availability_zone = "ap-northeast-1a"
  size              = var.size
  encrypted         = var.encrypted
}
