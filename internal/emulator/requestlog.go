package emulator

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/reqlog"
)

// DefaultRequestLogSize is the request log's capacity when Config.RequestLogSize is 0.
const DefaultRequestLogSize = 1000

// MaxRequestLogSize bounds Config.RequestLogSize (an entry is a few hundred bytes).
const MaxRequestLogSize = 100_000

// DefaultRequestLogLimit is how many entries GET /admin/v1/requests returns without ?limit.
const DefaultRequestLogLimit = 100

// RouteAdminRequests serves the request log.
const RouteAdminRequests = api.AdminPrefix + "/requests"

// The request log's entry and its parts (package reqlog, shared with the
// console).
type (
	RequestLogEntry     = reqlog.Entry
	RequestLogProblem   = reqlog.Problem
	RequestLogFieldRule = reqlog.FieldRule
)

const (
	maxLoggedFieldErrors = 10
	maxLoggedNameLen     = 64
	maxCapturedProblem   = 8 << 10
)

// requestLog is a fixed-capacity ring buffer of entries.
type requestLog struct {
	mu   sync.Mutex
	buf  []RequestLogEntry
	next int // index of the next write
	full bool
}

func newRequestLog(size int) *requestLog { return &requestLog{buf: make([]RequestLogEntry, size)} }

func (l *requestLog) add(e RequestLogEntry) {
	if len(l.buf) == 0 {
		return
	}
	l.mu.Lock()
	l.buf[l.next] = e
	l.next++
	if l.next == len(l.buf) {
		l.next, l.full = 0, true
	}
	l.mu.Unlock()
}

// last returns up to limit entries of the organization (any when org is
// ""), oldest first, newest last.
func (l *requestLog) last(org string, limit int) []RequestLogEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.next
	if l.full {
		n = len(l.buf)
	}
	out := make([]RequestLogEntry, 0, min(limit, n))
	// Walk back from the newest entry, then reverse.
	for i := 0; i < n && len(out) < limit; i++ {
		e := l.buf[(l.next-1-i+len(l.buf))%len(l.buf)]
		if org == "" || e.Org == org {
			out = append(out, e)
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// recorder is the ResponseWriter of every request: it notes the status, the
// organization and the problem document (for the request log) and passes
// Hijack through (injected dropped connections need it).
type recorder struct {
	http.ResponseWriter
	status   int
	org      string
	hijacked bool
	problem  []byte
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.status >= 400 && w.Header().Get("Content-Type") == api.ProblemContentType && len(w.problem) < maxCapturedProblem {
		w.problem = append(w.problem, b[:min(len(b), maxCapturedProblem-len(w.problem))]...)
	}
	return w.ResponseWriter.Write(b)
}

func (w *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("emulator: the connection cannot be hijacked")
	}
	c, rw, err := hj.Hijack()
	if err == nil {
		w.hijacked = true
	}
	return c, rw, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// noteOrg records the authenticated organization of the request.
func noteOrg(w http.ResponseWriter, org string) {
	if rec, ok := w.(*recorder); ok {
		rec.org = org
	}
}

func (w *recorder) entry(r *http.Request, id string, now time.Time, latency time.Duration) RequestLogEntry {
	e := RequestLogEntry{Time: now, Org: w.org, Method: standardMethod(r.Method), Route: routePattern(r.Pattern),
		Status: w.status, Dropped: w.hijacked, RequestID: id,
		LatencyMS: float64(latency.Microseconds()) / 1000}
	if e.Method == "" {
		e.Method = "OTHER"
	}
	if w.hijacked {
		e.Status = 0
	}
	if len(w.problem) > 0 {
		var p api.Problem
		if json.Unmarshal(w.problem, &p) == nil {
			lp := &RequestLogProblem{Type: p.Type, Title: p.Title}
			for _, fe := range p.Errors[:min(len(p.Errors), maxLoggedFieldErrors)] {
				lp.Errors = append(lp.Errors, RequestLogFieldRule{Field: truncate(fe.Field, maxLoggedNameLen), Rule: truncate(fe.Rule, maxLoggedNameLen)})
			}
			e.Problem = lp
		}
	}
	return e
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// adminGetRequests answers GET /admin/v1/requests?org=ORG&limit=N: the last
// N (default DefaultRequestLogLimit) /v1 requests, oldest first and newest
// last, as {"items":[...]}, or with format=text as a table, one request a line.
func (s *Server) adminGetRequests(q *request) (int, any, error) {
	query := q.r.URL.Query()
	var errs []api.FieldError // unknown, repeated and empty parameters: checkQuery
	format := query.Get("format")
	if format != "" && format != "json" && format != "text" {
		errs = append(errs, api.FieldError{Field: "format", Rule: catalog.RuleOneOf, Allowed: []string{"json", "text"},
			Message: "allowed values: json (the default), text (a table, one request a line)"})
	}
	limit := DefaultRequestLogLimit
	if v := query.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxRequestLogSize {
			errs = append(errs, api.FieldError{Field: "limit", Rule: "range",
				Message: fmt.Sprintf("must be an integer from 1 to %d", MaxRequestLogSize)})
		}
		limit = n
	}
	if len(errs) > 0 {
		e := errInvalid(errs)
		e.status = http.StatusBadRequest
		return 0, nil, e
	}
	items := s.reqlog.last(query.Get("org"), limit)
	if format == "text" {
		return http.StatusOK, textAnswer(requestLogText(items)), nil
	}
	return http.StatusOK, api.List[RequestLogEntry]{Items: items}, nil
}

// requestLogText is the request log as a table for a person reading a failed
// CI job: time, organization, method, route, status, latency, request ID and
// the problem (title, then field:rule of each error). Every cell is one word
// of printable characters: a logged field name (which came from a request
// body) cannot break the table.
func requestLogText(items []RequestLogEntry) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	_, _ = fmt.Fprintln(tw, "TIME\tORG\tMETHOD\tROUTE\tSTATUS\tLATENCY\tREQUEST ID\tPROBLEM")
	for _, e := range items {
		status := strconv.Itoa(e.Status)
		if e.Dropped {
			status += "(dropped)"
		}
		problem := "-"
		if e.Problem != nil {
			parts := []string{strings.ReplaceAll(e.Problem.Title, " ", "_")}
			for _, fr := range e.Problem.Errors {
				parts = append(parts, fr.Field+":"+fr.Rule)
			}
			problem = strings.Join(parts, " ")
		}
		_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Time.UTC().Format("15:04:05.000"),
			cell(e.Org), cell(e.Method), cell(e.Route), status, strconv.FormatFloat(e.LatencyMS, 'f', 1, 64)+"ms",
			cell(e.RequestID), textCell(problem))
	}
	_ = tw.Flush() // a strings.Builder does not fail
	if len(items) == 0 {
		b.WriteString("(no requests logged)\n")
	}
	return b.String()
}

// cell is one table cell: "-" when empty, and no space, tab or control character.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return textCell(s)
}

func textCell(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}

// RequestLog returns up to limit logged requests of the organization ("" for
// all), newest last.
func (s *Server) RequestLog(org string, limit int) []RequestLogEntry {
	return s.reqlog.last(org, limit)
}
