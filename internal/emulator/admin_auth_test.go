package emulator

import (
	"maps"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// Every admin route of the server's route table (so a new one is covered as
// it is added) refuses an organization's API token with 403 before its
// handler runs, without a token or with an unknown one answers 401, and
// takes the admin token. The refused requests carry bodies the handlers
// would act on (reset, faults, provisioning, DNS, seed, snapshot), and
// nothing changes.
func TestAdminRoutesRefuseAPITokens(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Provisioning[catalog.Dedicated] = ProvisioningConfig{Mode: catalog.ProvisionManual}
	})
	_, ws := h.tierWorkspace(tokA, catalog.Dedicated, "admin-auth") // pending: approve would change it
	h.must(201, tokA, "POST", api.RoutePlans, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion}, nil)
	// state is what a refused request must not change: both organizations'
	// objects, the pending workspace, the fault and provisioning settings.
	state := func() (map[string]int, map[string]int, string, string) {
		var w api.Workspace
		h.must(200, tokA, "GET", path(api.RouteWorkspace, ws.ID), nil, &w)
		config := h.must(200, tokAdmin, "GET", api.RouteAdminFaults, nil, nil).String() +
			h.must(200, tokAdmin, "GET", api.RouteAdminProvisioning, nil, nil).String()
		return h.s.Counts("org-a"), h.s.Counts("org-b"), w.Status, config
	}
	countsA, countsB, status, config := state()

	// Bodies a handler would act on, by route.
	bodies := map[string]string{
		"PUT " + api.RouteAdminFaults:       `{"error_rate":1}`,
		"PUT " + api.RouteAdminProvisioning: `{"standard":{"mode":"manual"}}`,
		"PUT " + api.RouteAdminDNS:          `{"txt":["x"]}`,
		"POST " + RouteAdminSeed:            `{"organizations":[{"name":"intruder","tokens":["intruder-token"]}]}`,
		"PUT " + RouteAdminSnapshot:         `{"organizations":[]}`,
	}
	param := regexp.MustCompile(`\{[a-z_]+\}`)
	routes := h.s.adminRoutes()
	if len(routes) < 10 {
		t.Fatalf("%d admin routes", len(routes))
	}
	for _, rt := range routes {
		if !strings.HasPrefix(rt.pattern, api.AdminPrefix+"/") {
			t.Errorf("admin route %s %s is outside %s/", rt.method, rt.pattern, api.AdminPrefix)
		}
		target := param.ReplaceAllStringFunc(rt.pattern, func(p string) string {
			if p == "{workspace_id}" {
				return ws.ID
			}
			return "x-1"
		})
		body := bodies[rt.method+" "+rt.pattern]
		if body == "" && rt.method != http.MethodGet && rt.method != http.MethodDelete {
			body = `{}`
		}
		t.Run(rt.method+" "+rt.pattern, func(t *testing.T) {
			for _, tok := range []string{tokA, tokB} {
				r := h.do(tok, rt.method, target, nilIfEmpty(body))
				if p := problem(t, r, http.StatusForbidden); !strings.Contains(p.Detail, "API token cannot use the admin API") {
					t.Errorf("%s: %s", tok, p.Detail)
				}
			}
			for _, tok := range []string{"", "unknown-token"} {
				if r := h.do(tok, rt.method, target, nilIfEmpty(body)); r.Code != http.StatusUnauthorized {
					t.Errorf("token %q: %s", tok, r)
				}
			}
			// The admin token passes authentication (the handler may still
			// refuse the made-up IDs); a GET or DELETE changes nothing here.
			if rt.method == http.MethodGet {
				if r := h.do(tokAdmin, rt.method, target, nil); r.Code == http.StatusUnauthorized || r.Code == http.StatusForbidden {
					t.Errorf("admin token: %s", r)
				}
			}
		})
	}
	a, b, st, cfg := state()
	if !maps.Equal(a, countsA) || !maps.Equal(b, countsB) || st != status || cfg != config {
		t.Errorf("refused requests changed the emulator: counts %v %v (were %v %v), workspace %s (was %s), config %s (was %s)",
			a, b, countsA, countsB, st, status, cfg, config)
	}
	if _, ok := h.s.tokenOrg("intruder-token"); ok {
		t.Error("a refused seed added a token")
	}
}

func nilIfEmpty(body string) any {
	if body == "" {
		return nil
	}
	return body
}
