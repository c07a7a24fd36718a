package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// maxRetryAfter is the longest Retry-After honoured when it exceeds RetryWaitMax.
const maxRetryAfter = 60 * time.Second

// now is replaced in tests.
var now = time.Now

// checkRetry retries connection errors (including a connection closed with no
// answer), 429 and 5xx except 501; never other statuses, never once the
// context is done.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if err != nil {
		if isCertError(err) {
			return false, nil
		}
		// Retries transport errors (EOF, connection reset or refused,
		// per-attempt timeouts) and stops on the permanent ones (bad TLS
		// certificate, invalid scheme or header, too many redirects).
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	return retryableStatus(resp.StatusCode), nil
}

// isCertError reports a TLS verification failure: retrying cannot help.
func isCertError(err error) bool {
	var (
		verr *tls.CertificateVerificationError
		uerr x509.UnknownAuthorityError
		herr x509.HostnameError
		ierr x509.CertificateInvalidError
	)
	return errors.As(err, &verr) || errors.As(err, &uerr) || errors.As(err, &herr) || errors.As(err, &ierr)
}

func retryableStatus(code int) bool {
	switch {
	case code == http.StatusTooManyRequests:
		return true
	case code == http.StatusNotImplemented:
		return false
	case code >= 500 && code <= 599:
		return true
	}
	return false
}

// backoff waits what Retry-After asks (at least min, at most
// max(max, 60s)) when the answer carries one, otherwise an exponential
// backoff with jitter between min and max.
func backoff(minWait, maxWait time.Duration, attemptNum int, resp *http.Response) time.Duration {
	if resp != nil {
		if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After")); ok {
			limit := max(maxWait, maxRetryAfter)
			return min(max(ra, minWait), limit)
		}
	}
	return jitterBackoff(minWait, maxWait, attemptNum)
}

// jitterBackoff is min*2^attempt capped at max, then "equal jitter": half of
// it fixed, half random, never below min.
func jitterBackoff(minWait, maxWait time.Duration, attemptNum int) time.Duration {
	exp := float64(minWait) * math.Pow(2, float64(attemptNum))
	if exp > float64(maxWait) || math.IsInf(exp, 0) || math.IsNaN(exp) {
		exp = float64(maxWait)
	}
	base := time.Duration(exp)
	half := base / 2
	wait := half
	if half > 0 {
		wait += rand.N(half + 1)
	}
	return min(max(wait, minWait), maxWait)
}

// parseRetryAfter reads delay-seconds or an HTTP date.
func parseRetryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now())
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
