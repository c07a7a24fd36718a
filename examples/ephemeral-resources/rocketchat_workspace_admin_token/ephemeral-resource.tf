resource "rocketchat_plan_tier" "team" {
  tier = "standard"
}

resource "rocketchat_workspace" "team" {
  name      = "Acme Team"
  subdomain = "acme-team"
  plan_id   = rocketchat_plan_tier.team.id
}

# A short-lived admin token, issued on each plan and apply; never stored in
# plan or state (Terraform 1.10+).
ephemeral "rocketchat_workspace_admin_token" "team" {
  workspace_id = rocketchat_workspace.team.id
}

# Ephemeral values may feed provider blocks, write-only arguments and
# provisioners. Here a script bootstraps the new workspace as its admin.
resource "terraform_data" "bootstrap" {
  triggers_replace = rocketchat_workspace.team.id

  provisioner "local-exec" {
    command = "./bootstrap-workspace.sh"
    environment = {
      WORKSPACE_URL = rocketchat_workspace.team.url
      ADMIN_TOKEN   = ephemeral.rocketchat_workspace_admin_token.team.token
    }
  }
}
