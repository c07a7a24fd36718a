# Terraform 1.5+: an import block with the import ID (<workspace_id>/<custom_domain_id>).
import {
  to = rocketchat_custom_domain.example
  id = "ws-0123abcd/dom-4567ef01"
}
