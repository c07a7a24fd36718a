# Terraform 1.12+: import by identity: the workspace ID and the object's own
# ID, as two attributes (no "<workspace_id>/<id>" string to assemble).
import {
  to = rocketchat_firewall_rule.example
  identity = {
    workspace_id = "ws-0123abcd"
    id           = "fw-4567ef01"
  }
}
