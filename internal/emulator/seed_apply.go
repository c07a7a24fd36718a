package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// How a seed is applied: every object is created by the very handler of its
// POST route, on a scratch in-memory server. So a seed obeys every rule of
// the REST API — validation, tier gates, quotas, unique subdomains, hostnames
// and priorities, address allocation, usage counters — with no second copy
// of those rules. Fixed IDs and snapshot state are then written over the
// created records. Finally the difference between the scratch store and the
// real one is queued on the caller's request and committed once, so the real
// store sees one atomic batch.
//
// The scratch server holds a copy of the organizations the seed touches only
// (none when they are being replaced), and sees every other organization's
// unique values (subdomains, hostnames, addresses) and fixed IDs through the
// real store's index (store.IndexedStore.SetOutside, seedLoader.claim). So a
// seed, or the restore of one organization, costs what that organization
// holds and what the document brings, never what the whole store holds: with
// another tenant at 100,000 objects it is as fast as with an empty store.

// seedScope is what a seed touches.
type seedScope struct {
	mode     seedMode
	orgs     []string          // the organizations the seed touches, sorted
	replaced func(string) bool // whose objects the seed replaces
}

func (s *Server) scopeOf(doc *Seed, mode seedMode, org string) seedScope {
	sc := seedScope{mode: mode, replaced: func(o string) bool {
		return mode == seedReplaceAll || (mode == seedReplaceOrg && o == org)
	}}
	names := map[string]bool{}
	for _, o := range doc.Organizations {
		names[o.Name] = true
	}
	if mode == seedReplaceOrg {
		names[org] = true
	}
	sc.orgs = slices.Sorted(maps.Keys(names))
	return sc
}

// scratchServer returns an in-memory server with this server's provisioning
// and domain settings and a clock stopped at now, holding a copy of the
// objects of the touched organizations that the seed keeps, and seeing the
// unique values of every other organization (the caller holds s.mu).
func (s *Server) scratchServer(now time.Time, scope seedScope) (*Server, error) {
	s.provMu.RLock()
	prov := maps.Clone(s.prov)
	s.provMu.RUnlock()
	sc, err := New(Config{Provisioning: prov, DomainVerifyDelay: s.cfg.DomainVerifyDelay, Now: func() time.Time { return now }})
	if err != nil {
		return nil, err
	}
	sc.parent = s
	if scope.mode == seedReplaceAll {
		return sc, nil // nothing is kept, so nothing outside is seen
	}
	cq := &request{now: now}
	for _, org := range scope.orgs {
		if scope.replaced(org) {
			continue
		}
		for _, kind := range store.ObjectKinds {
			recs, err := s.orgRecords(kind, org)
			if err != nil {
				_ = sc.Close()
				return nil, err
			}
			for _, id := range slices.Sorted(maps.Keys(recs)) {
				cq.ops = append(cq.ops, store.Op{Kind: kind, ID: id, Value: recs[id]})
			}
		}
	}
	if err := sc.commit(cq); err != nil {
		_ = sc.Close()
		return nil, err
	}
	sc.store.SetOutside(func(key string) (string, bool) {
		id, ok := s.store.Holder(key)
		if !ok {
			return "", false
		}
		org, found, err := s.recordOrg(store.HolderKind(key), id)
		if err == nil && found && scope.replaced(org) {
			return "", false // the value is freed by the restore
		}
		return id, true
	})
	return sc, nil
}

// orgRecords returns the stored records of one organization of a kind, by
// ID, through the index (a cost of what the organization holds).
func (s *Server) orgRecords(kind, org string) (map[string][]byte, error) {
	ids := s.store.IDs(store.OrgGroup(kind, org))
	s.countDecoded(len(ids)) // copied, then decoded by the scratch index
	out := make(map[string][]byte, len(ids))
	for _, id := range ids {
		raw, ok, err := s.store.Get(kind, id)
		if err != nil {
			return nil, err
		}
		if ok {
			out[id] = raw
		}
	}
	return out, nil
}

