package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
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

func TestRunRefusesRemoteAddress(t *testing.T) {
	if err := run([]string{"-addr", "0.0.0.0:0", "-data", ""}); err == nil {
		t.Fatal("non-loopback address accepted")
	}
	if err := run([]string{"-provisioning", "x=y"}); err == nil {
		t.Fatal("bad provisioning accepted")
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
	dir := t.TempDir()
	bad := filepath.Join(dir, "estate.json")
	if err := os.WriteFile(bad, []byte(`{"organizations":[{"name":"acme","plans":[{"tier":"gold","region":"us-east"}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run([]string{"-addr", "127.0.0.1:0", "-data", "", "-admin-token", "", "-seed", bad})
	if err == nil || !strings.HasPrefix(err.Error(), "estate.json: organizations[0].plans[0].tier: ") {
		t.Fatalf("got %v", err)
	}
}

// TestRunServesTheSeed starts the real command with the example seed and
// reads a seeded workspace through HTTP.
func TestRunServesTheSeed(t *testing.T) {
	addrFile := filepath.Join(t.TempDir(), "addr")
	done := make(chan error, 1)
	go func() {
		done <- run([]string{"-addr", "127.0.0.1:0", "-data", "", "-admin-token", "", "-addr-file", addrFile,
			"-seed", "../../../../examples/emulator/estate.json"})
	}()
	var url string
	for i := 0; i < 200 && url == ""; i++ {
		select {
		case err := <-done:
			t.Fatalf("run ended: %v", err)
		case <-time.After(25 * time.Millisecond):
		}
		if b, err := os.ReadFile(addrFile); err == nil {
			url = strings.TrimSpace(string(b))
		}
	}
	if url == "" {
		t.Fatal("the emulator did not write its address")
	}
	req, _ := http.NewRequest("GET", url+"/v1/workspaces/ws-acme-chat", nil)
	req.Header.Set("Authorization", "Bearer acme-ci-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("seeded workspace: %d", resp.StatusCode)
	}
	p, _ := os.FindProcess(os.Getpid())
	_ = p.Signal(syscall.SIGTERM)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
