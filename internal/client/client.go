// Package client is the HTTP client of the Rocket.Chat Cloud API. It knows
// HTTP and the wire types of internal/api only, nothing of Terraform.
//
// Every call is retried on connection errors, 429 and 5xx (except 501) with
// exponential backoff and jitter, honouring Retry-After. Every POST carries an
// Idempotency-Key generated once per call and reused on each retry, so a POST
// whose answer was lost can never create a second object.
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
	token     string
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

	hc, err := buildHTTPClient(cfg)
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
		token:     token,
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

func buildHTTPClient(cfg Config) (*http.Client, error) {
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
	hc.Transport = &attemptTransport{next: transport, logger: cfg.Logger}
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
			if id := resp.Header.Get("X-Request-Id"); id != "" {
				fields["request_id"] = id
			}
		} else {
			fields["status"] = 0
		}
		if err != nil {
			fields["error"] = err.Error()
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

// buildPath joins escaped segments under /v1. Dynamic segments come from users
// (import IDs): each is path-escaped and must not be empty, "." or "..".
func buildPath(segments ...string) (string, error) {
	var b strings.Builder
	b.WriteString("/v1")
	for _, s := range segments {
		if s == "" || s == "." || s == ".." {
			return "", fmt.Errorf("rocketchat client: invalid ID %q", s)
		}
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String(), nil
}

// do performs one logical call: encode in (if not nil), send with retries,
// decode a 2xx answer into out (if not nil) or turn an error answer into *Error.
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
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
	req.Header.Set("Authorization", "Bearer "+c.token)
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
		apiErr := newError(method, path, resp, data)
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
	return nil
}

// call is do for an answer of type T.
func call[T any](ctx context.Context, c *Client, method, path string, in any) (*T, error) {
	var out T
	if err := c.do(ctx, method, path, in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// list fetches every page of a List[T] and returns the items (never nil).
func list[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	return collect(pages[T](ctx, c, path))
}
