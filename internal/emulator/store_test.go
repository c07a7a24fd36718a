package emulator

import (
	"path/filepath"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

func testStoreContract(t *testing.T, s Store) {
	t.Helper()
	if _, ok, err := s.Get(kindPlans, "a"); ok || err != nil {
		t.Fatalf("empty Get: %v %v", ok, err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.Put(kindPlans, "b", []byte(`{"id":"b"}`)))
	must(s.Put(kindPlans, "a", []byte(`{"id":"a"}`)))
	v, ok, err := s.Get(kindPlans, "a")
	if !ok || err != nil || string(v) != `{"id":"a"}` {
		t.Fatalf("Get: %s %v %v", v, ok, err)
	}
	list, err := s.List(kindPlans)
	if err != nil || len(list) != 2 || string(list[0]) != `{"id":"a"}` {
		t.Fatalf("List: %q %v", list, err)
	}
	must(s.Apply([]Op{{Kind: kindPlans, ID: "a"}, {Kind: kindWorkspaces, ID: "w", Value: []byte(`{}`)}}))
	if _, ok, _ := s.Get(kindPlans, "a"); ok {
		t.Fatal("Apply did not delete")
	}
	if _, ok, _ := s.Get(kindWorkspaces, "w"); !ok {
		t.Fatal("Apply did not put")
	}
	if err := s.Apply([]Op{{Kind: kindPlans, ID: "z", Value: []byte(`{}`)}, {Kind: "nope", ID: "x", Value: []byte(`{}`)}}); err == nil {
		t.Fatal("unknown kind accepted")
	}
	if _, ok, _ := s.Get(kindPlans, "z"); ok {
		t.Fatal("failed Apply was partly applied")
	}
	must(s.Delete(kindPlans, "b"))
	must(s.Delete(kindPlans, "absent"))
	must(s.Reset())
	if l, _ := s.List(kindWorkspaces); len(l) != 0 {
		t.Fatal("Reset left data")
	}
	if _, _, err := s.Get("nope", "x"); err == nil {
		t.Fatal("unknown kind Get")
	}
}

func TestMemoryStore(t *testing.T) { testStoreContract(t, NewMemoryStore()) }

func TestBoltStore(t *testing.T) {
	s, err := OpenBoltStore(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	testStoreContract(t, s)
}

// TestRestartPersistence creates objects, closes the server, opens a new one
// on the same file, and reads everything back.
func TestRestartPersistence(t *testing.T) {
	file := filepath.Join(t.TempDir(), "emu.db")
	cfg := func(c *Config) {
		c.DataFile = file
		c.Provisioning = map[catalog.Tier]ProvisioningConfig{catalog.Dedicated: {Mode: catalog.ProvisionManual}}
	}
	h := newHarness(t, cfg)
	p, ws := h.tierWorkspace(tokA, catalog.Dedicated, "persist")
	var d api.Domain
	h.must(201, tokA, "POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: "p.example.net"}, &d)
	var fw api.FirewallRule
	h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID), api.FirewallRuleInput{CIDR: "::/0", Action: "deny", Protocol: "any", Priority: 5}, &fw)
	var ip api.StaticIP
	h.must(201, tokA, "POST", path(api.RouteStaticIPs, ws.ID), api.StaticIPInput{Purpose: "outbound"}, &ip)
	before := h.s.Counts("org-a")
	if err := h.s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := h.s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	h2 := newHarness(t, cfg)
	after := h2.s.Counts("org-a")
	for k, v := range before {
		if after[k] != v || v != 1 {
			t.Errorf("%s: %d before, %d after", k, v, after[k])
		}
	}
	var w api.Workspace
	h2.must(200, tokA, "GET", path(api.RouteWorkspace, ws.ID), nil, &w)
	if w.Status != api.StatusPending || w.PlanID != p.ID {
		t.Fatalf("%+v", w)
	}
	h2.must(200, tokA, "GET", path(api.RouteDomain, ws.ID, d.ID), nil, nil)
	h2.must(200, tokA, "GET", path(api.RouteFirewallRule, ws.ID, fw.ID), nil, nil)
	var ip2 api.StaticIP
	h2.must(200, tokA, "GET", path(api.RouteStaticIP, ws.ID, ip.ID), nil, &ip2)
	if ip2 != ip {
		t.Fatalf("%+v != %+v", ip2, ip)
	}
	if h2.s.ApproveAll() != 1 {
		t.Fatal("pending approval lost")
	}
	problem(t, h2.do(tokA, "DELETE", path(api.RoutePlan, p.ID), nil), 409)
}
