# Terraform 1.12+: import a workspace by its identity.
import {
  to = rocketchat_workspace.main
  identity = {
    id = "ws-0123abcd"
  }
}
