package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

const exampleSeed = "../../examples/emulator/estate.json"

func TestSeedFileLoadsTheExampleEstate(t *testing.T) {
	h := newHarness(t)
	if err := h.s.LoadSeedFile(exampleSeed); err != nil {
		t.Fatal(err)
	}
	const acme = "acme-ci-token"
	var ws api.Workspace
	h.must(200, acme, "GET", path(api.RouteWorkspace, "ws-acme-chat"), nil, &ws)
	if ws.Status != api.StatusReady || ws.PlanID != "pln-acme-chat" || ws.Tier != "premium" || !ws.AdminPasswordSet {
		t.Fatalf("seeded workspace %+v", ws)
	}
	if want := (api.WorkspaceUsage{CustomDomains: 1, FirewallRules: 2, StaticIPs: 1}); ws.Usage != want {
		t.Fatalf("usage %+v, want %+v (the seeded children)", ws.Usage, want)
	}
	if !h.s.AdminPasswordIs("ws-acme-chat", "change-me-in-ci") {
		t.Fatal("admin password not set")
	}
	var plan api.Plan
	h.must(200, acme, "GET", path(api.RoutePlan, "pln-acme-chat"), nil, &plan)
	if plan.WorkspaceID != "ws-acme-chat" || plan.MaxUsers == nil || *plan.MaxUsers != 1500 {
		t.Fatalf("plan %+v", plan)
	}
	var dom api.Domain
	h.must(200, acme, "GET", path(api.RouteDomain, "ws-acme-chat", "dom-acme-chat"), nil, &dom)
	if dom.Status != api.StatusVerified {
		t.Fatalf("domain %+v, want verified", dom)
	}
	var rules api.List[api.FirewallRule]
	h.must(200, acme, "GET", path(api.RouteFirewallRules, "ws-acme-chat"), nil, &rules)
	if len(rules.Items) != 2 || rules.Items[0].ID != "fw-acme-office" || !strings.HasPrefix(rules.Items[1].ID, "fw-") {
		t.Fatalf("rules %+v", rules.Items)
	}
	var ips api.List[api.StaticIP]
	h.must(200, acme, "GET", path(api.RouteStaticIPs, "ws-acme-chat"), nil, &ips)
	if len(ips.Items) != 1 || !SharedIPPools[0].Contains(netip.MustParseAddr(ips.Items[0].Address)) { // the shared pool, at random
		t.Fatalf("static IPs %+v", ips.Items)
	}
	// The unreferenced plan got a generated ID; globex exists with no objects.
	if got := h.s.Counts("acme"); got[store.KindPlans] != 2 || got[store.KindWorkspaces] != 1 {
		t.Fatalf("acme counts %v", got)
	}
	var none api.List[api.Workspace]
	h.must(200, "globex-ci-token", "GET", api.RouteWorkspaces, nil, &none)
	if len(none.Items) != 0 {
		t.Fatalf("globex sees %v", none.Items)
	}
	// Tokens from the configuration keep working.
	h.must(200, tokA, "GET", api.RoutePlans, nil, nil)
}

