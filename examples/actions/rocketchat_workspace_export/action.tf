# Terraform 1.14+. Run it when needed:
#   terraform apply -invoke=action.rocketchat_workspace_export.before_migration
action "rocketchat_workspace_export" "before_migration" {
  config {
    workspace_id  = rocketchat_workspace.team.id
    include_files = true
    timeout       = "1h"
  }
}
