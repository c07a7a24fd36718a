package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

func TestAuth(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name       string
		path       string
		authHeader string
		status     int
		detail     string
	}{
		{"v1 no header", api.RoutePlans, "", 401, "missing bearer token"},
		{"v1 basic auth", api.RoutePlans, "Basic dXNlcjpwdw==", 401, "missing bearer token"},
		{"v1 empty bearer", api.RoutePlans, "Bearer ", 401, "missing bearer token"},
		{"v1 unknown token", api.RoutePlans, "Bearer nope", 401, "unknown API token"},
		{"v1 admin token", api.RoutePlans, "Bearer " + tokAdmin, 403, "admin token"},
		{"v1 good token", api.RoutePlans, "Bearer " + tokA, 200, ""},
		{"v1 lowercase scheme", api.RoutePlans, "bearer " + tokA, 200, ""},
		{"admin no header", api.RouteAdminStats, "", 401, "missing bearer token"},
		{"admin unknown token", api.RouteAdminStats, "Bearer nope", 401, "unknown admin token"},
		{"admin with API token", api.RouteAdminStats, "Bearer " + tokA, 403, "API token cannot use the admin API"},
		{"admin good", api.RouteAdminStats, "Bearer " + tokAdmin, 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tc.path, nil)
			if tc.authHeader != "" {
				req.Header.Set("Authorization", tc.authHeader)
			}
			rec := httptest.NewRecorder()
			h.s.ServeHTTP(rec, req)
			r := &resp{Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
			if tc.status == 200 {
				if r.Code != 200 {
					t.Fatalf("got %s", r)
				}
				return
			}
			p := problem(t, r, tc.status)
			if !strings.Contains(p.Detail, tc.detail) {
				t.Fatalf("detail %q does not contain %q", p.Detail, tc.detail)
			}
			if tc.status == 401 && r.Header.Get("WWW-Authenticate") == "" {
				t.Fatal("401 without WWW-Authenticate")
			}
		})
	}
}

func TestAdminDisabled(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.AdminToken = "" })
	problem(t, h.do(tokA, "GET", api.RouteAdminStats, nil), http.StatusNotFound)
	problem(t, h.do("", "POST", api.RouteAdminApproveAll, nil), http.StatusNotFound)
}

func TestNewRejectsBadConfig(t *testing.T) {
	for name, cfg := range map[string]Config{
		"empty org":            {Tokens: map[string]string{"t": ""}},
		"admin equals API":     {Tokens: map[string]string{"t": "o"}, AdminToken: "t"},
		"unknown tier":         {Provisioning: map[catalog.Tier]ProvisioningConfig{"gold": {Mode: catalog.ProvisionImmediate}}},
		"unknown mode":         {Provisioning: map[catalog.Tier]ProvisioningConfig{catalog.Standard: {Mode: "sometimes"}}},
		"error rate above one": {Faults: FaultConfig{ErrorRate: 2}},
		"negative latency":     {Faults: FaultConfig{Latency: -1}},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted the config", name)
		}
	}
}

// A token the server's trimming could never match is refused up front.
func TestNewRejectsTokensThatCannotAuthenticate(t *testing.T) {
	for name, cfg := range map[string]Config{
		"padded token":       {Tokens: map[string]string{" padded ": "acme"}},
		"inner space":        {Tokens: map[string]string{"a b": "acme"}},
		"control character":  {Tokens: map[string]string{"tok\x01": "acme"}},
		"padded org":         {Tokens: map[string]string{"tok": " acme"}},
		"empty org":          {Tokens: map[string]string{"tok": ""}},
		"padded admin token": {Tokens: map[string]string{"tok": "acme"}, AdminToken: "admin\t"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	if err := ValidateToken("acc-token_1.~+/="); err != nil {
		t.Fatal(err)
	}
}
