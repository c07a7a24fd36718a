# Terraform 1.5+: an import block with the import ID (the plan ID).
import {
  to = rocketchat_plan_tier.main
  id = "pln-0123abcd"
}
