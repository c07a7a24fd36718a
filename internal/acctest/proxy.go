package acctest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
)

// Proxy is a reverse proxy in front of the test's emulator, standing for the
// proxies, gateways and load balancers that sit between Terraform and the
// API. It passes everything through until a test installs a middleware that
// answers or rewrites chosen requests, as a misbehaving one would.
type Proxy struct {
	// URL is the proxy's endpoint, for the provider block.
	URL string

	upstream http.Handler
	mu       sync.RWMutex
	mw       func(next http.Handler) http.Handler
}

// Proxy starts a proxy in front of the emulator, stopped when the test ends.
func (e *Env) Proxy() *Proxy {
	target, err := url.Parse(e.URL)
	if err != nil {
		e.t.Fatalf("emulator URL: %v", err)
	}
	p := &Proxy{upstream: &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(target) }}}
	ts := httptest.NewServer(http.HandlerFunc(p.serve))
	e.t.Cleanup(ts.Close)
	p.URL = ts.URL
	return p
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.RLock()
	mw := p.mw
	p.mu.RUnlock()
	if mw == nil {
		p.upstream.ServeHTTP(w, r)
		return
	}
	mw(p.upstream).ServeHTTP(w, r)
}

// Use installs mw for the requests from now on; nil passes everything
// through. It returns a func for a step's PreConfig.
func (p *Proxy) Use(mw func(next http.Handler) http.Handler) func() {
	return func() {
		p.mu.Lock()
		p.mw = mw
		p.mu.Unlock()
	}
}

// ProviderConfig is the provider block pointed at the proxy, without retries,
// so a test sees each odd answer once.
func (p *Proxy) ProviderConfig() string {
	return fmt.Sprintf(`
provider "rocketchat" {
  endpoint    = %q
  token       = %q
  max_retries = 0
}
`, p.URL, Token)
}

// Answer is an answer on its way back through the proxy.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// Rewrite is a middleware that lets the emulator answer each request matched
// by match and then lets change alter the answer before it goes on.
func Rewrite(match func(*http.Request) bool, change func(*http.Request, *Answer)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !match(r) {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			a := &Answer{Status: rec.Code, Header: rec.Header().Clone(), Body: rec.Body.Bytes()}
			change(r, a)
			a.writeTo(w)
		})
	}
}

// Intercept is a middleware that answers each request matched by match
// itself, never passing it to the emulator.
func Intercept(match func(*http.Request) bool, answer func(*http.Request) Answer) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !match(r) {
				next.ServeHTTP(w, r)
				return
			}
			answer(r).writeTo(w)
		})
	}
}

func (a Answer) writeTo(w http.ResponseWriter) {
	for k, v := range a.Header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(a.Body)))
	w.WriteHeader(a.Status)
	_, _ = w.Write(a.Body)
}
