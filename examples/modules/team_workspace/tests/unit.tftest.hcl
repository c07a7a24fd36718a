# Layer 1: the module's own logic, offline and without any API. The provider
# is mocked (its resources return the values below), but its functions are
# the real ones: the variables' validations ask the provider's catalog.

mock_provider "rocketchat" {
  mock_resource "rocketchat_plan_tier" {
    defaults = {
      id = "pln-0123456789abcdef"
    }
  }
  mock_resource "rocketchat_workspace" {
    defaults = {
      id     = "ws-0123456789abcdef"
      url    = "https://mock.rocket.chat"
      status = "ready"
    }
  }
  mock_resource "rocketchat_custom_domain" {
    defaults = {
      id                  = "dom-0123456789abcdef"
      verification_record = { type = "TXT", name = "_rocketchat-challenge.chat.acme.example", value = "rocketchat-verification=mock" }
      routing_record      = { type = "CNAME", name = "chat.acme.example", value = "acme-chat.rocket.chat" }
    }
  }
  mock_resource "rocketchat_firewall_rule" {
    defaults = {
      id = "fw-0123456789abcdef"
    }
  }
}

variables {
  team = "acme"
}

run "defaults_plan_a_standard_workspace" {
  command = plan

  assert {
    condition     = rocketchat_plan_tier.this.tier == "standard" && rocketchat_plan_tier.this.region == "us-east"
    error_message = "The default plan is a standard tier in us-east."
  }
  assert {
    condition     = rocketchat_workspace.this.subdomain == "acme-chat" && rocketchat_workspace.this.name == "Acme team"
    error_message = "Subdomain and name derive from the team."
  }
  assert {
    condition     = length(rocketchat_custom_domain.this) == 0 && length(rocketchat_firewall_rule.this) == 0
    error_message = "No domain and no rules unless asked for."
  }
  assert {
    condition     = output.dns_records == null && output.quotas.firewall_rules == 0
    error_message = "No DNS records without a domain; standard has no firewall rule quota."
  }
}

run "rejects_an_unknown_tier" {
  command = plan
  variables { tier = "gold" }
  expect_failures = [var.tier]
}

run "rejects_firewall_rules_on_standard" {
  command = plan
  variables {
    firewall_rules = { office = { cidr = "198.18.0.0/15", priority = 10 } }
  }
  expect_failures = [var.firewall_rules]
}

run "rejects_two_rules_with_one_priority" {
  command = plan
  variables {
    tier   = "premium"
    region = "eu-west"
    firewall_rules = {
      office = { cidr = "198.18.0.0/15", priority = 10 }
      vpn    = { cidr = "10.0.0.0/8", priority = 10 }
    }
  }
  expect_failures = [var.firewall_rules]
}

run "rejects_vpn_below_dedicated" {
  command = plan
  variables {
    tier = "premium"
    vpn  = true
  }
  expect_failures = [var.vpn]
}

run "rejects_more_users_than_the_tier_allows" {
  command = plan
  variables { max_users = 501 } # standard caps users at 500
  expect_failures = [var.max_users]
}

run "accepts_any_user_count_on_dedicated" {
  command = plan
  variables {
    tier      = "dedicated"
    region    = "eu-north"
    max_users = 20000
  }
}

run "outputs_of_a_premium_team" {
  # Apply against the mock: resources get the mocked values, nothing is called.
  command = apply
  variables {
    tier          = "premium"
    region        = "eu-west"
    custom_domain = "chat.acme.example"
    firewall_rules = {
      office = { cidr = "198.18.0.0/15", port_range = "443", priority = 10 }
    }
  }

  assert {
    condition     = output.workspace_id == "ws-0123456789abcdef" && output.url == "https://mock.rocket.chat"
    error_message = "Workspace outputs come from the workspace."
  }
  assert {
    condition     = output.dns_records.routing.type == "CNAME" && output.dns_records.verification.type == "TXT"
    error_message = "DNS records come from the custom domain."
  }
  assert {
    condition     = provider::rocketchat::parse_import_id(output.firewall_rule_import_ids["office"]).id == "fw-0123456789abcdef"
    error_message = "Import IDs are <workspace_id>/<rule_id>."
  }
  assert {
    condition     = output.quotas.firewall_rules == 250 && output.quotas.firewall_rules_used == 1 && output.quotas.custom_domains_used == 1
    error_message = "Quotas come from provider::rocketchat::tier_limits."
  }
  assert {
    condition     = rocketchat_firewall_rule.this["office"].description == "office" && rocketchat_firewall_rule.this["office"].protocol == "tcp"
    error_message = "A rule's description defaults to its name; its protocol to tcp."
  }
}
