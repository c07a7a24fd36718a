package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/console"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// consoleBackend is the emulator as the browser console (package console)
// sees it. Actions run the admin API's own handlers (adminApprove,
// adminVerifyDomain, adminPutFaults, adminPutDNS) through invokeAdmin, under
// the same lock and commit as an admin request; lists read the same index
// groups and views as the API's lists.
type consoleBackend struct{ s *Server }

var _ console.Backend = consoleBackend{}

// mountConsole serves the console under /console/ when the admin API is on.
func (s *Server) mountConsole(mux *countingMux) error {
	if s.cfg.AdminToken == "" {
		return nil // no admin API, no console: /console/ answers 404 like any unknown path
	}
	h, err := console.New(consoleBackend{s}, s.now)
	if err != nil {
		return err
	}
	mux.Handle(console.Prefix, h)
	return nil
}

// invokeAdmin runs an admin handler as the admin API would run the request
// (method, path values, JSON body): under the data lock, committing its
// writes only when it succeeds.
func (s *Server) invokeAdmin(h handlerFunc, method string, pathValues map[string]string, body any) (any, error) {
	r, err := http.NewRequest(method, "/", nil)
	if err != nil {
		return nil, err
	}
	for k, v := range pathValues {
		r.SetPathValue(k, v)
	}
	q := &request{id: newID("req"), r: r, now: s.now()}
	if body != nil {
		if q.body, err = marshal(body); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, v, err := h(q)
	if err != nil {
		return nil, consoleError(err)
	}
	return v, s.commit(q)
}

// consoleError is an admin error as the console shows it: the problem's
// detail, without the status code.
func consoleError(err error) error {
	var he *httpError
	if errors.As(err, &he) {
		return errors.New(he.detail)
	}
	return err
}

// IsAdminToken is the admin API's own check of its bearer token.
func (b consoleBackend) IsAdminToken(token string) bool { return b.s.isAdminToken(token) }

func (b consoleBackend) Organizations() []string {
	s := b.s
	orgs := map[string]bool{}
	for org := range s.orgTokens() {
		orgs[org] = true
	}
	for _, org := range s.store.Orgs() {
		orgs[org] = true
	}
	return slices.Sorted(maps.Keys(orgs))
}

func (b consoleBackend) Counts(org string) console.Counts {
	st := b.s.store
	c := console.Counts{Objects: make(map[string]int, len(store.ObjectKinds)), Tiers: make(map[string]int, len(catalog.Tiers))}
	for _, kind := range store.ObjectKinds {
		c.Objects[kind] = st.Count(store.OrgGroup(kind, org))
	}
	for _, t := range catalog.Tiers {
		c.Tiers[string(t.Name)] = st.Count(store.TierGroup(string(t.Name), org))
	}
	return c
}

// Estate reads a page of the organization's plans exactly as GET /v1/plans
// does (its group, its cursors), then each plan's workspace and the first
// children of each workspace from their groups.
func (b consoleBackend) Estate(org, cursor string, size, children int) (*console.Estate, error) {
	s := b.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	group := store.OrgGroup(store.KindPlans, org)
	var after *store.PosKey
	if cursor != "" {
		k, herr := decodeCursor(group, cursor)
		if herr != nil {
			return nil, consoleError(herr)
		}
		after = k
	}
	keys, more := s.store.Page(group, after, size)
	out := &console.Estate{Plans: make([]console.PlanNode, 0, len(keys))}
	for _, k := range keys {
		p, err := getRec[store.PlanRec](s, store.KindPlans, k.ID)
		if err != nil {
			return nil, err
		}
		if p == nil {
			continue
		}
		node := console.PlanNode{Plan: p.Plan}
		if p.WorkspaceID != "" {
			ws, err := b.workspaceNode(p.WorkspaceID, org, children)
			if err != nil {
				return nil, err
			}
			node.Workspace = ws
		}
		out.Plans = append(out.Plans, node)
	}
	if more && len(keys) > 0 {
		out.NextCursor = encodeCursor(group, keys[len(keys)-1])
	}
	return out, nil
}

func (b consoleBackend) workspaceNode(id, org string, limit int) (*console.WorkspaceNode, error) {
	s := b.s
	now := s.now()
	ws, err := getRec[store.WorkspaceRec](s, store.KindWorkspaces, id)
	if err != nil || ws == nil || ws.Org != org {
		return nil, err
	}
	n := &console.WorkspaceNode{Workspace: ws.View(now)}
	if n.Domains, n.DomainsMore, err = childPage(s, store.KindDomains, id, limit, func(d *store.DomainRec) api.Domain {
		return s.domainView(d, now)
	}); err != nil {
		return nil, err
	}
	if n.FirewallRules, n.RulesMore, err = childPage(s, store.KindFirewallRules, id, limit, func(r *store.FirewallRec) api.FirewallRule {
		return r.FirewallRule
	}); err != nil {
		return nil, err
	}
	if n.StaticIPs, n.StaticIPsMore, err = childPage(s, store.KindStaticIPs, id, limit, func(ip *store.StaticIPRec) api.StaticIP {
		return ip.StaticIP
	}); err != nil {
		return nil, err
	}
	return n, nil
}

// childPage reads the first limit children of a kind of a workspace and
// how many more it holds.
func childPage[T, V any](s *Server, kind, wsID string, limit int, view func(*T) V) ([]V, int, error) {
	group := store.WsGroup(kind, wsID)
	keys, _ := s.store.Page(group, nil, limit)
	out := make([]V, 0, len(keys))
	for _, k := range keys {
		rec, err := getRec[T](s, kind, k.ID)
		if err != nil {
			return nil, 0, err
		}
		if rec != nil {
			out = append(out, view(rec))
		}
	}
	return out, s.store.Count(group) - len(keys), nil
}

// pendingScan bounds the index entries one pending-work page reads: the
// waiting groups may hold delayed work that time has completed.
const pendingScan = 4096

func (b consoleBackend) Pending(org string, limit int) (*console.Pending, error) {
	s := b.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.now()
	out := &console.Pending{}
	wg, dg := store.WorkspacesWaiting, store.DomainsUnverified
	if org != "" {
		wg, dg = store.WaitingGroup(org), store.UnverifiedGroup(org)
	}
	keys, more := s.store.Page(wg, nil, pendingScan)
	for _, k := range keys {
		ws, err := getRec[store.WorkspaceRec](s, store.KindWorkspaces, k.ID)
		if err != nil {
			return nil, err
		}
		if ws == nil || !ws.IsPending(now) {
			continue
		}
		if len(out.Workspaces) == limit {
			out.More = true
			break
		}
		pw := console.PendingWorkspace{Org: ws.Org, Workspace: ws.View(now), Mode: string(ws.Pending.Mode),
			Upgrade: ws.Pending.Upgrade, Since: ws.Pending.Since}
		if ws.Pending.Mode == catalog.ProvisionDelayed {
			pw.Due = ws.Pending.Since.Add(ws.Pending.Delay)
		}
		out.Workspaces = append(out.Workspaces, pw)
	}
	out.More = out.More || more
	keys, more = s.store.Page(dg, nil, pendingScan)
	for _, k := range keys {
		d, err := getRec[store.DomainRec](s, store.KindDomains, k.ID)
		if err != nil {
			return nil, err
		}
		if d == nil {
			continue
		}
		v := s.domainView(d, now)
		if v.Status != api.StatusPending {
			continue
		}
		if len(out.Domains) == limit {
			out.More = true
			break
		}
		out.Domains = append(out.Domains, console.PendingDomain{Org: d.Org, Domain: v})
	}
	out.More = out.More || more
	return out, nil
}

func (b consoleBackend) Approve(workspaceID string) error {
	_, err := b.s.invokeAdmin(b.s.adminApprove, http.MethodPost, map[string]string{"workspace_id": workspaceID}, nil)
	return err
}

func (b consoleBackend) Verify(domainID string) error {
	_, err := b.s.invokeAdmin(b.s.adminVerifyDomain, http.MethodPost, map[string]string{"domain_id": domainID}, nil)
	return err
}

// Requests walks the request log from the newest entry, keeping those the
// filter matches (at most f.Limit); the log is a bounded ring.
func (b consoleBackend) Requests(f console.LogFilter) []console.LogEntry {
	l := b.s.reqlog
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.next
	if l.full {
		n = len(l.buf)
	}
	var out []console.LogEntry
	for i := 0; i < n && len(out) < f.Limit; i++ {
		e := &l.buf[(l.next-1-i+len(l.buf))%len(l.buf)]
		if !f.Match(e.Org, e.RequestID, e.Status, e.Dropped) {
			continue
		}
		ce := *e // its problem is never changed once recorded: shared, not copied
		out = append(out, ce)
	}
	return out
}

func (b consoleBackend) Faults() console.Faults {
	f := b.s.faults.get()
	return console.Faults{ErrorRate: f.ErrorRate, DropRate: f.DropRate, RateLimitBurstRate: f.RateLimitBurstRate,
		Latency: f.Latency, Seed: f.Seed}
}

// SetFaults goes through PUT /admin/v1/faults's handler, so its checks and
// messages are the admin API's.
func (b consoleBackend) SetFaults(f console.Faults) error {
	in := FaultConfig{ErrorRate: f.ErrorRate, DropRate: f.DropRate, RateLimitBurstRate: f.RateLimitBurstRate,
		Latency: f.Latency, Seed: f.Seed}.toJSON()
	_, err := b.s.invokeAdmin(b.s.adminPutFaults, http.MethodPut, nil, in)
	return err
}

func (b consoleBackend) DNSRecords() []console.DNSRecord {
	z := &b.s.dns
	z.mu.RLock()
	out := make([]console.DNSRecord, 0, len(z.txt))
	for name, vals := range z.txt {
		out = append(out, console.DNSRecord{Name: name, TXT: slices.Clone(vals)})
	}
	z.mu.RUnlock()
	slices.SortFunc(out, func(a, b console.DNSRecord) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// PublishDNS goes through PUT /admin/v1/dns/{name}'s handler.
func (b consoleBackend) PublishDNS(name string, values []string) error {
	if values == nil {
		values = []string{}
	}
	_, err := b.s.invokeAdmin(b.s.adminPutDNS, http.MethodPut, map[string]string{"name": name}, api.DNSTXTInput{TXT: values})
	return err
}

// Snapshot is GET /admin/v1/snapshot?org=ORG's document, indented.
func (b consoleBackend) Snapshot(org string) ([]byte, error) {
	doc, err := b.s.Snapshot(org)
	if err != nil {
		return nil, consoleError(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ResetOrg restores the organization from an empty document, as PUT
// /admin/v1/snapshot?org=ORG would: its objects go, its tokens stay.
func (b consoleBackend) ResetOrg(org string) error {
	if err := ValidateOrgName(org); err != nil {
		return err
	}
	err := b.s.RestoreSnapshot(&Seed{Organizations: []SeedOrganization{{Name: org}}}, org)
	if err != nil {
		return consoleError(seedHTTPError(err))
	}
	return nil
}
