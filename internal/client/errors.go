package client

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// Sentinels matched by errors.Is against an *Error.
var (
	// ErrNotFound is the API's own 404: a problem document (RFC 9457,
	// application/problem+json) of status 404. A 404 in any other form (a
	// proxy's HTML page, plain text, JSON that is no problem document) did
	// not come from the API and says nothing about the object.
	ErrNotFound     = errors.New("not found")         // 404
	ErrConflict     = errors.New("conflict")          // 409
	ErrValidation   = errors.New("validation failed") // 400, 422
	ErrUnauthorized = errors.New("unauthorized")      // 401, 403
	ErrRateLimited  = errors.New("rate limited")      // 429
)

// Answers the client does not trust: what a proxy, a gateway or a broken
// server may answer. Each is an error, so the caller never guesses (never
// drops an object from state, never stores another object's ID).
var (
	// ErrUntrustedAnswer matches every error below, and an error answer not
	// in the API's own format (see Error.FromAPI).
	ErrUntrustedAnswer = errors.New("untrusted answer")
	// ErrWrongObject: a success answer about another object than the one
	// asked for (another or no ID, another workspace), or a listed item
	// without an ID or from another workspace.
	ErrWrongObject = errors.New("the answer is about another object than the one asked for")
	// ErrPagerStalled: a listing's pages keep coming but bring nothing new.
	ErrPagerStalled = errors.New("the listing's pages bring nothing new")
	// ErrCursorLoop: the API hands back a cursor it has already given during
	// the same listing: following it would never end.
	ErrCursorLoop = errors.New("the API returned a cursor it had already returned (a cursor loop)")
	// ErrTooManyPages: a listing goes on past MaxListPages.
	ErrTooManyPages = errors.New("the listing has too many pages")
)

// AnswerError is a success answer that contradicts the request: Err (one of
// ErrWrongObject, ErrPagerStalled, ErrCursorLoop, ErrTooManyPages) says how.
type AnswerError struct {
	Method, Path string
	Err          error
	// Detail says what was asked and what came back.
	Detail    string
	RequestID string
}

// Error reads "<METHOD> <path>: <what>: <detail> (request ID req-...)".
func (e *AnswerError) Error() string {
	s := e.Method + " " + e.Path + ": " + e.Err.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.RequestID != "" {
		s += " (request ID " + e.RequestID + ")"
	}
	return s
}

// Unwrap exposes the kind of contradiction.
func (e *AnswerError) Unwrap() error { return e.Err }

// Is makes every AnswerError an ErrUntrustedAnswer.
func (e *AnswerError) Is(target error) bool { return target == ErrUntrustedAnswer }

// maxDetailFromText bounds the body text used as detail when an error answer
// is not a problem document.
const maxDetailFromText = 1024

// Error is an error answer (a status outside 2xx).
type Error struct {
	StatusCode int
	Method     string
	Path       string
	Problem    api.Problem
	// RequestID is the ID the API gave the request (its X-Request-Id header,
	// else the problem's request_id), for a user to quote to support.
	RequestID string
	// ContentType is the answer's Content-Type header.
	ContentType string
	// FromAPI reports an answer in the API's own error format: a problem
	// document, as application/problem+json, whose status is the answer's.
	// Anything else came from something between the client and the API (a
	// proxy, a gateway, a load balancer) or from a broken server.
	FromAPI bool
}

// Error reads "<METHOD> <path>: <status> <title>: <detail>; field: message; ...
// (request ID req-...)". An answer not in the API's format also names its
// content type, so a proxy's page is recognised as such.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	title := e.Problem.Title
	if title == "" {
		title = http.StatusText(e.StatusCode)
	}
	if title != "" {
		b.WriteByte(' ')
		b.WriteString(title)
	}
	if !e.FromAPI {
		ct := e.ContentType
		if ct == "" {
			ct = "no content type"
		}
		b.WriteString(" (content type " + ct + ", not the API's " + api.ProblemContentType + ": likely a proxy or gateway)")
	}
	if e.Problem.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Problem.Detail)
	}
	for _, fe := range e.Problem.Errors {
		b.WriteString("; ")
		if fe.Field != "" {
			b.WriteString(fe.Field)
			b.WriteString(": ")
		}
		b.WriteString(fe.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request ID ")
		b.WriteString(e.RequestID)
		b.WriteByte(')')
	}
	return b.String()
}

