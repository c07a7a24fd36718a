// Package console is the emulator's browser console, served under /console/:
// an operator's view of the estate of every organization, the pending work
// with its Approve and Verify buttons, the request log (live), faults, the
// simulated DNS, snapshots and resets of one organization, and the tier
// matrix.
//
// Pages are rendered on the server (html/template) from the embedded
// templates; the one script (static/console.js) only polls the request log.
// Nothing is fetched from elsewhere: the pages work offline, and the
// Content-Security-Policy allows this origin only.
//
// The console reaches the emulator through Backend, which the emulator
// implements with the very functions its admin API calls.
package console

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
)

// Prefix is where the console is served.
const Prefix = "/console/"

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Security headers of every answer: scripts, styles and images of this
// origin only, no framing, no referrer, forms posted here only.
var securityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	"X-Frame-Options":              "DENY",
	"Referrer-Policy":              "no-referrer",
	"X-Content-Type-Options":       "nosniff",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
}

// Bounds of pages and forms.
const (
	maxFormBytes        = 16 << 10
	defaultEstatePage   = 20
	maxEstatePage       = 100
	estateChildren      = 25
	defaultOrgPage      = 50
	maxOrgPage          = 200
	defaultLogLimit     = 100
	maxLogLimit         = 500
	pendingLimit        = 100
	dnsPage             = 100
	maxQueryValueLength = 256
)

// Handler serves the console.
type Handler struct {
	b        Backend
	sessions *sessions
	throttle *loginThrottle
	pages    map[string]*template.Template
	mux      *http.ServeMux
	static   fs.FS
}

// New returns the console of a backend, guarded by its admin token (the
// emulator mounts it only when its admin API is on). now is the clock (nil:
// time.Now).
func New(b Backend, now func() time.Time) (*Handler, error) {
	if b == nil {
		return nil, errors.New("console: no backend")
	}
	if now == nil {
		now = time.Now
	}
	h := &Handler{b: b, sessions: newSessions(now), throttle: newLoginThrottle(now), pages: map[string]*template.Template{}}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	h.static = static
	if err := h.parseTemplates(); err != nil {
		return nil, err
	}
	h.routes()
	return h, nil
}

func (h *Handler) parseTemplates() error {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	for _, name := range names {
		base := path.Base(name)
		if base == "layout.html" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", name)
		if err != nil {
			return fmt.Errorf("console: template %s: %w", base, err)
		}
		h.pages[strings.TrimSuffix(base, ".html")] = t
	}
	return nil
}

func (h *Handler) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /console/{$}", h.authed(h.organizations))
	m.HandleFunc("GET /console/login", h.loginPage)
	m.HandleFunc("POST /console/login", h.login)
	m.HandleFunc("POST /console/logout", h.authedPost(h.logout))
	m.HandleFunc("GET /console/orgs/{org}", h.authed(h.estate))
	m.HandleFunc("GET /console/orgs/{org}/manage", h.authed(h.manage))
	m.HandleFunc("POST /console/orgs/{org}/snapshot", h.authedPost(h.snapshot))
	m.HandleFunc("POST /console/orgs/{org}/reset", h.authedPost(h.reset))
	m.HandleFunc("GET /console/pending", h.authed(h.pending))
	m.HandleFunc("POST /console/pending/approve", h.authedPost(h.approve))
	m.HandleFunc("POST /console/pending/verify", h.authedPost(h.verify))
	m.HandleFunc("GET /console/requests", h.authed(h.requests))
	m.HandleFunc("GET /console/requests.json", h.authedJSON(h.requestsJSON))
	m.HandleFunc("GET /console/faults", h.authed(h.faults))
	m.HandleFunc("POST /console/faults", h.authedPost(h.setFaults))
	m.HandleFunc("GET /console/dns", h.authed(h.dns))
	m.HandleFunc("POST /console/dns", h.authedPost(h.publishDNS))
	m.HandleFunc("GET /console/tiers", h.authed(h.tiers))
	m.HandleFunc("GET /console/static/{file}", h.serveStatic)
	m.HandleFunc("/console/", func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, nil, http.StatusNotFound, "There is no console page "+r.URL.Path+".")
	})
	h.mux = m
}

// ServeHTTP serves a console request; every answer carries the security
// headers and none is cached (pages show secrets' neighbours and live data).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for k, v := range securityHeaders {
		w.Header().Set(k, v)
	}
	h.mux.ServeHTTP(w, r)
}

// view is what every page template receives.
type view struct {
	Title string
	Nav   string
	CSRF  string
	Note  string // a fixed message after a successful action
	Error string
	Data  any
}

var funcs = template.FuncMap{
	"kinds":    func() []struct{ Name, Label string } { return kinds },
	"time":     func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") },
	"badge":    badgeClass,
	"codeText": codeSegments,
	"pathEsc":  url.PathEscape,
	"join":     strings.Join,
	"add":      func(a, b int) int { return a + b },
}

// badgeClass maps a status or tier to a CSS class.
func badgeClass(s string) string {
	switch s {
	case "ready", "active", "verified", "issued", "standard":
		return "badge ok " + s
	case "pending", "upgrading", "premium":
		return "badge wait " + s
	case "dedicated":
		return "badge strong " + s
	}
	return "badge " + s
}

// segment is a piece of catalog text: code (between backticks) or not.
type segment struct {
	Text string
	Code bool
}

func codeSegments(s string) []segment {
	parts := strings.Split(s, "`")
	out := make([]segment, 0, len(parts))
	for i, p := range parts {
		if p != "" {
			out = append(out, segment{Text: p, Code: i%2 == 1})
		}
	}
	return out
}

