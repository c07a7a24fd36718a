# A custom domain is imported by "<workspace_id>/<custom_domain_id>".
terraform import rocketchat_custom_domain.chat ws-0123/dom-4567
