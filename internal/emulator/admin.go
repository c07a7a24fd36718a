package emulator

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// The admin API (Bearer Config.AdminToken; disabled, 404, when it is empty).
// It works across organizations and is never subject to faults or rate limits.
//
//	POST   /admin/v1/workspaces/{workspace_id}/approve  complete a pending provisioning or upgrade (409 if none) -> Workspace
//	POST   /admin/v1/approve-all[?org=ORG]              approve every pending one (of ORG) -> {"approved": N}
//	POST   /admin/v1/domains/{domain_id}/verify         mark a domain verified, certificate issued -> Domain
//	POST   /admin/v1/reset                              delete every object and idempotency record -> 204
//	GET    /admin/v1/faults                             -> {"error_rate":0,"drop_rate":0,"latency":"0s","rate_limit_burst_rate":0,"seed":0}
//	PUT    /admin/v1/faults                             same document; latency is a Go duration string ("250ms") or a number of milliseconds
//	GET    /admin/v1/stats                              -> Stats as JSON
//	DELETE /admin/v1/stats                              reset the counters -> 204
//	GET    /admin/v1/provisioning                       -> {"standard":{"mode":"immediate","delay":"0s"},...}
//	PUT    /admin/v1/provisioning                       change the listed tiers (delay: duration string or milliseconds);
//	                                                    applies to provisionings and upgrades started afterwards
//	GET    /admin/v1/requests?org=ORG&limit=N           the last N /v1 requests (request log), newest last -> {"items":[...]}
//	                     [&format=text]                 the same as a table, one request a line
//	PUT    /admin/v1/dns/{name}                         {"txt": [...]}: TXT values the simulated DNS answers (actions.go) -> 204
func (s *Server) adminRoutes() []route {
	return append([]route{
		{"POST", api.RouteAdminApprove, noBody(s.adminApprove)},
		{"POST", api.RouteAdminApproveAll, noBody(s.adminApproveAll)},
		{"POST", api.RouteAdminVerifyDomain, noBody(s.adminVerifyDomain)},
		{"POST", api.RouteAdminReset, noBody(s.adminReset)},
		{"GET", api.RouteAdminFaults, s.adminGetFaults},
		{"PUT", api.RouteAdminFaults, s.adminPutFaults},
		{"GET", api.RouteAdminStats, s.adminGetStats},
		{"DELETE", api.RouteAdminStats, noBody(s.adminResetStats)},
		{"GET", api.RouteAdminProvisioning, s.adminGetProvisioning},
		{"PUT", api.RouteAdminProvisioning, s.adminPutProvisioning},
		{"GET", RouteAdminRequests, s.adminGetRequests},
		{"PUT", api.RouteAdminDNS, s.adminPutDNS},
	}, s.seedRoutes()...)
}

// ---- provisioning configuration ----

// provisioningDefaults fills every tier from the catalog, then applies overrides.
func provisioningDefaults(over map[catalog.Tier]ProvisioningConfig) (map[catalog.Tier]ProvisioningConfig, error) {
	out := make(map[catalog.Tier]ProvisioningConfig, len(catalog.Tiers))
	for _, t := range catalog.Tiers {
		out[t.Name] = ProvisioningConfig{Mode: t.Provisioning, Delay: t.ProvisioningDelay}
	}
	for t, pc := range over {
		if _, ok := catalog.Lookup(t); !ok {
			return nil, fmt.Errorf("emulator: provisioning of unknown tier %q", t)
		}
		if err := validMode(pc); err != nil {
			return nil, fmt.Errorf("emulator: provisioning of tier %s: %w", t, err)
		}
		out[t] = pc
	}
	return out, nil
}

func validMode(pc ProvisioningConfig) error {
	switch pc.Mode {
	case catalog.ProvisionImmediate, catalog.ProvisionDelayed, catalog.ProvisionManual:
	default:
		return fmt.Errorf("unknown provisioning mode %q (allowed: immediate, delayed, manual)", pc.Mode)
	}
	if pc.Delay < 0 {
		return fmt.Errorf("negative provisioning delay %s", pc.Delay)
	}
	return nil
}

func (s *Server) provisioningFor(t catalog.Tier) ProvisioningConfig {
	s.provMu.RLock()
	defer s.provMu.RUnlock()
	if pc, ok := s.prov[t]; ok {
		return pc
	}
	return ProvisioningConfig{Mode: catalog.ProvisionImmediate}
}

// provisioningJSON is ProvisioningConfig on the admin API; delay is a Go
// duration string on output, a duration string or milliseconds on input.
type provisioningJSON struct {
	Mode  catalog.ProvisioningMode `json:"mode"`
	Delay json.RawMessage          `json:"delay,omitempty"`
}

func (s *Server) adminGetProvisioning(q *request) (int, any, error) {
	s.provMu.RLock()
	defer s.provMu.RUnlock()
	out := make(map[catalog.Tier]provisioningJSON, len(s.prov))
	for t, pc := range s.prov {
		d, _ := json.Marshal(pc.Delay.String())
		out[t] = provisioningJSON{Mode: pc.Mode, Delay: d}
	}
	return http.StatusOK, out, nil
}

