package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
)

func TestParseProvisioning(t *testing.T) {
	got, err := parseProvisioning("standard=immediate, premium=delayed:3s,dedicated=manual")
	if err != nil {
		t.Fatal(err)
	}
	if got[catalog.Standard].Mode != catalog.ProvisionImmediate || got[catalog.Premium].Delay != 3*time.Second || got[catalog.Dedicated].Mode != catalog.ProvisionManual {
		t.Fatalf("%+v", got)
	}
	got, _ = parseProvisioning("premium=delayed")
	if got[catalog.Premium].Delay != 2*time.Second {
		t.Fatalf("catalog default delay: %+v", got)
	}
	for _, bad := range []string{"gold=manual", "standard", "standard=later", "premium=delayed:soon"} {
		if _, err := parseProvisioning(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// env is a fake environment (os.Environ's form).
func env(kv ...string) []string {
	var out []string
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, kv[i]+"="+kv[i+1])
	}
	return out
}

func parse(t *testing.T, args []string, environ []string) (*options, error) {
	t.Helper()
	return parseOptions(args, environ, io.Discard)
}

func TestRunRefusesRemoteAddress(t *testing.T) {
	if _, err := parse(t, []string{"-addr", "0.0.0.0:0", "-data", ""}, nil); err == nil || !strings.Contains(err.Error(), "-allow-remote") {
		t.Fatalf("non-loopback address accepted: %v", err)
	}
	if _, err := parse(t, []string{"-provisioning", "x=y"}, nil); err == nil {
		t.Fatal("bad provisioning accepted")
	}
}

// -token 'acme= padded ' started but could never authenticate.
func TestTokenFlagsAreValidated(t *testing.T) {
	for _, bad := range [][]string{
		{"-token", "acme= padded "},
		{"-token", "acme=a b"},
		{"-token", "acme=tok\x07"},
		{"-token", " acme=tok"},
		{"-token", "=tok"},
		{"-token", "acme="},
		{"-token", "acme"},
		{"-token", "acme=tok", "-token", "globex=tok"},
		{"-admin-token", " admin"},
	} {
		if _, err := parse(t, bad, nil); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	o, err := parse(t, []string{"-token", "acme=s3cret", "-admin-token", ""}, nil)
	if err != nil || o.cfg.Tokens["s3cret"] != "acme" || o.cfg.AdminToken != "" {
		t.Fatalf("%+v %v", o, err)
	}
}

// With -allow-remote, a token anyone can read is refused.
func TestAllowRemoteRefusesWellKnownTokens(t *testing.T) {
	remote := []string{"-addr", "0.0.0.0:0", "-allow-remote", "-data", ""}
	for _, extra := range [][]string{
		nil, // the default organization's dev-token
		{"-token", "acme=" + defaultToken},
		{"-token", "acme=demo-token"},
		{"-token", "acme=s3cret", "-admin-token", "demo-admin-token"},
	} {
		_, err := parse(t, append(append([]string{}, remote...), extra...), nil)
		if err == nil || !strings.Contains(err.Error(), "well-known") {
			t.Errorf("%q: %v", extra, err)
		}
	}
	if _, err := parse(t, append(remote, "-token", "acme=s3cret"), nil); err != nil {
		t.Fatal(err)
	}
	// On loopback the default token stays the zero-configuration start.
	if o, err := parse(t, nil, nil); err != nil || o.cfg.Tokens[defaultToken] != "default" {
		t.Fatalf("%+v %v", o, err)
	}
}

func TestEnvironmentVariables(t *testing.T) {
	o, err := parse(t, []string{"-rate-limit", "5", "-token", "acme=from-flag"}, env(
		"ROCKETCHAT_EMULATOR_ADDR", "0.0.0.0:9999",
		"ROCKETCHAT_EMULATOR_ALLOW_REMOTE", "true",
		"ROCKETCHAT_EMULATOR_DATA", ":memory:",
		"ROCKETCHAT_EMULATOR_TOKENS", "globex=from-env",
		"ROCKETCHAT_EMULATOR_ADMIN_TOKEN", "admin-s3cret",
		"ROCKETCHAT_EMULATOR_PROVISIONING", "dedicated=manual",
		"ROCKETCHAT_EMULATOR_RATE_LIMIT", "1",
		"ROCKETCHAT_EMULATOR_ADDR_FILE", "/tmp/x",
		"ROCKETCHAT_EMULATOR_FAULT_LATENCY", "20ms",
		"ROCKETCHAT_EMULATOR_FAULT_429_RATE", "0.5",
		"ROCKETCHAT_EMULATOR_DOMAIN_VERIFY_DELAY", "0s",
		"ROCKETCHAT_EMULATOR_REQUEST_LOG_SIZE", "50",
		"ROCKETCHAT_EMULATOR_READ_TIMEOUT", "5s",
		"ROCKETCHAT_EMULATOR_IDLE_TIMEOUT", "7s",
		"ROCKETCHAT_EMULATOR_MAX_CONNS", "9",
	))
	if err != nil {
		t.Fatal(err)
	}
	c := o.cfg
	switch {
	case o.addr != "0.0.0.0:9999" || !o.allowRemote || o.addrFile != "/tmp/x" || c.DataFile != "":
		t.Fatalf("listener: %+v", o)
	case c.RateLimit != 5: // the flag wins
		t.Fatalf("rate limit %v", c.RateLimit)
	case len(c.Tokens) != 1 || c.Tokens["from-flag"] != "acme": // the flag wins, whole
		t.Fatalf("tokens %v", c.Tokens)
	case c.AdminToken != "admin-s3cret" || c.Provisioning[catalog.Dedicated].Mode != catalog.ProvisionManual:
		t.Fatalf("%+v", c)
	case c.Faults.Latency != 20*time.Millisecond || c.Faults.RateLimitBurstRate != 0.5 || c.DomainVerifyDelay != 0 || c.RequestLogSize != 50:
		t.Fatalf("%+v", c)
	case o.limits.ReadTimeout != 5*time.Second || o.limits.ReadHeaderTimeout != 5*time.Second || o.limits.IdleTimeout != 7*time.Second || o.limits.MaxConns != 9:
		t.Fatalf("%+v", o.limits)
	}
	o, err = parse(t, nil, env("ROCKETCHAT_EMULATOR_TOKENS", "acme=t1, globex=t2", "ROCKETCHAT_EMULATOR_REQUEST_LOG_SIZE", "0"))
	if err != nil || len(o.cfg.Tokens) != 2 || o.cfg.Tokens["t2"] != "globex" || o.cfg.RequestLogSize >= 0 {
		t.Fatalf("%+v %v", o, err)
	}
	for name, val := range map[string]string{
		"ROCKETCHAT_EMULATOR_RATE_LIMIT":   "fast",
		"ROCKETCHAT_EMULATOR_ALLOW_REMOTE": "",
		"ROCKETCHAT_EMULATOR_TOKENS":       "acme= padded ",
		"ROCKETCHAT_EMULATOR_READ_TIMEOUT": "0s",
	} {
		word := strings.ToLower(strings.TrimPrefix(name, "ROCKETCHAT_EMULATOR_")[:4])
		if _, err := parse(t, nil, env(name, val)); err == nil || !strings.Contains(strings.ToLower(err.Error()), word) {
			t.Errorf("%s=%q: %v", name, val, err)
		}
	}
}

// -help shows every flag with its variable, and is not an error exit.
func TestHelpShowsEveryVariable(t *testing.T) {
	var out bytes.Buffer
	_, err := parseOptions([]string{"-help"}, env(), &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatal(err)
	}
	help := out.String()
	flags := strings.Count(help, "\n  -")
	if flags < 18 || strings.Count(help, "[$"+envPrefix) != flags {
		t.Fatalf("%d flags, not each with its variable:\n%s", flags, help)
	}
	for _, v := range []string{"ADDR]", "DATA]", "TOKENS]", "ADMIN_TOKEN]", "PROVISIONING]", "RATE_LIMIT]", "ADDR_FILE]", "ALLOW_REMOTE]", "REQUEST_LOG_SIZE]", "MAX_CONNS]"} {
		if !strings.Contains(help, "[$"+envPrefix+v) {
			t.Errorf("no %s in\n%s", v, help)
		}
	}
}

// The command serves until its context ends: the address file appears,
// /readyz answers, and it shuts down cleanly.
func TestRunServes(t *testing.T) {
	addrFile := filepath.Join(t.TempDir(), "addr")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-data", "", "-addr-file", addrFile},
			env("ROCKETCHAT_EMULATOR_TOKENS", "acme=s3cret", "ROCKETCHAT_EMULATOR_ADMIN_TOKEN", "adm"), io.Discard, io.Discard)
	}()
	var url []byte
	for i := 0; i < 500 && len(url) == 0; i++ { // bounded wait for start-up
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
		url, _ = os.ReadFile(addrFile)
	}
	base := strings.TrimSpace(string(url))
	if base == "" {
		t.Fatal("no address file")
	}
	for path, want := range map[string]int{"/readyz": 200, "/healthz": 200, emulator.RouteAdminRequests: 401} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		if res.StatusCode != want {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{"127.0.0.1": true, "::1": true, "localhost": true, "0.0.0.0": false, "": false, "10.0.0.1": false} {
		if isLoopback(host) != want {
			t.Errorf("%q", host)
		}
	}
}

func TestRunRefusesABadSeedNamingTheFile(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "estate.json")
	if err := os.WriteFile(bad, []byte(`{"organizations":[{"name":"acme","plans":[{"tier":"gold","region":"us-east"}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-data", "", "-admin-token", "", "-seed", bad}, env(), io.Discard, io.Discard)
	if err == nil || !strings.HasPrefix(err.Error(), "estate.json: organizations[0].plans[0].tier: ") {
		t.Fatalf("got %v", err)
	}
}

// The real command with the example seed serves a seeded workspace.
func TestRunServesTheSeed(t *testing.T) {
	addrFile := filepath.Join(t.TempDir(), "addr")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-data", "", "-admin-token", "", "-addr-file", addrFile,
			"-seed", "../../../../examples/emulator/estate.json"}, env(), io.Discard, io.Discard)
	}()
	var url []byte
	for i := 0; i < 500 && len(url) == 0; i++ { // bounded wait for start-up
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
		url, _ = os.ReadFile(addrFile)
	}
	if len(url) == 0 {
		t.Fatal("no address file")
	}
	req, _ := http.NewRequest("GET", strings.TrimSpace(string(url))+"/v1/workspaces/ws-acme-chat", nil)
	req.Header.Set("Authorization", "Bearer acme-ci-token")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("seeded workspace: %d", res.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// Issue 18 item 8: configuration that silently meant something else.
// ROCKETCHAT_EMULATOR_TOKEN (singular) and an empty ROCKETCHAT_EMULATOR_TOKENS
// fell back to dev-token; unknown variables passed unnoticed; -rate-limit
// NaN and -1 meant "off", 1e-300 answered Retry-After: 9223372037; a negative
// -domain-verify-delay was accepted; bad values said only "parse error". Each
// is refused at start, naming the flag or variable, the value and what is
// allowed.
func TestConfigurationRefusesWhatWouldMeanSomethingElse(t *testing.T) {
	for _, c := range []struct {
		args    []string
		environ []string
		want    []string // every one in the error
	}{
		{nil, env("ROCKETCHAT_EMULATOR_TOKEN", "acme=s3cret"), []string{"ROCKETCHAT_EMULATOR_TOKEN:", "did you mean ROCKETCHAT_EMULATOR_TOKENS"}},
		{nil, env("ROCKETCHAT_EMULATOR_TOKENS", ""), []string{"ROCKETCHAT_EMULATOR_TOKENS", "holds no token", "org=TOKEN"}},
		{nil, env("ROCKETCHAT_EMULATOR_TOKENS", " , "), []string{"ROCKETCHAT_EMULATOR_TOKENS", "holds no token"}},
		{nil, env("ROCKETCHAT_EMULATOR_RATELIMIT", "5"), []string{"ROCKETCHAT_EMULATOR_RATELIMIT:", "not a setting", "ROCKETCHAT_EMULATOR_RATE_LIMIT"}},
		{[]string{"-rate-limit", "NaN"}, nil, []string{"-rate-limit", `"NaN"`, "0 (off) or 0.01 to 1e+06"}},
		{[]string{"-rate-limit", "-1"}, nil, []string{"-rate-limit", `"-1"`, "0 (off)"}},
		{[]string{"-rate-limit", "1e-300"}, nil, []string{"-rate-limit", `"1e-300"`, "0.01"}},
		{[]string{"-rate-limit", "+Inf"}, nil, []string{"-rate-limit", `"+Inf"`}},
		{nil, env("ROCKETCHAT_EMULATOR_RATE_LIMIT", "fast"), []string{"ROCKETCHAT_EMULATOR_RATE_LIMIT (-rate-limit)", `"fast"`, "0 (off) or"}},
		{[]string{"-domain-verify-delay", "-1s"}, nil, []string{"-domain-verify-delay", `"-1s"`, "0 or more"}},
		{nil, env("ROCKETCHAT_EMULATOR_DOMAIN_VERIFY_DELAY", "-1s"), []string{"ROCKETCHAT_EMULATOR_DOMAIN_VERIFY_DELAY", `"-1s"`, "0 or more"}},
		{[]string{"-fault-error-rate", "NaN"}, nil, []string{"-fault-error-rate", `"NaN"`, "0 to 1"}},
		{[]string{"-fault-429-rate", "1.5"}, nil, []string{"-fault-429-rate", `"1.5"`, "0 to 1"}},
		{[]string{"-fault-latency", "1h"}, nil, []string{"-fault-latency", `"1h"`, "from 0 to"}},
		{[]string{"-read-timeout", "0s"}, nil, []string{"-read-timeout", `"0s"`, "positive duration"}},
		{[]string{"-max-conns", "-3"}, nil, []string{"-max-conns", `"-3"`, "0 (no cap) or more"}},
		{[]string{"-request-log-size", "ten"}, nil, []string{"-request-log-size", `"ten"`, "from 0 (off) to"}},
		{nil, env("ROCKETCHAT_EMULATOR_ALLOW_REMOTE", "yes please"), []string{"ROCKETCHAT_EMULATOR_ALLOW_REMOTE", `"yes please"`, "true or false"}},
		{[]string{"-provisioning", "premium=delayed:-2s"}, nil, []string{"-provisioning", `"-2s"`, "0 or more"}},
	} {
		var stderr bytes.Buffer
		_, err := parseOptions(c.args, c.environ, &stderr)
		if err == nil {
			t.Errorf("%q %q accepted", c.args, c.environ)
			continue
		}
		msg := err.Error() + stderr.String() // the flag package prints its own errors too
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%q %q: %q lacks %q", c.args, c.environ, err, w)
			}
		}
		if strings.Contains(msg, "parse error") {
			t.Errorf("%q %q: %q says only parse error", c.args, c.environ, err)
		}
	}
	// Other variables are none of the emulator's business; a set variable
	// of a flag given on the command line is still checked for its name.
	if _, err := parse(t, nil, env("HOME", "/root", "ROCKETCHAT_EMULATOR_RATE_LIMIT", "0")); err != nil {
		t.Fatal(err)
	}
	// The Config path refuses the same values.
	for _, cfg := range []emulator.Config{{RateLimit: -1}, {RateLimit: 1e-300}, {DomainVerifyDelay: -time.Second}} {
		if _, err := emulator.New(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
}

// A -seed file cannot bring a well-known token to a remote listener.
func TestRemoteRefusesWellKnownTokensFromASeed(t *testing.T) {
	seed := filepath.Join(t.TempDir(), "estate.json")
	if err := os.WriteFile(seed, []byte(`{"organizations":[{"name":"ci","tokens":["dev-token"]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"-addr", "0.0.0.0:0", "-allow-remote", "-data", "", "-token", "acme=s3cret",
		"-admin-token", "adm-s3cret", "-seed", seed}, env(), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "estate.json: organizations[0].tokens[0]: ") || !strings.Contains(err.Error(), "well-known") {
		t.Fatalf("got %v", err)
	}
}
