package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// countingStore counts the records read from a Store.
type countingStore struct {
	store.Store
	n *atomic.Int64
}

func (c countingStore) Get(kind, id string) ([]byte, bool, error) {
	v, ok, err := c.Store.Get(kind, id)
	if ok {
		c.n.Add(1)
	}
	return v, ok, err
}

func (c countingStore) List(kind string) ([][]byte, error) {
	v, err := c.Store.List(kind)
	c.n.Add(int64(len(v)))
	return v, err
}

func (c countingStore) ListAll(kinds []string) (map[string][][]byte, error) {
	v, err := c.Store.ListAll(kinds)
	for _, vals := range v {
		c.n.Add(int64(len(vals)))
	}
	return v, err
}

// countReads makes the server's store count every record read; the
// returned function reports the records read plus decoded (a seed's scratch
// server counts its decodes for the server) since the last call.
func countReads(h *harness) func() int64 {
	var n atomic.Int64
	h.s.store.Store = countingStore{Store: h.s.store.Store, n: &n}
	last := int64(0)
	return func() int64 {
		now := n.Load() + h.s.store.Decoded.Load()
		d := now - last
		last = now
		return d
	}
}

// Issue 18 item 3: with another organization at 100,000 objects, a seed of a
// tiny organization, and the restore of an empty one, took ~4 s each: the
// seed copied and compared the whole store. Now a seed, a one-organization
// export and a one-organization restore read what that organization holds:
// with org-b at 4,000 objects each reads a few dozen records (a scan reads
// thousands), and the values other organizations hold stay unique.
func TestSeedAndRestoreCostWhatTheOrganizationHolds(t *testing.T) {
	h := newHarness(t)
	populateOrg(t, h.s, "org-b", 4000)
	_, wsA := h.tierWorkspace(tokA, catalog.Dedicated, "a-ws")
	var ipA api.StaticIP
	h.must(201, tokA, "POST", path(api.RouteStaticIPs, wsA.ID), api.StaticIPInput{Purpose: "outbound"}, &ipA)
	reads := countReads(h)
	const most = 60
	check := func(what string) {
		t.Helper()
		if n := reads(); n > most {
			t.Errorf("%s read %d records with org-b at 4,000 objects; want at most %d", what, n, most)
		}
	}
	tiny := `{"organizations":[{"name":"tiny","tokens":["tiny-token"],
	  "plans":[{"key":"p","tier":"dedicated","region":"us-east"}],
	  "workspaces":[{"key":"w","id":"ws-tiny","name":"Tiny","subdomain":"tiny-ws","plan":"p",
	    "domains":[{"hostname":"chat.tiny.example"}],
	    "firewall_rules":[{"cidr":"10.0.0.0/8","action":"allow","protocol":"tcp","priority":1}],
	    "static_ips":[{"purpose":"outbound"}]}]}]}`
	h.must(201, tokAdmin, "POST", RouteAdminSeed, tiny, nil)
	check("POST /admin/v1/seed of a tiny organization")
	snap := h.must(200, tokAdmin, "GET", RouteAdminSnapshot+"?org=tiny", nil, nil).Body
	check("GET /admin/v1/snapshot?org=tiny")
	h.must(200, tokAdmin, "PUT", RouteAdminSnapshot+"?org=tiny", snap, nil)
	check("PUT /admin/v1/snapshot?org=tiny")
	h.must(200, tokAdmin, "PUT", RouteAdminSnapshot+"?org=empty", `{"organizations":[{"name":"empty","tokens":["empty-token"]}]}`, nil)
	check("PUT /admin/v1/snapshot?org=empty")
	h.must(200, "tiny-token", "GET", path(api.RouteWorkspace, "ws-tiny"), nil, nil)

	// The other organizations' unique values and IDs still count, read
	// through the index: a subdomain and a hostname of org-b, an address
	// and a workspace ID of org-a.
	for _, c := range []struct{ doc, field string }{
		{`{"organizations":[{"name":"tiny","plans":[{"key":"q","tier":"standard","region":"us-east"}],"workspaces":[{"name":"X","subdomain":"org-b-7","plan":"q"}]}]}`,
			"organizations[0].workspaces[0].subdomain"},
		{`{"organizations":[{"name":"tiny","workspaces":[{"name":"X","subdomain":"tiny-two","plan_id":"` + "pln-none" + `"}]}]}`,
			"organizations[0].workspaces[0].plan_id"},
		{`{"organizations":[{"name":"tiny","plans":[{"key":"q","tier":"dedicated","region":"us-east"}],"workspaces":[{"name":"X","subdomain":"tiny-three","plan":"q","domains":[{"hostname":"chat7.org-b.example"}]}]}]}`,
			"organizations[0].workspaces[0].domains[0].hostname"},
		{`{"organizations":[{"name":"tiny","plans":[{"key":"q","tier":"dedicated","region":"us-east"}],"workspaces":[{"name":"X","subdomain":"tiny-four","plan":"q","static_ips":[{"purpose":"outbound","address":"` + ipA.Address + `"}]}]}]}`,
			"organizations[0].workspaces[0].static_ips[0].address"},
		{`{"organizations":[{"name":"tiny","plans":[{"key":"q","tier":"standard","region":"us-east"}],"workspaces":[{"id":"` + wsA.ID + `","name":"X","subdomain":"tiny-five","plan":"q"}]}]}`,
			"organizations[0].workspaces[0].id"},
	} {
		r := h.do(tokAdmin, "POST", RouteAdminSeed, c.doc)
		if r.Code < 400 {
			t.Fatalf("%s: accepted %s", c.field, r.Body)
		}
		p := problem(t, r, r.Code)
		if !hasFieldError(p, c.field, "") {
			t.Errorf("want an error on %s: %+v", c.field, p.Errors)
		}
		check("a refused seed")
	}
	// Restoring org-b (one organization) frees its own values for its
	// document: a restore of org-b as it is changes nothing.
	before := h.s.Counts("org-b")
	docB, err := h.s.Snapshot("org-b")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.s.RestoreSnapshot(docB, "org-b"); err != nil {
		t.Fatal(err)
	}
	if got := h.s.Counts("org-b"); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Fatalf("org-b %v after restoring itself, was %v", got, before)
	}
}

