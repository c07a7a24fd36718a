# Terraform 1.14+. Once the TXT record exists at your DNS provider, verify now
# instead of waiting for the periodic check:
#   terraform apply -invoke=action.rocketchat_custom_domain_verify.chat
resource "rocketchat_custom_domain" "chat" {
  workspace_id = rocketchat_workspace.team.id
  hostname     = "chat.example.com"
}

action "rocketchat_custom_domain_verify" "chat" {
  config {
    workspace_id     = rocketchat_custom_domain.chat.workspace_id
    custom_domain_id = rocketchat_custom_domain.chat.id
  }
}
