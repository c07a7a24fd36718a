terraform {
  # Cross-variable validation (1.9) and terraform test with mock providers (1.7).
  required_version = ">= 1.9"
  required_providers {
    rocketchat = {
      source = "rocketchat/rocketchat"
    }
  }
}
