package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// buildEstate creates, through the /v1 API, objects in every state a
// snapshot must carry: a premium workspace with a password, a verified and
// an unverified domain, firewall rules and static IPs; a dedicated workspace
// still waiting for manual approval; a workspace in the middle of an upgrade;
// and, in org-b, a plan without a workspace.
func buildEstate(h *harness) {
	h.t.Helper()
	p := h.plan(tokA, api.PlanInput{Tier: "premium", Region: "eu-west", MaxUsers: ptr(int64(900))})
	var ws api.Workspace
	h.must(201, tokA, "POST", api.RouteWorkspaces, api.WorkspaceInput{Name: "Main", Subdomain: "main-ws", PlanID: p.ID, AdminPassword: "pw-123456"}, &ws)
	h.clock.Advance(time.Second)
	var d1 api.Domain
	h.must(201, tokA, "POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: "chat.example.com"}, &d1)
	h.must(201, tokA, "POST", path(api.RouteDomains, ws.ID), api.DomainInput{Hostname: "pending.example.com"}, nil)
	h.must(200, tokAdmin, "POST", path(api.RouteAdminVerifyDomain, d1.ID), nil, nil)
	for i, cidr := range []string{"10.0.0.0/8", "192.168.0.0/16"} {
		h.clock.Advance(time.Second)
		h.must(201, tokA, "POST", path(api.RouteFirewallRules, ws.ID),
			api.FirewallRuleInput{CIDR: cidr, Action: "allow", Protocol: "tcp", PortRange: "443", Priority: int64(10 + i)}, nil)
	}
	var ip1 api.StaticIP
	h.must(201, tokA, "POST", path(api.RouteStaticIPs, ws.ID), api.StaticIPInput{Purpose: "outbound"}, &ip1)
	h.must(201, tokA, "POST", path(api.RouteStaticIPs, ws.ID), api.StaticIPInput{Purpose: "load_balancer", Description: "lb"}, nil)
	// Free the first address: a restore must keep the second one's address
	// (192.0.2.2) although a fresh allocation would hand out 192.0.2.1.
	h.must(204, tokA, "DELETE", path(api.RouteStaticIP, ws.ID, ip1.ID), nil, nil)

	h.must(200, tokAdmin, "PUT", api.RouteAdminProvisioning, `{"dedicated":{"mode":"manual"},"premium":{"mode":"delayed","delay":"1h"}}`, nil)
	_, _ = h.tierWorkspace(tokA, catalog.Dedicated, "waiting-ws")
	up, _ := h.tierWorkspace(tokA, catalog.Standard, "growing-ws")
	h.must(200, tokA, "PATCH", path(api.RoutePlan, up.ID), api.PlanInput{Tier: "premium", Region: catalog.DefaultRegion}, nil)
	h.plan(tokB, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion})
}

// providerView is everything the provider can read of an organization.
func providerView(h *harness, tok string) string {
	h.t.Helper()
	var out bytes.Buffer
	get := func(p string) []byte {
		r := h.must(200, tok, "GET", p, nil, nil)
		out.Write(r.Body)
		out.WriteByte('\n')
		return r.Body
	}
	get(api.RoutePlans)
	var wss api.List[api.Workspace]
	_ = json.Unmarshal(get(api.RouteWorkspaces), &wss)
	for _, w := range wss.Items {
		for _, route := range []string{api.RouteDomains, api.RouteFirewallRules, api.RouteStaticIPs} {
			get(path(route, w.ID))
		}
	}
	return out.String()
}

