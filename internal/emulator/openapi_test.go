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
	routes := h.s.Routes()
	if !slices.Equal(inDoc, routes) {
		t.Fatalf("OpenAPI operations and emulator routes differ:\ndoc:    %v\nroutes: %v", inDoc, routes)
	}
	if len(routes) != 28 {
		t.Fatalf("%d routes", len(routes))
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
