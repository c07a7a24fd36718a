// Package emulator is an in-process and standalone emulator of the
// Rocket.Chat Cloud REST API. It applies exactly the rules of the catalog and
// api packages, so the provider's plan-time checks and the emulator's answers
// cannot disagree.
package emulator

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// ProvisioningConfig says how workspaces of one tier become ready.
type ProvisioningConfig struct {
	Mode  catalog.ProvisioningMode
	Delay time.Duration
}

// Config configures a Server.
type Config struct {
	// Tokens maps each API token to its organization's name.
	Tokens map[string]string
	// AdminToken is the bearer token of the admin API; empty disables it.
	AdminToken string
	// Remote says the emulator listens beyond loopback: every path that adds
	// a token (Tokens, AdminToken, seeds, snapshots) refuses a well-known one
	// (CheckToken).
	Remote bool
	// DataFile is the bbolt file; "" keeps everything in memory.
	DataFile string
	// Provisioning overrides the catalog's provisioning mode and delay per tier.
	Provisioning map[catalog.Tier]ProvisioningConfig
	// DomainVerifyDelay verifies a domain this long after it is added; 0
	// verifies only through the admin endpoint.
	DomainVerifyDelay time.Duration
	// RateLimit is the requests per second allowed per token on /v1 (0 = off);
	// the burst is max(1, int(RateLimit)).
	RateLimit float64
	// Faults injects errors, dropped connections and latency on /v1.
	Faults FaultConfig
	// RequestLogSize is the capacity of the request log (GET
	// /admin/v1/requests): 0 means DefaultRequestLogSize, a negative value
	// turns the log off, at most MaxRequestLogSize.
	RequestLogSize int
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
}

// Server is the emulator; it is an http.Handler.
type Server struct {
	cfg   Config
	store *store.IndexedStore
	mux   *http.ServeMux
	// tokens maps API tokens to organizations; seeds add to it while
	// requests read it, so it is read and written under tokMu.
	tokMu  sync.RWMutex
	tokens map[string]string

	// mu makes every mutation's checks and writes atomic; reads take it shared.
	mu sync.RWMutex

	provMu sync.RWMutex
	prov   map[catalog.Tier]ProvisioningConfig

	dns dnsZone // simulated public DNS (actions.go)

	faults  *faultInjector
	limiter *rateLimiter
	stats   statsCounter
	reqlog  *requestLog

	routes []string // "METHOD pattern" of every /v1 route

	// parent is the server a seed's scratch server works for (seed_apply.go).
	parent *Server

	closeOnce sync.Once
	closeErr  error
	closed    atomic.Bool
}

// handlerFunc handles one routed request. It returns the status and the
// value to encode as JSON (nil for no body), or an error (an *httpError).
type handlerFunc func(q *request) (int, any, error)

type route struct {
	method, pattern string
	h               handlerFunc
}

// New returns a Server, opening DataFile when set.
func New(cfg Config) (*Server, error) {
	if len(cfg.Tokens) > MaxTokens {
		return nil, fmt.Errorf("emulator: Config.Tokens: %d tokens; at most %d", len(cfg.Tokens), MaxTokens)
	}
	for tok, org := range cfg.Tokens {
		if err := ValidateOrgName(org); err != nil {
			return nil, fmt.Errorf("emulator: Config.Tokens: %w", err)
		}
		if err := CheckToken(tok, cfg.Remote); err != nil {
			return nil, fmt.Errorf("emulator: Config.Tokens: token of organization %q: %w", org, err)
		}
		if cfg.AdminToken != "" && tok == cfg.AdminToken {
			return nil, errors.New("emulator: the admin token must differ from every API token")
		}
	}
	if cfg.AdminToken != "" {
		if err := CheckToken(cfg.AdminToken, cfg.Remote); err != nil {
			return nil, fmt.Errorf("emulator: Config.AdminToken: %w", err)
		}
	}
	prov, err := provisioningDefaults(cfg.Provisioning)
	if err != nil {
		return nil, err
	}
	if err := validateFaults(cfg.Faults); err != nil {
		return nil, err
	}
	if err := ValidateRateLimit(cfg.RateLimit); err != nil {
		return nil, fmt.Errorf("emulator: Config.RateLimit: %w", err)
	}
	if cfg.DomainVerifyDelay < 0 {
		return nil, fmt.Errorf("emulator: Config.DomainVerifyDelay %s: want 0 (verify through the admin API only) or a positive duration", cfg.DomainVerifyDelay)
	}
	logSize := cfg.RequestLogSize
	switch {
	case logSize == 0:
		logSize = DefaultRequestLogSize
	case logSize < 0:
		logSize = 0
	case logSize > MaxRequestLogSize:
		return nil, fmt.Errorf("emulator: request log size %d exceeds the maximum of %d", logSize, MaxRequestLogSize)
	}
	st, err := store.Open(cfg.DataFile)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:     cfg,
		store:   st,
		tokens:  make(map[string]string, len(cfg.Tokens)),
		prov:    prov,
		faults:  newFaultInjector(cfg.Faults),
		limiter: newRateLimiter(cfg.RateLimit),
		reqlog:  newRequestLog(logSize),
	}
	for tok, org := range cfg.Tokens {
		s.tokens[tok] = org
	}
	if err := s.migrate(); err != nil {
		_ = st.Close()
		return nil, err
	}
	if err := s.sweepExpiredIdempotency(s.now()); err != nil { // a restarted emulator sweeps too
		_ = st.Close()
		return nil, err
	}
	s.stats.reset()
	if err := s.buildMux(); err != nil {
		_ = st.Close()
		return nil, err
	}
	return s, nil
}

