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

  timeouts {
    create = "30m"
  }
}

output "url" {
  value = rocketchat_workspace.team.url
}
