# Terraform 1.14+: the custom domains of one workspace still waiting for DNS.
list "rocketchat_custom_domain" "pending" {
  provider         = rocketchat
  include_resource = true

  config {
    workspace_id = "ws-0123abcd"
    status       = "pending" # optional: pending, verified
  }
}