func TestSnapshotRoundTrip(t *testing.T) {
	for name, file := range map[string]bool{"memory": false, "bbolt": true} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, func(c *Config) {
				if file {
					c.DataFile = filepath.Join(t.TempDir(), "emu.db")
				}
			})
			buildEstate(h)
			h.clock.Advance(time.Minute) // the upgrade and approval stay pending (1h, manual)
			viewA, viewB := providerView(h, tokA), providerView(h, tokB)
			snap := h.must(200, tokAdmin, "GET", RouteAdminSnapshot, nil, nil).Body

			h.must(204, tokAdmin, "POST", api.RouteAdminReset, nil, nil)
			if providerView(h, tokA) == viewA {
				t.Fatal("reset changed nothing")
			}
			h.must(200, tokAdmin, "PUT", RouteAdminSnapshot+"?scope=all", snap, nil)
			again := h.must(200, tokAdmin, "GET", RouteAdminSnapshot, nil, nil).Body
			if !bytes.Equal(snap, again) {
				t.Fatalf("snapshot changed by export, reset, restore:\nbefore %s\nafter  %s", snap, again)
			}
			if got := providerView(h, tokA); got != viewA {
				t.Fatalf("org-a's view changed:\nbefore %s\nafter  %s", viewA, got)
			}
			if got := providerView(h, tokB); got != viewB {
				t.Fatalf("org-b's view changed:\nbefore %s\nafter  %s", viewB, got)
			}
			// The restored state still obeys the rules and keeps working:
			// the pending approval completes, the password is the same, a
			// new static IP gets an address no other holds.
			if n := h.s.ApproveAll(); n != 2 {
				t.Fatalf("approved %d, want the dedicated provisioning and the upgrade", n)
			}
			var wss api.List[api.Workspace]
			h.must(200, tokA, "GET", api.RouteWorkspaces, nil, &wss)
			if !h.s.AdminPasswordIs(wss.Items[0].ID, "pw-123456") {
				t.Fatal("password hash lost")
			}
			var ip api.StaticIP
			h.must(201, tokA, "POST", path(api.RouteStaticIPs, wss.Items[0].ID), api.StaticIPInput{Purpose: "outbound"}, &ip)
			if bytes.Contains(snap, []byte(`"`+ip.Address+`"`)) {
				t.Fatalf("new address %s is already held in the restored state", ip.Address)
			}
		})
	}
}

func TestSnapshotRestoresOneOrganization(t *testing.T) {
	h := newHarness(t)
	buildEstate(h)
	viewA := providerView(h, tokA)
	snapA := h.must(200, tokAdmin, "GET", RouteAdminSnapshot+"?org=org-a", nil, nil).Body
	var doc Seed
	if err := json.Unmarshal(snapA, &doc); err != nil || len(doc.Organizations) != 1 || doc.Organizations[0].Name != "org-a" ||
		len(doc.Organizations[0].Tokens) != 1 || doc.Organizations[0].Tokens[0] != tokA {
		t.Fatalf("org snapshot %s (%v)", snapA, err)
	}
	// Change both organizations, then restore org-a only.
	h.tierWorkspace(tokA, catalog.Standard, "extra-a")
	h.tierWorkspace(tokB, catalog.Standard, "extra-b")
	viewB := providerView(h, tokB)
	h.must(200, tokAdmin, "PUT", RouteAdminSnapshot+"?org=org-a", snapA, nil)
	if got := providerView(h, tokA); got != viewA {
		t.Fatalf("org-a not restored:\nwant %s\ngot  %s", viewA, got)
	}
	if got := providerView(h, tokB); got != viewB {
		t.Fatal("restoring org-a changed org-b")
	}
	// A document for another organization is refused and changes nothing.
	p := problem(t, h.do(tokAdmin, "PUT", RouteAdminSnapshot+"?org=org-b", snapA), http.StatusUnprocessableEntity)
	if !hasFieldError(p, "organizations", "scope") {
		t.Fatalf("%+v", p)
	}
	problem(t, h.do(tokAdmin, "GET", RouteAdminSnapshot+"?org=nobody", nil), http.StatusNotFound)
}

func TestSnapshotRestoreIsAtomic(t *testing.T) {
	h := newHarness(t)
	buildEstate(h)
	snap := h.must(200, tokAdmin, "GET", RouteAdminSnapshot, nil, nil).Body
	var doc Seed
	if err := json.Unmarshal(snap, &doc); err != nil {
		t.Fatal(err)
	}
	// org-b's plan becomes invalid: the whole restore is refused, org-a untouched.
	h.tierWorkspace(tokA, catalog.Standard, "after-snap")
	viewA := providerView(h, tokA)
	doc.Organizations[1].Plans[0].VPN = true
	p := problem(t, h.do(tokAdmin, "PUT", RouteAdminSnapshot+"?scope=all", doc), http.StatusUnprocessableEntity)
	if !hasFieldError(p, "organizations[1].plans[0].vpn", "") {
		t.Fatalf("%+v", p)
	}
	if got := providerView(h, tokA); got != viewA {
		t.Fatal("a refused restore changed the store")
	}
}
