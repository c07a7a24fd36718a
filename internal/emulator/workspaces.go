package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// AdminTokenTTL is how long a workspace admin token is valid.
const AdminTokenTTL = 15 * time.Minute

// WorkspaceDomain is the parent domain of every workspace URL.
const WorkspaceDomain = "rocket.chat"

// orgWorkspace returns the organization's workspace, or 404.
func (s *Server) orgWorkspace(org, id string) (*store.WorkspaceRec, error) {
	ws, err := getRec[store.WorkspaceRec](s, store.KindWorkspaces, id)
	if err != nil {
		return nil, err
	}
	if ws == nil || ws.Org != org {
		return nil, errNotFound("workspace", id)
	}
	return ws, nil
}

// parentWorkspace is the workspace named by the path of a child route.
func (s *Server) parentWorkspace(q *request) (*store.WorkspaceRec, error) {
	return s.orgWorkspace(q.org, q.path("workspace_id"))
}

func hashPassword(pw string) string {
	sum := sha256.Sum256([]byte(pw))
	return hex.EncodeToString(sum[:])
}

func (s *Server) listWorkspaces(q *request) (int, any, error) {
	return listPage(s, q, store.KindWorkspaces, store.OrgGroup(store.KindWorkspaces, q.org), func(w *store.WorkspaceRec) (api.Workspace, error) {
		return w.View(q.now), nil
	})
}

func (s *Server) createWorkspace(q *request) (int, any, error) {
	var in api.WorkspaceInput
	if err := q.decode(&in); err != nil {
		return 0, nil, err
	}
	if errs := in.Validate(); len(errs) > 0 {
		return 0, nil, errInvalid(errs)
	}
	plan, err := getRec[store.PlanRec](s, store.KindPlans, in.PlanID)
	if err != nil {
		return 0, nil, err
	}
	if plan == nil || plan.Org != q.org {
		return 0, nil, errInvalid([]api.FieldError{{Field: "plan_id", Rule: "unknown_plan",
			Message: "unknown plan " + quote(in.PlanID) + ": create the plan first (POST " + api.RoutePlans + ")"}})
	}
	if plan.WorkspaceID != "" {
		other, err := getRec[store.WorkspaceRec](s, store.KindWorkspaces, plan.WorkspaceID)
		if err != nil {
			return 0, nil, err
		}
		if other != nil {
			return 0, nil, errConflict("plan %s is already used by workspace %s; a plan provisions one workspace, order another plan", plan.ID, other.ID)
		}
	}
	if _, taken := s.store.Holder(store.UniqueKey("subdomain", in.Subdomain)); taken {
		return 0, nil, errTaken("subdomain", "subdomain %q is already taken; choose another subdomain", in.Subdomain)
	}
	region, _ := catalog.LookupRegion(plan.Region)
	pc := s.provisioningFor(catalog.Tier(plan.Tier))
	ws := store.WorkspaceRec{
		Org: q.org,
		Workspace: api.Workspace{
			ID: newID("ws"), Name: in.Name, Subdomain: in.Subdomain, PlanID: plan.ID,
			Tier: plan.Tier, Region: plan.Region,
			HostingProvider: region.HostingProvider, DataLocation: region.DataLocation,
			BackupProcessor: catalog.BackupProcessor,
			URL:             "https://" + in.Subdomain + "." + WorkspaceDomain,
			CreatedAt:       q.now,
		},
		Pending: &store.Pending{Mode: pc.Mode, Since: q.now, Delay: pc.Delay},
	}
	if in.AdminPassword != "" {
		ws.PasswordHash, ws.AdminPasswordSet = hashPassword(in.AdminPassword), true
	}
	plan.WorkspaceID = ws.ID
	if err := q.put(store.KindWorkspaces, ws.ID, ws); err != nil {
		return 0, nil, err
	}
	if err := q.put(store.KindPlans, plan.ID, plan); err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, ws.View(q.now), nil
}

func (s *Server) getWorkspace(q *request) (int, any, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ws.View(q.now), nil
}

// updateWorkspace changes the name and the admin password. Omitted (empty)
// fields keep their value; subdomain and plan_id cannot change.
func (s *Server) updateWorkspace(q *request) (int, any, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return 0, nil, err
	}
	var in api.WorkspaceInput
	if err := q.decode(&in); err != nil {
		return 0, nil, err
	}
	if in.Name == "" {
		in.Name = ws.Name
	}
	if in.Subdomain == "" {
		in.Subdomain = ws.Subdomain
	}
	if in.PlanID == "" {
		in.PlanID = ws.PlanID
	}
	errs := in.Validate()
	errs = append(errs, api.Collect(
		catalog.CheckImmutable("subdomain", ws.Subdomain, in.Subdomain),
		catalog.CheckImmutable("plan_id", ws.PlanID, in.PlanID))...)
	if len(errs) > 0 {
		return 0, nil, errInvalid(errs)
	}
	ws.Name = in.Name
	if in.AdminPassword != "" {
		ws.PasswordHash, ws.AdminPasswordSet = hashPassword(in.AdminPassword), true
	}
	if err := q.put(store.KindWorkspaces, ws.ID, ws); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ws.View(q.now), nil
}

// deleteWorkspace deletes the workspace with its domains, firewall rules and
// static IPs (releasing the addresses) and detaches its plan.
func (s *Server) deleteWorkspace(q *request) (int, any, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return 0, nil, err
	}
	if err := s.deleteChildren(q, ws.ID); err != nil {
		return 0, nil, err
	}
	plan, err := getRec[store.PlanRec](s, store.KindPlans, ws.PlanID)
	if err != nil {
		return 0, nil, err
	}
	if plan != nil && plan.WorkspaceID == ws.ID {
		plan.WorkspaceID = ""
		plan.UpdatedAt = q.now
		if err := q.put(store.KindPlans, plan.ID, plan); err != nil {
			return 0, nil, err
		}
	}
	q.del(store.KindWorkspaces, ws.ID)
	return http.StatusNoContent, nil, nil
}

func (s *Server) deleteChildren(q *request, wsID string) error {
	for _, kind := range []string{store.KindDomains, store.KindFirewallRules, store.KindStaticIPs, store.KindExports} {
		for _, id := range s.store.IDs(store.WsGroup(kind, wsID)) {
			q.del(kind, id)
		}
	}
	return nil
}

// createAdminToken issues a short-lived admin login token of a ready workspace.
func (s *Server) createAdminToken(q *request) (int, any, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return 0, nil, err
	}
	if st := ws.View(q.now).Status; st != api.StatusReady {
		return 0, nil, errConflict("workspace %s is %s; admin tokens are issued once it is ready", ws.ID, st)
	}
	return http.StatusCreated, api.AdminToken{Token: randomHex(32), ExpiresAt: q.now.Add(AdminTokenTTL)}, nil
}

func quote(s string) string { return `"` + s + `"` }
