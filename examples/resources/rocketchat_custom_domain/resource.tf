resource "rocketchat_custom_domain" "chat" {
  workspace_id = rocketchat_workspace.team.id
  hostname     = "chat.example.com"
}

# The two records to create at your DNS provider, for example with the
# hashicorp/aws provider's aws_route53_record:
#
#   resource "aws_route53_record" "verification" {
#     zone_id = var.zone_id
#     type    = rocketchat_custom_domain.chat.verification_record.type
#     name    = rocketchat_custom_domain.chat.verification_record.name
#     records = [rocketchat_custom_domain.chat.verification_record.value]
#     ttl     = 300
#   }
output "dns_records" {
  value = {
    verification = rocketchat_custom_domain.chat.verification_record # TXT
    routing      = rocketchat_custom_domain.chat.routing_record      # CNAME
  }
}

# When the TXT record is managed outside this configuration, the create can
# wait until the domain is verified.
resource "rocketchat_custom_domain" "talk" {
  workspace_id          = rocketchat_workspace.team.id
  hostname              = "talk.example.com"
  wait_for_verification = true

  timeouts {
    create = "1h"
  }
}
