variable "region" {
  type    = string
  default = "ap-northeast-1"
}

variable "admin_cidrs" {
  type    = list(string)
  default = ["203.0.113.0/24"]
}

variable "encrypt_volumes" {
  type    = bool
  default = true
}
