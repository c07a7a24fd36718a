# A team's Rocket.Chat Cloud workspace: its plan tier, the workspace, an
# optional custom domain and inbound firewall rules.

resource "rocketchat_plan_tier" "this" {
  tier      = var.tier
  region    = var.region
  max_users = var.max_users
  vpn       = var.vpn
}

resource "rocketchat_workspace" "this" {
  name                = coalesce(var.display_name, "${title(var.team)} team")
  subdomain           = "${var.team}-chat"
  plan_id             = rocketchat_plan_tier.this.id
  deletion_protection = var.deletion_protection
}

resource "rocketchat_custom_domain" "this" {
  count = var.custom_domain == null ? 0 : 1

  workspace_id = rocketchat_workspace.this.id
  hostname     = var.custom_domain
}

resource "rocketchat_firewall_rule" "this" {
  for_each = var.firewall_rules

  workspace_id = rocketchat_workspace.this.id
  cidr         = each.value.cidr
  action       = each.value.action
  protocol     = each.value.protocol
  port_range   = each.value.port_range
  priority     = each.value.priority
  description  = coalesce(each.value.description, each.key)
}
