package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"slices"
	"sort"
	"strconv"
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

// Bounded flag values: each refuses, in Set, a value out of its range with
// the value seen and what is allowed (the flag package then names the flag,
// applyEnv the variable). The standard parsers said only "parse error" and
// let NaN, -1 or 1e-300 through.

// floatFlag is a float64 flag within [lo, hi], or exactly 0 when zeroOK.
type floatFlag struct {
	p       *float64
	lo, hi  float64
	zeroOK  bool
	allowed string
}

func (f floatFlag) String() string {
	if f.p == nil {
		return ""
	}
	return strconv.FormatFloat(*f.p, 'g', -1, 64)
}

func (f floatFlag) Set(v string) error {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || !((f.zeroOK && x == 0) || (x >= f.lo && x <= f.hi)) { // NaN fails both
		return fmt.Errorf("got %q; want %s", v, f.allowed)
	}
	*f.p = x
	return nil
}

// durationFlag is a Go duration within [lo, hi].
type durationFlag struct {
	p       *time.Duration
	lo, hi  time.Duration
	allowed string
}

func (f durationFlag) String() string {
	if f.p == nil {
		return ""
	}
	return f.p.String()
}

func (f durationFlag) Set(v string) error {
	d, err := time.ParseDuration(v)
	if err != nil || d < f.lo || d > f.hi {
		return fmt.Errorf("got %q; want %s", v, f.allowed)
	}
	*f.p = d
	return nil
}

// intFlag is an integer within [lo, hi].
type intFlag struct {
	p       *int
	lo, hi  int
	allowed string
}

func (f intFlag) String() string {
	if f.p == nil {
		return ""
	}
	return strconv.Itoa(*f.p)
}

func (f intFlag) Set(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < f.lo || n > f.hi {
		return fmt.Errorf("got %q; want %s", v, f.allowed)
	}
	*f.p = n
	return nil
}

// boolFlag is a boolean flag whose error says what is allowed.
type boolFlag struct{ p *bool }

func (f boolFlag) String() string   { return strconv.FormatBool(f.p != nil && *f.p) }
func (f boolFlag) IsBoolFlag() bool { return true }

func (f boolFlag) Set(v string) error {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("got %q; want true or false", v)
	}
	*f.p = b
	return nil
}

const maxDuration = time.Duration(1<<63 - 1)

