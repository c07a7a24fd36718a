# Terraform 1.14+: the deny rules of one workspace.
list "rocketchat_firewall_rule" "deny" {
  provider         = rocketchat
  include_resource = true

  config {
    workspace_id = "ws-0123abcd"
    action       = "deny" # optional: allow, deny
    protocol     = "tcp"  # optional: tcp, udp, icmp, any
  }
}
