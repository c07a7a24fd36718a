# Firewall rules need the Premium or Dedicated tier.

# Every inbound rule of the workspace, keyed by priority (evaluation order,
# lowest first). Rules not listed here are deleted on apply, including rules
# added outside Terraform: the plan shows each one as a change.
locals {
  partner_cidrs = ["192.0.2.0/28", "192.0.2.16/28"]
}

resource "rocketchat_firewall_rules" "team" {
  workspace_id = rocketchat_workspace.team.id

  rules = merge(
    {
      "100" = {
        cidr        = "203.0.113.0/24" # canonical form: host bits must be zero
        action      = "allow"
        port_range  = "443" # protocol defaults to "tcp"
        description = "Office HTTPS"
      }
      "200" = {
        cidr       = "198.51.100.0/24"
        action     = "allow"
        protocol   = "udp"
        port_range = "10000-10100"
      }
      "900" = {
        cidr     = "2001:db8::/32"
        action   = "deny"
        protocol = "any"
      }
    },
    # Rules from data: priorities 1000, 1010, ... leave room to insert rules
    # later without renumbering (a changed key is a removed and an added rule).
    {
      for i, cidr in local.partner_cidrs : tostring(1000 + 10 * i) => {
        cidr       = cidr
        action     = "allow"
        port_range = "8000-8100"
      }
    },
  )
}
