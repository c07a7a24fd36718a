# Terraform 1.14+: `terraform query` lists the organization's plan tiers;
# `terraform query -generate-config-out=plans.tf` writes their configuration.
list "rocketchat_plan_tier" "premium" {
  provider         = rocketchat
  include_resource = true

  config {
    tier   = "premium"  # optional: standard, premium, dedicated
    region = "eu-north" # optional
    status = "active"   # optional: active, upgrading
  }
}
