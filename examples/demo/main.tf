# The estate `make demo` applies against the emulator: a Standard workspace,
# and a Dedicated one in a non-default region, each on its plan, with a custom
# domain, a firewall rule and a static IP, in one apply.
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

  # A demo to destroy afterwards. Real workspaces keep the default (true):
  # a plan that would destroy or replace them fails.
  deletion_protection = false
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
  name                = "Acme Europe"
  subdomain           = "acme-eu"
  plan_id             = rocketchat_plan_tier.eu.id
  deletion_protection = false # see above
}

resource "rocketchat_custom_domain" "eu" {
  workspace_id = rocketchat_workspace.eu.id
  hostname     = "chat.acme.example"
}

resource "rocketchat_firewall_rule" "eu_office" {
  workspace_id = rocketchat_workspace.eu.id
  cidr         = "198.51.100.0/24"
  action       = "allow"
  protocol     = "tcp"
  port_range   = "443"
  priority     = 100
  description  = "Office HTTPS"
}

resource "rocketchat_static_ip" "eu_outbound" {
  workspace_id = rocketchat_workspace.eu.id
  purpose      = "outbound"
  description  = "Webhooks to partners"
}

output "team_url" {
  value = rocketchat_workspace.team.url
}

output "eu_workspace" {
  value = {
    url              = rocketchat_workspace.eu.url
    tier             = rocketchat_plan_tier.eu.tier
    region           = rocketchat_workspace.eu.region
    hosting_provider = rocketchat_workspace.eu.hosting_provider
    data_location    = rocketchat_workspace.eu.data_location
    status           = rocketchat_workspace.eu.status
    outbound_ip      = rocketchat_static_ip.eu_outbound.address
    dns_records = {
      verification = rocketchat_custom_domain.eu.verification_record
      routing      = rocketchat_custom_domain.eu.routing_record
    }
  }
}
