package console_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/console"
)

const (
	apiToken   = "console-token-acme"
	otherToken = "console-token-globex"
	adminToken = "console-admin-token"
)

// env is an in-memory emulator served over HTTP, with Dedicated workspaces
// waiting for a manual approval.
type env struct {
	t   testing.TB
	srv *emulator.Server
	url string
}

func newEnv(t testing.TB, mods ...func(*emulator.Config)) *env {
	t.Helper()
	cfg := emulator.Config{
		Tokens:     map[string]string{apiToken: "acme", otherToken: "globex"},
		AdminToken: adminToken,
		Provisioning: map[catalog.Tier]emulator.ProvisioningConfig{
			catalog.Dedicated: {Mode: catalog.ProvisionManual},
		},
	}
	for _, m := range mods {
		m(&cfg)
	}
	srv, err := emulator.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	return &env{t: t, srv: srv, url: ts.URL}
}

// call is a /v1 request as an organization; it returns the status and body.
func (e *env) call(token, method, path string, body any) (int, []byte, http.Header) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.url+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out, res.Header
}

func (e *env) create(token, path string, body any) map[string]any {
	e.t.Helper()
	code, out, _ := e.call(token, "POST", path, body)
	if code != http.StatusCreated && code != http.StatusAccepted {
		e.t.Fatalf("POST %s: %d %s", path, code, out)
	}
	var m map[string]any
	_ = json.Unmarshal(out, &m)
	return m
}

// workspace creates a plan of the tier and a workspace on it.
func (e *env) workspace(token, tier, subdomain string) (planID, wsID string) {
	e.t.Helper()
	plan := e.create(token, api.RoutePlans, planBody(tier))
	ws := e.create(token, api.RouteWorkspaces, map[string]any{"name": "WS " + subdomain, "subdomain": subdomain, "plan_id": plan["id"]})
	return plan["id"].(string), ws["id"].(string)
}

// planBody is a plan of the tier in the tier's first region.
func planBody(tier string) map[string]any {
	spec, _ := catalog.Lookup(catalog.Tier(tier))
	return map[string]any{"tier": tier, "region": catalog.RegionsFor(spec)[0]}
}