// Issue 18 item 4: a seed of 4,000 static IPs with explicit addresses took
// 28 s, each address checked by a scan of every static IP. Now each is one
// index lookup: the records a seed (and the restore of its snapshot) reads
// grow with the addresses, not with their square.
func TestSeedAddressesUseTheIndex(t *testing.T) {
	h := newHarness(t)
	const wss, perWS = 25, 16 // 400 addresses, the dedicated tier's quota each
	doc := &Seed{Organizations: []SeedOrganization{{Name: "ips"}}}
	o := &doc.Organizations[0]
	for i := range wss {
		key := fmt.Sprintf("p%d", i)
		o.Plans = append(o.Plans, SeedPlan{Key: key, PlanInput: api.PlanInput{Tier: "dedicated", Region: catalog.DefaultRegion}})
		w := SeedWorkspace{Name: "IPs", Subdomain: fmt.Sprintf("ips-%d", i), Plan: key}
		for j := range perWS {
			w.StaticIPs = append(w.StaticIPs, SeedStaticIP{StaticIPInput: api.StaticIPInput{Purpose: "outbound"},
				Address: fmt.Sprintf("198.19.%d.%d", 10+i, 1+j)})
		}
		o.Workspaces = append(o.Workspaces, w)
	}
	reads := countReads(h)
	const n = wss * perWS
	if _, err := h.s.Seed(doc); err != nil {
		t.Fatal(err)
	}
	if got := reads(); got > 12*n {
		t.Errorf("a seed of %d addressed static IPs read %d records; want at most %d (linear)", n, got, 12*n)
	}
	snap, err := h.s.Snapshot("")
	if err != nil {
		t.Fatal(err)
	}
	reads()
	if err := h.s.RestoreAll(snap); err != nil {
		t.Fatal(err)
	}
	if got := reads(); got > 12*n {
		t.Errorf("restoring the snapshot of %d addressed static IPs read %d records; want at most %d (linear)", n, got, 12*n)
	}
	again, err := h.s.Snapshot("")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(snap)
	b, _ := json.Marshal(again)
	if string(a) != string(b) {
		t.Fatal("the restored store differs from its snapshot")
	}
}

