# A static IP is imported by "<workspace_id>/<static_ip_id>".
terraform import rocketchat_static_ip.outbound ws-0123/ip-4567
