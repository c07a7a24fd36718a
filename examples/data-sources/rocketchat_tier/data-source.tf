data "rocketchat_tier" "premium" {
  name = "premium"
}

# Size a plan at the tier's cap.
resource "rocketchat_plan_tier" "eu" {
  tier      = data.rocketchat_tier.premium.name
  region    = "eu-west"
  max_users = data.rocketchat_tier.premium.max_users
}

output "premium_regions" {
  value = data.rocketchat_tier.premium.regions
}
