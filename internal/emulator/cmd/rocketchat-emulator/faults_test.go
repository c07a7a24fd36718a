package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
)

// asCommand, set in a child's environment, makes the test binary run the
// command's main instead of the tests: the fault tests start the real
// command, flags and environment variables as a user gives them.
const asCommand = "RC_EMULATOR_TEST_RUN_AS_COMMAND" // not ROCKETCHAT_EMULATOR_*: the command refuses unknown variables of its own

func TestMain(m *testing.M) {
	if os.Getenv(asCommand) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// command is the test binary set to run as the emulator with args and the
// variables of vars (no other ROCKETCHAT_EMULATOR_ variable of the test's
// own environment leaks in).
func command(args []string, vars ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, envPrefix) {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, append([]string{asCommand + "=1"}, vars...)...)
	return cmd
}

// startCommand starts the emulator command and returns its base URL; it is
// stopped by SIGTERM (and must exit cleanly) when the test ends.
func startCommand(t *testing.T, args []string, vars ...string) string {
	t.Helper()
	addrFile := filepath.Join(t.TempDir(), "addr")
	cmd := command(append([]string{"-addr", "127.0.0.1:0", "-data", "", "-addr-file", addrFile,
		"-token", "acme=acme-s3cret", "-admin-token", "admin-s3cret"}, args...), vars...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("the command did not exit cleanly: %v\n%s", err, &stderr)
			}
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("the command did not stop on SIGTERM\n%s", &stderr)
		}
	})
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		select {
		case err := <-done:
			t.Fatalf("the command exited at start: %v\n%s", err, &stderr)
		case <-time.After(20 * time.Millisecond):
		}
		if b, _ := os.ReadFile(addrFile); len(b) > 0 {
			return strings.TrimSpace(string(b))
		}
	}
	t.Fatalf("no address file\n%s", &stderr)
	return ""
}

// call sends one request on a fresh connection (net/http never retries it).
func call(method, url, token, body string, hdr ...string) (*http.Response, []byte, error) {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 20 * time.Second}
	res, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res, b, err
}

// faultCase is one fault flag: its value, and what a /v1 request meets with it on.
type faultCase struct {
	flag, value string
	// admin is the faults the admin API reports with the flag on.
	admin func(f map[string]any) bool
	check func(t *testing.T, base string)
}

const planBody = `{"tier":"standard","region":"` + catalog.DefaultRegion + `"}`

// plansHeld lists organization acme's plans with the faults turned off
// through the admin API.
func plansHeld(t *testing.T, base string) int {
	t.Helper()
	if res, b, err := call("PUT", base+api.RouteAdminFaults, "admin-s3cret", `{}`); err != nil || res.StatusCode != 200 {
		t.Fatalf("turning faults off: %v %s", err, b)
	}
	res, b, err := call("GET", base+api.RoutePlans, "acme-s3cret", "")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("list plans: %v %s", err, b)
	}
	var l api.List[api.Plan]
	if err := json.Unmarshal(b, &l); err != nil {
		t.Fatal(err)
	}
	return len(l.Items)
}

