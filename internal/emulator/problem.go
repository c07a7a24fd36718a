package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// httpError is an error answer: it becomes an api.Problem.
type httpError struct {
	status int
	detail string
	errs   []api.FieldError
	header http.Header
}

func (e *httpError) Error() string { return fmt.Sprintf("%d %s", e.status, e.detail) }

func errStatus(status int, format string, args ...any) *httpError {
	return &httpError{status: status, detail: fmt.Sprintf(format, args...)}
}

func errNotFound(kind, id string) *httpError {
	return errStatus(http.StatusNotFound, "%s %q not found", kind, id)
}

// isNotFound reports whether err is a 404 answer.
func isNotFound(err error) bool {
	var he *httpError
	return errors.As(err, &he) && he.status == http.StatusNotFound
}

func errConflict(format string, args ...any) *httpError {
	return errStatus(http.StatusConflict, format, args...)
}

// errTaken is a 409 for a value that must be unique, naming its field so a
// client can point at it.
func errTaken(field, format string, args ...any) *httpError {
	e := errConflict(format, args...)
	e.errs = []api.FieldError{{Field: field, Rule: "unique", Message: e.detail}}
	return e
}

// errInvalid is a 422 listing every violated rule.
func errInvalid(errs []api.FieldError) *httpError {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return &httpError{status: http.StatusUnprocessableEntity, errs: errs,
		detail: "the request breaks " + plural(len(errs), "rule") + ": " + strings.Join(msgs, "; ")}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// problemBody renders the problem document of an error for the request with
// the given ID.
func problemBody(e *httpError, requestID string) []byte {
	p := api.Problem{
		Type:      "about:blank",
		Title:     http.StatusText(e.status),
		Status:    e.status,
		Detail:    e.detail,
		Errors:    e.errs,
		RequestID: requestID,
	}
	if p.Title == "" {
		p.Title = "Error"
	}
	b, err := json.Marshal(p)
	if err != nil { // cannot happen: the document holds only strings and ints
		return []byte(`{"title":"Internal Server Error","status":500}`)
	}
	return b
}

func writeProblem(w http.ResponseWriter, e *httpError) {
	for k, vs := range e.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	writeRaw(w, e.status, api.ProblemContentType, problemBody(e, w.Header().Get(api.RequestIDHeader)))
}

func writeRaw(w http.ResponseWriter, status int, contentType string, body []byte) {
	h := w.Header()
	if body != nil {
		h.Set("Content-Type", contentType)
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if body != nil {
		_, _ = w.Write(body)
	}
}

// asHTTPError turns any handler error into an httpError (500 for unexpected ones).
func asHTTPError(err error) *httpError {
	var he *httpError
	if errors.As(err, &he) {
		return he
	}
	return errStatus(http.StatusInternalServerError, "internal error: %v", err)
}

// decodeBody strictly decodes a JSON request body into v (see checkJSON):
// malformed or trailing data, duplicate keys, keys that are not exactly a
// field's name, invalid UTF-8 and type mismatches are 400 problems naming the
// field or offset.
func decodeBody(body []byte, v any) error {
	if blank(body) {
		return errStatus(http.StatusBadRequest, "the request body is empty; a JSON object is required")
	}
	if herr := checkJSON(body, reflect.TypeOf(v)); herr != nil {
		return herr
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badJSON(err, dec.InputOffset())
	}
	return nil
}

// noBody wraps the handler of a route that takes no request body: an empty
// body or {} is accepted, anything else is a 400 before the handler runs.
func noBody(h handlerFunc) handlerFunc {
	return func(q *request) (int, any, error) {
		if !blank(q.body) {
			if err := decodeBody(q.body, &struct{}{}); err != nil {
				return 0, nil, err
			}
		}
		return h(q)
	}
}

func badJSON(err error, offset int64) *httpError {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return errStatus(http.StatusBadRequest, "malformed JSON at offset %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return errStatus(http.StatusBadRequest, "malformed JSON at offset %d: expected a JSON object, got %s", typ.Offset, typ.Value)
		}
		return &httpError{status: http.StatusBadRequest,
			detail: fmt.Sprintf("field %q at offset %d: expected %s, got JSON %s", field, typ.Offset, jsonKind(typ.Type.Kind().String()), typ.Value),
			errs: []api.FieldError{{Field: field, Rule: "type",
				Message: fmt.Sprintf("expected %s, got JSON %s", jsonKind(typ.Type.Kind().String()), typ.Value)}}}
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return errStatus(http.StatusBadRequest, "malformed JSON: the body ends early (at offset %d)", offset)
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name, _ = strconv.Unquote(name)
		return &httpError{status: http.StatusBadRequest,
			detail: fmt.Sprintf("unknown field %q in the request body", name),
			errs:   []api.FieldError{{Field: name, Rule: "unknown_field", Message: fmt.Sprintf("%q is not a field of this request", name)}}}
	}
	return errStatus(http.StatusBadRequest, "malformed JSON near offset %d: %v", offset, err)
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	case "float32", "float64":
		return "a number"
	case "ptr":
		return "a value"
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	}
	return goKind
}
