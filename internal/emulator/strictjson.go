package emulator

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// Request bodies are strict JSON. encoding/json alone is lenient where an API
// must not be: it matches keys case-insensitively ("CIDR" sets cidr), lets the
// last of duplicate keys win, replaces invalid UTF-8 with U+FFFD, and a
// Decoder followed by More() misses a trailing "]" or "}". So every body gets
// one token pass (json.Decoder.Token, bounded depth) before it is decoded.

// maxJSONDepth bounds the nesting of a request body; the API's documents
// nest at most three levels.
const maxJSONDepth = 32

// allowedMediaType is the only request body media type (charset=utf-8 may be added).
const allowedMediaType = "application/json"

// checkMediaType answers 415 unless a request with a body declares JSON.
func checkMediaType(r *http.Request) *httpError {
	ct := r.Header.Get("Content-Type")
	why := ""
	if ct == "" {
		why = "the request has a body but no Content-Type header"
	} else if mt, params, err := mime.ParseMediaType(ct); err != nil || mt != allowedMediaType {
		why = fmt.Sprintf("Content-Type %q is not supported", truncate(ct, 100))
	} else {
		for k, v := range params {
			if k != "charset" || !strings.EqualFold(v, "utf-8") {
				why = fmt.Sprintf("Content-Type %q is not supported: the only parameter allowed is charset=utf-8", truncate(ct, 100))
			}
		}
	}
	if why == "" {
		return nil
	}
	msg := "must be " + allowedMediaType + " (optionally with charset=utf-8)"
	return &httpError{status: http.StatusUnsupportedMediaType,
		detail: why + "; send Content-Type: " + allowedMediaType,
		errs:   []api.FieldError{{Field: "Content-Type", Rule: "one_of", Message: msg, Allowed: []string{allowedMediaType}}}}
}

// blank reports whether a body holds nothing but whitespace.
func blank(body []byte) bool { return len(bytes.TrimSpace(body)) == 0 }

