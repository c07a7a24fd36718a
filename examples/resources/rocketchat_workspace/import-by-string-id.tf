# Terraform 1.5+: an import block with the import ID (the workspace ID).
import {
  to = rocketchat_workspace.main
  id = "ws-0123abcd"
}
