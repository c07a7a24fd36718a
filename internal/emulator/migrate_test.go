package emulator

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// legacyFixture is a data file written by the emulator at commit 8ee9cc6
// (schema version 1, before versions were stored), with the workspace's
// usage counters removed as a file from before the counters had them: org A
// has a premium workspace "legacy" with 4 static IPs and 1 firewall rule,
// and two keyed plan requests (legacy-201 answered 201, legacy-422 answered
// 422). testdata/README.md says how it was made.
const legacyFixture = "testdata/schema1-premium-4ips.db"

func copyFixture(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(legacyFixture)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "data.db")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestMigrateSchema1RecomputesUsage(t *testing.T) {
	file := copyFixture(t)
	raw, err := store.OpenBoltStore(file)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := store.StoredSchemaVersion(raw); err != nil || v != 1 {
		t.Fatalf("fixture schema version %d %v, want 1", v, err)
	}
	_ = raw.Close()

	h := newHarness(t, func(c *Config) { c.DataFile = file })
	var list api.List[api.Workspace]
	h.must(200, tokA, "GET", api.RouteWorkspaces, nil, &list)
	if len(list.Items) != 1 {
		t.Fatalf("%d workspaces", len(list.Items))
	}
	ws := list.Items[0]
	if ws.Usage.StaticIPs != 4 || ws.Usage.FirewallRules != 1 || ws.Usage.CustomDomains != 0 {
		t.Fatalf("usage after migration %+v, want 4 static IPs and 1 firewall rule", ws.Usage)
	}
	// The premium quota (4 static IPs) holds: the 5th is refused.
	p := problem(t, h.do(tokA, "POST", path(api.RouteStaticIPs, ws.ID), api.StaticIPInput{Purpose: "outbound"}), 422)
	if !hasFieldError(p, "workspace_id", catalog.RuleTierQuota) {
		t.Fatalf("5th static IP: %+v", p)
	}
	// The indexes know the old records: subdomain and priority are taken.
	plan := h.plan(tokB, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion})
	problem(t, h.do(tokB, "POST", api.RouteWorkspaces, api.WorkspaceInput{Name: "x", Subdomain: "legacy", PlanID: plan.ID}), 409)
	problem(t, h.do(tokA, "POST", path(api.RouteFirewallRules, ws.ID),
		api.FirewallRuleInput{CIDR: "10.1.0.0/16", Action: "deny", Protocol: "any", Priority: 7}), 409)
	// The old 201 still replays; the old 422 was dropped, so its key is free.
	plans := h.s.Counts("org-a")["plans"]
	h.must(201, tokA, "POST", api.RoutePlans, api.PlanInput{Tier: "standard", Region: "us-east"}, nil, api.IdempotencyKeyHeader, "legacy-201")
	if n := h.s.Counts("org-a")["plans"]; n != plans {
		t.Fatalf("legacy-201 did not replay: %d plans, had %d", n, plans)
	}
	h.must(201, tokA, "POST", api.RoutePlans, api.PlanInput{Tier: "standard", Region: "us-east"}, nil, api.IdempotencyKeyHeader, "legacy-422")
	if err := h.s.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err = store.OpenBoltStore(file)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if v, _ := store.StoredSchemaVersion(raw); v != store.SchemaVersion {
		t.Fatalf("schema version after migration %d", v)
	}
	wsRaw, _, _ := raw.Get(store.KindWorkspaces, ws.ID)
	var stored store.WorkspaceRec
	if err := json.Unmarshal(wsRaw, &stored); err != nil || stored.Usage.StaticIPs != 4 {
		t.Fatalf("stored usage %+v %v", stored.Usage, err)
	}
	idem, _ := raw.List(store.KindIdempotency)
	for _, r := range idem {
		if bytes.Contains(r, []byte(`"path"`)) || bytes.Contains(r, []byte(`"body_hash"`)) {
			t.Fatalf("old idempotency layout left: %s", r)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	file := filepath.Join(t.TempDir(), "future.db")
	raw, err := store.OpenBoltStore(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.Put(store.KindMeta, store.SchemaVersionKey, []byte("3")); err != nil {
		t.Fatal(err)
	}
	_ = raw.Close()
	_, err = New(Config{DataFile: file})
	if err == nil || !strings.Contains(err.Error(), "schema version 3") || !strings.Contains(err.Error(), "up to 2") {
		t.Fatalf("newer file: %v", err)
	}
	// Refused, not changed: the version is still 3.
	raw, err = store.OpenBoltStore(file)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if v, _ := store.StoredSchemaVersion(raw); v != 3 {
		t.Fatalf("version now %d", v)
	}
}

// A new file is written at the current version, and Reset keeps it.
func TestNewFileHasSchemaVersion(t *testing.T) {
	file := filepath.Join(t.TempDir(), "new.db")
	h := newHarness(t, func(c *Config) { c.DataFile = file })
	h.must(204, "", "POST", api.RouteAdminReset, nil, nil, "Authorization", "Bearer "+tokAdmin)
	if v, err := store.StoredSchemaVersion(h.s.store); err != nil || v != store.SchemaVersion {
		t.Fatalf("version %d %v", v, err)
	}
}
