package catalog

import (
	"fmt"
	"strconv"
)

// Static-IP pool share. Static IPs come from address pools that every
// organization draws from: the Premium tier's shared pool and the Dedicated
// tier's pool of own addresses. Without a limit one organization could take a
// whole pool (with a /24, 64 Premium workspaces x 4 addresses) and every
// other organization's next static IP would fail. The emulator's pools are
// /16s: a share is then 8,191 addresses, room for any one estate. So an organization may hold at
// most one IPPoolShareDivisor-th of a pool, rounded down, but never less than
// one workspace's quota of the tier drawing from it (a tenant can always
// equip one workspace fully). Addresses are also handed out at random, not in
// order, so an address says nothing about how many others hold.
//
// The rule needs the pool size and the organization's holdings, which only
// the API knows: the provider cannot check it at plan time; the API answers
// 422 with rule RuleIPPoolShare on field "address".
const IPPoolShareDivisor = 8

// RuleIPPoolShare is the rule of a static IP refused by the pool share.
const RuleIPPoolShare = "ip_pool_share"

// IPPoolShare is how many addresses of a pool of the kind and size one
// organization may hold.
func IPPoolShare(kind StaticIPKind, poolSize int) int {
	share := poolSize / IPPoolShareDivisor
	for _, t := range Tiers {
		if t.StaticIPKind == kind && t.StaticIPQuota > share {
			share = t.StaticIPQuota
		}
	}
	return min(share, poolSize)
}

// CheckIPPoolShare refuses one more address of the pool to an organization
// that already holds its share.
func CheckIPPoolShare(kind StaticIPKind, poolSize, held int) *Violation {
	share := IPPoolShare(kind, poolSize)
	if held < share {
		return nil
	}
	return &Violation{Field: "address", Rule: RuleIPPoolShare, Allowed: []string{strconv.Itoa(share)},
		Message: fmt.Sprintf("an organization may hold at most %d of the %d addresses of the %s static IP pool "+
			"(1/%d of the pool, at least one workspace's quota) and this organization holds %d; release a static IP first",
			share, poolSize, kind, IPPoolShareDivisor, held)}
}
