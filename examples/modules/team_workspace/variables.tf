variable "team" {
  description = "Short team name: the workspace is https://<team>-chat.rocket.chat."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,56}[a-z0-9]$", var.team))
    error_message = "team must be 3 to 58 lowercase letters, digits and hyphens, starting with a letter (it becomes the subdomain \"<team>-chat\")."
  }
}

variable "display_name" {
  description = "Display name of the workspace; defaults to \"<Team> team\"."
  type        = string
  default     = null
}

variable "deletion_protection" {
  description = "Refuse, at plan time and in the API, any plan that would destroy or replace the workspace. Set false, and apply that on its own, before deleting it."
  type        = bool
  default     = true
}

variable "tier" {
  description = "Plan tier. Tiers only move up (standard -> premium -> dedicated); the provider refuses a downgrade at plan time."
  type        = string
  default     = "standard"

  validation {
    # The provider's catalog is the list of tiers: no second copy here.
    condition     = can(provider::rocketchat::tier_limits(var.tier))
    error_message = "tier must be one of the provider's tiers: standard, premium or dedicated."
  }
}

variable "region" {
  description = "Region of the plan (standard: us-east only)."
  type        = string
  default     = "us-east"
}

variable "max_users" {
  description = "User cap of the plan; null means the tier's cap."
  type        = number
  default     = null

  validation {
    condition = (var.max_users == null ? true :
      provider::rocketchat::tier_limits(var.tier).max_users == null ? var.max_users >= 1 :
    var.max_users >= 1 && var.max_users <= provider::rocketchat::tier_limits(var.tier).max_users)
    error_message = "max_users must be at least 1 and within the tier's cap (provider::rocketchat::tier_limits(tier).max_users)."
  }
}

variable "vpn" {
  description = "VPN access (dedicated only)."
  type        = bool
  default     = false

  validation {
    condition     = var.vpn ? provider::rocketchat::tier_allows(var.tier, "vpn") : true
    error_message = "vpn needs a tier that allows it (dedicated): check provider::rocketchat::tier_allows(tier, \"vpn\")."
  }
}

variable "custom_domain" {
  description = "Optional custom domain of the workspace (its DNS records are an output)."
  type        = string
  default     = null

  validation {
    condition     = var.custom_domain == null ? true : can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.custom_domain))
    error_message = "custom_domain must be a lowercase fully qualified host name such as chat.example.com."
  }
}

variable "firewall_rules" {
  description = "Inbound firewall rules by name (premium and dedicated only)."
  type = map(object({
    cidr        = string
    action      = optional(string, "allow")
    protocol    = optional(string, "tcp")
    port_range  = optional(string)
    priority    = number
    description = optional(string)
  }))
  default = {}

  validation {
    condition     = length(var.firewall_rules) == 0 ? true : provider::rocketchat::tier_allows(var.tier, "firewall_rules")
    error_message = "firewall_rules need the premium or dedicated tier: upgrade tier first (provider::rocketchat::tier_allows(tier, \"firewall_rules\") is false)."
  }
  validation {
    condition     = length(distinct([for r in values(var.firewall_rules) : r.priority])) == length(var.firewall_rules)
    error_message = "Each firewall rule needs a priority of its own."
  }
  validation {
    condition     = length(var.firewall_rules) == 0 ? true : length(var.firewall_rules) <= provider::rocketchat::tier_limits(var.tier).firewall_rule_quota
    error_message = "More firewall rules than the tier's quota (provider::rocketchat::tier_limits(tier).firewall_rule_quota)."
  }
}