// badSeed is a valid estate with one fault injected by edit.
func badSeed(edit func(*Seed)) *Seed {
	doc := &Seed{Organizations: []SeedOrganization{
		{Name: "first", Tokens: []string{"first-token"},
			Plans:      []SeedPlan{{Key: "p", PlanInput: api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion}}},
			Workspaces: []SeedWorkspace{{Name: "First", Subdomain: "first-ws", Plan: "p"}}},
		{Name: "second", Tokens: []string{"second-token"},
			Plans: []SeedPlan{{Key: "p", PlanInput: api.PlanInput{Tier: "premium", Region: "eu-west"}}},
			Workspaces: []SeedWorkspace{{Name: "Second", Subdomain: "second-ws", Plan: "p",
				FirewallRules: []SeedFirewallRule{{FirewallRuleInput: api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", Priority: 1}}}}}},
	}}
	edit(doc)
	return doc
}

func TestSeedErrorsNameTheEntryAndField(t *testing.T) {
	for name, tc := range map[string]struct {
		edit  func(*Seed)
		field string
		rule  string
	}{
		"valid":         {func(*Seed) {}, "", ""},
		"bad subdomain": {func(d *Seed) { d.Organizations[1].Workspaces[0].Subdomain = "X" }, "organizations[1].workspaces[0].subdomain", "format"},
		"tier-gated child": {func(d *Seed) {
			d.Organizations[1].Plans[0].Tier = "standard"
			d.Organizations[1].Plans[0].Region = "us-east"
		}, "organizations[1].workspaces[0].firewall_rules[0].workspace_id", ""},
		"plan rule":            {func(d *Seed) { d.Organizations[0].Plans[0].VPN = true }, "organizations[0].plans[0].vpn", ""},
		"unknown plan key":     {func(d *Seed) { d.Organizations[0].Workspaces[0].Plan = "nope" }, "organizations[0].workspaces[0].plan", "reference"},
		"two plan references":  {func(d *Seed) { d.Organizations[0].Workspaces[0].PlanID = "pln-x" }, "organizations[0].workspaces[0].plan", "required"},
		"duplicate fixed ID":   {func(d *Seed) { d.Organizations[0].Plans[0].ID = "pln-one"; d.Organizations[1].Plans[0].ID = "pln-one" }, "organizations[1].plans[0].id", "unique"},
		"wrong ID prefix":      {func(d *Seed) { d.Organizations[0].Workspaces[0].ID = "pln-ws" }, "organizations[0].workspaces[0].id", "format"},
		"token of two orgs":    {func(d *Seed) { d.Organizations[1].Tokens[0] = "first-token" }, "organizations[1].tokens[0]", "unique"},
		"token of another org": {func(d *Seed) { d.Organizations[0].Tokens[0] = tokB }, "organizations[0].tokens[0]", "unique"},
		"admin token":          {func(d *Seed) { d.Organizations[0].Tokens[0] = tokAdmin }, "organizations[0].tokens[0]", "unique"},
		"same subdomain":       {func(d *Seed) { d.Organizations[1].Workspaces[0].Subdomain = "first-ws" }, "organizations[1].workspaces[0].subdomain", "unique"},
		"bad org name":         {func(d *Seed) { d.Organizations[0].Name = "a b" }, "organizations[0].name", "format"},
		"priority taken": {func(d *Seed) {
			w := &d.Organizations[1].Workspaces[0]
			w.FirewallRules = append(w.FirewallRules, w.FirewallRules[0])
		}, "organizations[1].workspaces[0].firewall_rules[1].priority", "unique"},
		"address outside the pool": {func(d *Seed) {
			w := &d.Organizations[1].Workspaces[0]
			w.StaticIPs = []SeedStaticIP{{StaticIPInput: api.StaticIPInput{Purpose: "outbound"}, Address: "198.51.100.7"}}
		}, "organizations[1].workspaces[0].static_ips[0].address", "pool"},
		"too many tokens": {func(d *Seed) {
			for i := range MaxTokens {
				d.Organizations[1].Tokens = append(d.Organizations[1].Tokens, fmt.Sprintf("bulk-%d", i))
			}
		}, "organizations", "max"},
		"bad pending": {func(d *Seed) {
			d.Organizations[0].Workspaces[0].Pending = &SeedPending{Mode: "soon", Since: "2030-01-01T00:00:00Z"}
		}, "organizations[0].workspaces[0].pending.mode", ""},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			_, err := h.s.Seed(badSeed(tc.edit))
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			se, ok := err.(*SeedError)
			if !ok {
				t.Fatalf("got %v (%T), want a SeedError naming %s", err, err, tc.field)
			}
			if !hasFieldError(api.Problem{Errors: se.Errors}, tc.field, tc.rule) {
				t.Fatalf("errors %+v do not name %s (rule %q)", se.Errors, tc.field, tc.rule)
			}
			// All or nothing: the valid first organization was not written either.
			for _, org := range []string{"first", "second"} {
				for kind, n := range h.s.Counts(org) {
					if n != 0 {
						t.Fatalf("%s of %s: %d written by a failed seed", kind, org, n)
					}
				}
			}
			if r := h.do("first-token", "GET", api.RoutePlans, nil); r.Code != http.StatusUnauthorized {
				t.Fatalf("a failed seed's token works: %d", r.Code)
			}
		})
	}
}

func TestSeedFileErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	h := newHarness(t)
	// Strict decoding: an unknown field is an error with line and column.
	err := h.s.LoadSeedFile(write("typo.json", "{\"organizations\": [\n  {\"name\": \"x\", \"workspace\": []}\n]}"))
	if err == nil || !strings.HasPrefix(err.Error(), "typo.json:2:") || !strings.Contains(err.Error(), `unknown field "workspace"`) {
		t.Fatalf("got %v", err)
	}
	err = h.s.LoadSeedFile(write("trailing.json", `{"organizations": []} {}`))
	if err == nil || !strings.Contains(err.Error(), "trailing.json:1:") {
		t.Fatalf("got %v", err)
	}
	b, _ := json.Marshal(badSeed(func(d *Seed) { d.Organizations[1].Workspaces[0].Subdomain = "X" }))
	err = h.s.LoadSeedFile(write("estate.json", string(b)))
	if err == nil || !strings.HasPrefix(err.Error(), "estate.json: organizations[1].workspaces[0].subdomain: ") {
		t.Fatalf("got %v", err)
	}
}

func TestSeedAddsToTheStoreAndRefusesTakenIDs(t *testing.T) {
	h := newHarness(t)
	p := h.plan(tokA, api.PlanInput{Tier: "premium", Region: "eu-west"})
	// A seed may refer to an existing plan of its organization by ID.
	doc := &Seed{Organizations: []SeedOrganization{{Name: "org-a",
		Workspaces: []SeedWorkspace{{ID: "ws-fixed", Name: "Fixed", Subdomain: "fixed-ws", PlanID: p.ID}}}}}
	out, err := h.s.Seed(doc)
	if err != nil {
		t.Fatal(err)
	}
	if out.Organizations[0].Workspaces[0].ID != "ws-fixed" {
		t.Fatalf("%+v", out)
	}
	h.must(200, tokA, "GET", path(api.RouteWorkspace, "ws-fixed"), nil, nil)
	// The same seed again: the ID is taken (and so is the plan).
	_, err = h.s.Seed(doc)
	se, ok := err.(*SeedError)
	if !ok || !hasFieldError(api.Problem{Errors: se.Errors}, "organizations[0].workspaces[0].id", "unique") {
		t.Fatalf("got %v", err)
	}
	// Another organization's plan is not found.
	doc.Organizations[0].Name = "org-b"
	doc.Organizations[0].Workspaces[0].ID = "ws-other"
	_, err = h.s.Seed(doc)
	if se, ok := err.(*SeedError); !ok || !hasFieldError(api.Problem{Errors: se.Errors}, "organizations[0].workspaces[0].plan_id", "unknown_plan") {
		t.Fatalf("got %v", err)
	}
}

func TestAdminSeedRoute(t *testing.T) {
	h := newHarness(t)
	body := `{"organizations":[{"name":"ci","tokens":["ci-token"],"plans":[{"key":"p","tier":"standard","region":"us-east"}],
	  "workspaces":[{"key":"w","name":"CI","subdomain":"ci-ws","plan":"p","admin_password":"secret-pw"}]}]}`
	var out Seed
	r := h.must(http.StatusCreated, tokAdmin, "POST", RouteAdminSeed, body, &out)
	if strings.Contains(string(r.Body), "secret-pw") {
		t.Fatal("the answer repeats the admin password")
	}
	o := out.Organizations[0]
	if !strings.HasPrefix(o.Plans[0].ID, "pln-") || o.Workspaces[0].PlanID != o.Plans[0].ID || o.Workspaces[0].Key != "w" {
		t.Fatalf("IDs not filled in: %s", r.Body)
	}
	h.must(200, "ci-token", "GET", path(api.RouteWorkspace, o.Workspaces[0].ID), nil, nil)

	p := problem(t, h.do(tokAdmin, "POST", RouteAdminSeed, strings.Replace(body, `"ci"`, `"ci2"`, 1)), http.StatusUnprocessableEntity)
	if !hasFieldError(p, "organizations[0].tokens[0]", "unique") || !hasFieldError(p, "", "") && false {
		t.Fatalf("%+v", p)
	}
	problem(t, h.do(tokAdmin, "POST", RouteAdminSeed, `{"organizations":[{"nme":"x"}]}`), http.StatusBadRequest)
	problem(t, h.do(tokA, "POST", RouteAdminSeed, body), http.StatusForbidden)
}

// TestSeedTokensUnderConcurrentRequests: auth reads the token map on every
// request while seeds add to it (run with -race).
func TestSeedTokensUnderConcurrentRequests(t *testing.T) {
	h := newHarness(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					h.do(tokA, "GET", api.RoutePlans, nil)
				}
			}
		}()
	}
	for i := range 20 {
		name := "org-" + string(rune('c'+i))
		if _, err := h.s.Seed(&Seed{Organizations: []SeedOrganization{{Name: name, Tokens: []string{name + "-token"}}}}); err != nil {
			t.Error(err)
		}
	}
	close(stop)
	wg.Wait()
	h.must(200, "org-v-token", "GET", api.RoutePlans, nil, nil)
}