// recordOrg returns the organization of a stored record.
func (s *Server) recordOrg(kind, id string) (string, bool, error) {
	if kind == "" {
		return "", false, nil
	}
	raw, ok, err := s.store.Get(kind, id)
	if err != nil || !ok {
		return "", false, err
	}
	s.countDecoded(1)
	var o struct {
		Org string `json:"org"`
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return "", false, err
	}
	return o.Org, true, nil
}

// allRecords returns every record of a kind of a (scratch) server, by ID.
func (s *Server) allRecords(kind string) (map[string][]byte, error) {
	raws, err := s.store.List(kind)
	if err != nil {
		return nil, err
	}
	s.countDecoded(len(raws))
	out := make(map[string][]byte, len(raws))
	for _, raw := range raws {
		var o struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(raw, &o); err != nil {
			return nil, err
		}
		out[o.ID] = raw
	}
	return out, nil
}

// planSeed validates doc and queues on q the writes that apply it (for a
// whole-store restore: the store's new content, see applySeed). It returns
// the seed with every ID filled in (passwords left out) and the tokens to add.
func (s *Server) planSeed(q *request, doc *Seed, mode seedMode, org string) (*Seed, map[string]string, error) {
	if errs := s.checkStatic(doc, mode, org); len(errs) > 0 {
		return nil, nil, &SeedError{Errors: errs}
	}
	scope := s.scopeOf(doc, mode, org)
	sc, err := s.scratchServer(q.now, scope)
	if err != nil {
		return nil, nil, err
	}
	defer func() { _ = sc.Close() }() // in memory: nothing to lose
	out := cloneSeed(doc)
	tokens := map[string]string{}
	for i := range out.Organizations {
		o := &out.Organizations[i]
		l := seedLoader{s: s, sc: sc, scope: scope, org: o.Name, now: q.now, planKeys: map[string]string{}}
		for j := range o.Plans {
			if err := l.plan(fmt.Sprintf("organizations[%d].plans[%d]", i, j), &o.Plans[j]); err != nil {
				return nil, nil, err
			}
		}
		for j := range o.Workspaces {
			if err := l.workspace(fmt.Sprintf("organizations[%d].workspaces[%d]", i, j), &o.Workspaces[j]); err != nil {
				return nil, nil, err
			}
		}
		for _, tok := range o.Tokens {
			tokens[tok] = o.Name
		}
	}
	if mode == seedReplaceAll {
		err = s.queueReplacement(q, sc)
	} else {
		err = s.queueDiff(q, sc, scope)
	}
	if err != nil {
		return nil, nil, err
	}
	return out, tokens, nil
}

// queueDiff queues on q the writes that turn the touched organizations'
// objects into the scratch store's, deleting the exports of every workspace
// that goes and, for the replaced organizations, their idempotency records
// (whose answers name objects that are gone).
func (s *Server) queueDiff(q *request, sc *Server, scope seedScope) error {
	for _, kind := range store.ObjectKinds {
		old := map[string][]byte{}
		for _, org := range scope.orgs {
			recs, err := s.orgRecords(kind, org)
			if err != nil {
				return err
			}
			maps.Copy(old, recs)
		}
		next, err := sc.allRecords(kind)
		if err != nil {
			return err
		}
		for _, id := range slices.Sorted(maps.Keys(next)) {
			if o, ok := old[id]; !ok || !bytes.Equal(o, next[id]) {
				q.ops = append(q.ops, store.Op{Kind: kind, ID: id, Value: next[id]})
			}
		}
		for _, id := range slices.Sorted(maps.Keys(old)) {
			if _, ok := next[id]; ok {
				continue
			}
			q.del(kind, id)
			if kind == store.KindWorkspaces { // its exports go with it, as on DELETE
				for _, e := range s.store.IDs(store.WsGroup(store.KindExports, id)) {
					q.del(store.KindExports, e)
				}
			}
		}
	}
	for _, org := range scope.orgs {
		if scope.replaced(org) {
			for _, id := range s.store.IDs(store.OrgGroup(store.KindIdempotency, org)) {
				q.del(store.KindIdempotency, id)
			}
		}
	}
	return nil
}

