package emulator

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
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
	if len(routes) != 25 {
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
	if doc.Components.SecuritySchemes["bearerAuth"] == nil {
		t.Fatal("no bearer auth scheme")
	}
	// Served unauthenticated.
	r := h.do("", "GET", "/openapi.yaml", nil)
	if r.Code != 200 || !strings.HasPrefix(string(r.Body), "#") {
		t.Fatalf("%d", r.Code)
	}
}