// Close releases the store; later calls return the first call's result.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		s.mu.Lock()
		defer s.mu.Unlock()
		s.closeErr = s.store.Close()
	})
	return s.closeErr
}

// ready reports why the server cannot serve requests, or nil.
func (s *Server) ready() error {
	if s.closed.Load() {
		return errors.New("the store is closed")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, _, err := s.store.Get(store.KindPlans, "readyz-probe"); err != nil {
		return fmt.Errorf("the store does not answer: %w", err)
	}
	return nil
}

// Routes lists "METHOD pattern" of every /v1 route, sorted.
func (s *Server) Routes() []string { return slices.Clone(s.routes) }

func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Server) v1Routes() []route {
	return []route{
		{"GET", api.RoutePlans, s.listPlans},
		{"POST", api.RoutePlans, s.createPlan},
		{"GET", api.RoutePlan, s.getPlan},
		{"PATCH", api.RoutePlan, s.updatePlan},
		{"DELETE", api.RoutePlan, noBody(s.deletePlan)},
		{"GET", api.RouteWorkspaces, s.listWorkspaces},
		{"POST", api.RouteWorkspaces, s.createWorkspace},
		{"GET", api.RouteWorkspace, s.getWorkspace},
		{"PATCH", api.RouteWorkspace, s.updateWorkspace},
		{"DELETE", api.RouteWorkspace, noBody(s.deleteWorkspace)},
		{"GET", api.RouteDomains, s.listDomains},
		{"POST", api.RouteDomains, s.createDomain},
		{"GET", api.RouteDomain, s.getDomain},
		{"DELETE", api.RouteDomain, noBody(s.deleteDomain)},
		{"GET", api.RouteFirewallRules, s.listFirewallRules},
		{"POST", api.RouteFirewallRules, s.createFirewallRule},
		{"PUT", api.RouteFirewallRules, s.replaceFirewallRules},
		{"DELETE", api.RouteFirewallRules, noBody(s.releaseFirewallRules)},
		{"GET", api.RouteFirewallRule, s.getFirewallRule},
		{"PATCH", api.RouteFirewallRule, s.updateFirewallRule},
		{"DELETE", api.RouteFirewallRule, noBody(s.deleteFirewallRule)},
		{"GET", api.RouteStaticIPs, s.listStaticIPs},
		{"POST", api.RouteStaticIPs, s.createStaticIP},
		{"GET", api.RouteStaticIP, s.getStaticIP},
		{"PATCH", api.RouteStaticIP, s.updateStaticIP},
		{"DELETE", api.RouteStaticIP, noBody(s.deleteStaticIP)},
		{"POST", api.RouteAdminTokens, noBody(s.createAdminToken)},
		{"POST", api.RouteExports, s.createExport},
		{"GET", api.RouteExport, s.getExport},
		{"POST", api.RouteDomainVerify, s.verifyDomain},
	}
}

func (s *Server) buildMux() error {
	mux := &countingMux{ServeMux: http.NewServeMux(), stats: &s.stats}
	allowed := map[string][]string{}
	for _, rt := range s.v1Routes() {
		mux.Handle(rt.method+" "+rt.pattern, s.v1Handler(rt.h, routeQuery[rt.method+" "+rt.pattern]))
		allowed[rt.pattern] = append(allowed[rt.pattern], rt.method)
		s.routes = append(s.routes, rt.method+" "+rt.pattern)
	}
	for _, rt := range s.adminRoutes() {
		mux.Handle(rt.method+" "+rt.pattern, s.adminHandler(rt.h, routeQuery[rt.method+" "+rt.pattern], adminLock(rt.method, rt.pattern)))
		allowed[rt.pattern] = append(allowed[rt.pattern], rt.method)
	}
	// A path that exists with another method answers 405 with Allow.
	for pattern, methods := range allowed {
		allow := strings.Join(methods, ", ")
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			e := errStatus(http.StatusMethodNotAllowed, "method %s is not allowed on %s; allowed methods: %s", r.Method, r.URL.Path, allow)
			e.header = http.Header{"Allow": {allow}}
			writeProblem(w, e)
		})
	}
	mux.HandleFunc("GET /openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		writeRaw(w, http.StatusOK, "application/yaml", OpenAPIDocument())
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeRaw(w, http.StatusOK, "application/json", []byte(`{"status":"ok"}`))
	})
	// /readyz: the store is open and answers; CI wait loops poll it.
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := s.ready(); err != nil {
			e := errStatus(http.StatusServiceUnavailable, "the emulator is not ready: %v", err)
			e.header = http.Header{"Retry-After": {"1"}}
			writeProblem(w, e)
			return
		}
		writeRaw(w, http.StatusOK, "application/json", []byte(`{"status":"ready"}`))
	})
	if err := s.mountConsole(mux); err != nil {
		return err
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, errStatus(http.StatusNotFound, "no route %s %s", r.Method, r.URL.Path))
	})
	sort.Strings(s.routes)
	s.mux = mux.ServeMux
	return nil
}

