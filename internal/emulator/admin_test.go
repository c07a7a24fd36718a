package emulator

import (
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

func TestAdminProvisioningAPI(t *testing.T) {
	h := newHarness(t)
	var got map[string]map[string]any
	h.must(200, tokAdmin, "PUT", api.RouteAdminProvisioning,
		`{"premium":{"mode":"delayed","delay":"5s"},"dedicated":{"mode":"manual"},"standard":{"mode":"delayed","delay":250}}`, &got)
	if got["premium"]["mode"] != "delayed" || got["premium"]["delay"] != "5s" || got["standard"]["delay"] != "250ms" || got["dedicated"]["mode"] != "manual" {
		t.Fatalf("%v", got)
	}
	_, ws := h.tierWorkspace(tokA, catalog.Premium, "prov-api")
	h.clock.Advance(4 * time.Second)
	var w api.Workspace
	h.must(200, tokA, "GET", path(api.RouteWorkspace, ws.ID), nil, &w)
	if w.Status != api.StatusPending {
		t.Fatalf("%s", w.Status)
	}
	h.clock.Advance(time.Second)
	h.must(200, tokA, "GET", path(api.RouteWorkspace, ws.ID), nil, &w)
	if w.Status != api.StatusReady {
		t.Fatalf("%s", w.Status)
	}
	pp := problem(t, h.do(tokAdmin, "PUT", api.RouteAdminProvisioning, `{"gold":{"mode":"manual"},"standard":{"mode":"later"}}`), 422)
	if !hasFieldError(pp, "gold", catalog.RuleOneOf) || !hasFieldError(pp, "standard", "format") {
		t.Fatalf("%+v", pp.Errors)
	}
	h.must(200, tokAdmin, "GET", api.RouteAdminProvisioning, nil, &got)
	if got["standard"]["mode"] != "delayed" {
		t.Fatalf("a rejected PUT changed the config: %v", got)
	}
}

func TestAdminReset(t *testing.T) {
	h := newHarness(t)
	h.tierWorkspace(tokA, catalog.Standard, "reset-a")
	h.tierWorkspace(tokB, catalog.Standard, "reset-b")
	h.must(204, tokAdmin, "POST", api.RouteAdminReset, nil, nil)
	for _, org := range []string{"org-a", "org-b"} {
		for k, n := range h.s.Counts(org) {
			if n != 0 {
				t.Errorf("%s still has %d %s", org, n, k)
			}
		}
	}
	h.tierWorkspace(tokA, catalog.Standard, "reset-a") // the subdomain is free again
}
