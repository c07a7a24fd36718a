# A workspace managed elsewhere, looked up by ID.
data "rocketchat_workspace" "shared" {
  id = "ws-0123456789abcdef"
}

output "shared_workspace_url" {
  value = data.rocketchat_workspace.shared.url
}
