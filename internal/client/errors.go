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
	ErrNotFound     = errors.New("not found")         // 404
	ErrConflict     = errors.New("conflict")          // 409
	ErrValidation   = errors.New("validation failed") // 400, 422
	ErrUnauthorized = errors.New("unauthorized")      // 401, 403
	ErrRateLimited  = errors.New("rate limited")      // 429
)

// maxDetailFromText bounds the body text used as detail when an error answer
// is not a problem document.
const maxDetailFromText = 1024

// Error is an error answer of the API.
type Error struct {
	StatusCode int
	Method     string
	Path       string
	Problem    api.Problem
	// RequestID is the ID the API gave the request (its X-Request-Id header,
	// else the problem's request_id), for a user to quote to support.
	RequestID string
}

// Error reads "<METHOD> <path>: <status> <title>: <detail>; field: message; ...
// (request ID req-...)".
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

// Is maps the status code onto the sentinels.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
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

// IsNotFound reports whether err is (or wraps) a 404 answer.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// FieldErrors returns the field errors of the problem in err, if any.
func FieldErrors(err error) []api.FieldError {
	var e *Error
	if errors.As(err, &e) {
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
	return ""
}

// newError decodes an error answer: a problem document when it is one,
// otherwise the body text as detail.
func newError(method, path string, resp *http.Response, body []byte) *Error {
	e := &Error{StatusCode: resp.StatusCode, Method: method, Path: path}
	var p api.Problem
	if looksJSON(resp.Header.Get("Content-Type"), body) && json.Unmarshal(body, &p) == nil &&
		(p.Title != "" || p.Detail != "" || len(p.Errors) > 0) {
		e.Problem = p
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