// countingMux registers handlers that first count their request under its
// route key (before the handler runs, so DELETE /admin/v1/stats leaves the
// counters at zero).
type countingMux struct {
	*http.ServeMux
	stats *statsCounter
}

func (m *countingMux) Handle(pattern string, h http.Handler) {
	m.ServeMux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		m.stats.route(routeKey(r.Method, r.Pattern))
		h.ServeHTTP(w, r)
	})
}

func (m *countingMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(h))
}

// ServeHTTP routes the request; a panic in a handler answers 500. Every
// request is counted (under a key of a fixed set, see countingMux) and,
// under /v1, entered in the request log.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start, at := time.Now(), s.now()
	// Every answer carries a request ID of its own (a client's value is not
	// trusted: it would let one request pose as another in the logs).
	id := newID("req")
	w.Header().Set(api.RequestIDHeader, id)
	rec := &recorder{ResponseWriter: w}
	defer s.finish(rec, r, id, at, start)
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler { //nolint:errorlint // sentinel value, compared as net/http does
				panic(v)
			}
			log.Printf("rocketchat-emulator: panic serving %s %s: %v", standardMethod(r.Method), r.Pattern, v)
			writeProblem(rec, errStatus(http.StatusInternalServerError, "internal error: the emulator failed to handle the request"))
		}
	}()
	if isV1(r.URL.Path) {
		s.stats.v1(r.Method)
	}
	s.mux.ServeHTTP(rec, r)
}

func isV1(p string) bool { return strings.HasPrefix(p, "/v1/") || p == "/v1" }

// finish logs a served API request. r.Pattern is the pattern the mux
// matched (it sets it on r).
func (s *Server) finish(rec *recorder, r *http.Request, id string, at, start time.Time) {
	if isV1(r.URL.Path) {
		s.reqlog.add(rec.entry(r, id, at, time.Since(start)))
	}
}

// request is one authenticated, routed request.
type request struct {
	id   string // the X-Request-Id of the answer
	r    *http.Request
	org  string
	body []byte
	now  time.Time
	ops  []store.Op // writes, applied atomically after the handler returns
	// etag is the version of a versioned collection (a workspace's firewall
	// rules) the handler read or wrote, answered as the ETag header.
	etag string
}

func (q *request) path(name string) string { return q.r.PathValue(name) }

// decode strictly decodes the request body.
func (q *request) decode(v any) error { return decodeBody(q.body, v) }

// put queues a write of an object.
func (q *request) put(kind, id string, v any) error {
	b, err := marshal(v)
	if err != nil {
		return err
	}
	q.ops = append(q.ops, store.Op{Kind: kind, ID: id, Value: b})
	return nil
}

// del queues a delete.
func (q *request) del(kind, id string) { q.ops = append(q.ops, store.Op{Kind: kind, ID: id}) }

func isMutating(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// answer is an encoded response.
// textAnswer is a handler's answer that is plain text, not JSON.
type textAnswer string

type answer struct {
	Status      int    `json:"status"`
	ContentType string `json:"content_type,omitempty"`
	Body        []byte `json:"body,omitempty"`
	ETag        string `json:"etag,omitempty"`
}

func (q *request) errorAnswer(err error) answer {
	e := asHTTPError(err)
	return answer{Status: e.status, ContentType: api.ProblemContentType, Body: problemBody(e, q.id)}
}

// run executes a handler (the caller holds the data lock and commits the
// writes the handler queued) and renders its answer.
func (s *Server) run(q *request, h handlerFunc) answer {
	status, v, err := h(q)
	if err != nil {
		a := q.errorAnswer(err)
		a.ETag = q.etag // a 412 names the current version
		return a
	}
	a := answer{Status: status, ETag: q.etag}
	if t, ok := v.(textAnswer); ok {
		a.ContentType, a.Body = "text/plain; charset=utf-8", []byte(t)
		return a
	}
	if v != nil {
		b, err := marshal(v)
		if err != nil {
			return q.errorAnswer(err)
		}
		a.ContentType, a.Body = "application/json", b
	}
	return a
}

// commit applies the queued writes (plus extra ones) atomically.
func (s *Server) commit(q *request, extra ...store.Op) error {
	ops := make([]store.Op, 0, len(q.ops)+len(extra))
	ops = append(ops, q.ops...)
	ops = append(ops, extra...)
	if len(ops) == 0 {
		return nil
	}
	if err := s.store.Apply(ops); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}
