package emulator

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
)

// Paginated lists. Every list route answers api.List[T] in creation order
// (created_at, then ID), at most page_size items (1..api.MaxPageSize,
// api.DefaultPageSize when absent), with next_cursor set when more follow.
//
// A cursor is the position of the page's last item plus a fingerprint of the
// list it came from (kind and organization or workspace); the next page
// starts strictly after that position. So an object that exists from the
// first page to the last is returned exactly once, whatever is created or
// deleted in between (a deleted last item is no problem: the position stays
// valid); an object created meanwhile appears at most once, on a later page
// when it was created after the earlier pages were read. The cursor holds no
// secret and needs none: the list is always the caller's own (the
// fingerprint only turns a cursor of another list into a clear 400), and a
// position reveals nothing about other tenants. Cursors survive restarts.

const cursorVersion = "c1"

// pageRequest is a list request's page_size and decoded cursor.
type pageRequest struct {
	size  int
	after *store.PosKey
}

func pageSizeError(detail string, max int) *httpError {
	msg := detail + "; page_size must be an integer from 1 to " + strconv.Itoa(max) +
		" (default " + strconv.Itoa(api.DefaultPageSize) + ")"
	return &httpError{status: http.StatusBadRequest, detail: msg, errs: []api.FieldError{{
		Field: api.QueryPageSize, Rule: "range", Allowed: []string{"1", strconv.Itoa(max)}, Message: msg}}}
}

func cursorError(detail string) *httpError {
	msg := detail + "; pass the next_cursor of the previous page of this same list unchanged, or no cursor for the first page"
	return &httpError{status: http.StatusBadRequest, detail: msg, errs: []api.FieldError{{
		Field: api.QueryCursor, Rule: "format", Message: msg}}}
}

// listFingerprint identifies a list (a group of the index) inside a cursor.
func listFingerprint(group string) string {
	sum := sha256.Sum256([]byte(group))
	return hex.EncodeToString(sum[:8])
}

func encodeCursor(group string, k store.PosKey) string {
	raw := cursorVersion + "." + listFingerprint(group) + "." + strconv.FormatInt(k.Created, 36) + "." + k.ID
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeCursor(group, c string) (*store.PosKey, *httpError) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, cursorError("the cursor is malformed")
	}
	parts := strings.SplitN(string(raw), ".", 4)
	if len(parts) != 4 || parts[0] != cursorVersion || parts[3] == "" {
		return nil, cursorError("the cursor is malformed")
	}
	if parts[1] != listFingerprint(group) {
		return nil, cursorError("the cursor belongs to another list")
	}
	created, err := strconv.ParseInt(parts[2], 36, 64)
	if err != nil {
		return nil, cursorError("the cursor is malformed")
	}
	return &store.PosKey{Created: created, ID: parts[3]}, nil
}

// parsePage reads page_size (at most max) and cursor of a list request on the group.
func parsePage(q *request, group string, max int) (pageRequest, error) {
	vals := q.r.URL.Query()
	p := pageRequest{size: api.DefaultPageSize}
	if v, ok := vals[api.QueryPageSize]; ok {
		if len(v) != 1 {
			return p, pageSizeError("page_size is given more than once", max)
		}
		n, err := strconv.Atoi(v[0])
		if err != nil {
			return p, pageSizeError("page_size "+strconv.Quote(v[0])+" is not an integer", max)
		}
		if n < 1 || n > max {
			return p, pageSizeError("page_size "+strconv.Itoa(n)+" is out of range", max)
		}
		p.size = n
	}
	if v, ok := vals[api.QueryCursor]; ok {
		if len(v) != 1 {
			return p, cursorError("cursor is given more than once")
		}
		after, herr := decodeCursor(group, v[0])
		if herr != nil {
			return p, herr
		}
		p.after = after
	}
	return p, nil
}

// listPage answers one page of the group's records of a kind, each shown
// through view.
func listPage[T, V any](s *Server, q *request, kind, group string, view func(*T) (V, error)) (int, any, error) {
	return listPageUpTo(s, q, api.MaxPageSize, kind, group, view)
}

// listPageUpTo is listPage with a page_size limit of max (a workspace's
// firewall rules: a whole rule set in one page).
func listPageUpTo[T, V any](s *Server, q *request, max int, kind, group string, view func(*T) (V, error)) (int, any, error) {
	p, err := parsePage(q, group, max)
	if err != nil {
		return 0, nil, err
	}
	keys, more := s.store.Page(group, p.after, p.size)
	out := api.List[V]{Items: make([]V, 0, len(keys))}
	for _, k := range keys {
		rec, err := getRec[T](s, kind, k.ID)
		if err != nil {
			return 0, nil, err
		}
		if rec == nil {
			continue // cannot happen: index and records change together
		}
		v, err := view(rec)
		if err != nil {
			return 0, nil, err
		}
		out.Items = append(out.Items, v)
	}
	if more && len(keys) > 0 {
		out.NextCursor = encodeCursor(group, keys[len(keys)-1])
	}
	return http.StatusOK, out, nil
}