func faultCases() []faultCase {
	return []faultCase{
		{"fault-error-rate", "1", func(f map[string]any) bool { return f["error_rate"] == 1.0 }, func(t *testing.T, base string) {
			seen := map[int]bool{}
			for range 30 {
				res, b, err := call("POST", base+api.RoutePlans, "acme-s3cret", planBody)
				if err != nil {
					t.Fatal(err)
				}
				if s := res.StatusCode; s != 500 && s != 502 && s != 503 || !bytes.Contains(b, []byte("injected")) ||
					res.Header.Get("Content-Type") != api.ProblemContentType {
					t.Fatalf("got %d %s %s, want an injected 500/502/503 problem", s, res.Header.Get("Content-Type"), b)
				}
				seen[res.StatusCode] = true
			}
			if len(seen) != 3 {
				t.Errorf("statuses %v, want each of 500, 502, 503", seen)
			}
			if n := plansHeld(t, base); n != 0 {
				t.Errorf("refused creates made %d plans", n)
			}
		}},
		{"fault-drop-rate", "1", func(f map[string]any) bool { return f["drop_rate"] == 1.0 }, func(t *testing.T, base string) {
			if res, b, err := call("POST", base+api.RoutePlans, "acme-s3cret", planBody, api.IdempotencyKeyHeader, "drop-1"); err == nil {
				t.Fatalf("the connection was not dropped: %d %s", res.StatusCode, b)
			}
			if n := plansHeld(t, base); n != 1 {
				t.Errorf("the dropped create was not committed: %d plans", n)
			}
		}},
		{"fault-latency", "2s", func(f map[string]any) bool { return f["latency"] == "2s" }, func(t *testing.T, base string) {
			// Judged against the latency itself, not a wall-clock budget: the
			// /v1 request waits at least 2s, the admin API less.
			start := time.Now()
			if res, b, err := call("GET", base+api.RoutePlans, "acme-s3cret", ""); err != nil || res.StatusCode != 200 {
				t.Fatalf("%v %s", err, b)
			}
			if d := time.Since(start); d < 2*time.Second {
				t.Errorf("a /v1 request took %s with 2s of latency", d)
			}
			start = time.Now()
			if res, b, err := call("GET", base+api.RouteAdminStats, "admin-s3cret", ""); err != nil || res.StatusCode != 200 {
				t.Fatalf("%v %s", err, b)
			}
			if d := time.Since(start); d >= 2*time.Second {
				t.Errorf("the admin API took %s: it was delayed too", d)
			}
		}},
		{"fault-429-rate", "1", func(f map[string]any) bool { return f["rate_limit_burst_rate"] == 1.0 }, func(t *testing.T, base string) {
			res, b, err := call("GET", base+api.RoutePlans, "acme-s3cret", "")
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != 429 || res.Header.Get("Retry-After") != "1" || res.Header.Get("Content-Type") != api.ProblemContentType {
				t.Errorf("got %d Retry-After %q %s, want a 429 problem with Retry-After: 1", res.StatusCode, res.Header.Get("Retry-After"), b)
			}
		}},
	}
}

// Every fault flag of the command, given as a flag and as its environment
// variable, reaches the running server: the admin API reports it, /v1
// requests meet the fault (500/502/503, a dropped connection after the
// write is committed, latency, 429 with Retry-After), the admin API is never
// faulted, and an out-of-range value stops the command at start.
func TestFaultFlagsAndVariablesEndToEnd(t *testing.T) {
	cases := faultCases()
	// Every -fault-* flag the command offers has a case here.
	var help bytes.Buffer
	cmd := command([]string{"-help"})
	cmd.Stderr = &help
	if err := cmd.Run(); err != nil {
		t.Fatalf("-help: %v\n%s", err, &help)
	}
	offered := regexp.MustCompile(`(?m)^\s+-(fault-[a-z0-9-]+)`).FindAllStringSubmatch(help.String(), -1)
	if len(offered) == 0 {
		t.Fatalf("no -fault-* flag in -help:\n%s", &help)
	}
	tested := map[string]bool{}
	for _, c := range cases {
		tested[c.flag] = true
	}
	for _, m := range offered {
		if !tested[m[1]] {
			t.Errorf("-%s has no end-to-end case", m[1])
		}
	}

	for _, c := range cases {
		for _, how := range []string{"flag", "variable"} {
			t.Run(c.flag+"/"+how, func(t *testing.T) {
				var base string
				if how == "flag" {
					base = startCommand(t, []string{"-" + c.flag, c.value})
				} else {
					base = startCommand(t, nil, envName(c.flag)+"="+c.value)
				}
				res, b, err := call("GET", base+api.RouteAdminFaults, "admin-s3cret", "")
				if err != nil || res.StatusCode != 200 {
					t.Fatalf("the admin API was faulted: %v %s", err, b)
				}
				var f map[string]any
				if err := json.Unmarshal(b, &f); err != nil || !c.admin(f) {
					t.Fatalf("the admin API reports %s (%v), not -%s %s", b, err, c.flag, c.value)
				}
				c.check(t, base)
			})
		}
	}

	// An out-of-range value stops the command before it listens.
	for _, bad := range [][]string{
		{"-fault-error-rate", "2"},
		{"-fault-latency", "-1s"},
	} {
		for _, how := range []string{"flag", "variable"} {
			var cmd *exec.Cmd
			if how == "flag" {
				cmd = command(append([]string{"-addr", "127.0.0.1:0", "-data", ""}, bad...))
			} else {
				cmd = command([]string{"-addr", "127.0.0.1:0", "-data", ""}, envName(bad[0][1:])+"="+bad[1])
			}
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			cmd.WaitDelay = time.Second
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			timer := time.AfterFunc(20*time.Second, func() { _ = cmd.Process.Kill() }) // it started: stop it
			err := cmd.Wait()
			timer.Stop()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(out.String(), "fault") {
				t.Errorf("%s %q as a %s: want exit status 1 naming the fault, got %v\n%s", bad[0], bad[1], how, err, &out)
			}
		}
	}
}
