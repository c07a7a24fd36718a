# Terraform 1.14+: every ready workspace of the organization.
list "rocketchat_workspace" "ready" {
  provider         = rocketchat
  include_resource = true

  config {
    status = "ready" # optional: pending, ready, upgrading; tier and region filter too
  }
}
