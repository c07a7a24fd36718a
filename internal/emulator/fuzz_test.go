package emulator

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// The fuzz targets POST arbitrary bytes to the create handlers. Whatever the
// body (and Idempotency-Key), the emulator never panics and never answers
// 5xx: a 2xx carries a JSON object, a 4xx is a complete problem+json whose
// status matches. The seed corpora (testdata/fuzz/<Name>/) run as ordinary
// tests; `make fuzz` explores further.

// checkAnswer enforces the contract above on one answer.
func checkAnswer(t *testing.T, r *resp) {
	t.Helper()
	switch {
	case r.Code >= 200 && r.Code < 300:
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Fatalf("%d with Content-Type %q: %s", r.Code, ct, r.Body)
		}
		var obj map[string]any
		if err := json.Unmarshal(r.Body, &obj); err != nil {
			t.Fatalf("%d with a body that is not a JSON object: %v: %s", r.Code, err, r.Body)
		}
	case r.Code >= 400 && r.Code < 500:
		problem(t, r, r.Code)
	default:
		t.Fatalf("status %d (want 2xx or 4xx): %s", r.Code, r.Body)
	}
}

// fuzzHarness is one emulator per fuzz target (t is the fuzz target's F).
func fuzzHarness(f *testing.F) *harness {
	h := newHarness(f, func(c *Config) { c.DomainVerifyDelay = 0 })
	return h
}

// in is the harness seen from inside the fuzz function: F's methods may
// not be called there.
func (h *harness) in(t *testing.T) *harness { return &harness{t: t, s: h.s, clock: h.clock} }

// expand replaces $PLAN and $WS in a body with real IDs, so that seeds (and
// their mutations) reach the handlers' rules, not only "unknown plan".
func expand(body []byte, planID, wsID string) []byte {
	s := strings.ReplaceAll(string(body), "$PLAN", planID)
	return []byte(strings.ReplaceAll(s, "$WS", wsID))
}

func FuzzPlanInput(f *testing.F) {
	for _, seed := range []struct{ body, key string }{
		{`{"tier":"standard","region":"us-east"}`, ""},
		{`{"tier":"premium","region":"eu-west","ip_isolation":true,"api_rate_limit":600,"max_users":3000}`, "k-1"},
		{`{"tier":"dedicated","region":"sa-east","vpn":true,"version_freeze":"7.10","major_upgrade_postponement_days":30}`, "0b8f7c3e-1d2a-4c5b-9e8f-7a6b5c4d3e2f"},
		{`{"tier":"standard","region":"us-east","vpn":true,"max_users":-1,"version_freeze":"6.0"}`, ""},
		{`{"tier":"gold","region":"mars"}`, "bad key with spaces"},
		{`{"tier":"standard","region":"us-east","colour":"red"}`, ""},
		{`{"tier":5}`, ""},
		{`{"max_users":1e400}`, ""},
		{`{"max_users":9223372036854775808}`, ""},
		{`{"tier":"standard","region":"us-east"} {}`, ""},
		{`[1,2]`, ""},
		{`null`, ""},
		{``, ""},
		{"{\"tier\":\"\xff\xfe\",\"region\":\"us-east\"}", ""},
		{`{"tier":"standard","tier":"premium","region":"us-east"}`, ""},
		{`{"tier":"standard","region":"us-east"}]`, ""},
		{`{"TIER":"standard","Region":"us-east"}`, ""},
		{`{"tier":"standard","region":"us-east","version_freeze":"\ud800"}`, ""},
	} {
		f.Add([]byte(seed.body), seed.key)
	}
	h := fuzzHarness(f)
	f.Fuzz(func(t *testing.T, body []byte, key string) {
		var hdr []string
		if key != "" {
			hdr = []string{api.IdempotencyKeyHeader, key}
		}
		checkAnswer(t, h.in(t).do(tokA, "POST", api.RoutePlans, body, hdr...))
	})
}

func FuzzCreateWorkspace(f *testing.F) {
	for _, seed := range []string{
		`{"name":"Acme","subdomain":"acme-fuzz","plan_id":"$PLAN"}`,
		`{"name":"Acme","subdomain":"acme-fuzz-2","plan_id":"$PLAN","admin_password":"s3cret"}`,
		`{"name":"","subdomain":"A","plan_id":""}`,
		`{"name":"x","subdomain":"ok-sub","plan_id":"pln-does-not-exist"}`,
		`{"name":"\u0000","subdomain":"-bad-","plan_id":"$PLAN"}`,
		`{"name":"x","subdomain":"ok-sub","plan_id":"$PLAN","tier":"dedicated"}`,
		`{"name":["x"],"subdomain":"ok","plan_id":"$PLAN"}`,
		`{"name":"x","subdomain":"ok-sub","plan_id":"../../v1/plans"}`,
		`{`,
	} {
		f.Add([]byte(seed))
	}
	h := fuzzHarness(f)
	// Several plans, so that more than one workspace can be created.
	var plans []string
	for i := 0; i < 3; i++ {
		plans = append(plans, h.plan(tokA, api.PlanInput{Tier: "standard", Region: catalog.DefaultRegion}).ID)
	}
	n := 0
	f.Fuzz(func(t *testing.T, body []byte) {
		n++
		checkAnswer(t, h.in(t).do(tokA, "POST", api.RouteWorkspaces, expand(body, plans[n%len(plans)], "")))
	})
}

