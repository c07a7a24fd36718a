// Package client is the HTTP client of the Rocket.Chat Cloud API. It knows
// HTTP and the wire types of internal/api only, nothing of Terraform.
//
// Every call is retried on connection errors, 429 and 5xx (except 501) with
// exponential backoff and jitter, honouring Retry-After. Every POST carries an
// Idempotency-Key generated once per call and reused on each retry, so a POST
// whose answer was lost can never create a second object.
//
// Proxies and gateways may sit between the client and the API, so answers
// are not taken on trust: a success answer about another object than the one
// asked for, listing pages that bring nothing new, and an error answer that is
// not the API's own problem document are errors (ErrUntrustedAnswer); only the
// API's own 404 is ErrNotFound. No error text holds the token (see secret).
package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// Defaults applied by New when the Config leaves a value at zero.
const (
	DefaultMaxRetries     = 4
	DefaultRetryWaitMin   = 200 * time.Millisecond
	DefaultRetryWaitMax   = 5 * time.Second
	DefaultRequestTimeout = 30 * time.Second

	// maxResponseBytes bounds how much of an answer is read.
	maxResponseBytes = 16 << 20
	// redactedBearer replaces the Authorization header anywhere it is shown.
	redactedBearer = "Bearer ***"
)

// MaxIdleConnsPerHost is how many keep-alive connections the client keeps
// to the API, enough for Terraform's parallel graph walk.
const MaxIdleConnsPerHost = 32

// Logger receives one Debug line per HTTP attempt. It never sees the token.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// Config configures a Client.
type Config struct {
	// Endpoint is the base URL, e.g. http://127.0.0.1:8080 (without /v1).
	Endpoint string
	// Token is the bearer token. It is never logged.
	Token string
	// UserAgent is sent on every request.
	UserAgent string
	// MaxRetries is the number of retries after the first attempt:
	// DefaultMaxRetries when 0, no retries when negative.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the backoff between attempts
	// (defaults 200ms and 5s). A Retry-After answer may wait longer, up to
	// max(RetryWaitMax, 60s).
	RetryWaitMin, RetryWaitMax time.Duration
	// RequestTimeout bounds each attempt; default 30s.
	RequestTimeout time.Duration
	// CACertPEM is an optional extra CA bundle, appended to the system pool.
	CACertPEM []byte
	// HTTPClient is an optional base client (tests). It is copied, not changed.
	HTTPClient *http.Client
	// Logger is optional.
	Logger Logger
}

// String hides the token so a Config printed by mistake leaks nothing.
func (c Config) String() string {
	tok := ""
	if c.Token != "" {
		tok = "***"
	}
	return fmt.Sprintf("client.Config{Endpoint: %q, Token: %q, UserAgent: %q, MaxRetries: %d}",
		c.Endpoint, tok, c.UserAgent, c.MaxRetries)
}

// GoString hides the token from %#v as well.
func (c Config) GoString() string { return c.String() }

// Client calls the Rocket.Chat Cloud API. It is safe for concurrent use.
type Client struct {
	base      string // endpoint without trailing slash
	secret    secret // the token
	userAgent string
	http      *retryablehttp.Client
	logger    Logger
}

// String describes the client without its token.
func (c Client) String() string { return "rocketchat.Client{Endpoint: " + strconv.Quote(c.base) + "}" }

// GoString hides the token from %#v as well.
func (c Client) GoString() string { return c.String() }

