# Every tier, lowest first, from the provider's built-in catalog (no API call).
data "rocketchat_plan_tiers" "all" {}

output "tier_user_caps" {
  # null means "no fixed cap" (quoted to size).
  value = { for t in data.rocketchat_plan_tiers.all.tiers : t.name => t.max_users }
}

# The lowest tier that has static IPs.
output "first_tier_with_static_ips" {
  value = [for t in data.rocketchat_plan_tiers.all.tiers : t.name if contains(t.features, "static_ips")][0]
}