// render writes a page. Rendering to a buffer first means a template error
// answers 500, not half a page.
func (h *Handler) render(w http.ResponseWriter, status int, page string, v view) {
	t := h.pages[page]
	var buf bytes.Buffer
	if t == nil {
		http.Error(w, "console: no page "+page, http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		log.Printf("rocketchat-emulator: console page %s: %v", page, err)
		http.Error(w, "console: the page failed to render", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail answers an error page (the layout, with the session's navigation
// when there is one).
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, sess *session, status int, msg string) {
	v := view{Title: http.StatusText(status), Error: msg}
	if sess == nil {
		sess = h.sessions.get(r)
	}
	if sess != nil {
		v.CSRF = sess.csrf
	}
	h.render(w, status, "error", v)
}

// ---- access ----

type pageFunc func(w http.ResponseWriter, r *http.Request, sess *session)

// authed serves a page to a logged-in browser; others go to the login page.
func (h *Handler) authed(f pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess := h.sessions.get(r)
		if sess == nil {
			http.Redirect(w, r, Prefix+"login", http.StatusSeeOther)
			return
		}
		f(w, r, sess)
	}
}

// authedJSON serves a JSON endpoint to a logged-in browser (401 otherwise).
func (h *Handler) authedJSON(f pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess := h.sessions.get(r)
		if sess == nil {
			writeJSONError(w, http.StatusUnauthorized, "log in to the console first")
			return
		}
		f(w, r, sess)
	}
}

// authedPost serves a state-changing form: a live session, a same-origin
// request and the session's CSRF token in the form, or 403 and nothing
// changes. The form is parsed strictly (see readForm) before the check, and
// the handler sees only the checked form.
func (h *Handler) authedPost(f func(w http.ResponseWriter, r *http.Request, sess *session, form url.Values)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess := h.sessions.get(r)
		if sess == nil {
			h.fail(w, r, nil, http.StatusForbidden, "Your console session has ended (or never began): log in again. Nothing was changed.")
			return
		}
		if !sameOrigin(r) {
			h.fail(w, r, sess, http.StatusForbidden, "The form was posted from another site. Nothing was changed.")
			return
		}
		form, err := readForm(w, r)
		if err != nil {
			h.fail(w, r, sess, http.StatusBadRequest, sentence(err)+" Nothing was changed.")
			return
		}
		if !equal(form.Get(csrfField), sess.csrf) {
			h.fail(w, r, sess, http.StatusForbidden, "The form's CSRF token is missing or wrong: reload the page and try again. Nothing was changed.")
			return
		}
		form.Del(csrfField)
		f(w, r, sess, form)
	}
}

// sameOrigin refuses a request that the browser says comes from another
// site: Sec-Fetch-Site, or else an Origin of another host (with
// Referrer-Policy no-referrer a browser sends "Origin: null" for its own
// forms, which proves nothing either way). SameSite=Strict cookies already
// keep such requests out of the session and the CSRF token is the check;
// this one only says so clearly.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" {
		return site == "same-origin" || site == "none"
	}
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	return true
}

// readForm reads a urlencoded form of at most maxFormBytes with no query
// string, every field given once.
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	if r.URL.RawQuery != "" {
		return nil, errors.New("a form post takes no query parameters")
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, errors.New("a form post must be application/x-www-form-urlencoded")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return nil, fmt.Errorf("the form cannot be read (at most %d bytes)", maxFormBytes)
	}
	for k, v := range r.PostForm {
		if len(v) != 1 {
			return nil, fmt.Errorf("the form field %q is given %d times", trunc(k), len(v))
		}
	}
	return r.PostForm, nil
}

// onlyFields refuses a form with a field outside allowed.
func onlyFields(form url.Values, allowed ...string) error {
	for k := range form {
		if !contains(allowed, k) {
			return fmt.Errorf("unknown form field %q (allowed: %s)", trunc(k), strings.Join(allowed, ", "))
		}
	}
	return nil
}

// query parses a page's query string strictly: known parameters only, each
// at most once and of bounded length (as the API does).
func query(r *http.Request, allowed ...string) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, errors.New("the query string is malformed")
	}
	for k, v := range q {
		if !contains(allowed, k) {
			if len(allowed) == 0 {
				return nil, fmt.Errorf("unknown query parameter %q: this page takes none", trunc(k))
			}
			return nil, fmt.Errorf("unknown query parameter %q (allowed: %s)", trunc(k), strings.Join(allowed, ", "))
		}
		if len(v) != 1 {
			return nil, fmt.Errorf("the query parameter %q is given %d times", k, len(v))
		}
		if len(v[0]) > maxQueryValueLength {
			return nil, fmt.Errorf("the query parameter %q is longer than %d characters", k, maxQueryValueLength)
		}
	}
	return q, nil
}

// intParam reads an optional integer parameter in [1, max].
func intParam(q url.Values, name string, def, max int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, fmt.Errorf("%s must be an integer from 1 to %d", name, max)
	}
	return n, nil
}

// sentence shows an error on a page: capitalised, with a full stop.
func sentence(err error) string {
	msg := err.Error()
	if msg == "" {
		return msg
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, ")") {
		msg += "."
	}
	return msg
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func trunc(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

// serveStatic serves an embedded asset.
func (h *Handler) serveStatic(w http.ResponseWriter, r *http.Request) {
	if r.URL.RawQuery != "" {
		http.Error(w, "no query parameters", http.StatusBadRequest)
		return
	}
	name := r.PathValue("file")
	b, err := fs.ReadFile(h.static, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	switch path.Ext(name) {
	case ".js":
		ct = "text/javascript; charset=utf-8"
	case ".css":
		ct = "text/css; charset=utf-8"
	case ".svg":
		ct = "image/svg+xml"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(b)
}
