# Static IPs need the Premium tier (an address from a shared pool) or the
# Dedicated tier (an address of the workspace's own).
resource "rocketchat_static_ip" "outbound" {
  workspace_id = rocketchat_workspace.team.id
  purpose      = "outbound"
  description  = "Allow-listed by the CRM"
}

output "outbound_ip" {
  value = rocketchat_static_ip.outbound.address
}
