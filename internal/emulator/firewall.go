package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// A workspace's firewall rules are one versioned collection: every change of
// a rule (single-rule writes and whole-set replaces alike) raises the
// workspace's FirewallRulesVersion, answered as the ETag of the listing and
// of every write; a write with If-Match of another version answers 412 and
// changes nothing. A replace (PUT) makes the workspace's rules owned by a
// set (FirewallRulesExclusive): single-rule creates then answer 409 until the
// set is released (DELETE). Both fields live on the workspace record, so data
// files from before them open as version 0, not owned.

func firewallOwner(r *store.FirewallRec) (string, string) { return r.Org, r.WorkspaceID }

// rulesETag is the ETag of a workspace's firewall rules.
func rulesETag(ws *store.WorkspaceRec) string {
	return `"` + strconv.FormatInt(ws.FirewallRulesVersion, 10) + `"`
}

// rulesChanged raises the version of the workspace's rules; the caller puts
// the workspace record in the same batch.
func (q *request) rulesChanged(ws *store.WorkspaceRec) {
	ws.FirewallRulesVersion++
	q.etag = rulesETag(ws)
}

// checkIfMatch holds a write to the workspace's rules to the If-Match
// version, when the request names one: "*" or a list of strong entity tags,
// one of which must be the current version (a weak tag never matches).
func (q *request) checkIfMatch(ws *store.WorkspaceRec) error {
	q.etag = rulesETag(ws)
	vals := q.r.Header.Values(api.IfMatchHeader)
	if len(vals) == 0 {
		return nil
	}
	tags, ok := parseIfMatch(strings.Join(vals, ","))
	if !ok {
		msg := fmt.Sprintf("If-Match must be * or a comma-separated list of quoted entity tags such as %s (the ETag of the firewall rules listing)", q.etag)
		e := errStatus(http.StatusBadRequest, "%s", msg)
		e.errs = []api.FieldError{{Field: api.IfMatchHeader, Rule: "format", Message: msg}}
		return e
	}
	if slices.Contains(tags, "*") || slices.Contains(tags, q.etag) {
		return nil
	}
	msg := fmt.Sprintf("the firewall rules of workspace %s are at version %s, not %s: they changed since they were read; "+
		"read them again (GET %s) and retry with the new ETag", ws.ID, q.etag, strings.Join(tags, ", "),
		strings.Replace(api.RouteFirewallRules, "{workspace_id}", ws.ID, 1))
	e := errStatus(http.StatusPreconditionFailed, "%s", msg)
	e.errs = []api.FieldError{{Field: api.IfMatchHeader, Rule: "version", Allowed: []string{q.etag}, Message: msg}}
	return e
}

// maxIfMatchTags bounds the entity tags one If-Match may list.
const maxIfMatchTags = 16

// parseIfMatch splits an If-Match value (RFC 9110 section 13.1.1).
func parseIfMatch(v string) ([]string, bool) {
	var tags []string
	for _, t := range strings.Split(v, ",") {
		t = strings.TrimSpace(t)
		weak := strings.HasPrefix(t, "W/")
		body := strings.TrimPrefix(t, "W/")
		switch {
		case t == "*":
		case len(body) >= 2 && body[0] == '"' && body[len(body)-1] == '"' && !strings.ContainsAny(body[1:len(body)-1], "\" \x7f") &&
			strings.IndexFunc(body, func(r rune) bool { return r < 0x21 }) < 0:
		default:
			return nil, false
		}
		if weak {
			t = "W/" + body // kept to be named in the 412; never equal to a strong tag
		}
		tags = append(tags, t)
	}
	if len(tags) > maxIfMatchTags || (len(tags) > 1 && slices.Contains(tags, "*")) {
		return nil, false
	}
	return tags, true
}

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
	q.etag = rulesETag(ws)
	return listPageUpTo(s, q, api.MaxFirewallRulesPageSize, store.KindFirewallRules, store.WsGroup(store.KindFirewallRules, ws.ID), func(r *store.FirewallRec) (api.FirewallRule, error) {
		return r.FirewallRule, nil
	})
}

