# A workspace is imported by its ID.
terraform import rocketchat_workspace.team ws-0123
