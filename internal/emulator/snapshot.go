package emulator

import (
	"errors"
	"maps"
	"net/http"
	"slices"
	"sort"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// Admin routes of seeds and snapshots (bodies are the Seed document):
//
//	POST /admin/v1/seed                 add a seed's organizations, tokens and objects, atomically -> 201 the seed with every ID filled in
//	GET  /admin/v1/snapshot[?org=NAME]  export every organization (or one) as a seed -> 200 Seed
//	PUT  /admin/v1/snapshot[?org=NAME]  replace the whole store (or that organization's objects) by the document, atomically -> 200 the new snapshot
//
// Snapshots include API tokens and admin password hashes: the admin API is
// the operator's, and a restored emulator must accept the same tokens.
// Tokens are only ever added (a restore does not revoke tokens given by
// flags or earlier seeds). An invalid document changes nothing: 422 with one
// error per problem, each naming the entry and field. Through the admin API a
// document is bound by the request body limit (api.MaxBodyBytes, 64 KiB); a
// larger estate is loaded with -seed at start.
const (
	RouteAdminSeed     = api.AdminPrefix + "/seed"
	RouteAdminSnapshot = api.AdminPrefix + "/snapshot"
)

func (s *Server) seedRoutes() []route {
	return []route{
		{"POST", RouteAdminSeed, s.adminSeed},
		{"GET", RouteAdminSnapshot, s.adminGetSnapshot},
		{"PUT", RouteAdminSnapshot, s.adminPutSnapshot},
	}
}

// ---- API tokens (read by auth on every request, added to by seeds) ----

// tokenOrg returns the organization of an API token.
func (s *Server) tokenOrg(tok string) (string, bool) {
	s.tokMu.RLock()
	defer s.tokMu.RUnlock()
	org, ok := s.tokens[tok]
	return org, ok
}

// MaxTokens bounds the API tokens the emulator knows (flags, seeds and
// snapshots together): each may own a rate-limiter bucket.
const MaxTokens = 10_000

// tokensBeyond returns how many tokens the emulator knows and how many of
// toks it does not know yet.
func (s *Server) tokensBeyond(toks map[string]string) (known, added int) {
	s.tokMu.RLock()
	defer s.tokMu.RUnlock()
	for tok := range toks {
		if _, ok := s.tokens[tok]; !ok {
			added++
		}
	}
	return len(s.tokens), added
}

func (s *Server) addTokens(tokens map[string]string) {
	s.tokMu.Lock()
	defer s.tokMu.Unlock()
	maps.Copy(s.tokens, tokens)
}

// orgTokens returns each organization's tokens, sorted.
func (s *Server) orgTokens() map[string][]string {
	s.tokMu.RLock()
	defer s.tokMu.RUnlock()
	out := map[string][]string{}
	for tok, org := range s.tokens {
		out[org] = append(out[org], tok)
	}
	for _, toks := range out {
		slices.Sort(toks)
	}
	return out
}

// ---- handlers ----

func (s *Server) adminSeed(q *request) (int, any, error) {
	doc, err := DecodeSeed("request body", q.body)
	if err != nil {
		return 0, nil, errStatus(http.StatusBadRequest, "%v", err)
	}
	out, err := s.applySeed(q, doc, seedAdd, "")
	if err != nil {
		return 0, nil, seedHTTPError(err)
	}
	return http.StatusCreated, out, nil
}

func (s *Server) adminGetSnapshot(q *request) (int, any, error) {
	snap, err := s.snapshot(q.r.URL.Query().Get("org"), q.now)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, snap, nil
}

func (s *Server) adminPutSnapshot(q *request) (int, any, error) {
	doc, err := DecodeSeed("request body", q.body)
	if err != nil {
		return 0, nil, errStatus(http.StatusBadRequest, "%v", err)
	}
	org := q.r.URL.Query().Get("org")
	mode := seedReplaceAll
	if org != "" {
		mode = seedReplaceOrg
	}
	if _, err := s.applySeed(q, doc, mode, org); err != nil {
		return 0, nil, seedHTTPError(err)
	}
	snap, err := s.snapshot(org, q.now)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, snap, nil
}

// Snapshot exports every organization (org "") or one as a seed document.
func (s *Server) Snapshot(org string) (*Seed, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.snapshot(org, s.now())
}

// RestoreSnapshot replaces the whole store (org "") or one organization's
// objects by doc, atomically, and adds doc's tokens.
func (s *Server) RestoreSnapshot(doc *Seed, org string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	mode := seedReplaceAll
	if org != "" {
		mode = seedReplaceOrg
	}
	_, err := s.applySeed(&request{now: s.now()}, doc, mode, org)
	return err
}

func seedHTTPError(err error) error {
	var se *SeedError
	if errors.As(err, &se) {
		return errInvalid(se.Errors)
	}
	return err
}

// snapshot builds the export; the caller holds s.mu.
func (s *Server) snapshot(only string, now time.Time) (*Seed, error) {
	keep := func(org string) bool { return only == "" || org == only }
	plans, err := listRecs(s, store.KindPlans, func(p *store.PlanRec) bool { return keep(p.Org) })
	if err != nil {
		return nil, err
	}
	wss, err := listRecs(s, store.KindWorkspaces, func(w *store.WorkspaceRec) bool { return keep(w.Org) })
	if err != nil {
		return nil, err
	}
	doms, err := listRecs(s, store.KindDomains, func(d *store.DomainRec) bool { return keep(d.Org) })
	if err != nil {
		return nil, err
	}
	rules, err := listRecs(s, store.KindFirewallRules, func(r *store.FirewallRec) bool { return keep(r.Org) })
	if err != nil {
		return nil, err
	}
	ips, err := listRecs(s, store.KindStaticIPs, func(ip *store.StaticIPRec) bool { return keep(ip.Org) })
	if err != nil {
		return nil, err
	}
	sortByCreated(plans, func(p *store.PlanRec) time.Time { return p.CreatedAt }, func(p *store.PlanRec) string { return p.ID })
	sortByCreated(wss, func(w *store.WorkspaceRec) time.Time { return w.CreatedAt }, func(w *store.WorkspaceRec) string { return w.ID })
	sortByCreated(doms, func(d *store.DomainRec) time.Time { return d.CreatedAt }, func(d *store.DomainRec) string { return d.ID })
	sortByCreated(rules, func(r *store.FirewallRec) time.Time { return r.CreatedAt }, func(r *store.FirewallRec) string { return r.ID })
	sortByCreated(ips, func(ip *store.StaticIPRec) time.Time { return ip.CreatedAt }, func(ip *store.StaticIPRec) string { return ip.ID })

	orgs := map[string]*SeedOrganization{}
	orgOf := func(name string) *SeedOrganization {
		if orgs[name] == nil {
			orgs[name] = &SeedOrganization{Name: name}
		}
		return orgs[name]
	}
	for org, toks := range s.orgTokens() {
		if keep(org) {
			orgOf(org).Tokens = toks
		}
	}
	for _, p := range plans {
		o := orgOf(p.Org)
		o.Plans = append(o.Plans, SeedPlan{ID: p.ID, PlanInput: p.PlanInput, CreatedAt: timePtr(p.CreatedAt), UpdatedAt: timePtr(p.UpdatedAt)})
	}
	byWS := map[string]*SeedWorkspace{}
	for _, w := range wss {
		o := orgOf(w.Org)
		sw := SeedWorkspace{ID: w.ID, Name: w.Name, Subdomain: w.Subdomain, PlanID: w.PlanID,
			AdminPasswordHash: w.PasswordHash, CreatedAt: timePtr(w.CreatedAt)}
		if w.IsPending(now) {
			sw.Pending = &SeedPending{Upgrade: w.Pending.Upgrade, Mode: string(w.Pending.Mode),
				Since: w.Pending.Since.Format(time.RFC3339Nano), Delay: w.Pending.Delay.String()}
		}
		o.Workspaces = append(o.Workspaces, sw)
	}
	for _, o := range orgs {
		for i := range o.Workspaces {
			byWS[o.Workspaces[i].ID] = &o.Workspaces[i]
		}
	}
	for _, d := range doms {
		if w := byWS[d.WorkspaceID]; w != nil {
			w.Domains = append(w.Domains, SeedDomain{ID: d.ID, Hostname: d.Hostname, Verified: d.Verified,
				VerificationValue: d.VerificationRecord.Value, CreatedAt: timePtr(d.CreatedAt)})
		}
	}
	for _, r := range rules {
		if w := byWS[r.WorkspaceID]; w != nil {
			w.FirewallRules = append(w.FirewallRules, SeedFirewallRule{ID: r.ID, FirewallRuleInput: r.FirewallRuleInput, CreatedAt: timePtr(r.CreatedAt)})
		}
	}
	for _, ip := range ips {
		if w := byWS[ip.WorkspaceID]; w != nil {
			w.StaticIPs = append(w.StaticIPs, SeedStaticIP{ID: ip.ID, StaticIPInput: ip.StaticIPInput, Address: ip.Address, CreatedAt: timePtr(ip.CreatedAt)})
		}
	}
	if only != "" && orgs[only] == nil {
		return nil, errStatus(http.StatusNotFound, "organization %q has no API token and no objects", only)
	}
	out := &Seed{Organizations: make([]SeedOrganization, 0, len(orgs))}
	for _, name := range slices.Sorted(maps.Keys(orgs)) {
		out.Organizations = append(out.Organizations, *orgs[name])
	}
	return out, nil
}

func timePtr(t time.Time) *time.Time { return &t }

// sortByCreated orders records by creation time, then ID, so a snapshot
// lists objects in the order they were made.
func sortByCreated[T any](items []T, created func(T) time.Time, id func(T) string) {
	sort.SliceStable(items, func(i, j int) bool {
		ci, cj := created(items[i]), created(items[j])
		if !ci.Equal(cj) {
			return ci.Before(cj)
		}
		return id(items[i]) < id(items[j])
	})
}
