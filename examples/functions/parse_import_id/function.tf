variable "firewall_rule_import_id" {
  type    = string
  default = "ws-0123456789abcdef/fw-0123456789abcdef"
}

locals {
  rule = provider::rocketchat::parse_import_id(var.firewall_rule_import_id)
}

output "rule_workspace_id" {
  value = local.rule.workspace_id # "ws-0123456789abcdef"
}

output "rule_id" {
  value = local.rule.id # "fw-0123456789abcdef"
}
