# A workspace's rule set is imported by the workspace ID. The first apply after
# the import takes ownership of the rules (one request, no rule changes).
terraform import rocketchat_firewall_rules.team ws-0123abcd
