package main

import (
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