func FuzzCreateFirewallRule(f *testing.F) {
	for _, seed := range []string{
		`{"cidr":"10.0.0.0/8","action":"allow","protocol":"tcp","port_range":"443","priority":10}`,
		`{"cidr":"2001:db8::/32","action":"deny","protocol":"udp","port_range":"8000-8100","priority":20,"description":"v6"}`,
		`{"cidr":"10.0.0.1/8","action":"allow","protocol":"tcp","priority":30}`,
		`{"cidr":"10.0.0.0/33","action":"maybe","protocol":"sctp","port_range":"0-70000","priority":0}`,
		`{"cidr":"0.0.0.0/0","action":"deny","protocol":"icmp","port_range":"22","priority":10001}`,
		`{"cidr":"10.0.0.0/8","action":"allow","protocol":"any","priority":10}`,
		`{"cidr":"10.0.0.0/8","action":"allow","protocol":"tcp","port_range":"65535-1","priority":40}`,
		`{"cidr":"10.0.0.0/8","action":"allow","protocol":"tcp","port_range":"+443","priority":50}`,
		`{"cidr":"10.0.0.0/8","action":"allow","protocol":"tcp","priority":9223372036854775807}`,
		`{"cidr":null,"action":null,"protocol":null,"priority":null}`,
		`{"workspace_id":"$WS"}`,
	} {
		f.Add([]byte(seed))
	}
	h := fuzzHarness(f)
	_, ws := h.tierWorkspace(tokA, catalog.Premium, "fuzz-firewall")
	route := path(api.RouteFirewallRules, ws.ID)
	f.Fuzz(func(t *testing.T, body []byte) {
		checkAnswer(t, h.in(t).do(tokA, "POST", route, expand(body, "", ws.ID)))
	})
}

// FuzzPatchFirewallRule covers the update path of the same decoder and rules.
func FuzzPatchFirewallRule(f *testing.F) {
	for _, seed := range []string{
		`{"cidr":"192.168.0.0/16","action":"deny","protocol":"tcp","port_range":"22","priority":5}`,
		`{"cidr":"192.168.0.1/16","action":"deny","protocol":"tcp","priority":5}`,
		`{"priority":-1}`,
		`{}`,
	} {
		f.Add([]byte(seed))
	}
	h := fuzzHarness(f)
	_, ws := h.tierWorkspace(tokA, catalog.Premium, "fuzz-patch")
	var rule api.FirewallRule
	h.must(http.StatusCreated, tokA, "POST", path(api.RouteFirewallRules, ws.ID),
		api.FirewallRuleInput{CIDR: "10.0.0.0/8", Action: "allow", Protocol: "tcp", PortRange: "443", Priority: 1}, &rule)
	route := path(api.RouteFirewallRule, ws.ID, rule.ID)
	f.Fuzz(func(t *testing.T, body []byte) {
		checkAnswer(t, h.in(t).do(tokA, "PATCH", route, body))
	})
}

// FuzzStrictJSON checks the token pass against encoding/json: whatever it
// accepts is one valid JSON object in valid UTF-8 that decodes; it never
// panics, however deep or long the input.
func FuzzStrictJSON(f *testing.F) {
	for _, seed := range []string{
		`{"a":1}`, `{"a":1}]`, `{"a":1}}`, `{"a":{"b":[1,2,{"c":null}]}}`, `{"a":1,"a":2}`, `{"A":1}`,
		"{\"a\":\"\xff\"}", `{"a":"\ud800"}`, `{"a":"\ufffd"}`, `[]`, `null`, `{`, ``, `{"a":` + strings.Repeat("[", 40),
		`{"tier":"standard","TIER":"premium"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, typ := range []reflect.Type{nil, reflect.TypeFor[api.PlanInput](), reflect.TypeFor[map[string]provisioningJSON]()} {
			if checkJSON(body, typ) != nil {
				continue
			}
			if !utf8.Valid(body) || !json.Valid(body) {
				t.Fatalf("accepted invalid JSON or UTF-8: %q", body)
			}
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(body, &obj); err != nil {
				t.Fatalf("accepted a body that is not one object: %q: %v", body, err)
			}
			if typ != nil {
				for k := range obj {
					if _, ok := structFieldsOrKeys(typ)[k]; !ok && typ.Kind() == reflect.Struct {
						t.Fatalf("accepted unknown key %q for %s", k, typ)
					}
				}
			}
		}
	})
}

func structFieldsOrKeys(t reflect.Type) map[string]reflect.Type {
	if t.Kind() == reflect.Struct {
		return structFields(t)
	}
	return nil
}

// FuzzAdminTokenBody: the route takes no fields, so only an empty body or an
// empty object may mint a token; anything else is a 4xx problem.
func FuzzAdminTokenBody(f *testing.F) {
	for _, seed := range []string{``, `{}`, ` { } `, `garbage`, `1e38`, `{"ttl":1}`, `[]`, "\xff", `{}]`, strings.Repeat("[", 100)} {
		f.Add([]byte(seed))
	}
	h := fuzzHarness(f)
	_, ws := h.tierWorkspace(tokA, catalog.Premium, "fuzz-tokens")
	route := path(api.RouteAdminTokens, ws.ID)
	f.Fuzz(func(t *testing.T, body []byte) {
		r := h.in(t).do(tokA, "POST", route, body)
		checkAnswer(t, r)
		if r.Code < 300 {
			var obj map[string]any
			if !blank(body) && (json.Unmarshal(body, &obj) != nil || len(obj) != 0) {
				t.Fatalf("%d for body %q", r.Code, body)
			}
		}
	})
}