// New checks the configuration and builds a Client.
func New(cfg Config) (*Client, error) {
	base, err := parseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	token := strings.TrimSpace(cfg.Token)
	if token == "" {
		return nil, errors.New("rocketchat client: token must not be empty")
	}
	if strings.ContainsAny(token, "\r\n\x00 \t") {
		return nil, errors.New("rocketchat client: token contains whitespace or control characters")
	}
	if strings.ContainsAny(cfg.UserAgent, "\r\n\x00") {
		return nil, errors.New("rocketchat client: user agent contains control characters")
	}

	maxRetries := cfg.MaxRetries
	switch {
	case maxRetries == 0:
		maxRetries = DefaultMaxRetries
	case maxRetries < 0:
		maxRetries = 0
	}
	waitMin, waitMax := cfg.RetryWaitMin, cfg.RetryWaitMax
	if waitMin <= 0 {
		waitMin = DefaultRetryWaitMin
	}
	if waitMax <= 0 {
		waitMax = DefaultRetryWaitMax
	}
	if waitMax < waitMin {
		return nil, fmt.Errorf("rocketchat client: retry wait max (%s) is below retry wait min (%s)", waitMax, waitMin)
	}
	if cfg.RequestTimeout < 0 {
		return nil, errors.New("rocketchat client: request timeout must not be negative")
	}

	hc, err := buildHTTPClient(cfg, secret(token))
	if err != nil {
		return nil, err
	}

	rc := &retryablehttp.Client{
		HTTPClient:   hc,
		Logger:       nil, // we log each attempt ourselves, without the token
		RetryWaitMin: waitMin,
		RetryWaitMax: waitMax,
		RetryMax:     maxRetries,
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	return &Client{
		base:      base,
		secret:    secret(token),
		userAgent: cfg.UserAgent,
		http:      rc,
		logger:    cfg.Logger,
	}, nil
}

func parseEndpoint(endpoint string) (string, error) {
	endpoint = strings.TrimSpace(endpoint)
	if endpoint == "" {
		return "", errors.New("rocketchat client: endpoint must not be empty")
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", fmt.Errorf("rocketchat client: invalid endpoint: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("rocketchat client: endpoint %q must be an http or https URL", endpoint)
	}
	if u.Host == "" {
		return "", fmt.Errorf("rocketchat client: endpoint %q has no host", endpoint)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("rocketchat client: endpoint %q must not have a query or fragment", endpoint)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func buildHTTPClient(cfg Config, sec secret) (*http.Client, error) {
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	}
	switch {
	case cfg.RequestTimeout > 0:
		hc.Timeout = cfg.RequestTimeout
	case hc.Timeout == 0:
		hc.Timeout = DefaultRequestTimeout
	}

	transport := hc.Transport
	if transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		// Terraform walks the graph with 10 (or more, -parallelism) requests in
		// flight to one host; the default of 2 idle connections per host would
		// open and close a connection for most of them.
		t.MaxIdleConnsPerHost = MaxIdleConnsPerHost
		transport = t
	}
	if len(cfg.CACertPEM) > 0 {
		t, ok := transport.(*http.Transport)
		if !ok {
			return nil, fmt.Errorf("rocketchat client: cannot add a CA bundle to a %T transport", transport)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		} else {
			pool = pool.Clone()
		}
		if !pool.AppendCertsFromPEM(cfg.CACertPEM) {
			return nil, errors.New("rocketchat client: the CA bundle holds no valid PEM certificate")
		}
		t = t.Clone()
		if t.TLSClientConfig == nil {
			t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		t.TLSClientConfig.RootCAs = pool
		transport = t
	}
	hc.Transport = &attemptTransport{next: transport, logger: cfg.Logger, secret: sec}
	return &hc, nil
}

// callState follows one logical call through its attempts.
type callState struct {
	attempts atomic.Int32
}

type callStateKey struct{}

func stateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(callStateKey{}).(*callState)
	return st
}

// attemptTransport counts and logs every attempt. It sees the request headers,
// so it redacts Authorization before logging any of them.
type attemptTransport struct {
	next   http.RoundTripper
	logger Logger
	secret secret
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	attempt := 1
	if st := stateFrom(req.Context()); st != nil {
		attempt = int(st.attempts.Add(1))
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	if t.logger != nil {
		fields := map[string]any{
			"method":      req.Method,
			"path":        req.URL.EscapedPath(),
			"attempt":     attempt,
			"duration_ms": time.Since(start).Milliseconds(),
			"headers":     redactHeaders(req.Header),
		}
		if resp != nil {
			fields["status"] = resp.StatusCode
			if id := resp.Header.Get(api.RequestIDHeader); id != "" {
				fields["request_id"] = t.secret.text(id)
			}
		} else {
			fields["status"] = 0
		}
		if err != nil {
			fields["error"] = t.secret.text(err.Error())
		}
		t.logger.Debug(req.Context(), "Rocket.Chat API request", fields)
	}
	return resp, err
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the pool.
func (t *attemptTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// redactHeaders copies headers for logging, hiding credentials.
func redactHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		switch http.CanonicalHeaderKey(k) {
		case "Authorization", "Proxy-Authorization":
			out[k] = redactedBearer
		case "Cookie":
			out[k] = "***"
		default:
			out[k] = strings.Join(v, ", ")
		}
	}
	return out
}

// newIdempotencyKey returns a random UUIDv4-formatted key.
func newIdempotencyKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go >= 1.24)
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// apiPath is a request path under /v1, or why it could not be built (an
// invalid ID), which the call that uses it returns as its error.
type apiPath struct {
	path string
	err  error
}

// buildPath joins escaped segments under /v1. Dynamic segments come from users
// (import IDs): each is path-escaped and must not be empty, "." or "..".
func buildPath(segments ...string) apiPath {
	var b strings.Builder
	b.WriteString("/v1")
	for _, s := range segments {
		if s == "" || s == "." || s == ".." {
			return apiPath{err: fmt.Errorf("rocketchat client: invalid ID %q", s)}
		}
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return apiPath{path: b.String()}
}

// withQuery adds a query string.
func (p apiPath) withQuery(q url.Values) apiPath {
	if p.err == nil {
		p.path += "?" + q.Encode()
	}
	return p
}

// answerCheck judges a decoded success answer: a nil kind trusts it,
// otherwise detail and kind (ErrWrongObject, ...) say why not.
type answerCheck func() (detail string, kind error)

// do performs one logical call: encode in (if not nil), send with retries,
// decode a 2xx answer into out (if not nil) and judge it with check (if not
// nil), or turn an error answer into *Error. No error it returns holds the
// token.
func (c *Client) do(ctx context.Context, method string, p apiPath, in, out any, check answerCheck) error {
	if p.err != nil {
		return c.secret.scrub(p.err)
	}
	return c.secret.scrub(c.exchange(ctx, method, p.path, in, out, check))
}

func (c *Client) exchange(ctx context.Context, method, path string, in, out any, check answerCheck) error {
	var body []byte
	if in != nil {
		var err error
		body, err = json.Marshal(in)
		if err != nil {
			return fmt.Errorf("%s %s: encoding request: %w", method, path, err)
		}
		if limit := bodyLimit(ctx); len(body) > limit {
			return fmt.Errorf("%s %s: request body of %d bytes exceeds the API limit of %d", method, path, len(body), limit)
		}
	}

	st := &callState{}
	ctx = context.WithValue(ctx, callStateKey{}, st)

	var rawBody any // nil: no body
	if body != nil {
		rawBody = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, c.base+path, rawBody)
	if err != nil {
		return fmt.Errorf("%s %s: building request: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+string(c.secret))
	req.Header.Set("Accept", "application/json")
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if method == http.MethodPost {
		// Generated once per logical call: every retry carries the same key.
		req.Header.Set(api.IdempotencyKeyHeader, newIdempotencyKey())
	}
	versioned := versionFrom(ctx)
	versioned.setRequest(req.Header)

	resp, err := c.http.Do(req)
	attempts := int(st.attempts.Load())
	if err != nil {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		switch {
		case ctx.Err() != nil:
			return fmt.Errorf("%s %s: stopped after %d attempt(s): %w", method, path, attempts, err)
		case attempts > 1:
			return fmt.Errorf("%s %s: giving up after %d attempts: %w", method, path, attempts, err)
		}
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	versioned.noteAnswer(resp.Header)

	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return fmt.Errorf("%s %s: reading response (status %d): %w", method, path, resp.StatusCode, err)
	}
	if len(data) > maxResponseBytes {
		return fmt.Errorf("%s %s: response larger than %d bytes", method, path, maxResponseBytes)
	}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := newError(method, path, resp, data, c.secret)
		if attempts > 1 {
			return fmt.Errorf("giving up after %d attempts: %w", attempts, apiErr)
		}
		return apiErr
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fmt.Errorf("%s %s: empty response body (status %d)", method, path, resp.StatusCode)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: decoding response (status %d): %w", method, path, resp.StatusCode, err)
	}
	if check != nil {
		if detail, kind := check(); kind != nil {
			return &AnswerError{Method: method, Path: path, Err: kind, Detail: c.secret.text(detail),
				RequestID: c.secret.text(resp.Header.Get(api.RequestIDHeader))}
		}
	}
	return nil
}

// want is the object a success answer must be about.
type want struct {
	// id is the object asked for; "" on a create, where any ID will do but none.
	id string
	// parent is the workspace of a child object; "" for top-level objects.
	parent string
}

// identify returns the identity of the API's object types (ok is false for
// answers that have none, such as an admin token).
func identify(v any) (id, parent string, ok bool) {
	switch o := v.(type) {
	case *api.Plan:
		return o.ID, "", true
	case *api.Workspace:
		return o.ID, "", true
	case *api.Domain:
		return o.ID, o.WorkspaceID, true
	case *api.FirewallRule:
		return o.ID, o.WorkspaceID, true
	case *api.StaticIP:
		return o.ID, o.WorkspaceID, true
	case *api.Export:
		return o.ID, o.WorkspaceID, true
	}
	return "", "", false
}

// mismatch says how obj is not the object w describes, or "" when it is.
func (w want) mismatch(obj any) string {
	id, parent, ok := identify(obj)
	switch {
	case !ok:
		return ""
	case id == "" && w.id != "":
		return fmt.Sprintf("asked for ID %q, the answer has no ID", w.id)
	case id == "":
		return "the answer has no ID"
	case w.id != "" && id != w.id:
		return fmt.Sprintf("asked for ID %q, the answer is about ID %q", w.id, id)
	case w.parent != "" && parent != w.parent:
		return fmt.Sprintf("asked in workspace %q, the answer (ID %q) belongs to workspace %q", w.parent, id, parent)
	}
	return ""
}

// call is do for an answer of type T about the object w describes: an answer
// about another object is an *AnswerError (ErrWrongObject), never returned
// as if it were the one asked for.
func call[T any](ctx context.Context, c *Client, method string, p apiPath, in any, w want) (*T, error) {
	var out T
	check := func() (string, error) {
		if m := w.mismatch(&out); m != "" {
			return m, ErrWrongObject
		}
		return "", nil
	}
	if err := c.do(ctx, method, p, in, &out, check); err != nil {
		return nil, err
	}
	return &out, nil
}

// list fetches every page of a List[T] and returns the items (never nil).
// parent is the workspace of a child collection, "" for top-level ones.
func list[T any](ctx context.Context, c *Client, p apiPath, parent string) ([]T, error) {
	return collect(pages[T](ctx, c, p, parent))
}
