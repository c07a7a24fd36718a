package emulator

import (
	"net/http"
	"strings"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// fill replaces every {wildcard} of a route pattern by x.
func fill(pattern string) string {
	for strings.Contains(pattern, "{") {
		i, j := strings.Index(pattern, "{"), strings.Index(pattern, "}")
		pattern = pattern[:i] + "x" + pattern[j+1:]
	}
	return pattern
}

// Issue 18 item 1: "PUT /admin/v1/snapshot?org=" or "?orgg=beta" with one
// organization's document answered 200 and deleted every other
// organization's objects; "GET ?orgx=beta" exported everything. Every admin
// route now refuses unknown, repeated and empty parameters, and a restore
// must say what it replaces.
func TestAdminRoutesRefuseBadQueries(t *testing.T) {
	h := newHarness(t)
	buildEstate(h)
	viewB := providerView(h, tokB)
	snapA := h.must(200, tokAdmin, "GET", RouteAdminSnapshot+"?org=org-a", nil, nil).Body

	for _, c := range []struct {
		method, target, field, rule string
	}{
		{"PUT", RouteAdminSnapshot + "?org=", "org", "required"},
		{"PUT", RouteAdminSnapshot + "?orgg=org-a", "orgg", "unknown_parameter"},
		{"PUT", RouteAdminSnapshot, "scope", "required"},
		{"PUT", RouteAdminSnapshot + "?scope=", "scope", "required"},
		{"PUT", RouteAdminSnapshot + "?scope=everything", "scope", "one_of"},
		{"PUT", RouteAdminSnapshot + "?scope=all&org=org-a", "scope", "conflict"},
		{"PUT", RouteAdminSnapshot + "?org=org-a&org=org-b", "org", "repeated"},
		{"PUT", RouteAdminSnapshot + "?org=%20org-a", "org", "format"},
		{"PUT", RouteAdminSnapshot + "?org=org-a&%zz", "query", "format"},
		{"GET", RouteAdminSnapshot + "?orgx=org-b", "orgx", "unknown_parameter"},
		{"GET", RouteAdminSnapshot + "?org=", "org", "required"},
		{"POST", api.RouteAdminApproveAll + "?org=", "org", "required"},
		{"GET", RouteAdminRequests + "?org=", "org", "required"},
		{"POST", RouteAdminSeed + "?org=org-a", "org", "unknown_parameter"},
		{"POST", api.RouteAdminReset + "?force=1", "force", "unknown_parameter"},
	} {
		p := problem(t, h.do(tokAdmin, c.method, c.target, snapA), http.StatusBadRequest)
		if !hasFieldError(p, c.field, c.rule) {
			t.Errorf("%s %s: want %s/%s in %+v", c.method, c.target, c.field, c.rule, p.Errors)
		}
	}
	if got := providerView(h, tokB); got != viewB {
		t.Fatal("a refused restore changed org-b")
	}

	// Every admin route, whatever it accepts, refuses a made-up parameter
	// before doing anything (POST /admin/v1/reset would wipe the store).
	for _, rt := range h.s.adminRoutes() {
		target := fill(rt.pattern) + "?made-up=1"
		p := problem(t, h.do(tokAdmin, rt.method, target, nil), http.StatusBadRequest)
		if !hasFieldError(p, "made-up", "unknown_parameter") {
			t.Errorf("%s %s: %+v", rt.method, target, p.Errors)
		}
	}
	if got := providerView(h, tokB); got != viewB {
		t.Fatal("a refused admin request changed org-b")
	}
	// The explicit forms work.
	h.must(200, tokAdmin, "GET", RouteAdminSnapshot+"?scope=all", nil, nil)
	h.must(200, tokAdmin, "PUT", RouteAdminSnapshot+"?org=org-a", snapA, nil)
	if got := providerView(h, tokB); got != viewB {
		t.Fatal("restoring org-a changed org-b")
	}
}

// The Go API cannot fall back to a whole-store restore either.
func TestRestoreSnapshotNeedsAnOrganization(t *testing.T) {
	h := newHarness(t)
	buildEstate(h)
	viewB := providerView(h, tokB)
	doc, err := h.s.Snapshot("org-a")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.s.RestoreSnapshot(doc, ""); err == nil || !strings.Contains(err.Error(), "RestoreAll") {
		t.Fatalf("RestoreSnapshot(doc, \"\"): %v", err)
	}
	if got := providerView(h, tokB); got != viewB {
		t.Fatal("org-b changed")
	}
	if err := h.s.RestoreSnapshot(doc, "org-a"); err != nil {
		t.Fatal(err)
	}
	all, err := h.s.Snapshot("")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.s.RestoreAll(all); err != nil {
		t.Fatal(err)
	}
	if got := providerView(h, tokB); got != viewB {
		t.Fatal("org-b changed by restoring everything as it was")
	}
}

// Issue 18 item 6: "/v1/plans?pagesize=2" answered the default page. Every
// /v1 route refuses a parameter it does not take, naming it; lists take
// page_size and cursor only.
func TestV1RoutesRefuseUnknownQueryParameters(t *testing.T) {
	h := newHarness(t)
	_, ws := h.tierWorkspace(tokA, catalog.Dedicated, "query-ws")
	lists := 0
	for _, rt := range h.s.v1Routes() {
		target := strings.ReplaceAll(rt.pattern, "{workspace_id}", ws.ID)
		target = fill(target) + "?pagesize=2"
		p := problem(t, h.do(tokA, rt.method, target, nil), http.StatusBadRequest)
		if !hasFieldError(p, "pagesize", "unknown_parameter") {
			t.Errorf("%s %s: %+v", rt.method, target, p.Errors)
		}
		if len(QueryParams(rt.method+" "+rt.pattern)) > 0 {
			lists++
			if !strings.Contains(p.Detail, "allowed: page_size, cursor") {
				t.Errorf("%s: the answer does not say what is allowed: %s", target, p.Detail)
			}
		}
	}
	if lists != 5 {
		t.Errorf("%d routes take query parameters, want the 5 lists", lists)
	}
	for _, bad := range []string{"page_size=", "page_size=2&page_size=3", "cursor=", "page_size=2&%"} {
		problem(t, h.do(tokA, "GET", api.RoutePlans+"?"+bad, nil), http.StatusBadRequest)
	}
	var l api.List[api.Plan]
	h.must(200, tokA, "GET", api.RoutePlans+"?page_size=1", nil, &l)
	if len(l.Items) != 1 {
		t.Fatalf("%d items", len(l.Items))
	}
}
