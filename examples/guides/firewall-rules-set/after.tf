# main.tf after: the same rules as one set, keyed by priority.
resource "rocketchat_plan_tier" "team" {
  tier = "premium"
}

resource "rocketchat_workspace" "team" {
  name      = "Acme Team"
  subdomain = "acme-team"
  plan_id   = rocketchat_plan_tier.team.id
}

locals {
  partner_cidrs = ["198.51.100.0/24", "192.0.2.0/28"]
}

resource "rocketchat_firewall_rules" "team" {
  workspace_id = rocketchat_workspace.team.id

  rules = merge(
    {
      "100" = {
        cidr        = "203.0.113.0/24"
        action      = "allow"
        port_range  = "443"
        description = "Office HTTPS"
      }
    },
    {
      for i, cidr in local.partner_cidrs : tostring(200 + i) => {
        cidr       = cidr
        action     = "allow"
        port_range = "8000-8100"
      }
    },
  )
}

# Adopt the rules the workspace already has (the import ID is the
# workspace ID; the workspace is in the state, so its ID is known) ...
import {
  to = rocketchat_firewall_rules.team
  id = rocketchat_workspace.team.id
}

# ... and let go of the per-rule resources without deleting their rules.
removed {
  from = rocketchat_firewall_rule.office

  lifecycle {
    destroy = false
  }
}

removed {
  from = rocketchat_firewall_rule.partners

  lifecycle {
    destroy = false
  }
}
