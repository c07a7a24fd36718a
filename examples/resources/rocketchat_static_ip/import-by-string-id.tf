# Terraform 1.5+: an import block with the import ID (<workspace_id>/<static_ip_id>).
import {
  to = rocketchat_static_ip.example
  id = "ws-0123abcd/ip-4567ef01"
}
