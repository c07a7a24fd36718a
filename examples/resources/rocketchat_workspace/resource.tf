resource "rocketchat_plan_tier" "team" {
  tier = "premium"
}

variable "admin_password" {
  type      = string
  sensitive = true
}

resource "rocketchat_workspace" "team" {
  name      = "Acme Team"
  subdomain = "acme-team" # https://acme-team.rocket.chat
  plan_id   = rocketchat_plan_tier.team.id

  # Write-only (Terraform 1.11+): never stored in plan or state. Bump the
  # version to send a new password.
  admin_password_wo         = var.admin_password
  admin_password_wo_version = 1

  # The default: a plan that would destroy or replace this workspace fails.
  # Set false, and apply that on its own, before deleting it. A delete takes
  # a final export first (skip_final_export = true skips it), within
  # timeouts.delete.
  deletion_protection = true

  timeouts {
    create = "30m"
    delete = "30m"
  }
}

output "url" {
  value = rocketchat_workspace.team.url
}
