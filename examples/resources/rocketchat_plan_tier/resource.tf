# A Premium plan in the EU, with two add-ons and a raised user cap.
resource "rocketchat_plan_tier" "eu" {
  tier              = "premium"
  region            = "eu-central"
  automated_scaling = true
  matrix_addon      = true
  max_users         = 2500

  # Postpone each major upgrade by two weeks (Premium and Dedicated).
  major_upgrade_postponement_days = 14
}

# A Dedicated plan freezes the software version inside the supported window.
resource "rocketchat_plan_tier" "private" {
  tier           = "dedicated"
  region         = "sa-east"
  vpn            = true
  ip_isolation   = true
  version_freeze = "7.11"

  timeouts {
    update = "72h" # an upgrade to Dedicated waits for a manual approval
  }
}
