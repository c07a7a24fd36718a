locals {
  standard = provider::rocketchat::tier_limits("standard")
}

output "standard_max_users" {
  value = local.standard.max_users # 500
}

# Caps are null when the tier has no fixed cap (quoted to size).
output "dedicated_has_user_cap" {
  value = provider::rocketchat::tier_limits("dedicated").max_users != null # false
}
