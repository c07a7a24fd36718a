package emulator

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

const authRealm = `Bearer realm="rocketchat-cloud"`

// bearerToken extracts the token of an "Authorization: Bearer <token>" header.
func bearerToken(r *http.Request) (string, *httpError) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", unauthorized("missing bearer token: send the header \"Authorization: Bearer <API token>\"")
	}
	scheme, tok, ok := strings.Cut(h, " ")
	tok = strings.TrimSpace(tok)
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return "", unauthorized("missing bearer token: the Authorization header must be \"Bearer <API token>\"")
	}
	return tok, nil
}

func unauthorized(detail string) *httpError {
	e := errStatus(http.StatusUnauthorized, "%s", detail)
	e.header = http.Header{"WWW-Authenticate": {authRealm}}
	return e
}

// authenticate returns the token and its organization.
func (s *Server) authenticate(r *http.Request) (token, org string, err *httpError) {
	tok, err := bearerToken(r)
	if err != nil {
		return "", "", err
	}
	org, ok := s.tokenOrg(tok)
	if !ok {
		if s.isAdminToken(tok) {
			return "", "", errStatus(http.StatusForbidden, "the admin token cannot use the /v1 API; use an organization's API token")
		}
		return "", "", unauthorized("unknown API token")
	}
	return tok, org, nil
}

// authenticateAdmin accepts only the admin token.
func (s *Server) authenticateAdmin(r *http.Request) *httpError {
	if s.cfg.AdminToken == "" {
		return errStatus(http.StatusNotFound, "the admin API is disabled (no admin token configured)")
	}
	tok, err := bearerToken(r)
	if err != nil {
		return err
	}
	if s.isAdminToken(tok) {
		return nil
	}
	if _, ok := s.tokenOrg(tok); ok {
		return errStatus(http.StatusForbidden, "an organization's API token cannot use the admin API; use the admin token")
	}
	return unauthorized("unknown admin token")
}

func (s *Server) isAdminToken(tok string) bool {
	return s.cfg.AdminToken != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.AdminToken)) == 1
}

// ValidateToken checks that an API or admin token can authenticate: it is
// non-empty and has no whitespace or control characters (the server trims
// the Authorization header, so a token with surrounding spaces could never
// match, and a header cannot carry control characters).
func ValidateToken(tok string) error {
	if tok == "" {
		return errors.New("the token is empty")
	}
	if i := strings.IndexFunc(tok, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError }); i >= 0 {
		return fmt.Errorf("the token has a space, control character or invalid UTF-8 at byte %d; tokens are sent as \"Authorization: Bearer <token>\" and must be printable without spaces", i)
	}
	return nil
}

// ValidateOrgName checks an organization's name: non-empty, no surrounding
// whitespace, no control characters.
func ValidateOrgName(org string) error {
	switch {
	case org == "":
		return errors.New("the organization name is empty")
	case strings.TrimSpace(org) != org:
		return fmt.Errorf("the organization name %q has surrounding whitespace", org)
	case strings.IndexFunc(org, unicode.IsControl) >= 0 || !utf8.ValidString(org):
		return fmt.Errorf("the organization name %q has a control character or invalid UTF-8", org)
	}
	return nil
}
