resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "ops" {
  name        = "portal-ops"
  description = "Operations access"
  vpc_id      = aws_vpc.main.id

  dynamic "ingress" {
    for_each = var.ops_ingress
    content {
      description = "ops ${ingress.value.port}"
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ingress.value.cidrs
    }
  }
}
