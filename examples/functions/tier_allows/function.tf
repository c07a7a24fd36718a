variable "tier" {
  type    = string
  default = "premium"
}

resource "rocketchat_plan_tier" "main" {
  tier = var.tier
  # Turn the add-on on only where the tier includes it.
  matrix_addon = provider::rocketchat::tier_allows(var.tier, "matrix_addon")
}

output "vpn_available" {
  value = provider::rocketchat::tier_allows(var.tier, "vpn") # false on premium
}
