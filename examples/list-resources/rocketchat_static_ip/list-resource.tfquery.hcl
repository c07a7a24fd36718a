# Terraform 1.14+: the static IPs of one workspace, to allow-list them elsewhere.
list "rocketchat_static_ip" "outbound" {
  provider = rocketchat

  config {
    workspace_id = "ws-0123abcd"
    purpose      = "outbound" # optional: outbound, load_balancer
  }
}