// checkJSON verifies that body is exactly one JSON object, valid UTF-8 with
// no unpaired surrogate escapes, no duplicate keys, nested at most
// maxJSONDepth levels, with nothing after it. With a type (a struct, map or
// pointer to one) it also requires every key to name a field exactly, at
// every level the type describes.
func checkJSON(body []byte, t reflect.Type) *httpError {
	if !utf8.Valid(body) {
		off := 0
		for off < len(body) {
			r, n := utf8.DecodeRune(body[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return errStatus(http.StatusBadRequest, "the request body is not valid UTF-8 (first invalid byte at offset %d)", off)
	}
	c := &jsonChecker{dec: json.NewDecoder(bytes.NewReader(body)), body: body}
	c.dec.UseNumber()
	tok, err := c.dec.Token()
	if err != nil {
		return c.syntax(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errStatus(http.StatusBadRequest, "malformed JSON at offset 0: expected a JSON object, got %s", describeToken(tok))
	}
	if herr := c.value(tok, t, "", 1); herr != nil {
		return herr
	}
	end := c.dec.InputOffset()
	if _, err := c.dec.Token(); !errors.Is(err, io.EOF) {
		return errStatus(http.StatusBadRequest, "malformed JSON: unexpected data after the JSON object at offset %d", end)
	}
	return nil
}

type jsonChecker struct {
	dec  *json.Decoder
	body []byte
	// fffd is 1 when the raw body holds U+FFFD itself (literal or escaped),
	// -1 when not, 0 until needed.
	fffd int8
}

func (c *jsonChecker) syntax(err error) *httpError {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return errStatus(http.StatusBadRequest, "malformed JSON at offset %d: %v", syn.Offset, syn)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errStatus(http.StatusBadRequest, "malformed JSON: the body ends early (at offset %d)", c.dec.InputOffset())
	}
	return errStatus(http.StatusBadRequest, "malformed JSON near offset %d: %v", c.dec.InputOffset(), err)
}

func (c *jsonChecker) next() (json.Token, *httpError) {
	tok, err := c.dec.Token()
	if err != nil {
		return nil, c.syntax(err)
	}
	return tok, nil
}

// value checks the value that starts with tok, at the path (for messages),
// against the type t (nil: any value).
func (c *jsonChecker) value(tok json.Token, t reflect.Type, at string, depth int) *httpError {
	t = describedType(t)
	switch tok := tok.(type) {
	case json.Delim:
		if depth > maxJSONDepth {
			return errStatus(http.StatusBadRequest, "the request body nests deeper than %d levels (at offset %d)", maxJSONDepth, c.dec.InputOffset())
		}
		if tok == '{' {
			return c.object(t, at, depth)
		}
		return c.array(t, at, depth)
	case string:
		if strings.ContainsRune(tok, utf8.RuneError) && !c.bodyHoldsFFFD() {
			return errStatus(http.StatusBadRequest, "the string %sholds an unpaired UTF-16 surrogate escape (\\ud800-\\udfff); send valid Unicode", fieldPhrase(at))
		}
	}
	return nil
}

func (c *jsonChecker) object(t reflect.Type, at string, depth int) *httpError {
	var fields map[string]reflect.Type
	var elem reflect.Type
	switch {
	case t != nil && t.Kind() == reflect.Struct:
		fields = structFields(t)
	case t != nil && t.Kind() == reflect.Map:
		elem = t.Elem()
	}
	seen := map[string]bool{}
	for c.dec.More() {
		tok, herr := c.next()
		if herr != nil {
			return herr
		}
		key, _ := tok.(string) // More() inside an object means a key follows
		field := joinPath(at, key)
		if seen[key] {
			return &httpError{status: http.StatusBadRequest,
				detail: fmt.Sprintf("duplicate key %q in the request body (at offset %d); each key may appear once", truncate(field, 100), c.dec.InputOffset()),
				errs:   []api.FieldError{{Field: truncate(field, 100), Rule: "duplicate", Message: "appears more than once"}}}
		}
		seen[key] = true
		ft := elem
		if fields != nil {
			var ok bool
			if ft, ok = fields[key]; !ok {
				return unknownField(field, key, fields)
			}
		}
		tok, herr = c.next()
		if herr != nil {
			return herr
		}
		if herr := c.value(tok, ft, field, depth+1); herr != nil {
			return herr
		}
	}
	_, herr := c.next() // the closing '}'
	return herr
}

func (c *jsonChecker) array(t reflect.Type, at string, depth int) *httpError {
	var elem reflect.Type
	if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
		elem = t.Elem()
	}
	for i := 0; c.dec.More(); i++ {
		tok, herr := c.next()
		if herr != nil {
			return herr
		}
		if herr := c.value(tok, elem, fmt.Sprintf("%s[%d]", at, i), depth+1); herr != nil {
			return herr
		}
	}
	_, herr := c.next() // the closing ']'
	return herr
}

func (c *jsonChecker) bodyHoldsFFFD() bool {
	if c.fffd == 0 {
		c.fffd = -1
		if bytes.ContainsRune(c.body, utf8.RuneError) || bytes.Contains(bytes.ToLower(c.body), []byte(`\ufffd`)) {
			c.fffd = 1
		}
	}
	return c.fffd == 1
}

// unknownField is the 400 of a key that names no field; a key that differs
// from a field only in case says so (encoding/json would have accepted it).
func unknownField(field, key string, fields map[string]reflect.Type) *httpError {
	name := truncate(field, 100)
	for f := range fields {
		if strings.EqualFold(f, key) {
			msg := fmt.Sprintf("field names are case-sensitive: %q is not a field, did you mean %q?", truncate(key, 100), f)
			return &httpError{status: http.StatusBadRequest, detail: fmt.Sprintf("unknown field %q in the request body: %s", name, msg),
				errs: []api.FieldError{{Field: name, Rule: "unknown_field", Message: msg}}}
		}
	}
	return &httpError{status: http.StatusBadRequest,
		detail: fmt.Sprintf("unknown field %q in the request body", name),
		errs:   []api.FieldError{{Field: name, Rule: "unknown_field", Message: fmt.Sprintf("%q is not a field of this request", name)}}}
}

func joinPath(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

func fieldPhrase(at string) string {
	if at == "" {
		return ""
	}
	return fmt.Sprintf("of %q ", truncate(at, 100))
}

func describeToken(tok json.Token) string {
	switch tok := tok.(type) {
	case json.Delim:
		if tok == '[' {
			return "an array"
		}
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// describedType dereferences pointers and returns nil for types whose JSON
// shape the checker cannot know (interfaces, custom unmarshalers such as
// json.RawMessage or time.Time): their values are checked generically.
func describedType(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() == reflect.Interface || reflect.PointerTo(t).Implements(jsonUnmarshaler) ||
		(t.Kind() != reflect.Map && reflect.PointerTo(t).Implements(textUnmarshaler)) {
		return nil
	}
	return t
}

var structFieldCache sync.Map // reflect.Type -> map[string]reflect.Type

// structFields maps the JSON names of a struct's fields (embedded structs
// flattened, as encoding/json does) to their types.
func structFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := structFieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range structFields(ft) {
					if _, shadowed := m[k]; !shadowed {
						m[k] = v
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = ft
	}
	structFieldCache.Store(t, m)
	return m
}
