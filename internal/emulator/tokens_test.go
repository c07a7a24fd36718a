package emulator

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// Issue 18 item 2: with -allow-remote the start refused "-token ci=dev-token"
// but a seed file, POST /admin/v1/seed and PUT /admin/v1/snapshot accepted
// it (and dev-token then got 200 on a non-loopback listener); seeds also
// accepted tokens that can never match. Every path that adds a token now
// goes through CheckToken, the check of the -token flag.
func TestEveryTokenPathGoesThroughTheFlagCheck(t *testing.T) {
	if _, err := New(Config{Remote: true, Tokens: map[string]string{DefaultToken: "ci"}}); err == nil {
		t.Error("Config.Tokens: a well-known token accepted on a remote emulator")
	}
	if _, err := New(Config{Remote: true, Tokens: map[string]string{"s3cret": "ci"}, AdminToken: "demo-admin-token"}); err == nil {
		t.Error("Config.AdminToken: a well-known token accepted on a remote emulator")
	}
	unmatchable := []string{"tok\u00a0", "a\u0000b", " padded", "padded ", "tok\u2003x", "t\u00f6k", "zero\u200bwidth", strings.Repeat("x", MaxTokenLen+1)}
	for _, remote := range []bool{true, false} {
		h := newHarness(t, func(c *Config) { c.Remote = remote })
		bad := unmatchable
		if remote {
			bad = append(bad, DefaultToken, "acc-token-acme")
		}
		for _, tok := range bad {
			doc := &Seed{Organizations: []SeedOrganization{{Name: "ci", Tokens: []string{tok}}}}
			wantRule := "format"
			if IsWellKnownToken(tok) {
				wantRule = "well_known"
			}
			p := problem(t, h.do(tokAdmin, "POST", RouteAdminSeed, doc), http.StatusUnprocessableEntity)
			if !hasFieldError(p, "organizations[0].tokens[0]", wantRule) {
				t.Errorf("remote=%v seed token %q: %+v", remote, tok, p.Errors)
			}
			p = problem(t, h.do(tokAdmin, "PUT", RouteAdminSnapshot+"?org=ci", doc), http.StatusUnprocessableEntity)
			if !hasFieldError(p, "organizations[0].tokens[0]", wantRule) {
				t.Errorf("remote=%v snapshot token %q: %+v", remote, tok, p.Errors)
			}
			if _, err := h.s.Seed(doc); err == nil {
				t.Errorf("remote=%v Seed token %q accepted", remote, tok)
			}
			file := filepath.Join(t.TempDir(), "seed.json")
			b, _ := marshal(doc)
			if err := os.WriteFile(file, b, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := h.s.LoadSeedFile(file); err == nil || !strings.Contains(err.Error(), "seed.json: organizations[0].tokens[0]: ") {
				t.Errorf("remote=%v -seed token %q: %v", remote, tok, err)
			}
			if tok != DefaultToken && strings.Contains(p.Detail, tok) { // the default is named as public
				t.Errorf("the answer echoes the token %q", tok)
			}
		}
		// None of them authenticates; a secret token does.
		problem(t, h.do(DefaultToken, "GET", api.RoutePlans, nil), http.StatusUnauthorized)
		h.must(201, tokAdmin, "POST", RouteAdminSeed, &Seed{Organizations: []SeedOrganization{{Name: "ci", Tokens: []string{"s3cret-ci"}}}}, nil)
		h.must(200, "s3cret-ci", "GET", api.RoutePlans, nil, nil)
	}
	// On loopback, the well-known tokens stay the zero-configuration start.
	h := newHarness(t)
	h.must(201, tokAdmin, "POST", RouteAdminSeed, &Seed{Organizations: []SeedOrganization{{Name: "ci", Tokens: []string{DefaultToken}}}}, nil)
	h.must(200, DefaultToken, "GET", api.RoutePlans, nil, nil)
}
