# Every region, with the tiers allowed in each.
data "rocketchat_regions" "all" {}

# Only the regions a Premium plan may use.
data "rocketchat_regions" "premium" {
  tier = "premium"
}

output "premium_regions_in_europe" {
  value = [
    for r in data.rocketchat_regions.premium.regions : r.name
    if contains(["Germany", "France", "Poland"], r.data_location)
  ]
}
