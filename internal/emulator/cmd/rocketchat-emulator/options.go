package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
)

// envPrefix prefixes the environment variable of every flag.
const envPrefix = "ROCKETCHAT_EMULATOR_"

// defaultToken is the API token of organization "default" when no -token is
// given. It is public (printed, documented), as are the tokens of the
// repository's scripts and tests: none may guard a remote listener
// (emulator.CheckToken).
const defaultToken = emulator.DefaultToken

// envName is the environment variable of a flag.
func envName(flagName string) string {
	if flagName == "token" {
		return envPrefix + "TOKENS"
	}
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// options is the parsed and validated configuration.
type options struct {
	cfg         emulator.Config
	limits      emulator.Limits
	addr        string
	addrFile    string
	allowRemote bool
	seed        string
}

// tokenFlag collects -token org=TOKEN values (token -> organization).
type tokenFlag map[string]string

func (t tokenFlag) String() string { return "" }

// Set parses "org=TOKEN"; neither part may be empty or padded, and the token
// must be one the server can match (see emulator.ValidateToken). The error
// names the organization, never the token.
func (t tokenFlag) Set(v string) error {
	org, tok, ok := strings.Cut(v, "=")
	if !ok {
		return errors.New("want org=TOKEN")
	}
	if err := emulator.ValidateOrgName(org); err != nil {
		return err
	}
	if err := emulator.ValidateToken(tok); err != nil {
		return fmt.Errorf("organization %q: %w", org, err)
	}
	if _, dup := t[tok]; dup {
		return fmt.Errorf("token of %q given twice", org)
	}
	t[tok] = org
	return nil
}

// parseOptions parses the flags, then fills every flag not given on the
// command line from its environment variable, then validates the whole.
func parseOptions(args []string, lookupEnv func(string) (string, bool), stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("rocketchat-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tokens := tokenFlag{}
	o := &options{limits: emulator.DefaultLimits()}
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen address (port 0 picks a free port)")
	fs.BoolVar(&o.allowRemote, "allow-remote", false, "allow a non-loopback listen address (refused with a well-known token such as the default "+defaultToken+")")
	data := fs.String("data", "rocketchat-emulator.db", `bbolt data file; "" or ":memory:" keeps everything in memory`)
	fs.Var(tokens, "token", "org=TOKEN API token of an organization (repeatable; the variable takes a comma-separated list; default: default="+defaultToken+")")
	adminToken := fs.String("admin-token", "random", `admin API token ("random": a new random token, printed at start; "" disables the admin API)`)
	prov := fs.String("provisioning", "", `provisioning per tier, e.g. "standard=immediate,premium=delayed:2s,dedicated=manual" (default from the catalog)`)
	fs.DurationVar(&o.cfg.DomainVerifyDelay, "domain-verify-delay", time.Second, "custom domains verify this long after being added (0: only through the admin API)")
	fs.Float64Var(&o.cfg.RateLimit, "rate-limit", 0, "requests per second per token on /v1 (0: off)")
	fs.Float64Var(&o.cfg.Faults.ErrorRate, "fault-error-rate", 0, "probability of an injected 500/502/503")
	fs.Float64Var(&o.cfg.Faults.DropRate, "fault-drop-rate", 0, "probability of handling a request and then dropping the connection")
	fs.DurationVar(&o.cfg.Faults.Latency, "fault-latency", 0, fmt.Sprintf("latency added to every /v1 request (at most %s)", emulator.MaxFaultLatency))
	fs.Float64Var(&o.cfg.Faults.RateLimitBurstRate, "fault-429-rate", 0, "probability of an injected 429 with Retry-After: 1 (a rate-limit burst)")
	fs.StringVar(&o.addrFile, "addr-file", "", `write the actual "http://host:port" to this file once listening`)
	fs.StringVar(&o.seed, "seed", "", "JSON seed file of organizations, tokens and objects to add at start, all or nothing (see examples/emulator/estate.json)")
	logSize := fs.Int("request-log-size", emulator.DefaultRequestLogSize, fmt.Sprintf("requests kept by the request log, GET /admin/v1/requests (0: off; at most %d)", emulator.MaxRequestLogSize))
	fs.DurationVar(&o.limits.ReadTimeout, "read-timeout", o.limits.ReadTimeout, "time to read a whole request, body included (408 after it)")
	fs.DurationVar(&o.limits.WriteTimeout, "write-timeout", o.limits.WriteTimeout, "time to write an answer, from the end of the request headers")
	fs.DurationVar(&o.limits.IdleTimeout, "idle-timeout", o.limits.IdleTimeout, "an idle keep-alive connection is closed after this")
	fs.IntVar(&o.limits.MaxConns, "max-conns", o.limits.MaxConns, "connections served at once; more wait until one closes (0: no cap)")
	fs.VisitAll(func(f *flag.Flag) { f.Usage += " [$" + envName(f.Name) + "]" })
	fs.Usage = func() {
		_, _ = fmt.Fprintf(fs.Output(), "Usage: rocketchat-emulator [flags]\n\nEvery flag may be set by the environment variable in brackets; a flag given on the command line wins.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (every setting is a flag; see -help)", fs.Arg(0))
	}
	if err := applyEnv(fs, lookupEnv); err != nil {
		return nil, err
	}

	provisioning, err := parseProvisioning(*prov)
	if err != nil {
		return nil, err
	}
	o.cfg.Provisioning = provisioning
	if len(tokens) == 0 && o.seed == "" { // a seed declares its organizations' tokens
		tokens[defaultToken] = "default"
		_, _ = fmt.Fprintf(stderr, "rocketchat-emulator: no -token given; organization \"default\" uses API token %q\n", defaultToken)
	}
	o.cfg.Tokens = tokens
	switch *adminToken {
	case "random":
		b := make([]byte, 16)
		_, _ = rand.Read(b) // crypto/rand.Read never fails
		*adminToken = hex.EncodeToString(b)
		_, _ = fmt.Fprintf(stderr, "rocketchat-emulator: admin API token %s (set one with -admin-token)\n", *adminToken)
	case "":
	default:
		if err := emulator.ValidateToken(*adminToken); err != nil {
			return nil, fmt.Errorf("-admin-token: %w", err)
		}
	}
	o.cfg.AdminToken = *adminToken
	o.cfg.DataFile = *data
	if o.cfg.DataFile == ":memory:" {
		o.cfg.DataFile = ""
	}
	switch {
	case *logSize < 0 || *logSize > emulator.MaxRequestLogSize:
		return nil, fmt.Errorf("-request-log-size: want 0 to %d, got %d", emulator.MaxRequestLogSize, *logSize)
	case *logSize == 0:
		o.cfg.RequestLogSize = -1 // off
	default:
		o.cfg.RequestLogSize = *logSize
	}
	o.limits.ReadHeaderTimeout = min(o.limits.ReadHeaderTimeout, o.limits.ReadTimeout)
	if err := o.limits.Validate(); err != nil {
		return nil, fmt.Errorf("connection limits (-read-timeout, -write-timeout, -idle-timeout, -max-conns): %w", err)
	}

	host, _, err := net.SplitHostPort(o.addr)
	if err != nil {
		return nil, fmt.Errorf("-addr %q: %w", o.addr, err)
	}
	if !isLoopback(host) {
		// Every later token (a -seed file, POST /admin/v1/seed, PUT
		// /admin/v1/snapshot) goes through the same refusal.
		o.cfg.Remote = true
		if !o.allowRemote {
			return nil, fmt.Errorf("-addr %q is not a loopback address; pass -allow-remote to listen on it", o.addr)
		}
		if err := refuseWellKnownTokens(tokens, *adminToken); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// applyEnv sets every flag not given on the command line from its
// environment variable; the error names the variable.
func applyEnv(fs *flag.FlagSet, lookupEnv func(string) (string, bool)) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		name := envName(f.Name)
		v, ok := lookupEnv(name)
		if !ok || given[f.Name] {
			return
		}
		values := []string{v}
		if f.Name == "token" {
			values = nil
			for _, item := range strings.Split(v, ",") {
				if item = strings.TrimSpace(item); item != "" {
					values = append(values, item)
				}
			}
		}
		for _, item := range values {
			if err := fs.Set(f.Name, item); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
		}
	})
	return errors.Join(errs...)
}

// refuseWellKnownTokens stops a remote listener from being guarded by a
// token anyone can read in this repository or in the emulator's output.
func refuseWellKnownTokens(tokens tokenFlag, adminToken string) error {
	var orgs []string
	for tok, org := range tokens {
		if emulator.IsWellKnownToken(tok) {
			orgs = append(orgs, fmt.Sprintf("%q", org))
		}
	}
	sort.Strings(orgs)
	if len(orgs) > 0 {
		return fmt.Errorf("-allow-remote: refusing to listen beyond loopback while organization %s uses a well-known token (the default %q, or one of the repository's scripts and tests); give each organization a secret token with -token org=TOKEN", strings.Join(orgs, ", "), defaultToken)
	}
	if emulator.IsWellKnownToken(adminToken) {
		return errors.New("-allow-remote: refusing to listen beyond loopback with a well-known admin token; set a secret -admin-token or keep the default (random)")
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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
