package emulator

import (
	"encoding/binary"
	mathrand "math/rand/v2"
	"net/http"
	"net/netip"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// Address pools, from the benchmarking range 198.18.0.0/15 (RFC 2544): never
// routed on the Internet, like the documentation ranges, but large enough
// for a real estate. Every organization draws from them, each up to its
// share (catalog.IPPoolShare: an eighth, 8,191 addresses of a /16), so one
// organization's 100-workspace estate fits while no organization can take a
// pool. IPv4 prefixes only.
var (
	// SharedIPPools serve the Premium tier's shared addresses.
	SharedIPPools = []netip.Prefix{netip.MustParsePrefix("198.18.0.0/16")}
	// DedicatedIPPools serve the Dedicated tier's own addresses.
	DedicatedIPPools = []netip.Prefix{netip.MustParsePrefix("198.19.0.0/16")}
)

func staticIPOwner(ip *store.StaticIPRec) (string, string) { return ip.Org, ip.WorkspaceID }

// poolAddrs is the host addresses of IPv4 pools (network and broadcast
// excluded), as [first, last] ranges.
type poolAddrs [][2]uint32

func hostRanges(pools []netip.Prefix) poolAddrs {
	out := make(poolAddrs, 0, len(pools))
	for _, p := range pools {
		a := p.Masked().Addr().As4()
		base := binary.BigEndian.Uint32(a[:])
		size := uint32(1) << (32 - p.Bits())
		out = append(out, [2]uint32{base + 1, base + size - 2})
	}
	return out
}

func (r poolAddrs) size() int {
	n := 0
	for _, x := range r {
		n += int(x[1] - x[0] + 1)
	}
	return n
}

// contains reports whether a is a host address of the pools.
func (r poolAddrs) contains(a netip.Addr) bool {
	if !a.Is4() {
		return false
	}
	b := a.As4()
	v := binary.BigEndian.Uint32(b[:])
	for _, x := range r {
		if v >= x[0] && v <= x[1] {
			return true
		}
	}
	return false
}

// at returns the i-th address of the pools (0 <= i < size).
func (r poolAddrs) at(i int) netip.Addr {
	for _, x := range r {
		n := int(x[1] - x[0] + 1)
		if i < n {
			var b [4]byte
			binary.BigEndian.PutUint32(b[:], x[0]+uint32(i))
			return netip.AddrFrom4(b)
		}
		i -= n
	}
	return netip.Addr{}
}

// allocateIP returns a free address of the tier's pools for the organization.
// The organization may hold at most its share of the pool (catalog.IPPoolShare).
// The address is drawn at random, then the next free one after it is taken:
// the work is bounded by the pool size, one index lookup per address, and an
// address does not tell how many others hold (sequential allocation did).
func (s *Server) allocateIP(org string, kind catalog.StaticIPKind) (netip.Addr, error) {
	pools := SharedIPPools
	if kind == catalog.StaticIPDedicated {
		pools = DedicatedIPPools
	}
	addrs := hostRanges(pools)
	size := addrs.size()
	if v := catalog.CheckIPPoolShare(kind, size, s.store.Count(store.PoolGroup(string(kind), org))); v != nil {
		return netip.Addr{}, errInvalid(api.Collect(v))
	}
	start := mathrand.IntN(size)
	for i := range size {
		a := addrs.at((start + i) % size)
		if _, used := s.store.Holder(store.UniqueKey("address", a.String())); !used {
			return a, nil
		}
	}
	return netip.Addr{}, errConflict("the %s static IP pool is exhausted; release an address or try again later", kind)
}

func (s *Server) listStaticIPs(q *request) (int, any, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return 0, nil, err
	}
	return listPage(s, q, store.KindStaticIPs, store.WsGroup(store.KindStaticIPs, ws.ID), func(ip *store.StaticIPRec) (api.StaticIP, error) {
		return ip.StaticIP, nil
	})
}

func (s *Server) createStaticIP(q *request) (int, any, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return 0, nil, err
	}
	var in api.StaticIPInput
	if err := q.decode(&in); err != nil {
		return 0, nil, err
	}
	tier := catalog.Tier(ws.Tier)
	errs := in.Validate()
	errs = append(errs, api.Collect(catalog.CheckChildFeature(tier, catalog.FeatureStaticIPs, ws.ID))...)
	if len(errs) > 0 {
		return 0, nil, errInvalid(errs)
	}
	if v := catalog.CheckChildQuota(tier, catalog.FeatureStaticIPs, ws.ID, ws.Usage.Count(catalog.FeatureStaticIPs)); v != nil {
		return 0, nil, errInvalid(api.Collect(v))
	}
	spec, _ := catalog.Lookup(tier)
	addr, err := s.allocateIP(q.org, spec.StaticIPKind)
	if err != nil {
		return 0, nil, err
	}
	ip := store.StaticIPRec{Org: q.org, StaticIP: api.StaticIP{ID: newID("ip"), WorkspaceID: ws.ID, StaticIPInput: in,
		Address: addr.String(), Dedicated: spec.StaticIPKind == catalog.StaticIPDedicated, CreatedAt: q.now}}
	if err := q.put(store.KindStaticIPs, ip.ID, ip); err != nil {
		return 0, nil, err
	}
	if err := q.countChild(ws, catalog.FeatureStaticIPs, +1); err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, ip.StaticIP, nil
}

func (s *Server) getStaticIP(q *request) (int, any, error) {
	_, ip, err := childOf(s, q, store.KindStaticIPs, "static IP", "ip_id", staticIPOwner)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ip.StaticIP, nil
}

// updateStaticIP changes the description; an omitted (empty) purpose keeps its value.
func (s *Server) updateStaticIP(q *request) (int, any, error) {
	_, ip, err := childOf(s, q, store.KindStaticIPs, "static IP", "ip_id", staticIPOwner)
	if err != nil {
		return 0, nil, err
	}
	var in api.StaticIPInput
	if err := q.decode(&in); err != nil {
		return 0, nil, err
	}
	if in.Purpose == "" {
		in.Purpose = ip.Purpose
	}
	errs := in.Validate()
	errs = append(errs, api.Collect(catalog.CheckImmutable("purpose", ip.Purpose, in.Purpose))...)
	if len(errs) > 0 {
		return 0, nil, errInvalid(errs)
	}
	ip.Description = in.Description
	if err := q.put(store.KindStaticIPs, ip.ID, ip); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ip.StaticIP, nil
}

func (s *Server) deleteStaticIP(q *request) (int, any, error) {
	ws, ip, err := childOf(s, q, store.KindStaticIPs, "static IP", "ip_id", staticIPOwner)
	if err != nil {
		return 0, nil, err
	}
	q.del(store.KindStaticIPs, ip.ID)
	if err := q.countChild(ws, catalog.FeatureStaticIPs, -1); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}
