terraform {
  required_providers {
    rocketchat = {
      source = "rocketchat/rocketchat"
    }
  }
}

# Both settings may come from the environment instead:
#   ROCKETCHAT_ENDPOINT  - base URL of the API (e.g. http://127.0.0.1:8080 for the emulator)
#   ROCKETCHAT_TOKEN     - API token of your organization (keep it out of version control)
#   ROCKETCHAT_CA_CERT_FILE - optional PEM bundle of extra CAs for a TLS endpoint
# With both variables set, an empty `provider "rocketchat" {}` block is enough.
provider "rocketchat" {
  endpoint = "http://127.0.0.1:8080"
  token    = var.rocketchat_token
}

variable "rocketchat_token" {
  type      = string
  sensitive = true
}
