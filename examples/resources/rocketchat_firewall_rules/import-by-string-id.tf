# Import the rules a workspace already has into a set, by workspace ID.
import {
  to = rocketchat_firewall_rules.team
  id = "ws-0123abcd"
}
