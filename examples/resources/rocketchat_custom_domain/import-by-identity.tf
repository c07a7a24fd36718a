# Terraform 1.12+: import by identity: the workspace ID and the object's own
# ID, as two attributes (no "<workspace_id>/<id>" string to assemble).
import {
  to = rocketchat_custom_domain.example
  identity = {
    workspace_id = "ws-0123abcd"
    id           = "dom-4567ef01"
  }
}
