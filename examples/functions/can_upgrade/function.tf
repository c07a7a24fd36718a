variable "current_tier" {
  type    = string
  default = "premium"
}

variable "wanted_tier" {
  type    = string
  default = "dedicated"
}

resource "rocketchat_plan_tier" "main" {
  tier   = var.wanted_tier
  region = "eu-west"

  lifecycle {
    precondition {
      # Tiers only move up during the term.
      condition     = provider::rocketchat::can_upgrade(var.current_tier, var.wanted_tier)
      error_message = "Cannot move from ${var.current_tier} to ${var.wanted_tier}: downgrades are refused."
    }
  }
}