// parseOptions parses the flags, then fills every flag not given on the
// command line from its environment variable (environ is os.Environ's
// form), then validates the whole.
func parseOptions(args []string, environ []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("rocketchat-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tokens := tokenFlag{}
	o := &options{limits: emulator.DefaultLimits()}
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen address (port 0 picks a free port)")
	fs.Var(boolFlag{&o.allowRemote}, "allow-remote", "allow a non-loopback listen address (refused with a well-known token such as the default "+defaultToken+")")
	data := fs.String("data", "rocketchat-emulator.db", `bbolt data file; "" or ":memory:" keeps everything in memory`)
	fs.Var(tokens, "token", "org=TOKEN API token of an organization (repeatable; the variable takes a comma-separated list; default: default="+defaultToken+")")
	adminToken := fs.String("admin-token", "random", `admin API token ("random": a new random token, printed at start; "" disables the admin API)`)
	prov := fs.String("provisioning", "", `provisioning per tier, e.g. "standard=immediate,premium=delayed:2s,dedicated=manual" (default from the catalog)`)
	o.cfg.DomainVerifyDelay = time.Second
	fs.Var(durationFlag{&o.cfg.DomainVerifyDelay, 0, maxDuration, "a duration of 0 or more, e.g. 1s (0: verify only through the admin API)"},
		"domain-verify-delay", "custom domains verify this long after being added (0: only through the admin API)")
	fs.Var(floatFlag{&o.cfg.RateLimit, emulator.MinRateLimit, emulator.MaxRateLimit, true,
		fmt.Sprintf("0 (off) or %v to %v", emulator.MinRateLimit, float64(emulator.MaxRateLimit))},
		"rate-limit", "requests per second per token on /v1 (0: off)")
	rate := func(p *float64, name, usage string) {
		fs.Var(floatFlag{p, 0, 1, true, "a probability from 0 to 1"}, name, usage)
	}
	rate(&o.cfg.Faults.ErrorRate, "fault-error-rate", "probability of an injected 500/502/503")
	rate(&o.cfg.Faults.DropRate, "fault-drop-rate", "probability of handling a request and then dropping the connection")
	fs.Var(durationFlag{&o.cfg.Faults.Latency, 0, emulator.MaxFaultLatency, fmt.Sprintf("a duration from 0 to %s", emulator.MaxFaultLatency)},
		"fault-latency", fmt.Sprintf("latency added to every /v1 request (at most %s)", emulator.MaxFaultLatency))
	rate(&o.cfg.Faults.RateLimitBurstRate, "fault-429-rate", "probability of an injected 429 with Retry-After: 1 (a rate-limit burst)")
	fs.StringVar(&o.addrFile, "addr-file", "", `write the actual "http://host:port" to this file once listening`)
	fs.StringVar(&o.seed, "seed", "", "JSON seed file of organizations, tokens and objects to add at start, all or nothing (see examples/emulator/estate.json)")
	logSize := emulator.DefaultRequestLogSize
	fs.Var(intFlag{&logSize, 0, emulator.MaxRequestLogSize, fmt.Sprintf("an integer from 0 (off) to %d", emulator.MaxRequestLogSize)},
		"request-log-size", fmt.Sprintf("requests kept by the request log, GET /admin/v1/requests (0: off; at most %d)", emulator.MaxRequestLogSize))
	positive := func(p *time.Duration, name, usage string) {
		fs.Var(durationFlag{p, 1, maxDuration, "a positive duration, e.g. 30s"}, name, usage)
	}
	positive(&o.limits.ReadTimeout, "read-timeout", "time to read a whole request, body included (408 after it)")
	positive(&o.limits.WriteTimeout, "write-timeout", "time to write an answer, from the end of the request headers")
	positive(&o.limits.IdleTimeout, "idle-timeout", "an idle keep-alive connection is closed after this")
	fs.Var(intFlag{&o.limits.MaxConns, 0, 1 << 20, "an integer of 0 (no cap) or more"},
		"max-conns", "connections served at once (0: no cap); one client address holds at most half, and a connection idle or without a request yields to a new one")
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
	if err := applyEnv(fs, environ); err != nil {
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
	o.cfg.RequestLogSize = logSize
	if logSize == 0 {
		o.cfg.RequestLogSize = -1 // off
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
// environment variable. A ROCKETCHAT_EMULATOR_* variable that is no flag's
// is refused (ROCKETCHAT_EMULATOR_TOKEN, singular, once fell back to
// dev-token silently), and so is ROCKETCHAT_EMULATOR_TOKENS without a token.
// Every error names the variable, the value seen and what is allowed (a
// token's value is never echoed).
func applyEnv(fs *flag.FlagSet, environ []string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	byEnv := map[string]*flag.Flag{}
	var names []string
	fs.VisitAll(func(f *flag.Flag) {
		byEnv[envName(f.Name)] = f
		names = append(names, envName(f.Name))
	})
	var errs []error
	seen := map[string]bool{}
	for _, kv := range slices.Sorted(slices.Values(environ)) {
		name, v, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, envPrefix) || seen[name] {
			continue
		}
		seen[name] = true
		f := byEnv[name]
		if f == nil {
			hint := ""
			if name == envPrefix+"TOKEN" {
				hint = "; did you mean " + envPrefix + "TOKENS (a comma-separated list of org=TOKEN)?"
			}
			errs = append(errs, fmt.Errorf("%s: not a setting of the emulator%s (known: %s)", name, hint, strings.Join(names, ", ")))
			continue
		}
		if given[f.Name] {
			continue
		}
		values := []string{v}
		if f.Name == "token" {
			values = nil
			for _, item := range strings.Split(v, ",") {
				if item = strings.TrimSpace(item); item != "" {
					values = append(values, item)
				}
			}
			if len(values) == 0 {
				errs = append(errs, fmt.Errorf("%s is set but holds no token; want a comma-separated list of org=TOKEN, or unset it for the default organization", name))
			}
		}
		for _, item := range values {
			if err := fs.Set(f.Name, item); err != nil {
				errs = append(errs, fmt.Errorf("%s (-%s): %w", name, f.Name, err))
			}
		}
	}
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
				return nil, fmt.Errorf("-provisioning: bad delay %q for %s; want a duration of 0 or more, e.g. delayed:2s", delay, tier)
			}
			pc.Delay = d
		}
		out[spec.Name] = pc
	}
	return out, nil
}