// queueReplacement queues on q the whole content of the store after a
// whole-store restore: the scratch store's objects, plus the exports of the
// workspaces that stay (same ID, same organization). applySeed writes it with
// store.Replace, which drops everything else (idempotency records included)
// without reading it.
func (s *Server) queueReplacement(q *request, sc *Server) error {
	for _, kind := range store.ObjectKinds {
		next, err := sc.allRecords(kind)
		if err != nil {
			return err
		}
		for _, id := range slices.Sorted(maps.Keys(next)) {
			q.ops = append(q.ops, store.Op{Kind: kind, ID: id, Value: next[id]})
			if kind != store.KindWorkspaces {
				continue
			}
			var ws struct {
				Org string `json:"org"`
			}
			if err := json.Unmarshal(next[id], &ws); err != nil {
				return err
			}
			for _, e := range s.store.IDs(store.WsGroup(store.KindExports, id)) {
				raw, ok, err := s.store.Get(store.KindExports, e)
				if err != nil {
					return err
				}
				if org, _, _ := s.recordOrg(store.KindExports, e); ok && org == ws.Org {
					q.ops = append(q.ops, store.Op{Kind: store.KindExports, ID: e, Value: raw})
				}
			}
		}
	}
	return nil
}

func cloneSeed(doc *Seed) *Seed {
	b, _ := json.Marshal(doc) // plain data: cannot fail
	out := &Seed{}
	_ = json.Unmarshal(b, out)
	return out
}

// seedLoader creates one organization's objects on the scratch server.
type seedLoader struct {
	s        *Server // the real server (its store is read only)
	sc       *Server
	scope    seedScope
	org      string
	now      time.Time
	planKeys map[string]string // plan key -> ID
}

// create runs the POST handler h with body on the scratch server (under the
// workspace wsID for child routes) and commits its writes there.
func (l *seedLoader) create(h handlerFunc, body any, wsID string) (any, error) {
	b, err := marshal(body)
	if err != nil {
		return nil, err
	}
	r := &http.Request{Method: http.MethodPost, URL: &url.URL{}, Header: http.Header{}}
	if wsID != "" {
		r.SetPathValue("workspace_id", wsID)
	}
	// Objects of one seed are created a microsecond apart, so lists (which
	// order by creation time) keep the seed's order.
	cq := &request{r: r, org: l.org, body: b, now: l.now}
	l.now = l.now.Add(time.Microsecond)
	_, v, err := h(cq)
	if err != nil {
		return nil, err
	}
	return v, l.sc.commit(cq)
}

// claim checks that a fixed ID is free (in any organization): in the
// scratch store, and in the real store unless the seed replaces its holder's
// organization.
func (l *seedLoader) claim(path, kind, id string) error {
	if id == "" {
		return nil
	}
	org, ok, err := l.sc.recordOrg(kind, id)
	if err == nil && !ok && l.scope.mode != seedReplaceAll {
		org, ok, err = l.s.recordOrg(kind, id)
		ok = ok && !l.scope.replaced(org)
	}
	if err != nil || !ok {
		return err
	}
	where := "another organization"
	if org == l.org {
		where = "organization " + quote(l.org)
	}
	return &SeedError{Errors: []api.FieldError{{Field: path + ".id", Rule: "unique",
		Message: fmt.Sprintf("ID %q is already used by an object of %s", id, where)}}}
}

