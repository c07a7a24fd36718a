package emulator

import (
	"net/http"
	"strings"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

func TestMalformedBodies(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name   string
		body   string
		status int
		detail string
		field  string
	}{
		{"syntax error", `{"tier": "standard",}`, 400, "offset", ""},
		{"truncated", `{"tier": "standard"`, 400, "malformed JSON", ""},
		{"empty", ``, 400, "empty", ""},
		{"not an object", `[1,2]`, 400, "expected a JSON object", ""},
		{"wrong type", `{"tier": 5, "region": "us-east"}`, 400, `"tier"`, "tier"},
		{"wrong nested type", `{"tier": "standard", "region": "us-east", "max_users": "lots"}`, 400, `"max_users"`, "max_users"},
		{"unknown field", `{"tier": "standard", "region": "us-east", "colour": "red"}`, 400, `unknown field "colour"`, "colour"},
		{"trailing data", `{"tier": "standard", "region": "us-east"} {}`, 400, "after the JSON object", ""},
		{"too large", `{"tier": "` + strings.Repeat("x", api.MaxBodyBytes) + `"}`, 413, "65536", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := problem(t, h.do(tokA, "POST", api.RoutePlans, tc.body), tc.status)
			if !strings.Contains(p.Detail, tc.detail) {
				t.Fatalf("detail %q does not contain %q", p.Detail, tc.detail)
			}
			if tc.field != "" && !hasFieldError(p, tc.field, "") {
				t.Fatalf("errors %+v do not name %s", p.Errors, tc.field)
			}
		})
	}
	if n := h.s.Counts("org-a")["plans"]; n != 0 {
		t.Fatalf("%d plans stored from malformed bodies", n)
	}
}

func TestNotFoundAndMethodNotAllowed(t *testing.T) {
	h := newHarness(t)
	problem(t, h.do(tokA, "GET", "/v1/nothing", nil), http.StatusNotFound)
	problem(t, h.do(tokA, "GET", "/", nil), http.StatusNotFound)
	r := h.do(tokA, "PUT", api.RoutePlans, `{}`)
	p := problem(t, r, http.StatusMethodNotAllowed)
	if allow := r.Header.Get("Allow"); allow != "GET, POST" || !strings.Contains(p.Detail, "GET, POST") {
		t.Fatalf("Allow %q detail %q", allow, p.Detail)
	}
	r = h.do(tokA, "PATCH", path(api.RouteDomain, "ws-1", "dom-1"), `{}`)
	problem(t, r, http.StatusMethodNotAllowed)
	problem(t, h.do(tokA, "GET", path(api.RouteWorkspace, "ws-missing"), nil), http.StatusNotFound)
}

// panicStore panics on every read, to exercise the recover middleware.
type panicStore struct{ store.Store }

func (panicStore) Get(kind, id string) ([]byte, bool, error) { panic("boom") }

func TestPanicAnswers500(t *testing.T) {
	h := newHarness(t)
	h.s.store.Store = panicStore{h.s.store.Store}
	p := problem(t, h.do(tokA, "GET", path(api.RoutePlan, "pln-1"), nil), http.StatusInternalServerError)
	if strings.Contains(p.Detail, "boom") {
		t.Fatalf("panic value leaked: %q", p.Detail)
	}
	// The data lock was released: another request still works.
	h.s.store.Store = h.s.store.Store.(panicStore).Store
	h.must(200, tokA, "GET", api.RoutePlans, nil, nil)
}

// Every answer carries an X-Request-Id of its own, and a problem document
// repeats it, so a user can quote it in a support ticket.
func TestRequestID(t *testing.T) {
	h := newHarness(t)
	seen := map[string]bool{}
	for _, tc := range []struct {
		tok, method, path, body string
		status                  int
	}{
		{tokA, "GET", api.RoutePlans, "", 200},
		{tokA, "POST", api.RoutePlans, `{"tier":"standard","region":"mars"}`, 422},
		{"wrong", "GET", api.RoutePlans, "", 401},
		{tokA, "GET", "/v1/nowhere", "", 404},
		{"", "GET", "/healthz", "", 200},
	} {
		r := h.do(tc.tok, tc.method, tc.path, tc.body)
		if r.Code != tc.status {
			t.Fatalf("%s %s: status %d, want %d", tc.method, tc.path, r.Code, tc.status)
		}
		id := r.Header.Get(api.RequestIDHeader)
		if !strings.HasPrefix(id, "req-") || seen[id] {
			t.Fatalf("%s %s: X-Request-Id %q is missing or not unique", tc.method, tc.path, id)
		}
		seen[id] = true
		if r.Code >= 400 {
			if p := problem(t, r, tc.status); p.RequestID != id {
				t.Fatalf("%s %s: problem request_id %q, header %q", tc.method, tc.path, p.RequestID, id)
			}
		}
	}
}