// browser is an HTTP client with a cookie jar that does not follow redirects.
type browser struct {
	t    testing.TB
	e    *env
	c    *http.Client
	csrf string
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type page struct {
	code   int
	header http.Header
	body   string
}

func (b *browser) get(path string) page {
	b.t.Helper()
	res, err := b.c.Get(b.e.url + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	p := page{res.StatusCode, res.Header, string(out)}
	if m := csrfRE.FindStringSubmatch(p.body); m != nil {
		b.csrf = m[1]
	}
	return p
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.e.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return page{res.StatusCode, res.Header, string(out)}
}

// login logs in with the token and returns the answer to the form.
func (b *browser) login(token string) page {
	b.t.Helper()
	if p := b.get("/console/login"); p.code != http.StatusOK {
		b.t.Fatalf("login page: %d %s", p.code, p.body)
	}
	return b.post("/console/login", url.Values{"csrf": {b.csrf}, "token": {token}})
}

func (b *browser) mustLogin() {
	b.t.Helper()
	if p := b.login(adminToken); p.code != http.StatusSeeOther || p.header.Get("Location") != "/console/" {
		b.t.Fatalf("login: %d %v %s", p.code, p.header, p.body)
	}
	if p := b.get("/console/"); p.code != http.StatusOK {
		b.t.Fatalf("organizations: %d", p.code)
	}
}

func TestConsoleOffWithoutAdminAPI(t *testing.T) {
	e := newEnv(t, func(c *emulator.Config) { c.AdminToken = "" })
	for _, p := range []string{"/console/", "/console/login", "/console/static/console.js"} {
		if got := e.browser().get(p); got.code != http.StatusNotFound {
			t.Errorf("GET %s without an admin API: %d, want 404", p, got.code)
		}
	}
}

func TestLoginSession(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	// Every page sends an anonymous browser to the login page.
	for _, p := range []string{"/console/", "/console/orgs/acme", "/console/pending", "/console/requests", "/console/faults", "/console/dns", "/console/tiers"} {
		if got := b.get(p); got.code != http.StatusSeeOther || got.header.Get("Location") != "/console/login" {
			t.Errorf("GET %s anonymous: %d %s", p, got.code, got.header.Get("Location"))
		}
	}
	if got := b.get("/console/requests.json"); got.code != http.StatusUnauthorized {
		t.Errorf("requests.json anonymous: %d", got.code)
	}
	// A wrong token: 401, no session.
	for _, tok := range []string{"wrong", apiToken, "", adminToken + "x"} {
		if p := b.login(tok); p.code != http.StatusUnauthorized && p.code != http.StatusBadRequest {
			t.Errorf("login with %q: %d", tok, p.code)
		}
		if got := b.get("/console/"); got.code != http.StatusSeeOther {
			t.Fatalf("after a wrong token the console answers %d", got.code)
		}
	}
	// The login form's CSRF token is required.
	b.get("/console/login")
	if p := b.post("/console/login", url.Values{"token": {adminToken}}); p.code != http.StatusForbidden {
		t.Errorf("login without the form's CSRF token: %d", p.code)
	}
	if p := b.post("/console/login", url.Values{"token": {adminToken}, "csrf": {strings.Repeat("0", 64)}}); p.code != http.StatusForbidden {
		t.Errorf("login with a wrong CSRF token: %d", p.code)
	}
	// The right token: a session cookie that is not the token.
	p := b.login(adminToken)
	if p.code != http.StatusSeeOther {
		t.Fatalf("login: %d %s", p.code, p.body)
	}
	var sess *http.Cookie
	for _, c := range (&http.Response{Header: p.header}).Cookies() {
		if c.Name == "rc_console" {
			sess = c
		}
	}
	if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteStrictMode || sess.Path != "/console/" || len(sess.Value) != 64 {
		t.Fatalf("session cookie %+v", sess)
	}
	if strings.Contains(sess.Value, adminToken) || strings.Contains(p.header.Get("Location"), adminToken) {
		t.Fatal("the admin token leaks into the cookie or the redirect")
	}
	for _, path := range []string{"/console/", "/console/pending", "/console/requests", "/console/faults", "/console/dns", "/console/tiers", "/console/orgs/acme"} {
		got := b.get(path)
		if got.code != http.StatusOK {
			t.Errorf("GET %s: %d %s", path, got.code, got.body)
		}
		if strings.Contains(got.body, adminToken) {
			t.Errorf("GET %s shows the admin token", path)
		}
		checkHeaders(t, path, got.header)
	}
	// Log out: the session ends on the server too.
	if got := b.post("/console/logout", url.Values{"csrf": {b.csrf}}); got.code != http.StatusSeeOther {
		t.Fatalf("logout: %d", got.code)
	}
	replay := e.browser()
	u, _ := url.Parse(e.url + "/console/")
	replay.c.Jar.SetCookies(u, []*http.Cookie{{Name: "rc_console", Value: sess.Value}})
	if got := replay.get("/console/"); got.code != http.StatusSeeOther {
		t.Fatalf("the session cookie still works after logout: %d", got.code)
	}
}

func checkHeaders(t *testing.T, path string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("%s: CSP %q lacks %q", path, csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("%s: CSP %q allows inline code", path, csp)
	}
	for k, want := range map[string]string{"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %s = %q, want %q", path, k, got, want)
		}
	}
}

// Wrong tokens from one address: after MaxLoginFailures the login answers
// 429 with Retry-After, even with the right token, and makes no session.
func TestLoginThrottled(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	for i := range console.MaxLoginFailures {
		if p := b.login(fmt.Sprintf("guess-%d", i)); p.code != http.StatusUnauthorized {
			t.Fatalf("wrong token %d: %d", i, p.code)
		}
	}
	p := b.login(adminToken)
	if p.code != http.StatusTooManyRequests || p.header.Get("Retry-After") == "" || !strings.Contains(p.body, "Too many wrong tokens") {
		t.Fatalf("after %d wrong tokens: %d Retry-After %q", console.MaxLoginFailures, p.code, p.header.Get("Retry-After"))
	}
	if got := b.get("/console/"); got.code != http.StatusSeeOther {
		t.Fatalf("a refused login made a session (%d)", got.code)
	}
}