// rewrite reads a scratch record, lets edit change it (its ID too) and
// writes it back.
func rewrite[T any](l *seedLoader, kind, id string, edit func(*T) (string, error)) error {
	rec, err := getRec[T](l.sc, kind, id)
	if err != nil {
		return err
	}
	if rec == nil {
		return fmt.Errorf("seed: %s %s vanished from the scratch store", kind, id)
	}
	nid, err := edit(rec)
	if err != nil {
		return err
	}
	cq := &request{now: l.now}
	if nid != id {
		cq.del(kind, id)
	}
	if err := cq.put(kind, nid, rec); err != nil {
		return err
	}
	return l.sc.commit(cq)
}

func orDefault(id, gen string) string {
	if id != "" {
		return id
	}
	return gen
}

func fieldErr(field, rule, format string, args ...any) error {
	return &SeedError{Errors: []api.FieldError{{Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)}}}
}

func (l *seedLoader) plan(path string, pl *SeedPlan) error {
	if err := l.claim(path, store.KindPlans, pl.ID); err != nil {
		return err
	}
	v, err := l.create(l.sc.createPlan, pl.PlanInput, "")
	if err != nil {
		return seedFailure(path, err)
	}
	gen := v.(api.Plan).ID
	pl.PlanInput = v.(api.Plan).PlanInput // with the defaults the API applied (the region), as answered
	id := orDefault(pl.ID, gen)
	err = rewrite(l, store.KindPlans, gen, func(r *store.PlanRec) (string, error) {
		r.ID = id
		if pl.CreatedAt != nil {
			r.CreatedAt = pl.CreatedAt.UTC()
		}
		if pl.UpdatedAt != nil {
			r.UpdatedAt = pl.UpdatedAt.UTC()
		}
		return id, nil
	})
	pl.ID = id
	if pl.Key != "" {
		l.planKeys[pl.Key] = id
	}
	return err
}

func (l *seedLoader) workspace(path string, w *SeedWorkspace) error {
	if err := l.claim(path, store.KindWorkspaces, w.ID); err != nil {
		return err
	}
	pend, err := w.Pending.toPending(path + ".pending")
	if err != nil {
		return err
	}
	planID := w.PlanID
	if w.Plan != "" {
		planID = l.planKeys[w.Plan]
	}
	in := api.WorkspaceInput{Name: w.Name, Subdomain: w.Subdomain, PlanID: planID, AdminPassword: w.AdminPassword,
		DeletionProtection: &w.DeletionProtection}
	v, err := l.create(l.sc.createWorkspace, in, "")
	if err != nil {
		return seedFailure(path, err)
	}
	gen := v.(api.Workspace).ID
	id := orDefault(w.ID, gen)
	err = rewrite(l, store.KindWorkspaces, gen, func(r *store.WorkspaceRec) (string, error) {
		r.ID = id
		r.Pending = pend // a seeded workspace is ready unless the seed says otherwise
		if w.AdminPasswordHash != "" {
			r.PasswordHash, r.AdminPasswordSet = w.AdminPasswordHash, true
		}
		if w.CreatedAt != nil {
			r.CreatedAt = w.CreatedAt.UTC()
		}
		return id, nil
	})
	if err == nil && id != gen {
		err = rewrite(l, store.KindPlans, planID, func(p *store.PlanRec) (string, error) {
			p.WorkspaceID = id
			return p.ID, nil
		})
	}
	if err != nil {
		return err
	}
	w.ID, w.PlanID, w.AdminPassword = id, planID, ""
	for k := range w.Domains {
		if err := l.domain(fmt.Sprintf("%s.domains[%d]", path, k), id, &w.Domains[k]); err != nil {
			return err
		}
	}
	if w.FirewallRulesExclusive {
		if err := l.firewallRuleSet(path, id, w.FirewallRules); err != nil {
			return err
		}
	} else {
		for k := range w.FirewallRules {
			if err := l.firewallRule(fmt.Sprintf("%s.firewall_rules[%d]", path, k), id, &w.FirewallRules[k]); err != nil {
				return err
			}
		}
	}
	if w.FirewallRulesVersion > 0 { // in range: checkStatic
		// Continue from the snapshot's version, never below what seeding
		// the rules counted.
		if err := rewrite(l, store.KindWorkspaces, id, func(r *store.WorkspaceRec) (string, error) {
			r.FirewallRulesVersion = max(r.FirewallRulesVersion, w.FirewallRulesVersion)
			return id, nil
		}); err != nil {
			return err
		}
	}
	for k := range w.StaticIPs {
		if err := l.staticIP(fmt.Sprintf("%s.static_ips[%d]", path, k), id, &w.StaticIPs[k]); err != nil {
			return err
		}
	}
	return nil
}

