package emulator

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

func TestOpenAPIDocumentMatchesRoutes(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPIDocument())
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	var inDoc []string
	for p, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			inDoc = append(inDoc, strings.ToUpper(method)+" "+p)
			if op.Responses.Default() == nil {
				t.Errorf("%s %s: no default problem answer", method, p)
			}
		}
	}
	slices.Sort(inDoc)
	h := newHarness(t)
	// Every route is documented: /v1, the admin API and the health routes.
	routes := h.s.Routes()
	if len(routes) != 30 {
		t.Fatalf("%d /v1 routes", len(routes))
	}
	for _, rt := range h.s.adminRoutes() {
		routes = append(routes, rt.method+" "+rt.pattern)
	}
	routes = append(routes, "GET /healthz", "GET /readyz", "GET /openapi.yaml")
	slices.Sort(routes)
	if !slices.Equal(inDoc, routes) {
		t.Fatalf("OpenAPI operations and emulator routes differ:\ndoc:    %v\nroutes: %v", inDoc, routes)
	}
	// Every operation that takes a body documents the 415 of other media types.
	for p, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.RequestBody != nil && op.Responses.Value("415") == nil {
				t.Errorf("%s %s: a request body without a 415 answer", method, p)
			}
		}
	}
	checkListOperations(t, h, doc)
	checkQueryParameters(t, doc)
	if doc.Components.SecuritySchemes["bearerAuth"] == nil {
		t.Fatal("no bearer auth scheme")
	}
	// Served unauthenticated.
	r := h.do("", "GET", "/openapi.yaml", nil)
	if r.Code != 200 || !strings.HasPrefix(string(r.Body), "#") {
		t.Fatalf("%d", r.Code)
	}
}

// checkListOperations: every list operation (a 200 answer with items)
// documents page_size (integer, 1..api.MaxPageSize, default
// api.DefaultPageSize), cursor, a 400 and next_cursor; and the route does
// refuse a bad page_size and cursor with a 400 naming it.
func checkListOperations(t *testing.T, h *harness, doc *openapi3.T) {
	t.Helper()
	lists := 0
	for p, item := range doc.Paths.Map() {
		op := item.Get
		if op == nil || !strings.HasPrefix(p, "/v1/") {
			continue // the admin API's lists (the request log) are not paginated
		}
		ok := op.Responses.Status(200)
		if ok == nil || ok.Value.Content.Get("application/json") == nil {
			continue
		}
		schema := ok.Value.Content.Get("application/json").Schema.Value
		if schema.Properties["items"] == nil {
			continue
		}
		lists++
		if nc := schema.Properties["next_cursor"]; nc == nil || !nc.Value.Type.Is("string") {
			t.Errorf("GET %s: no next_cursor string in the answer", p)
		}
		maxPage := api.MaxPageSize
		if p == api.RouteFirewallRules {
			maxPage = api.MaxFirewallRulesPageSize // a whole rule set in one page
		}
		size := op.Parameters.GetByInAndName("query", api.QueryPageSize)
		if size == nil || !size.Schema.Value.Type.Is("integer") || size.Schema.Value.Min == nil || *size.Schema.Value.Min != 1 ||
			size.Schema.Value.Max == nil || *size.Schema.Value.Max != float64(maxPage) || size.Schema.Value.Default != float64(api.DefaultPageSize) {
			t.Errorf("GET %s: page_size not documented as an integer 1..%d, default %d", p, maxPage, api.DefaultPageSize)
		}
		if c := op.Parameters.GetByInAndName("query", api.QueryCursor); c == nil || !c.Schema.Value.Type.Is("string") {
			t.Errorf("GET %s: cursor not documented", p)
		}
		if op.Responses.Status(400) == nil {
			t.Errorf("GET %s: no 400 answer", p)
		}
		// The route behaves as documented (a workspace ID that does not
		// exist is fine: the query is checked first or the 404 comes first,
		// so use a real workspace).
		route := strings.ReplaceAll(p, "{workspace_id}", h.listWorkspaceID())
		for _, bad := range []struct{ query, field string }{
			{"page_size=0", api.QueryPageSize}, {"page_size=" + strconv.Itoa(maxPage+1), api.QueryPageSize}, {"page_size=ten", api.QueryPageSize},
			{"cursor=not-a-cursor", api.QueryCursor},
		} {
			pr := problem(t, h.do(tokA, "GET", route+"?"+bad.query, nil), 400)
			if !hasFieldError(pr, bad.field, "") {
				t.Errorf("GET %s?%s: %+v", route, bad.query, pr)
			}
		}
	}
	if lists != 5 {
		t.Errorf("%d list operations, want 5", lists)
	}
}

// listWorkspaceID is a workspace of org A (created once per harness).
func (h *harness) listWorkspaceID() string {
	h.t.Helper()
	var l api.List[api.Workspace]
	h.must(200, tokA, "GET", api.RouteWorkspaces, nil, &l)
	if len(l.Items) > 0 {
		return l.Items[0].ID
	}
	_, ws := h.tierWorkspace(tokA, catalog.Dedicated, "openapi-lists")
	return ws.ID
}

// checkQueryParameters: every operation documents exactly the query
// parameters its route accepts (routeQuery, enforced by checkQuery before
// any handler), and the 400 with which it refuses any other.
func checkQueryParameters(t *testing.T, doc *openapi3.T) {
	t.Helper()
	for p, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			route := strings.ToUpper(method) + " " + p
			var documented []string
			for _, ref := range append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...) {
				if ref.Value != nil && ref.Value.In == "query" {
					documented = append(documented, ref.Value.Name)
				}
			}
			slices.Sort(documented)
			if want := QueryParams(route); !slices.Equal(documented, want) {
				t.Errorf("%s: documents query parameters %v; the route accepts %v", route, documented, want)
			}
			if strings.HasPrefix(p, "/v1/") || strings.HasPrefix(p, "/admin/") {
				if op.Responses.Status(400) == nil {
					t.Errorf("%s: no 400 answer (unknown, repeated, empty or malformed query parameters)", route)
				}
			}
		}
	}
}
