# The estate `make demo` applies against the emulator: a Standard workspace,
# and a Dedicated one in a non-default region, each on its plan, in one apply.
terraform {
  required_providers {
    rocketchat = {
      source = "rocketchat/rocketchat"
    }
  }
}

# endpoint and token come from ROCKETCHAT_ENDPOINT and ROCKETCHAT_TOKEN.
provider "rocketchat" {}

resource "rocketchat_plan_tier" "team" {
  tier = "standard"
}

resource "rocketchat_workspace" "team" {
  name      = "Acme Team"
  subdomain = "acme-team"
  plan_id   = rocketchat_plan_tier.team.id
}

resource "rocketchat_plan_tier" "eu" {
  tier              = "dedicated"
  region            = "eu-north"
  vpn               = true
  ip_isolation      = true
  automated_scaling = true
  matrix_addon      = true
  version_freeze    = "7.11"
}

resource "rocketchat_workspace" "eu" {
  name      = "Acme Europe"
  subdomain = "acme-eu"
  plan_id   = rocketchat_plan_tier.eu.id
}

output "team_url" {
  value = rocketchat_workspace.team.url
}

output "eu_workspace" {
  value = {
    url              = rocketchat_workspace.eu.url
    tier             = rocketchat_workspace.eu.tier
    region           = rocketchat_workspace.eu.region
    hosting_provider = rocketchat_workspace.eu.hosting_provider
    data_location    = rocketchat_workspace.eu.data_location
    status           = rocketchat_workspace.eu.status
  }
}
