package emulator

import (
	"net/http"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

func firewallOwner(r *store.FirewallRec) (string, string) { return r.Org, r.WorkspaceID }

// checkRule validates a rule body against the api rules and the tier gate.
func checkRule(ws *store.WorkspaceRec, in api.FirewallRuleInput) error {
	errs := in.Validate()
	errs = append(errs, api.Collect(catalog.CheckChildFeature(catalog.Tier(ws.Tier), catalog.FeatureFirewallRules, ws.ID))...)
	if len(errs) > 0 {
		return errInvalid(errs)
	}
	return nil
}

// checkPriority refuses a priority another rule of the workspace holds.
func (s *Server) checkPriority(wsID, self string, priority int64) error {
	if id, ok := s.store.Holder(store.PriorityKey(wsID, priority)); ok && id != self {
		return errTaken("priority", "priority %d is already used by firewall rule %s of workspace %s; priorities are unique per workspace", priority, id, wsID)
	}
	return nil
}

func (s *Server) listFirewallRules(q *request) (int, any, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return 0, nil, err
	}
	return listPage(s, q, store.KindFirewallRules, store.WsGroup(store.KindFirewallRules, ws.ID), func(r *store.FirewallRec) (api.FirewallRule, error) {
		return r.FirewallRule, nil
	})
}

func (s *Server) createFirewallRule(q *request) (int, any, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return 0, nil, err
	}
	var in api.FirewallRuleInput
	if err := q.decode(&in); err != nil {
		return 0, nil, err
	}
	if err := checkRule(ws, in); err != nil {
		return 0, nil, err
	}
	if v := catalog.CheckChildQuota(catalog.Tier(ws.Tier), catalog.FeatureFirewallRules, ws.ID, ws.Usage.Count(catalog.FeatureFirewallRules)); v != nil {
		return 0, nil, errInvalid(api.Collect(v))
	}
	if err := s.checkPriority(ws.ID, "", in.Priority); err != nil {
		return 0, nil, err
	}
	r := store.FirewallRec{Org: q.org, FirewallRule: api.FirewallRule{ID: newID("fw"), WorkspaceID: ws.ID, FirewallRuleInput: in, CreatedAt: q.now}}
	if err := q.put(store.KindFirewallRules, r.ID, r); err != nil {
		return 0, nil, err
	}
	if err := q.countChild(ws, catalog.FeatureFirewallRules, +1); err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, r.FirewallRule, nil
}

func (s *Server) getFirewallRule(q *request) (int, any, error) {
	_, r, err := childOf(s, q, store.KindFirewallRules, "firewall rule", "rule_id", firewallOwner)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, r.FirewallRule, nil
}

func (s *Server) updateFirewallRule(q *request) (int, any, error) {
	ws, r, err := childOf(s, q, store.KindFirewallRules, "firewall rule", "rule_id", firewallOwner)
	if err != nil {
		return 0, nil, err
	}
	var in api.FirewallRuleInput
	if err := q.decode(&in); err != nil {
		return 0, nil, err
	}
	if err := checkRule(ws, in); err != nil {
		return 0, nil, err
	}
	if err := s.checkPriority(ws.ID, r.ID, in.Priority); err != nil {
		return 0, nil, err
	}
	r.FirewallRuleInput = in
	if err := q.put(store.KindFirewallRules, r.ID, r); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, r.FirewallRule, nil
}

func (s *Server) deleteFirewallRule(q *request) (int, any, error) {
	ws, r, err := childOf(s, q, store.KindFirewallRules, "firewall rule", "rule_id", firewallOwner)
	if err != nil {
		return 0, nil, err
	}
	q.del(store.KindFirewallRules, r.ID)
	if err := q.countChild(ws, catalog.FeatureFirewallRules, -1); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}
