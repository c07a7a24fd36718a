# Terraform 1.12+: import a plan tier by its identity.
import {
  to = rocketchat_plan_tier.main
  identity = {
    id = "pln-0123abcd"
  }
}
