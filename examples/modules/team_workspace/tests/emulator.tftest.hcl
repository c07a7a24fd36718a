# Layer 2: the module against the Rocket.Chat Cloud emulator. The provider
# reads ROCKETCHAT_ENDPOINT and ROCKETCHAT_TOKEN (one organization per suite).
# The emulator applies the real API rules and the provider its real plan-time
# checks; the runs share one state, applied in order, destroyed at the end.
#
# The emulator should provision every tier at once for this suite
# (-provisioning standard=immediate,premium=immediate,dedicated=immediate),
# else the upgrade to dedicated waits for a manual approval.

variables {
  team          = "ops"
  custom_domain = "chat.ops.example"
}

run "create_a_standard_team" {
  command = apply

  assert {
    condition     = output.status == "ready" && output.tier == "standard"
    error_message = "The workspace is ready on standard."
  }
  assert {
    condition     = output.url == "https://ops-chat.rocket.chat"
    error_message = "The URL comes from the team name."
  }
  assert {
    condition     = output.dns_records.routing.value == "ops-chat.rocket.chat" && startswith(output.dns_records.verification.name, "_rocketchat-challenge.")
    error_message = "The domain's DNS records point at the workspace."
  }
}

run "firewall_rules_need_premium" {
  # The catalog's tier gate, through the real provider's tier_allows function.
  command = plan
  variables {
    firewall_rules = { office = { cidr = "198.18.0.0/15", priority = 10 } }
  }
  expect_failures = [var.firewall_rules]
}

# A run's assertions compare with an earlier run through variables the module
# does not declare: OpenTofu (1.11) reads run.<name> in a run's variables but
# not in its assertions, and only the latest run of the module's state.
run "upgrade_to_premium_in_place" {
  command = apply
  variables {
    tier             = "premium"
    workspace_before = run.create_a_standard_team.workspace_id
    plan_before      = run.create_a_standard_team.plan_id
  }

  assert {
    condition     = output.tier == "premium" && output.status == "ready"
    error_message = "The workspace follows its plan to premium."
  }
  assert {
    condition     = output.workspace_id == var.workspace_before && output.plan_id == var.plan_before
    error_message = "An upgrade keeps the plan and the workspace (no replacement)."
  }
}

run "add_firewall_rules_on_premium" {
  command = apply
  variables {
    tier = "premium"
    firewall_rules = {
      office = { cidr = "198.18.0.0/15", port_range = "443", priority = 10 }
      deny   = { cidr = "0.0.0.0/0", action = "deny", protocol = "any", priority = 1000 }
    }
  }

  assert {
    condition     = length(output.firewall_rule_import_ids) == 2
    error_message = "Both rules exist."
  }
  assert {
    condition = alltrue([for id in values(output.firewall_rule_import_ids) :
    provider::rocketchat::parse_import_id(id).workspace_id == output.workspace_id])
    error_message = "Every rule belongs to the team's workspace."
  }
}

run "upgrade_to_dedicated_with_vpn" {
  command = apply
  variables {
    tier             = "dedicated"
    vpn              = true
    workspace_before = run.add_firewall_rules_on_premium.workspace_id
    firewall_rules = {
      office = { cidr = "198.18.0.0/15", port_range = "443", priority = 10 }
      deny   = { cidr = "0.0.0.0/0", action = "deny", protocol = "any", priority = 1000 }
    }
  }

  assert {
    condition     = output.tier == "dedicated" && rocketchat_plan_tier.this.vpn
    error_message = "Dedicated with VPN."
  }
  assert {
    condition     = output.workspace_id == var.workspace_before
    error_message = "Still the same workspace."
  }
}
