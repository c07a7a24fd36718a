package emulator

import (
	"errors"
	"fmt"
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
//	POST /admin/v1/seed                      add a seed's organizations, tokens and objects, atomically -> 201 the seed with every ID filled in
//	GET  /admin/v1/snapshot[?org=NAME|?scope=all]  export one organization, or every one (the default) -> 200 Seed
//	PUT  /admin/v1/snapshot?org=NAME         replace that organization's objects by the document (which holds it alone), atomically -> 200 its new snapshot
//	PUT  /admin/v1/snapshot?scope=all        replace every organization's objects by the document, atomically -> 200 the new snapshot
//
// A PUT must say what it replaces: without ?org= or ?scope=all, or with both,
// it is a 400 (a restore scoped by a typo once wiped every other tenant).
// Query parameters are checked by checkQuery: an unknown, repeated or empty
// one is a 400 naming it.
//
// Snapshots include API tokens and admin password hashes: the admin API is
// the operator's, and a restored emulator must accept the same tokens.
// Tokens are only ever added (a restore does not revoke tokens given by
// flags or earlier seeds), each through the check of the -token flag
// (Server.checkNewToken). An invalid document changes nothing: 422 with one
// error per problem, each naming the entry and field. Through the admin API a
// document is bound by the request body limit (api.MaxBodyBytes, 64 KiB); a
// larger estate is loaded with -seed at start.
//
// Cost: a seed, a one-organization export and a one-organization restore
// cost what that organization holds (the index answers for the others); a
// whole-store export reads one consistent view of the store without the data
// lock, so other tenants' requests go on meanwhile (seed_apply.go).
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

// snapshotScope reads ?org= and ?scope= (checkQuery has refused unknown,
// repeated and empty ones): the organization, or "" with all set.
func snapshotScope(q *request, restore bool) (org string, all bool, err error) {
	query := q.r.URL.Query()
	org, scope := query.Get(QueryOrg), query.Get(QueryScope)
	var errs []api.FieldError
	switch {
	case scope != "" && scope != ScopeAll:
		errs = append(errs, api.FieldError{Field: QueryScope, Rule: "one_of", Allowed: []string{ScopeAll},
			Message: fmt.Sprintf("scope %q is not known; the only scope is %q (every organization); name one organization with ?org=", scope, ScopeAll)})
	case scope != "" && org != "":
		errs = append(errs, api.FieldError{Field: QueryScope, Rule: "conflict",
			Message: "give ?org=NAME (one organization) or ?scope=all (every organization), not both"})
	case restore && scope == "" && org == "":
		errs = append(errs, api.FieldError{Field: QueryScope, Rule: "required",
			Message: "say what the restore replaces: ?org=NAME replaces one organization's objects, ?scope=all replaces every organization's"})
	}
	if org != "" {
		if err := ValidateOrgName(org); err != nil || !orgNameRE.MatchString(org) {
			errs = append(errs, api.FieldError{Field: QueryOrg, Rule: "format",
				Message: "not a valid organization name: use 1 to 63 letters, digits, '.', '_' or '-'"})
		}
	}
	if len(errs) > 0 {
		return "", false, badQuery(errs)
	}
	return org, org == "", nil
}

// adminGetSnapshot runs without the data lock (adminLock): one organization's
// export takes it shared, a whole-store export reads a consistent view.
func (s *Server) adminGetSnapshot(q *request) (int, any, error) {
	org, _, err := snapshotScope(q, false)
	if err != nil {
		return 0, nil, err
	}
	snap, err := s.Snapshot(org)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, snap, nil
}

func (s *Server) adminPutSnapshot(q *request) (int, any, error) {
	org, all, err := snapshotScope(q, true)
	if err != nil {
		return 0, nil, err
	}
	doc, err := DecodeSeed("request body", q.body)
	if err != nil {
		return 0, nil, errStatus(http.StatusBadRequest, "%v", err)
	}
	mode := seedReplaceOrg
	if all {
		mode = seedReplaceAll
	}
	if _, err := s.applySeed(q, doc, mode, org); err != nil {
		return 0, nil, seedHTTPError(err)
	}
	if all { // the answer is read from the document just written
		snap, err := s.snapshotAll(q.now)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, snap, nil
	}
	snap, err := s.snapshotOrg(org, q.now)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, snap, nil
}

// Snapshot exports one organization, or every organization when org is "".
// One organization's export takes the data lock shared and reads what the
// organization holds; the whole store's takes no data lock.
func (s *Server) Snapshot(org string) (*Seed, error) {
	if org == "" {
		return s.snapshotAll(s.now())
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.snapshotOrg(org, s.now())
}

// RestoreSnapshot replaces one organization's objects by doc (which must
// hold that organization alone), atomically, and adds doc's tokens. An empty
// org is an error, never "every organization": that is RestoreAll.
func (s *Server) RestoreSnapshot(doc *Seed, org string) error {
	if org == "" {
		return errors.New("emulator: RestoreSnapshot needs an organization; RestoreAll replaces every organization")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.applySeed(&request{now: s.now()}, doc, seedReplaceOrg, org)
	return err
}

// RestoreAll replaces every organization's objects by doc, atomically, and
// adds doc's tokens.
func (s *Server) RestoreAll(doc *Seed) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.applySeed(&request{now: s.now()}, doc, seedReplaceAll, "")
	return err
}

func seedHTTPError(err error) error {
	var se *SeedError
	if errors.As(err, &se) {
		return errInvalid(se.Errors)
	}
	return err
}

// snapshotRecs are the records a snapshot is built from, each kind in
// creation order.
type snapshotRecs struct {
	plans []*store.PlanRec
	wss   []*store.WorkspaceRec
	doms  []*store.DomainRec
	rules []*store.FirewallRec
	ips   []*store.StaticIPRec
}

// snapshotOrg exports one organization through the index (the caller holds
// s.mu, shared at least): it decodes what the organization holds only.
func (s *Server) snapshotOrg(org string, now time.Time) (*Seed, error) {
	var r snapshotRecs
	var err error
	if r.plans, err = orgRecs[store.PlanRec](s, store.KindPlans, org); err != nil {
		return nil, err
	}
	if r.wss, err = orgRecs[store.WorkspaceRec](s, store.KindWorkspaces, org); err != nil {
		return nil, err
	}
	if r.doms, err = orgRecs[store.DomainRec](s, store.KindDomains, org); err != nil {
		return nil, err
	}
	if r.rules, err = orgRecs[store.FirewallRec](s, store.KindFirewallRules, org); err != nil {
		return nil, err
	}
	if r.ips, err = orgRecs[store.StaticIPRec](s, store.KindStaticIPs, org); err != nil {
		return nil, err
	}
	return s.buildSnapshot(org, &r, now)
}

// snapshotAll exports every organization from one consistent view of the
// store (store.Store.ListAll), without the data lock: a whole-store export
// of a large estate never stalls another tenant's requests.
func (s *Server) snapshotAll(now time.Time) (*Seed, error) {
	raws, err := s.store.ListAll(store.ObjectKinds)
	if err != nil {
		return nil, err
	}
	var r snapshotRecs
	if r.plans, err = decodeAll[store.PlanRec](s, raws[store.KindPlans]); err != nil {
		return nil, err
	}
	if r.wss, err = decodeAll[store.WorkspaceRec](s, raws[store.KindWorkspaces]); err != nil {
		return nil, err
	}
	if r.doms, err = decodeAll[store.DomainRec](s, raws[store.KindDomains]); err != nil {
		return nil, err
	}
	if r.rules, err = decodeAll[store.FirewallRec](s, raws[store.KindFirewallRules]); err != nil {
		return nil, err
	}
	if r.ips, err = decodeAll[store.StaticIPRec](s, raws[store.KindStaticIPs]); err != nil {
		return nil, err
	}
	sortByCreated(r.plans, func(p *store.PlanRec) time.Time { return p.CreatedAt }, func(p *store.PlanRec) string { return p.ID })
	sortByCreated(r.wss, func(w *store.WorkspaceRec) time.Time { return w.CreatedAt }, func(w *store.WorkspaceRec) string { return w.ID })
	sortByCreated(r.doms, func(d *store.DomainRec) time.Time { return d.CreatedAt }, func(d *store.DomainRec) string { return d.ID })
	sortByCreated(r.rules, func(r *store.FirewallRec) time.Time { return r.CreatedAt }, func(r *store.FirewallRec) string { return r.ID })
	sortByCreated(r.ips, func(ip *store.StaticIPRec) time.Time { return ip.CreatedAt }, func(ip *store.StaticIPRec) string { return ip.ID })
	return s.buildSnapshot("", &r, now)
}

// buildSnapshot turns records into the seed document (only: the one
// organization exported, "" for all).
func (s *Server) buildSnapshot(only string, r *snapshotRecs, now time.Time) (*Seed, error) {
	keep := func(org string) bool { return only == "" || org == only }
	plans, wss, doms, rules, ips := r.plans, r.wss, r.doms, r.rules, r.ips
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
			DeletionProtection: w.DeletionProtection, FirewallRulesExclusive: w.FirewallRulesExclusive,
			FirewallRulesVersion: w.FirewallRulesVersion, AdminPasswordHash: w.PasswordHash, CreatedAt: timePtr(w.CreatedAt)}
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
