// Command rocketchat-emulator serves the Rocket.Chat Cloud API emulator.
//
//	rocketchat-emulator -addr 127.0.0.1:0 -addr-file /tmp/addr -data "" \
//	    -token acme=TOKEN -provisioning "standard=immediate,premium=delayed:2s,dedicated=manual" \
//	    -seed estate.json
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "rocketchat-emulator:", err)
		os.Exit(1)
	}
}

type tokenFlag map[string]string

func (t tokenFlag) String() string { return "" }

// Set parses "org=TOKEN".
func (t tokenFlag) Set(v string) error {
	org, tok, ok := strings.Cut(v, "=")
	if !ok || org == "" || tok == "" {
		return fmt.Errorf("want org=TOKEN, got %q", v)
	}
	if _, dup := t[tok]; dup {
		return fmt.Errorf("token of %q given twice", org)
	}
	t[tok] = org
	return nil
}

// parseProvisioning parses "standard=immediate,premium=delayed:2s,dedicated=manual".
func parseProvisioning(v string) (map[catalog.Tier]emulator.ProvisioningConfig, error) {
	out := map[catalog.Tier]emulator.ProvisioningConfig{}
	if strings.TrimSpace(v) == "" {
		return out, nil
	}
	for _, item := range strings.Split(v, ",") {
		tier, mode, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok {
			return nil, fmt.Errorf("-provisioning: want tier=mode[:delay], got %q", item)
		}
		spec, ok := catalog.Lookup(catalog.Tier(tier))
		if !ok {
			return nil, fmt.Errorf("-provisioning: unknown tier %q (allowed: %s)", tier, strings.Join(catalog.TierNames(), ", "))
		}
		pc := emulator.ProvisioningConfig{Delay: spec.ProvisioningDelay}
		m, delay, hasDelay := strings.Cut(mode, ":")
		pc.Mode = catalog.ProvisioningMode(m)
		switch pc.Mode {
		case catalog.ProvisionImmediate, catalog.ProvisionManual, catalog.ProvisionDelayed:
		default:
			return nil, fmt.Errorf("-provisioning: unknown mode %q for %s (allowed: immediate, delayed[:DURATION], manual)", m, tier)
		}
		if hasDelay {
			d, err := time.ParseDuration(delay)
			if err != nil || d < 0 {
				return nil, fmt.Errorf("-provisioning: bad delay %q for %s", delay, tier)
			}
			pc.Delay = d
		}
		out[spec.Name] = pc
	}
	return out, nil
}

func run(args []string) error {
	fs := flag.NewFlagSet("rocketchat-emulator", flag.ContinueOnError)
	tokens := tokenFlag{}
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (port 0 picks a free port)")
	allowRemote := fs.Bool("allow-remote", false, "allow a non-loopback listen address")
	data := fs.String("data", "rocketchat-emulator.db", `bbolt data file; "" or ":memory:" keeps everything in memory`)
	fs.Var(tokens, "token", "org=TOKEN API token of an organization (repeatable; default: default=dev-token)")
	adminToken := fs.String("admin-token", "random", `admin API token ("random": a new random token, printed at start; "" disables the admin API)`)
	prov := fs.String("provisioning", "", `provisioning per tier, e.g. "standard=immediate,premium=delayed:2s,dedicated=manual" (default from the catalog)`)
	verifyDelay := fs.Duration("domain-verify-delay", time.Second, "custom domains verify this long after being added (0: only through the admin API)")
	rateLimit := fs.Float64("rate-limit", 0, "requests per second per token on /v1 (0: off)")
	errRate := fs.Float64("fault-error-rate", 0, "probability of an injected 500/502/503")
	dropRate := fs.Float64("fault-drop-rate", 0, "probability of handling a request and then dropping the connection")
	latency := fs.Duration("fault-latency", 0, "latency added to every /v1 request")
	burstRate := fs.Float64("fault-429-rate", 0, "probability of an injected 429 with Retry-After: 1 (a rate-limit burst)")
	addrFile := fs.String("addr-file", "", `write the actual "http://host:port" to this file once listening`)
	seed := fs.String("seed", "", "JSON seed file of organizations, tokens and objects to add at start, all or nothing (see examples/emulator/estate.json)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	provisioning, err := parseProvisioning(*prov)
	if err != nil {
		return err
	}
	if len(tokens) == 0 && *seed == "" { // a seed declares its organizations' tokens
		tokens["dev-token"] = "default"
		fmt.Fprintln(os.Stderr, `rocketchat-emulator: no -token given; organization "default" uses API token "dev-token"`)
	}
	if *adminToken == "random" {
		b := make([]byte, 16)
		_, _ = rand.Read(b) // crypto/rand.Read never fails
		*adminToken = hex.EncodeToString(b)
		fmt.Fprintf(os.Stderr, "rocketchat-emulator: admin API token %s (set one with -admin-token)\n", *adminToken)
	}
	dataFile := *data
	if dataFile == ":memory:" {
		dataFile = ""
	}

	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", *addr, err)
	}
	if !*allowRemote && !isLoopback(host) {
		return fmt.Errorf("-addr %q is not a loopback address; pass -allow-remote to listen on it", *addr)
	}

	srv, err := emulator.New(emulator.Config{
		Tokens: tokens, AdminToken: *adminToken, DataFile: dataFile,
		Provisioning: provisioning, DomainVerifyDelay: *verifyDelay, RateLimit: *rateLimit,
		Faults: emulator.FaultConfig{ErrorRate: *errRate, DropRate: *dropRate, Latency: *latency, RateLimitBurstRate: *burstRate},
	})
	if err != nil {
		return err
	}
	defer func() {
		if err := srv.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "rocketchat-emulator: closing the store:", err)
		}
	}()
	if *seed != "" {
		if err := srv.LoadSeedFile(*seed); err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, "rocketchat-emulator: loaded seed", *seed)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	if *addrFile != "" {
		tmp := *addrFile + ".tmp"
		if err := os.WriteFile(tmp, []byte(url+"\n"), 0o644); err != nil {
			return err
		}
		if err := os.Rename(tmp, *addrFile); err != nil {
			return err
		}
	}
	fmt.Println("rocketchat-emulator listening on " + url)

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	select {
	case err := <-serveErr:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := hs.Shutdown(shutdownCtx); err != nil {
			return err
		}
	}
	return srv.Close()
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