// Is maps the status code onto the sentinels. Only the API's own 404 is
// ErrNotFound; an error answer in another format is ErrUntrustedAnswer.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound && e.FromAPI
	case ErrUntrustedAnswer:
		return !e.FromAPI
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrValidation:
		return e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnprocessableEntity
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// IsNotFound reports whether err is (or wraps) the API's own 404 answer: the
// only answer that may remove an object from Terraform's state.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// FieldErrors returns the field errors of the API's problem in err, if any
// (none from an answer not in the API's own format: they name no field of ours).
func FieldErrors(err error) []api.FieldError {
	var e *Error
	if errors.As(err, &e) && e.FromAPI {
		return e.Problem.Errors
	}
	return nil
}

// RequestID returns the request ID of the API answer in err, or "".
func RequestID(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.RequestID
	}
	var a *AnswerError
	if errors.As(err, &a) {
		return a.RequestID
	}
	return ""
}

// newError decodes an error answer: a problem document when it is one,
// otherwise the body text as detail.
func newError(method, path string, resp *http.Response, body []byte, sec secret) *Error {
	ct := resp.Header.Get("Content-Type")
	e := &Error{StatusCode: resp.StatusCode, Method: method, Path: path, ContentType: ct}
	var p api.Problem
	if looksJSON(ct, body) && json.Unmarshal(body, &p) == nil &&
		(p.Title != "" || p.Detail != "" || len(p.Errors) > 0) {
		e.Problem = p
		mt, _, _ := mime.ParseMediaType(ct)
		e.FromAPI = mt == api.ProblemContentType && p.Status == resp.StatusCode
	} else {
		e.Problem.Detail = textDetail(body)
	}
	if e.Problem.Status == 0 {
		e.Problem.Status = resp.StatusCode
	}
	if e.Problem.Title == "" {
		e.Problem.Title = http.StatusText(resp.StatusCode)
	}
	e.RequestID = resp.Header.Get(api.RequestIDHeader)
	if e.RequestID == "" {
		e.RequestID = e.Problem.RequestID
	}
	// The body or a header may echo the request's Authorization header.
	e.RequestID, e.ContentType = sec.text(e.RequestID), sec.text(e.ContentType)
	e.Problem.Type, e.Problem.Title, e.Problem.Detail = sec.text(e.Problem.Type), sec.text(e.Problem.Title), sec.text(e.Problem.Detail)
	e.Problem.RequestID = sec.text(e.Problem.RequestID)
	if len(e.Problem.Errors) > 0 {
		errs := make([]api.FieldError, len(e.Problem.Errors))
		for i, fe := range e.Problem.Errors {
			fe.Field, fe.Rule, fe.Message = sec.text(fe.Field), sec.text(fe.Rule), sec.text(fe.Message)
			allowed := make([]string, len(fe.Allowed))
			for j, a := range fe.Allowed {
				allowed[j] = sec.text(a)
			}
			fe.Allowed = allowed
			errs[i] = fe
		}
		e.Problem.Errors = errs
	}
	return e
}

func looksJSON(contentType string, body []byte) bool {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		if mt == api.ProblemContentType || mt == "application/json" || strings.HasSuffix(mt, "+json") {
			return true
		}
	}
	t := strings.TrimSpace(string(body))
	return strings.HasPrefix(t, "{")
}

func textDetail(body []byte) string {
	s := strings.TrimSpace(string(body))
	if len(s) > maxDetailFromText {
		s = s[:maxDetailFromText]
		for !utf8.ValidString(s) && len(s) > 0 {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}