// toPending checks and converts a seed's pending work; nil stays nil.
func (p *SeedPending) toPending(path string) (*store.Pending, error) {
	if p == nil {
		return nil, nil
	}
	out := &store.Pending{Upgrade: p.Upgrade, Mode: catalog.ProvisioningMode(p.Mode)}
	if err := validMode(ProvisioningConfig{Mode: out.Mode}); err != nil {
		return nil, fieldErr(path+".mode", "one_of", "%v", err)
	}
	since, err := time.Parse(time.RFC3339Nano, p.Since)
	if err != nil {
		return nil, fieldErr(path+".since", "format", "%q is not an RFC 3339 time", p.Since)
	}
	out.Since = since.UTC()
	if p.Delay != "" {
		if out.Delay, err = time.ParseDuration(p.Delay); err != nil || out.Delay < 0 {
			return nil, fieldErr(path+".delay", "format", "%q is not a non-negative Go duration (e.g. \"2s\")", p.Delay)
		}
	}
	return out, nil
}

func (l *seedLoader) domain(path, wsID string, d *SeedDomain) error {
	if err := l.claim(path, store.KindDomains, d.ID); err != nil {
		return err
	}
	v, err := l.create(l.sc.createDomain, api.DomainInput{Hostname: d.Hostname}, wsID)
	if err != nil {
		return seedFailure(path, err)
	}
	gen := v.(api.Domain).ID
	d.ID = orDefault(d.ID, gen)
	return rewrite(l, store.KindDomains, gen, func(r *store.DomainRec) (string, error) {
		r.ID, r.Verified = d.ID, d.Verified
		if d.VerificationValue != "" {
			r.VerificationRecord.Value = d.VerificationValue
		}
		if d.CreatedAt != nil {
			r.CreatedAt = d.CreatedAt.UTC()
		}
		return d.ID, nil
	})
}

func (l *seedLoader) firewallRule(path, wsID string, fr *SeedFirewallRule) error {
	if err := l.claim(path, store.KindFirewallRules, fr.ID); err != nil {
		return err
	}
	v, err := l.create(l.sc.createFirewallRule, fr.FirewallRuleInput, wsID)
	if err != nil {
		return seedFailure(path, err)
	}
	gen := v.(api.FirewallRule).ID
	fr.ID = orDefault(fr.ID, gen)
	return rewrite(l, store.KindFirewallRules, gen, func(r *store.FirewallRec) (string, error) {
		r.ID = fr.ID
		if fr.CreatedAt != nil {
			r.CreatedAt = fr.CreatedAt.UTC()
		}
		return fr.ID, nil
	})
}

// maxSeedRulesVersion bounds a seeded rule collection's version: 2^53-1, the
// largest integer a JSON number carries exactly (and far from overflowing
// when later writes count on).
const maxSeedRulesVersion = 1<<53 - 1

