# Terraform 1.5+: an import block with the import ID (<workspace_id>/<firewall_rule_id>).
import {
  to = rocketchat_firewall_rule.example
  id = "ws-0123abcd/fw-4567ef01"
}
