# main.tf before: one resource per rule.
resource "rocketchat_plan_tier" "team" {
  tier = "premium"
}

resource "rocketchat_workspace" "team" {
  name      = "Acme Team"
  subdomain = "acme-team"
  plan_id   = rocketchat_plan_tier.team.id
}

resource "rocketchat_firewall_rule" "office" {
  workspace_id = rocketchat_workspace.team.id
  cidr         = "203.0.113.0/24"
  action       = "allow"
  port_range   = "443"
  priority     = 100
  description  = "Office HTTPS"
}

locals {
  partner_cidrs = ["198.51.100.0/24", "192.0.2.0/28"]
}

resource "rocketchat_firewall_rule" "partners" {
  count = length(local.partner_cidrs)

  workspace_id = rocketchat_workspace.team.id
  cidr         = local.partner_cidrs[count.index]
  action       = "allow"
  port_range   = "8000-8100"
  priority     = 200 + count.index
}