// Issue 18 item 5: a restore that removed a workspace left its exports
// behind, and a later restore of the same ID brought them back; a seed
// accepted a pool's network and broadcast addresses.
func TestRestoreRemovesExportsAndSeedRefusesNonHostAddresses(t *testing.T) {
	for _, scope := range []string{"?org=org-a", "?scope=all"} {
		t.Run(scope, func(t *testing.T) {
			h := newHarness(t)
			_, ws := h.tierWorkspace(tokA, catalog.Premium, "export-ws")
			_, keep := h.tierWorkspace(tokA, catalog.Premium, "kept-ws")
			var gone, kept api.Export
			h.must(202, tokA, "POST", path(api.RouteExports, ws.ID), `{}`, &gone)
			h.must(202, tokA, "POST", path(api.RouteExports, keep.ID), `{}`, &kept)
			with := h.must(200, tokAdmin, "GET", RouteAdminSnapshot+"?org=org-a", nil, nil).Body
			var doc Seed
			if err := json.Unmarshal(with, &doc); err != nil {
				t.Fatal(err)
			}
			o := &doc.Organizations[0]
			o.Workspaces = slices.DeleteFunc(o.Workspaces, func(w SeedWorkspace) bool { return w.ID == ws.ID }) // export-ws goes
			h.must(200, tokAdmin, "PUT", RouteAdminSnapshot+scope, doc, nil)
			if _, ok, _ := h.s.store.Get(store.KindExports, gone.ID); ok {
				t.Fatal("the removed workspace's export is still stored")
			}
			h.must(200, tokA, "GET", path(api.RouteExport, keep.ID, kept.ID), nil, nil)
			// The workspace comes back under the same ID: without its export.
			h.must(200, tokAdmin, "PUT", RouteAdminSnapshot+"?org=org-a", with, nil)
			problem(t, h.do(tokA, "GET", path(api.RouteExport, ws.ID, gone.ID), nil), http.StatusNotFound)
			h.must(200, tokA, "GET", path(api.RouteExport, keep.ID, kept.ID), nil, nil)
		})
	}

	h := newHarness(t)
	for tier, addrs := range map[string][]string{
		"premium":   {"198.18.0.0", "198.18.255.255", "198.19.0.5", "10.0.0.1", "::ffff:198.18.0.9"},
		"dedicated": {"198.19.0.0", "198.19.255.255", "198.18.0.5"},
	} {
		for _, addr := range addrs {
			doc := &Seed{Organizations: []SeedOrganization{{Name: "org-a",
				Plans: []SeedPlan{{Key: "p", PlanInput: api.PlanInput{Tier: tier, Region: catalog.DefaultRegion}}},
				Workspaces: []SeedWorkspace{{Name: "X", Subdomain: "addr-ws", Plan: "p",
					StaticIPs: []SeedStaticIP{{StaticIPInput: api.StaticIPInput{Purpose: "outbound"}, Address: addr}}}}}}}
			_, err := h.s.Seed(doc)
			se, ok := err.(*SeedError)
			if !ok || !hasFieldError(api.Problem{Errors: se.Errors}, "organizations[0].workspaces[0].static_ips[0].address", "pool") {
				t.Errorf("%s address %s: %v", tier, addr, err)
			}
		}
	}
	if h.s.Counts("org-a")[store.KindStaticIPs] != 0 {
		t.Fatal("a refused seed stored a static IP")
	}
}

// A whole-store export takes no data lock: it completes while a writer
// holds the lock (before, it waited behind every write, and every tenant's
// request waited behind it).
func TestWholeSnapshotTakesNoDataLock(t *testing.T) {
	h := newHarness(t)
	buildEstate(h)
	done := make(chan int, 1)
	h.s.mu.Lock()
	go func() {
		r := httpDo(h.s, tokAdmin, "GET", RouteAdminSnapshot+"?scope=all")
		done <- r
	}()
	select {
	case code := <-done:
		h.s.mu.Unlock()
		if code != 200 {
			t.Fatalf("status %d", code)
		}
	case <-time.After(20 * time.Second):
		h.s.mu.Unlock()
		<-done
		t.Fatal("the whole-store export waited for the data lock")
	}
}

// httpDo serves one request without a test handle (safe in a goroutine).
func httpDo(h http.Handler, tok, method, target string) int {
	req := httptest.NewRequest(method, target, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}
