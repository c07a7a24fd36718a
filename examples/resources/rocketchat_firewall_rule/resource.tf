# Firewall rules need the Premium or Dedicated tier.

# Allow HTTPS from the office network.
resource "rocketchat_firewall_rule" "office_https" {
  workspace_id = rocketchat_workspace.team.id
  cidr         = "203.0.113.0/24" # canonical form: host bits must be zero
  action       = "allow"
  protocol     = "tcp"
  port_range   = "443"
  priority     = 100
  description  = "Office HTTPS"
}

# Deny a whole IPv6 range, every protocol and port.
resource "rocketchat_firewall_rule" "deny_lab" {
  workspace_id = rocketchat_workspace.team.id
  cidr         = "2001:db8::/32"
  action       = "deny"
  protocol     = "any"
  priority     = 900
}

# Many rules from a list; priorities are unique per workspace.
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