func TestSessionTableBounded(t *testing.T) {
	e := newEnv(t)
	first := e.browser()
	first.mustLogin()
	for i := 0; i < 40; i++ {
		e.browser().mustLogin()
	}
	// The oldest session was evicted to make room; the table never grew past its bound.
	if got := first.get("/console/"); got.code != http.StatusSeeOther {
		t.Fatalf("the oldest of 41 sessions still works (%d): the table is not bounded", got.code)
	}
}

// TestCSRF: a state-changing form without the session's CSRF token, with a
// wrong one, or from another origin is refused and changes nothing.
func TestCSRF(t *testing.T) {
	e := newEnv(t)
	_, wsID := e.workspace(apiToken, "dedicated", "csrf-ws")
	b := e.browser()
	b.mustLogin()
	good := b.csrf
	for name, form := range map[string]url.Values{
		"missing": {"workspace_id": {wsID}},
		"wrong":   {"workspace_id": {wsID}, "csrf": {strings.Repeat("a", 64)}},
		"empty":   {"workspace_id": {wsID}, "csrf": {""}},
		"prefix":  {"workspace_id": {wsID}, "csrf": {good[:32]}},
	} {
		if p := b.post("/console/pending/approve", form); p.code != http.StatusForbidden {
			t.Errorf("%s CSRF token: %d, want 403", name, p.code)
		}
	}
	// Another origin, with the right token (as if it had leaked).
	req, _ := http.NewRequest("POST", e.url+"/console/pending/approve", strings.NewReader(url.Values{"workspace_id": {wsID}, "csrf": {good}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://evil.example")
	if res, err := b.c.Do(req); err != nil || res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin post: %v %v", res.StatusCode, err)
	}
	// Another session's CSRF token does not work in this one.
	other := e.browser()
	other.mustLogin()
	if p := b.post("/console/pending/approve", url.Values{"workspace_id": {wsID}, "csrf": {other.csrf}}); p.code != http.StatusForbidden {
		t.Errorf("another session's CSRF token: %d", p.code)
	}
	// Every other form refuses it too.
	for _, path := range []string{"/console/pending/verify", "/console/faults", "/console/dns", "/console/orgs/acme/reset", "/console/orgs/acme/snapshot", "/console/logout"} {
		if p := b.post(path, url.Values{}); p.code != http.StatusForbidden {
			t.Errorf("POST %s without a CSRF token: %d", path, p.code)
		}
	}
	if code, body, _ := e.call(apiToken, "GET", "/v1/workspaces/"+wsID, nil); code != 200 || !strings.Contains(string(body), `"status":"pending"`) {
		t.Fatalf("the workspace changed: %d %s", code, body)
	}
	if f := e.browser(); f.get("/console/faults").code != http.StatusSeeOther {
		t.Fatal("unexpected")
	}
	// With the token, Approve works.
	if p := b.post("/console/pending/approve", url.Values{"workspace_id": {wsID}, "csrf": {good}}); p.code != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", p.code, p.body)
	}
	if _, body, _ := e.call(apiToken, "GET", "/v1/workspaces/"+wsID, nil); !strings.Contains(string(body), `"status":"ready"`) {
		t.Fatalf("not approved: %s", body)
	}
	// Approving again is the admin API's 409, shown on the page.
	if p := b.post("/console/pending/approve", url.Values{"workspace_id": {wsID}, "csrf": {good}}); p.code != http.StatusConflict || !strings.Contains(p.body, "nothing pending") {
		t.Fatalf("second approve: %d %s", p.code, p.body)
	}
}

func TestStrictInput(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.mustLogin()
	for _, path := range []string{
		"/console/?x=1", "/console/?page_size=0", "/console/?page_size=100000", "/console/?after=a&after=b",
		"/console/orgs/acme?page_size=101", "/console/orgs/acme?cursor=bogus", "/console/orgs/acme?token=x",
		"/console/requests?status=teapot", "/console/requests?limit=501", "/console/requests?debug=1",
		"/console/faults?done=pwned", "/console/tiers?x", "/console/pending?org=a&org=b",
		"/console/requests?org=" + strings.Repeat("a", 300),
	} {
		if p := b.get(path); p.code != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 400", path, p.code)
		}
	}
	if p := b.get("/console/requests.json?nope=1"); p.code != http.StatusBadRequest || !strings.Contains(p.body, "nope") {
		t.Errorf("requests.json with an unknown parameter: %d %s", p.code, p.body)
	}
	for _, org := range []string{"nobody", strings.Repeat("a", 64), "%3Cscript%3E"} {
		if p := b.get("/console/orgs/" + org); p.code != http.StatusNotFound || strings.Contains(p.body, "<script>") {
			t.Errorf("unknown organization %s: %d", org, p.code)
		}
		if p := b.post("/console/orgs/"+org+"/snapshot", url.Values{"csrf": {b.csrf}}); p.code != http.StatusNotFound {
			t.Errorf("snapshot of unknown organization %s: %d", org, p.code)
		}
	}
	if p := b.get("/console/nothing-here"); p.code != http.StatusNotFound {
		t.Errorf("unknown page: %d", p.code)
	}
	// A form with a query string, an unknown field, a repeated field, or another media type is refused.
	b.get("/console/faults")
	if p := b.post("/console/faults?x=1", url.Values{"csrf": {b.csrf}}); p.code != http.StatusBadRequest {
		t.Errorf("form with a query: %d", p.code)
	}
	if p := b.post("/console/faults", url.Values{"csrf": {b.csrf}, "error_rate": {"0"}, "debug": {"1"}}); p.code != http.StatusBadRequest {
		t.Errorf("unknown form field: %d", p.code)
	}
	if p := b.post("/console/faults", url.Values{"csrf": {b.csrf}, "error_rate": {"0", "1"}}); p.code != http.StatusBadRequest {
		t.Errorf("repeated form field: %d", p.code)
	}
	req, _ := http.NewRequest("POST", e.url+"/console/faults", strings.NewReader(`{"error_rate":1}`))
	req.Header.Set("Content-Type", "application/json")
	if res, _ := b.c.Do(req); res.StatusCode != http.StatusBadRequest {
		t.Errorf("JSON form: %d", res.StatusCode)
	}
	big := url.Values{"csrf": {b.csrf}, "txt": {strings.Repeat("x", 20<<10)}, "name": {"a.example"}}
	if p := b.post("/console/dns", big); p.code != http.StatusBadRequest {
		t.Errorf("oversized form: %d", p.code)
	}
}

