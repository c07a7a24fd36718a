output "workspace_id" {
  description = "ID of the workspace."
  value       = rocketchat_workspace.this.id
}

output "plan_id" {
  description = "ID of the plan tier."
  value       = rocketchat_plan_tier.this.id
}

output "url" {
  description = "URL of the workspace."
  value       = rocketchat_workspace.this.url
}

output "tier" {
  # From the plan, not the workspace: an upgrade changes the plan in place and
  # the workspace's own tier attribute only catches up at the next refresh.
  description = "Tier the workspace runs on."
  value       = rocketchat_plan_tier.this.tier
}

output "status" {
  description = "Provisioning status of the workspace."
  value       = rocketchat_workspace.this.status
}

output "dns_records" {
  description = "Records to create at the DNS provider for the custom domain (null without one)."
  value = var.custom_domain == null ? null : {
    verification = rocketchat_custom_domain.this[0].verification_record
    routing      = rocketchat_custom_domain.this[0].routing_record
  }
}

output "firewall_rule_import_ids" {
  description = "Import ID (\"<workspace_id>/<rule_id>\") of each firewall rule, by name; provider::rocketchat::parse_import_id splits them."
  value       = { for name, r in rocketchat_firewall_rule.this : name => "${r.workspace_id}/${r.id}" }
}

output "quotas" {
  description = "The tier's per-workspace quotas and how many of them this module uses."
  value = {
    firewall_rules      = provider::rocketchat::tier_limits(var.tier).firewall_rule_quota
    firewall_rules_used = length(var.firewall_rules)
    custom_domains      = provider::rocketchat::tier_limits(var.tier).custom_domain_quota
    custom_domains_used = var.custom_domain == null ? 0 : 1
  }
}
