# A firewall rule is imported by "<workspace_id>/<firewall_rule_id>".
terraform import rocketchat_firewall_rule.example ws-0123/fw-4567
