package emulator

import (
	"net/http"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// checkPlanInput returns every rule a plan body breaks: the tier is
// required, then the catalog's rules. The region has a default (the
// catalog's), applied before: see createPlan and updatePlan.
func checkPlanInput(in api.PlanInput) []api.FieldError {
	var errs []api.FieldError
	if in.Tier == "" {
		errs = append(errs, api.FieldError{Field: "tier", Rule: "required", Allowed: catalog.TierNames(),
			Message: "a plan needs a tier"})
	}
	return append(errs, catalog.CheckPlan(in.Spec())...)
}

// orgPlan returns the organization's plan, or 404.
func (s *Server) orgPlan(org, id string) (*store.PlanRec, error) {
	p, err := getRec[store.PlanRec](s, store.KindPlans, id)
	if err != nil {
		return nil, err
	}
	if p == nil || p.Org != org {
		return nil, errNotFound("plan", id)
	}
	return p, nil
}

// planView is the plan as answered: "upgrading" while its workspace's
// upgrade is pending.
func (s *Server) planView(p *store.PlanRec, q *request) (api.Plan, error) {
	out := p.Plan
	out.Status = api.StatusActive
	if p.WorkspaceID != "" {
		ws, err := getRec[store.WorkspaceRec](s, store.KindWorkspaces, p.WorkspaceID)
		if err != nil {
			return out, err
		}
		if ws != nil && ws.IsPending(q.now) && ws.Pending.Upgrade {
			out.Status = api.StatusUpgrading
		}
	}
	return out, nil
}

func (s *Server) listPlans(q *request) (int, any, error) {
	return listPage(s, q, store.KindPlans, store.OrgGroup(store.KindPlans, q.org), func(p *store.PlanRec) (api.Plan, error) { return s.planView(p, q) })
}

func (s *Server) createPlan(q *request) (int, any, error) {
	var in api.PlanInput
	if err := q.decode(&in); err != nil {
		return 0, nil, err
	}
	in.Region = catalog.RegionOrDefault(in.Region) // as the provider's schema default, for the API and seeds alike
	if errs := checkPlanInput(in); len(errs) > 0 {
		return 0, nil, errInvalid(errs)
	}
	p := store.PlanRec{Org: q.org, Plan: api.Plan{ID: newID("pln"), PlanInput: in, Status: api.StatusActive,
		CreatedAt: q.now, UpdatedAt: q.now}}
	if err := q.put(store.KindPlans, p.ID, p); err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, p.Plan, nil
}

func (s *Server) getPlan(q *request) (int, any, error) {
	p, err := s.orgPlan(q.org, q.path("plan_id"))
	if err != nil {
		return 0, nil, err
	}
	v, err := s.planView(p, q)
	return http.StatusOK, v, err
}

// updatePlan replaces the plan's settings. A tier upgrade of a plan with a
// workspace leaves both "upgrading" until the new tier's provisioning
// completes; without a workspace it is immediate. Downgrades and region
// changes are refused.
func (s *Server) updatePlan(q *request) (int, any, error) {
	p, err := s.orgPlan(q.org, q.path("plan_id"))
	if err != nil {
		return 0, nil, err
	}
	var in api.PlanInput
	if err := q.decode(&in); err != nil {
		return 0, nil, err
	}
	if in.Region == "" {
		in.Region = p.Region // the region is fixed at order time: an update that names none keeps it
	}
	errs := checkPlanInput(in)
	if in.Tier != "" {
		errs = append(errs, api.Collect(catalog.CheckTierChange(catalog.Tier(p.Tier), catalog.Tier(in.Tier)))...)
	}
	if in.Region != "" {
		errs = append(errs, api.Collect(catalog.CheckImmutable("region", p.Region, in.Region))...)
	}
	if len(errs) > 0 {
		return 0, nil, errInvalid(errs)
	}
	tierChanged := in.Tier != p.Tier
	p.PlanInput = in
	p.UpdatedAt = q.now
	if err := q.put(store.KindPlans, p.ID, p); err != nil {
		return 0, nil, err
	}
	out := p.Plan
	out.Status = api.StatusActive
	if p.WorkspaceID != "" {
		ws, err := getRec[store.WorkspaceRec](s, store.KindWorkspaces, p.WorkspaceID)
		if err != nil {
			return 0, nil, err
		}
		if ws != nil && tierChanged {
			pc := s.provisioningFor(catalog.Tier(in.Tier))
			// An upgrade during the first provisioning restarts it on the new tier.
			upgrade := !ws.IsPending(q.now) || ws.Pending.Upgrade
			ws.Tier = in.Tier
			ws.Pending = &store.Pending{Upgrade: upgrade, Mode: pc.Mode, Since: q.now, Delay: pc.Delay}
			if err := q.put(store.KindWorkspaces, ws.ID, ws); err != nil {
				return 0, nil, err
			}
			// In immediate mode the upgrade is done in this very answer (as a
			// create is), so a client has nothing to wait for.
			if upgrade && ws.IsPending(q.now) {
				out.Status = api.StatusUpgrading
			}
		} else if ws != nil && ws.IsPending(q.now) && ws.Pending.Upgrade {
			out.Status = api.StatusUpgrading
		}
	}
	return http.StatusOK, out, nil
}

func (s *Server) deletePlan(q *request) (int, any, error) {
	p, err := s.orgPlan(q.org, q.path("plan_id"))
	if err != nil {
		return 0, nil, err
	}
	if p.WorkspaceID != "" {
		ws, err := getRec[store.WorkspaceRec](s, store.KindWorkspaces, p.WorkspaceID)
		if err != nil {
			return 0, nil, err
		}
		if ws != nil {
			return 0, nil, errConflict("plan is in use by workspace %s; delete the workspace first", ws.ID)
		}
	}
	q.del(store.KindPlans, p.ID)
	return http.StatusNoContent, nil, nil
}
