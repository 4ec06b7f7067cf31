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

# Operations access rules; the vendor left SSH open to the world in the default.
variable "ops_ingress" {
  type = list(object({
    port  = number
    cidrs = list(string)
  }))
  default = [
    { port = 443, cidrs = ["0.0.0.0/0"] },
    { port = 22, cidrs = ["0.0.0.0/0"] },
  ]
}

variable "trail_all_regions" {
  type    = bool
  default = false
}
