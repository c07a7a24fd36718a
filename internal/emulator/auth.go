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

// MaxTokenLen bounds a token's length (a header line is bounded anyway; a
// seed must not store what no request could send).
const MaxTokenLen = 1024

// ValidateToken checks that an API or admin token can authenticate: 1 to
// MaxTokenLen printable ASCII characters, '!' to '~'. The server trims the
// Authorization header, so a padded token could never match; a control
// character cannot travel in a header; and a non-ASCII space ("tok\u00a0")
// or other non-ASCII character is easily mistyped or mangled on the way, so
// such a token would be accepted at start and then never match.
func ValidateToken(tok string) error {
	if tok == "" {
		return errors.New("the token is empty")
	}
	if len(tok) > MaxTokenLen {
		return fmt.Errorf("the token has %d bytes; at most %d", len(tok), MaxTokenLen)
	}
	for i := 0; i < len(tok); i++ {
		if c := tok[i]; c < '!' || c > '~' {
			return fmt.Errorf("the token has a space, control or non-ASCII character at byte %d; tokens are sent as \"Authorization: Bearer <token>\" and must be printable ASCII ('!' to '~') without spaces", i)
		}
	}
	return nil
}

// wellKnownTokens are public: the default one (printed, documented) and
// those of the repository's scripts and tests. None may guard an emulator
// that listens beyond loopback.
var wellKnownTokens = map[string]bool{
	DefaultToken: true, "demo-token": true, "demo-admin-token": true, "bench-token": true,
	"bench-admin-token": true, "acc-token-acme": true, "acc-token-globex": true, "acc-admin-token": true,
}

// DefaultToken is the API token of organization "default" when the
// standalone emulator is given none.
const DefaultToken = "dev-token"

// IsWellKnownToken reports whether anyone can read the token in this
// repository or in the emulator's output.
func IsWellKnownToken(tok string) bool { return wellKnownTokens[tok] }

// ErrWellKnownToken refuses a public token on an emulator that listens
// beyond loopback.
var ErrWellKnownToken = fmt.Errorf("the token is a well-known one (the default %q, or one of the repository's scripts and tests) and the emulator listens beyond loopback (-allow-remote); give a secret token", DefaultToken)

// CheckToken is the one check of every token the emulator is given, by
// whatever path (flags, environment, Config, -seed file, POST /admin/v1/seed,
// PUT /admin/v1/snapshot), at start and at run time: ValidateToken, and with
// remote set (Config.Remote) no well-known token.
func CheckToken(tok string, remote bool) error {
	if err := ValidateToken(tok); err != nil {
		return err
	}
	if remote && IsWellKnownToken(tok) {
		return ErrWellKnownToken
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
