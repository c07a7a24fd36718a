package emulator

import (
	"net/http"
	"net/netip"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// Address pools (RFC 5737 documentation ranges).
var (
	// SharedIPPools serve the Premium tier's shared addresses.
	SharedIPPools = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
	// DedicatedIPPools serve the Dedicated tier's own addresses, in order.
	DedicatedIPPools = []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("203.0.113.0/24")}
)

func staticIPOwner(ip *staticIPRec) (string, string) { return ip.Org, ip.WorkspaceID }

func (s *Server) workspaceIPs(wsID string) ([]*staticIPRec, error) {
	recs, err := listRecs(s, kindStaticIPs, func(ip *staticIPRec) bool { return ip.WorkspaceID == wsID })
	sortByCreated(recs, func(ip *staticIPRec) time.Time { return ip.CreatedAt }, func(ip *staticIPRec) string { return ip.ID })
	return recs, err
}

// allocateIP returns the first host address of the tier's pools that no
// static IP of any organization holds (network and broadcast excluded).
func (s *Server) allocateIP(kind catalog.StaticIPKind) (netip.Addr, error) {
	pools := SharedIPPools
	if kind == catalog.StaticIPDedicated {
		pools = DedicatedIPPools
	}
	all, err := listRecs[staticIPRec](s, kindStaticIPs, nil)
	if err != nil {
		return netip.Addr{}, err
	}
	used := make(map[string]bool, len(all))
	for _, ip := range all {
		used[ip.Address] = true
	}
	for _, p := range pools {
		first := p.Masked().Addr().Next()
		for a := first; p.Contains(a) && p.Contains(a.Next()); a = a.Next() {
			if !used[a.String()] {
				return a, nil
			}
		}
	}
	return netip.Addr{}, errConflict("the %s static IP pool is exhausted; release an address or try again later", kind)
}

func (s *Server) listStaticIPs(q *request) (int, any, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return 0, nil, err
	}
	recs, err := s.workspaceIPs(ws.ID)
	if err != nil {
		return 0, nil, err
	}
	out := api.List[api.StaticIP]{Items: make([]api.StaticIP, 0, len(recs))}
	for _, ip := range recs {
		out.Items = append(out.Items, ip.StaticIP)
	}
	return http.StatusOK, out, nil
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
	addr, err := s.allocateIP(spec.StaticIPKind)
	if err != nil {
		return 0, nil, err
	}
	ip := staticIPRec{Org: q.org, StaticIP: api.StaticIP{ID: newID("ip"), WorkspaceID: ws.ID, StaticIPInput: in,
		Address: addr.String(), Dedicated: spec.StaticIPKind == catalog.StaticIPDedicated, CreatedAt: q.now}}
	if err := q.put(kindStaticIPs, ip.ID, ip); err != nil {
		return 0, nil, err
	}
	if err := q.countChild(ws, catalog.FeatureStaticIPs, +1); err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, ip.StaticIP, nil
}

func (s *Server) getStaticIP(q *request) (int, any, error) {
	_, ip, err := childOf(s, q, kindStaticIPs, "static IP", "ip_id", staticIPOwner)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ip.StaticIP, nil
}

// updateStaticIP changes the description; an omitted (empty) purpose keeps its value.
func (s *Server) updateStaticIP(q *request) (int, any, error) {
	_, ip, err := childOf(s, q, kindStaticIPs, "static IP", "ip_id", staticIPOwner)
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
	if err := q.put(kindStaticIPs, ip.ID, ip); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ip.StaticIP, nil
}

func (s *Server) deleteStaticIP(q *request) (int, any, error) {
	ws, ip, err := childOf(s, q, kindStaticIPs, "static IP", "ip_id", staticIPOwner)
	if err != nil {
		return 0, nil, err
	}
	q.del(kindStaticIPs, ip.ID)
	if err := q.countChild(ws, catalog.FeatureStaticIPs, -1); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}