// adminPutProvisioning changes the modes of the listed tiers; it applies to
// provisionings and upgrades started afterwards.
func (s *Server) adminPutProvisioning(q *request) (int, any, error) {
	var in map[catalog.Tier]provisioningJSON
	if err := q.decode(&in); err != nil {
		return 0, nil, err
	}
	next := map[catalog.Tier]ProvisioningConfig{}
	var errs []api.FieldError
	for _, t := range slices.Sorted(maps.Keys(in)) {
		j := in[t]
		if _, ok := catalog.Lookup(t); !ok {
			errs = append(errs, *api.ValidateOneOf(string(t), string(t), catalog.TierNames()))
			continue
		}
		d, err := parseDurationJSON(j.Delay)
		pc := ProvisioningConfig{Mode: j.Mode, Delay: d}
		if err == nil {
			err = validMode(pc)
		}
		if err != nil {
			errs = append(errs, api.FieldError{Field: string(t), Rule: "format", Message: err.Error()})
			continue
		}
		next[t] = pc
	}
	if len(errs) > 0 {
		return 0, nil, errInvalid(errs)
	}
	s.provMu.Lock()
	maps.Copy(s.prov, next)
	s.provMu.Unlock()
	return s.adminGetProvisioning(q)
}

// ---- approvals ----

// approve completes a pending provisioning or upgrade of one workspace.
func (s *Server) approve(q *request, ws *store.WorkspaceRec) error {
	ws.Pending = nil
	return q.put(store.KindWorkspaces, ws.ID, ws)
}

func (s *Server) adminApprove(q *request) (int, any, error) {
	id := q.path("workspace_id")
	ws, err := getRec[store.WorkspaceRec](s, store.KindWorkspaces, id)
	if err != nil {
		return 0, nil, err
	}
	if ws == nil {
		return 0, nil, errNotFound("workspace", id)
	}
	if !ws.IsPending(q.now) {
		return 0, nil, errConflict("workspace %s has nothing pending to approve (status %s)", id, ws.View(q.now).Status)
	}
	if err := s.approve(q, ws); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ws.View(q.now), nil
}

// approveAllLocked approves every pending provisioning and upgrade (of org
// only, when it is not empty) and returns how many. It walks the workspaces
// that carry pending work, not every workspace, and clears the work that
// time has already completed, so that set only holds what may still wait.
func (s *Server) approveAllLocked(q *request, org string) (int, error) {
	group := store.WorkspacesWaiting
	if org != "" {
		group = store.WaitingGroup(org)
	}
	n := 0
	for _, id := range s.store.IDs(group) {
		ws, err := getRec[store.WorkspaceRec](s, store.KindWorkspaces, id)
		if err != nil {
			return 0, err
		}
		if ws == nil || ws.Pending == nil {
			continue
		}
		if ws.IsPending(q.now) {
			n++
		}
		if err := s.approve(q, ws); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// adminApproveAll answers POST /admin/v1/approve-all[?org=ORG].
func (s *Server) adminApproveAll(q *request) (int, any, error) {
	n, err := s.approveAllLocked(q, q.r.URL.Query().Get(QueryOrg)) // checked by checkQuery
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]int{"approved": n}, nil
}

// ApproveAll approves every pending provisioning and upgrade and returns how many.
func (s *Server) ApproveAll() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := &request{now: s.now()}
	n, err := s.approveAllLocked(q, "")
	if err != nil || s.commit(q) != nil {
		return 0
	}
	return n
}

func (s *Server) adminVerifyDomain(q *request) (int, any, error) {
	id := q.path("domain_id")
	d, err := getRec[store.DomainRec](s, store.KindDomains, id)
	if err != nil {
		return 0, nil, err
	}
	if d == nil {
		return 0, nil, errNotFound("domain", id)
	}
	d.Verified = true
	if err := q.put(store.KindDomains, d.ID, d); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.domainView(d, q.now), nil
}

// adminReset deletes every object and idempotency record of every organization.
func (s *Server) adminReset(q *request) (int, any, error) {
	if err := s.store.Reset(); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

// ---- faults and stats ----

func (s *Server) adminGetFaults(q *request) (int, any, error) {
	return http.StatusOK, s.faults.get().toJSON(), nil
}

func (s *Server) adminPutFaults(q *request) (int, any, error) {
	var in faultsJSON
	if err := q.decode(&in); err != nil {
		return 0, nil, err
	}
	f, err := in.toConfig()
	if err == nil {
		err = validateFaults(f)
	}
	if err != nil {
		return 0, nil, errInvalid([]api.FieldError{{Field: "faults", Rule: "format", Message: err.Error()}})
	}
	s.SetFaults(f)
	return http.StatusOK, f.toJSON(), nil
}

func (s *Server) adminGetStats(q *request) (int, any, error) {
	return http.StatusOK, s.Stats(), nil
}

func (s *Server) adminResetStats(q *request) (int, any, error) {
	s.ResetStats()
	return http.StatusNoContent, nil, nil
}

// Counts returns the number of objects of each kind ("plans", "workspaces",
// "domains", "firewall_rules", "static_ips") the organization holds.
func (s *Server) Counts(org string) map[string]int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]int, len(store.ObjectKinds))
	for _, kind := range store.ObjectKinds {
		out[kind] = s.store.Count(store.OrgGroup(kind, org))
	}
	return out
}

// AdminPasswordIs reports whether the workspace's admin password is pw, so
// tests can prove a write-only password reached the API without the API
// ever returning it.
func (s *Server) AdminPasswordIs(workspaceID, pw string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ws, err := getRec[store.WorkspaceRec](s, store.KindWorkspaces, workspaceID)
	return err == nil && ws != nil && ws.PasswordHash != "" && ws.PasswordHash == hashPassword(pw)
}