func TestEstatePages(t *testing.T) {
	e := newEnv(t)
	var plans []string
	for i := 0; i < 45; i++ {
		plan := e.create(apiToken, api.RoutePlans, planBody("premium"))
		plans = append(plans, plan["id"].(string))
	}
	ws := e.create(apiToken, api.RouteWorkspaces, map[string]any{"name": "Main", "subdomain": "acme-main", "plan_id": plans[0]})
	wsID := ws["id"].(string)
	dom := e.create(apiToken, "/v1/workspaces/"+wsID+"/domains", map[string]any{"hostname": "chat.acme.example"})
	rule := e.create(apiToken, "/v1/workspaces/"+wsID+"/firewall-rules", map[string]any{"cidr": "10.0.0.0/8", "action": "allow", "protocol": "tcp", "priority": 10})
	ip := e.create(apiToken, "/v1/workspaces/"+wsID+"/static-ips", map[string]any{"purpose": "outbound"})
	_, otherWS := e.workspace(otherToken, "standard", "globex-one")

	b := e.browser()
	b.mustLogin()
	orgs := b.get("/console/")
	for _, want := range []string{`href="/console/orgs/acme"`, `href="/console/orgs/globex"`, ">45<"} {
		if !strings.Contains(orgs.body, want) {
			t.Errorf("organizations page lacks %q", want)
		}
	}
	// Organizations page by page, by name.
	first := b.get("/console/?page_size=1")
	if !strings.Contains(first.body, `href="/console/orgs/acme"`) || strings.Contains(first.body, `href="/console/orgs/globex"`) || !strings.Contains(first.body, `href="/console/?after=acme&amp;page_size=1"`) {
		t.Errorf("first page of one organization: %s", first.body)
	}
	second := b.get("/console/?after=acme&page_size=1")
	if !strings.Contains(second.body, `href="/console/orgs/globex"`) || strings.Contains(second.body, `href="/console/orgs/acme"`) || strings.Contains(second.body, "after=") {
		t.Errorf("second page: %s", second.body)
	}
	p := b.get("/console/orgs/acme")
	for _, id := range []string{plans[0], wsID, dom["id"].(string), rule["id"].(string), ip["id"].(string), "chat.acme.example", "10.0.0.0/8"} {
		if !strings.Contains(p.body, id) {
			t.Errorf("estate page 1 lacks %s", id)
		}
	}
	// The workspace's deletion protection (on by default) shows beside its status.
	if !regexp.MustCompile(`id="` + wsID + `"[^\n]*\n<span class="badge protected"[^>]*>deletion protection</span>`).MatchString(p.body) {
		t.Errorf("the protected workspace %s shows no deletion protection badge", wsID)
	}
	if strings.Contains(p.body, otherWS) || strings.Contains(p.body, plans[20]) {
		t.Error("page 1 shows another organization's workspace or a later page's plan")
	}
	seen := map[string]bool{}
	path := "/console/orgs/acme?page_size=20"
	for pages := 0; path != ""; pages++ {
		if pages > 3 {
			t.Fatal("too many pages")
		}
		p := b.get(path)
		if p.code != 200 {
			t.Fatalf("%s: %d %s", path, p.code, p.body)
		}
		for _, id := range plans {
			if strings.Contains(p.body, `id="`+id+`"`) {
				if seen[id] {
					t.Fatalf("plan %s on two pages", id)
				}
				seen[id] = true
			}
		}
		path = ""
		if m := regexp.MustCompile(`href="(/console/orgs/acme\?cursor=[^"]+)"`).FindStringSubmatch(p.body); m != nil {
			path = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
	if len(seen) != 45 {
		t.Fatalf("the pages showed %d of 45 plans", len(seen))
	}
	// A cursor of another organization's list is refused.
	_, body, _ := e.call(otherToken, "GET", api.RoutePlans+"?page_size=1", nil)
	_ = body
	code, body, _ := e.call(apiToken, "GET", api.RoutePlans+"?page_size=1", nil)
	var list struct {
		NextCursor string `json:"next_cursor"`
	}
	_ = json.Unmarshal(body, &list)
	if code != 200 || list.NextCursor == "" {
		t.Fatalf("API list: %d %s", code, body)
	}
	if p := b.get("/console/orgs/acme?cursor=" + list.NextCursor); p.code != 200 {
		t.Errorf("the API's cursor on the console: %d", p.code)
	}
	if p := b.get("/console/orgs/globex?cursor=" + list.NextCursor); p.code != http.StatusBadRequest || !strings.Contains(p.body, "another list") {
		t.Errorf("acme's cursor on globex's page: %d", p.code)
	}
}

func TestPendingVerifyFaultsDNS(t *testing.T) {
	e := newEnv(t)
	_, wsID := e.workspace(apiToken, "premium", "acme-dom")
	dom := e.create(apiToken, "/v1/workspaces/"+wsID+"/domains", map[string]any{"hostname": "chat.acme.example"})
	b := e.browser()
	b.mustLogin()
	p := b.get("/console/pending?org=acme")
	if !strings.Contains(p.body, "chat.acme.example") || !strings.Contains(p.body, "Verify") {
		t.Fatalf("pending page lacks the domain: %s", p.body)
	}
	if got := b.post("/console/pending/verify", url.Values{"csrf": {b.csrf}, "domain_id": {dom["id"].(string)}, "org": {"acme"}}); got.code != http.StatusSeeOther || got.header.Get("Location") != "/console/pending?org=acme&done=verified" {
		t.Fatalf("verify: %d %v", got.code, got.header)
	}
	if p := b.get("/console/pending?org=acme&done=verified"); strings.Contains(p.body, "chat.acme.example") || !strings.Contains(p.body, "Verified") {
		t.Fatalf("after verify: %s", p.body)
	}
	if got := b.post("/console/pending/verify", url.Values{"csrf": {b.csrf}, "domain_id": {"dom-nope"}}); got.code != http.StatusConflict || !strings.Contains(got.body, "not found") {
		t.Fatalf("verify unknown: %d", got.code)
	}

	// Faults: the admin API's own check refuses a rate above 1.
	if got := b.post("/console/faults", url.Values{"csrf": {b.csrf}, "error_rate": {"2"}}); got.code != http.StatusUnprocessableEntity || !strings.Contains(got.body, "between 0 and 1") {
		t.Fatalf("bad fault: %d %s", got.code, got.body)
	}
	if got := b.post("/console/faults", url.Values{"csrf": {b.csrf}, "latency": {"soon"}}); got.code != http.StatusUnprocessableEntity || !strings.Contains(got.body, "latency") {
		t.Fatalf("bad latency: %d", got.code)
	}
	if got := b.post("/console/faults", url.Values{"csrf": {b.csrf}, "error_rate": {"0.25"}, "latency": {"5ms"}, "seed": {"7"}}); got.code != http.StatusSeeOther {
		t.Fatalf("faults: %d %s", got.code, got.body)
	}
	p = b.get("/console/faults")
	if !strings.Contains(p.body, `value="0.25"`) || !strings.Contains(p.body, `value="5ms"`) {
		t.Fatalf("faults page: %s", p.body)
	}
	b.post("/console/faults", url.Values{"csrf": {b.csrf}})

	// DNS.
	if got := b.post("/console/dns", url.Values{"csrf": {b.csrf}, "name": {"_rocketchat-challenge.chat.acme.example"}, "txt": {"one\ntwo"}}); got.code != http.StatusSeeOther {
		t.Fatalf("dns: %d %s", got.code, got.body)
	}
	if p := b.get("/console/dns"); !strings.Contains(p.body, "_rocketchat-challenge.chat.acme.example") || !strings.Contains(p.body, "<code>two</code>") {
		t.Fatalf("dns page: %s", p.body)
	}
	if got := b.post("/console/dns", url.Values{"csrf": {b.csrf}, "name": {"bad name"}, "txt": {"x"}}); got.code != http.StatusUnprocessableEntity || !strings.Contains(got.body, "not a DNS name") {
		t.Fatalf("bad dns name: %d", got.code)
	}
}

func TestRequestLogFilters(t *testing.T) {
	e := newEnv(t)
	e.workspace(otherToken, "standard", "taken")
	_, _, _ = e.call(apiToken, "GET", api.RoutePlans, nil)
	plan := e.create(apiToken, api.RoutePlans, planBody("standard"))
	code, _, h := e.call(apiToken, "POST", api.RouteWorkspaces, map[string]any{"name": "X", "subdomain": "taken", "plan_id": plan["id"]})
	if code != http.StatusConflict {
		t.Fatalf("taken subdomain: %d", code)
	}
	failed := h.Get(api.RequestIDHeader)
	b := e.browser()
	b.mustLogin()
	var doc struct {
		Items []struct {
			RequestID string `json:"request_id"`
			Status    int    `json:"status"`
			Org       string `json:"org"`
			Problem   *struct {
				Errors []struct{ Field, Rule string }
			} `json:"problem"`
		} `json:"items"`
	}
	p := b.get("/console/requests.json?request_id=" + failed)
	if err := json.Unmarshal([]byte(p.body), &doc); err != nil || len(doc.Items) != 1 {
		t.Fatalf("by request ID: %v %s", err, p.body)
	}
	if it := doc.Items[0]; it.Status != 409 || it.Org != "acme" || it.Problem == nil || it.Problem.Errors[0].Field != "subdomain" || it.Problem.Errors[0].Rule != "unique" {
		t.Fatalf("entry %+v", it)
	}
	p = b.get("/console/requests.json?org=acme&status=2xx")
	_ = json.Unmarshal([]byte(p.body), &doc)
	if len(doc.Items) != 2 {
		t.Fatalf("acme's 2xx: %s", p.body)
	}
	for _, status := range []string{"error", "4xx", "409"} {
		p = b.get("/console/requests.json?org=acme&status=" + status)
		_ = json.Unmarshal([]byte(p.body), &doc)
		if len(doc.Items) != 1 || doc.Items[0].RequestID != failed {
			t.Fatalf("status=%s: %s", status, p.body)
		}
	}
	p = b.get("/console/requests?status=error&request_id=" + failed)
	for _, want := range []string{failed, "<code>subdomain</code>: unique", "409"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("request log page lacks %q", want)
		}
	}
	if p := b.get("/console/requests?limit=1"); strings.Count(p.body, "<tr") != 2 {
		t.Errorf("limit=1 shows %d rows", strings.Count(p.body, "<tr")-1)
	}
}

func TestSnapshotAndReset(t *testing.T) {
	e := newEnv(t)
	_, acmeWS := e.workspace(apiToken, "standard", "acme-one")
	_, globexWS := e.workspace(otherToken, "standard", "globex-one")
	b := e.browser()
	b.mustLogin()
	if p := b.get("/console/orgs/acme/manage"); p.code != 200 || !strings.Contains(p.body, "Type <code>acme</code>") {
		t.Fatalf("manage: %d", p.code)
	}
	p := b.post("/console/orgs/acme/snapshot", url.Values{"csrf": {b.csrf}})
	if p.code != 200 || !strings.Contains(p.header.Get("Content-Disposition"), "snapshot-acme.json") {
		t.Fatalf("snapshot: %d %v", p.code, p.header)
	}
	doc, err := emulator.DecodeSeed("download", []byte(p.body))
	if err != nil || len(doc.Organizations) != 1 || doc.Organizations[0].Name != "acme" || !strings.Contains(p.body, acmeWS) || strings.Contains(p.body, globexWS) {
		t.Fatalf("snapshot of acme: %v %s", err, p.body)
	}
	// Without the typed name nothing happens.
	if p := b.post("/console/orgs/acme/reset", url.Values{"csrf": {b.csrf}, "confirm": {"globex"}}); p.code != http.StatusUnprocessableEntity {
		t.Fatalf("reset without confirmation: %d", p.code)
	}
	if e.srv.Counts("acme")["workspaces"] != 1 {
		t.Fatal("an unconfirmed reset deleted objects")
	}
	if p := b.post("/console/orgs/acme/reset", url.Values{"csrf": {b.csrf}, "confirm": {"acme"}}); p.code != http.StatusSeeOther {
		t.Fatalf("reset: %d %s", p.code, p.body)
	}
	if c := e.srv.Counts("acme"); c["workspaces"] != 0 || c["plans"] != 0 {
		t.Fatalf("after reset: %v", c)
	}
	if e.srv.Counts("globex")["workspaces"] != 1 {
		t.Fatal("the reset of acme touched globex")
	}
	// acme's token still works.
	if code, _, _ := e.call(apiToken, "GET", api.RoutePlans, nil); code != 200 {
		t.Fatalf("acme's token after the reset: %d", code)
	}
	if p := b.get("/console/tiers"); !strings.Contains(p.body, "Dedicated") || !strings.Contains(p.body, "<code>max_users</code>") {
		t.Fatalf("tiers: %s", p.body)
	}
}

// TestEscaping: values a tenant controls are shown as text.
func TestEscaping(t *testing.T) {
	e := newEnv(t)
	plan := e.create(apiToken, api.RoutePlans, planBody("premium"))
	ws := e.create(apiToken, api.RouteWorkspaces, map[string]any{"name": `<script>alert(1)</script>`, "subdomain": "esc", "plan_id": plan["id"]})
	e.create(apiToken, fmt.Sprintf("/v1/workspaces/%s/static-ips", ws["id"]), map[string]any{"purpose": "outbound", "description": `"><img src=x onerror=alert(1)>`})
	b := e.browser()
	b.mustLogin()
	p := b.get("/console/orgs/acme")
	if strings.Contains(p.body, "<script>alert") || strings.Contains(p.body, "<img src=x") {
		t.Fatalf("unescaped tenant data: %s", p.body)
	}
}