func (s *Server) createFirewallRule(q *request) (int, any, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return 0, nil, err
	}
	if err := q.checkIfMatch(ws); err != nil {
		return 0, nil, err
	}
	var in api.FirewallRuleInput
	if err := q.decode(&in); err != nil {
		return 0, nil, err
	}
	if ws.FirewallRulesExclusive {
		return 0, nil, errConflict("the firewall rules of workspace %s are owned by a rule set (PUT %s, e.g. Terraform's rocketchat_firewall_rules): "+
			"add the rule to that set, or release the set (DELETE %s) first", ws.ID, api.RouteFirewallRules, api.RouteFirewallRules)
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
	q.rulesChanged(ws)
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
	if err := q.checkIfMatch(ws); err != nil {
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
	if r.FirewallRuleInput == in {
		return http.StatusOK, r.FirewallRule, nil // nothing changes: the version stays
	}
	r.FirewallRuleInput = in
	if err := q.put(store.KindFirewallRules, r.ID, r); err != nil {
		return 0, nil, err
	}
	q.rulesChanged(ws)
	if err := q.put(store.KindWorkspaces, ws.ID, ws); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, r.FirewallRule, nil
}

func (s *Server) deleteFirewallRule(q *request) (int, any, error) {
	ws, r, err := childOf(s, q, store.KindFirewallRules, "firewall rule", "rule_id", firewallOwner)
	if err != nil {
		return 0, nil, err
	}
	if err := q.checkIfMatch(ws); err != nil {
		return 0, nil, err
	}
	q.del(store.KindFirewallRules, r.ID)
	q.rulesChanged(ws)
	if err := q.countChild(ws, catalog.FeatureFirewallRules, -1); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

// workspaceRules returns every firewall rule of a workspace.
func (s *Server) workspaceRules(wsID string) ([]*store.FirewallRec, error) {
	group := store.WsGroup(store.KindFirewallRules, wsID)
	keys, _ := s.store.Page(group, nil, s.store.Count(group))
	out := make([]*store.FirewallRec, 0, len(keys))
	for _, k := range keys {
		r, err := getRec[store.FirewallRec](s, store.KindFirewallRules, k.ID)
		if err != nil {
			return nil, err
		}
		if r != nil {
			out = append(out, r)
		}
	}
	return out, nil
}

// replaceFirewallRules makes the workspace's rules exactly the body's, in one
// atomic batch, and makes them owned by the set. Every rule is checked first
// and every violation answered at once; nothing changes unless all pass.
// A rule is matched to the stored one by priority: an unchanged rule is not
// written at all, a changed one keeps its ID and creation time.
func (s *Server) replaceFirewallRules(q *request) (int, any, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return 0, nil, err
	}
	if err := q.checkIfMatch(ws); err != nil {
		return 0, nil, err
	}
	var in api.FirewallRuleSetInput
	if err := q.decode(&in); err != nil {
		return 0, nil, err
	}
	errs := in.Validate()
	if len(in.Rules) > 0 {
		tier := catalog.Tier(ws.Tier)
		errs = append(errs, api.Collect(
			catalog.CheckChildFeature(tier, catalog.FeatureFirewallRules, ws.ID),
			catalog.CheckRuleSetQuota(tier, catalog.FeatureFirewallRules, ws.ID, len(in.Rules)))...)
	}
	if len(errs) > 0 {
		return 0, nil, errInvalid(errs)
	}
	stored, err := s.workspaceRules(ws.ID)
	if err != nil {
		return 0, nil, err
	}
	byPriority := make(map[int64]*store.FirewallRec, len(stored))
	for _, r := range stored {
		byPriority[r.Priority] = r
	}
	changed := !ws.FirewallRulesExclusive
	out := make([]api.FirewallRule, 0, len(in.Rules))
	for i, rule := range in.Rules {
		r, ok := byPriority[rule.Priority]
		delete(byPriority, rule.Priority)
		switch {
		case ok && r.FirewallRuleInput == rule:
		case ok:
			r.FirewallRuleInput = rule
			changed = true
			if err := q.put(store.KindFirewallRules, r.ID, r); err != nil {
				return 0, nil, err
			}
		default:
			// One request's rules are a nanosecond apart, so the listing
			// (creation order) keeps the order they were sent in.
			r = &store.FirewallRec{Org: q.org, FirewallRule: api.FirewallRule{ID: newID("fw"), WorkspaceID: ws.ID,
				FirewallRuleInput: rule, CreatedAt: q.now.Add(time.Duration(i))}}
			changed = true
			if err := q.put(store.KindFirewallRules, r.ID, r); err != nil {
				return 0, nil, err
			}
		}
		out = append(out, r.FirewallRule)
	}
	for _, r := range byPriority {
		q.del(store.KindFirewallRules, r.ID)
		changed = true
	}
	if changed {
		ws.FirewallRulesExclusive = true
		ws.Usage.Add(catalog.FeatureFirewallRules, len(in.Rules)-ws.Usage.Count(catalog.FeatureFirewallRules))
		q.rulesChanged(ws)
		if err := q.put(store.KindWorkspaces, ws.ID, ws); err != nil {
			return 0, nil, err
		}
	}
	slices.SortFunc(out, func(a, b api.FirewallRule) int { return int(a.Priority - b.Priority) })
	return http.StatusOK, api.FirewallRuleSet{Items: out, Version: strings.Trim(q.etag, `"`), Exclusive: true}, nil
}

// releaseFirewallRules deletes every rule of the workspace and ends a set's
// ownership of them (a set's destroy).
func (s *Server) releaseFirewallRules(q *request) (int, any, error) {
	ws, err := s.parentWorkspace(q)
	if err != nil {
		return 0, nil, err
	}
	if err := q.checkIfMatch(ws); err != nil {
		return 0, nil, err
	}
	stored, err := s.workspaceRules(ws.ID)
	if err != nil {
		return 0, nil, err
	}
	if len(stored) == 0 && !ws.FirewallRulesExclusive {
		return http.StatusNoContent, nil, nil
	}
	for _, r := range stored {
		q.del(store.KindFirewallRules, r.ID)
	}
	ws.FirewallRulesExclusive = false
	ws.Usage.Add(catalog.FeatureFirewallRules, -ws.Usage.Count(catalog.FeatureFirewallRules))
	q.rulesChanged(ws)
	if err := q.put(store.KindWorkspaces, ws.ID, ws); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}
