package emulator

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// manyOrgs adds n organizations (token "tok-N", org "org-N") to a harness.
func manyOrgs(n int) func(*Config) {
	return func(c *Config) {
		for i := range n {
			c.Tokens[fmt.Sprintf("tok-%d", i)] = fmt.Sprintf("org-%d", i)
		}
	}
}

// fillShare gives the organization of tok static IPs of the tier until its
// pool share refuses one; it returns the addresses and the refusal.
func fillShare(h *harness, tok string, tier catalog.Tier, prefix string) ([]string, api.Problem) {
	h.t.Helper()
	spec, _ := catalog.Lookup(tier)
	var addrs []string
	for w := 0; ; w++ {
		_, ws := h.tierWorkspace(tok, tier, fmt.Sprintf("%s-%03d", prefix, w))
		for range spec.StaticIPQuota {
			r := h.do(tok, "POST", path(api.RouteStaticIPs, ws.ID), api.StaticIPInput{Purpose: "outbound"})
			if r.Code != 201 {
				return addrs, problem(h.t, r, r.Code)
			}
			var ip api.StaticIP
			if err := json.Unmarshal(r.Body, &ip); err != nil {
				h.t.Fatal(err)
			}
			addrs = append(addrs, ip.Address)
		}
	}
}

// smallPools makes the pools the sizes of the report (a /24 shared
// pool, two /24s dedicated) for the test, so filling a share stays cheap.
func smallPools(t *testing.T) {
	shared, dedicated := SharedIPPools, DedicatedIPPools
	SharedIPPools = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
	DedicatedIPPools = []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("203.0.113.0/24")}
	t.Cleanup(func() { SharedIPPools, DedicatedIPPools = shared, dedicated })
}

// One organization cannot take the shared pool: at its share (an eighth of
// the /24) it gets a 422 naming the rule and the share, and another
// organization still gets addresses.
func TestStaticIPPoolShare(t *testing.T) {
	smallPools(t)
	h := newHarness(t)
	share := catalog.IPPoolShare(catalog.StaticIPShared, 254)
	addrs, p := fillShare(h, tokA, catalog.Premium, "share")
	if len(addrs) != share {
		t.Fatalf("org A got %d shared addresses, want its share %d", len(addrs), share)
	}
	if p.Status != 422 || !hasFieldError(p, "address", catalog.RuleIPPoolShare) ||
		!strings.Contains(p.Detail, fmt.Sprintf("at most %d of the 254", share)) {
		t.Fatalf("refusal at the share: %+v", p)
	}
	_, ws := h.tierWorkspace(tokB, catalog.Premium, "other-org")
	h.must(201, tokB, "POST", path(api.RouteStaticIPs, ws.ID), api.StaticIPInput{Purpose: "outbound"}, nil)

	// The real pools hold far more than one estate: an organization's share
	// is 8,191 addresses of each /16.
	if n := catalog.IPPoolShare(catalog.StaticIPShared, hostRanges([]netip.Prefix{netip.MustParsePrefix("198.18.0.0/16")}).size()); n != 8191 {
		t.Fatalf("share of a /16: %d", n)
	}

	// Addresses are drawn at random: 31 addresses in pool order would mean
	// sequential allocation (chance of that at random: nil in practice).
	sequential := true
	for i, a := range addrs {
		if a != fmt.Sprintf("192.0.2.%d", i+1) {
			sequential = false
		}
	}
	if sequential {
		t.Fatalf("addresses handed out in order: %v", addrs)
	}
}

// TestStaticIPPoolExhaustion fills the dedicated pools (two /24s, 508 host
// addresses) with nine organizations, each up to its share; every address is
// unique and a host address, and the next allocation is a 409.
func TestStaticIPPoolExhaustion(t *testing.T) {
	smallPools(t)
	h := newHarness(t, manyOrgs(9))
	seen := map[string]bool{}
	pools := DedicatedIPPools
	for o := 0; len(seen) < 508 && o < 9; o++ {
		addrs, p := fillShare(h, fmt.Sprintf("tok-%d", o), catalog.Dedicated, fmt.Sprintf("pool-%d", o))
		for _, a := range addrs {
			if seen[a] || !inPools(pools, a) || strings.HasSuffix(a, ".0") || strings.HasSuffix(a, ".255") {
				t.Fatalf("address %s handed out twice or not a host address of the pools", a)
			}
			seen[a] = true
		}
		if len(seen) < 508 && p.Status != 422 {
			t.Fatalf("org %d refused before its share: %+v", o, p)
		}
		if len(seen) == 508 && (p.Status != 409 || !strings.Contains(p.Detail, "exhausted")) {
			t.Fatalf("full pool: %+v", p)
		}
	}
	if len(seen) != 508 {
		t.Fatalf("%d addresses handed out, want 508", len(seen))
	}
}

// inPools reports whether the address lies in one of the pools.
func inPools(pools []netip.Prefix, addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range pools {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
