# Terraform 1.12+: import a workspace's rules into a set by identity.
import {
  to = rocketchat_firewall_rules.team
  identity = {
    workspace_id = "ws-0123abcd"
  }
}