// firewallRuleSet seeds the rules of a workspace a set owns through the
// set's own PUT (the same checks: every rule, unique priorities, the tier
// gate and quota on the whole set), then gives the rules their fixed IDs and
// creation times.
func (l *seedLoader) firewallRuleSet(path, wsID string, rules []SeedFirewallRule) error {
	in := api.FirewallRuleSetInput{Rules: make([]api.FirewallRuleInput, len(rules))}
	for k := range rules {
		if err := l.claim(fmt.Sprintf("%s.firewall_rules[%d]", path, k), store.KindFirewallRules, rules[k].ID); err != nil {
			return err
		}
		in.Rules[k] = rules[k].FirewallRuleInput
	}
	v, err := l.create(l.sc.replaceFirewallRules, in, wsID)
	if err != nil {
		return seedFailure(path, seedRuleSetFields(err))
	}
	gen := map[int64]string{}
	for _, r := range v.(api.FirewallRuleSet).Items {
		gen[r.Priority] = r.ID
	}
	for k := range rules {
		fr := &rules[k]
		g := gen[fr.Priority]
		fr.ID = orDefault(fr.ID, g)
		if err := rewrite(l, store.KindFirewallRules, g, func(r *store.FirewallRec) (string, error) {
			r.ID = fr.ID
			if fr.CreatedAt != nil {
				r.CreatedAt = fr.CreatedAt.UTC()
			}
			return fr.ID, nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// seedRuleSetFields names the set's field errors as the seed writes them:
// the PUT's rules[i].cidr is the seed's firewall_rules[i].cidr.
func seedRuleSetFields(err error) error {
	var he *httpError
	if !errors.As(err, &he) || len(he.errs) == 0 {
		return err
	}
	cp := *he
	cp.errs = make([]api.FieldError, len(he.errs))
	for i, fe := range he.errs {
		if rest, ok := strings.CutPrefix(fe.Field, "rules"); ok {
			fe.Field = "firewall_rules" + rest
		} else if fe.Field == "workspace_id" { // the tier gate: the workspace may hold no rules
			fe.Field = "firewall_rules"
		}
		cp.errs[i] = fe
	}
	return &cp
}

func (l *seedLoader) staticIP(path, wsID string, ip *SeedStaticIP) error {
	if err := l.claim(path, store.KindStaticIPs, ip.ID); err != nil {
		return err
	}
	v, err := l.create(l.sc.createStaticIP, ip.StaticIPInput, wsID)
	if err != nil {
		return seedFailure(path, err)
	}
	gen := v.(api.StaticIP).ID
	ip.ID = orDefault(ip.ID, gen)
	err = rewrite(l, store.KindStaticIPs, gen, func(r *store.StaticIPRec) (string, error) {
		r.ID = ip.ID
		if ip.CreatedAt != nil {
			r.CreatedAt = ip.CreatedAt.UTC()
		}
		if ip.Address != "" && ip.Address != r.Address {
			if err := l.checkAddress(path+".address", r, ip.Address); err != nil {
				return "", err
			}
			r.Address = ip.Address
		}
		ip.Address = r.Address
		return ip.ID, nil
	})
	return err
}

// checkAddress accepts a wanted static address that lies in the pool of the
// record's kind (shared or dedicated) and that no other static IP holds.
func (l *seedLoader) checkAddress(path string, r *store.StaticIPRec, want string) error {
	a, err := netip.ParseAddr(want)
	pools, kind := SharedIPPools, "shared"
	if r.Dedicated {
		pools, kind = DedicatedIPPools, "dedicated"
	}
	if err != nil || !hostRanges(pools).contains(a) {
		names := make([]string, len(pools))
		for i, p := range pools {
			names[i] = p.String()
		}
		return fieldErr(path, "pool", "%q is not a host address of the %s pool %v (its network and broadcast addresses are not hosts)", want, kind, names)
	}
	// The scratch store's index answers for the seed's own addresses and,
	// through SetOutside, for every other organization's: one lookup.
	if id, held := l.sc.store.Holder(store.UniqueKey("address", a.String())); held && id != r.ID {
		return fieldErr(path, "unique", "address %s is already held by static IP %s", want, id)
	}
	return nil
}
