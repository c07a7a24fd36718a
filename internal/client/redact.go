package client

import (
	"encoding/json"
	"net/url"
	"strings"
)

// redactedToken replaces the token wherever an answer or an error repeats it.
const redactedToken = "***"

// secret is the configured token. A proxy or a server may echo the request's
// Authorization header in an error body, a header or a transport error; the
// client removes the token from every error it builds (Client.do scrubs each
// one, newError the fields of an error answer), so no diagnostic shows it.
type secret string

// text returns s with the token, as is or in the escaped forms an echo may
// carry (JSON, URL), replaced by redactedToken.
func (sec secret) text(s string) string {
	if sec == "" {
		return s
	}
	for _, form := range sec.forms() {
		s = strings.ReplaceAll(s, form, redactedToken)
	}
	return s
}

func (sec secret) forms() []string {
	raw := string(sec)
	forms := []string{raw}
	if b, err := json.Marshal(raw); err == nil {
		if j := string(b[1 : len(b)-1]); j != raw {
			forms = append(forms, j)
		}
	}
	for _, u := range []string{url.QueryEscape(raw), url.PathEscape(raw)} {
		if u != raw {
			forms = append(forms, u)
		}
	}
	return forms
}

// scrub returns err unchanged when its text does not hold the token, else an
// error with the token redacted from its text that still matches err's
// sentinels and types (errors.Is, errors.As).
func (sec secret) scrub(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if red := sec.text(msg); red != msg {
		return &redactedError{msg: red, err: err}
	}
	return err
}

// redactedError is an error whose text had the token in it.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
