package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// A workspace's firewall rules are also one versioned collection: listed with
// its version (the ETag), replaced as a whole (PUT) or emptied and released
// (DELETE), each write conditional on the version the caller read (If-Match).

// versionedCall carries, through the context of one call, the If-Match it
// sends, the larger body limit of a whole rule set, and the ETag of every
// answer (one per page of a listing).
type versionedCall struct {
	ifMatch string // a quoted entity tag, or ""
	maxBody int
	etags   []string
}

type versionedCallKey struct{}

func withVersionedCall(ctx context.Context, v *versionedCall) context.Context {
	return context.WithValue(ctx, versionedCallKey{}, v)
}

func versionFrom(ctx context.Context) *versionedCall {
	v, _ := ctx.Value(versionedCallKey{}).(*versionedCall)
	return v
}

// bodyLimit is the largest request body the call may send.
func bodyLimit(ctx context.Context) int {
	if v := versionFrom(ctx); v != nil && v.maxBody > 0 {
		return v.maxBody
	}
	return api.MaxBodyBytes
}

func (v *versionedCall) setRequest(h http.Header) {
	if v != nil && v.ifMatch != "" {
		h.Set(api.IfMatchHeader, v.ifMatch)
	}
}

func (v *versionedCall) noteAnswer(h http.Header) {
	if v != nil {
		v.etags = append(v.etags, h.Get(api.ETagHeader))
	}
}

// etag is the ETag of the last answer.
func (v *versionedCall) etag() string {
	if len(v.etags) == 0 {
		return ""
	}
	return v.etags[len(v.etags)-1]
}

// entityTag quotes a version as a strong entity tag.
func entityTag(version string) string { return `"` + version + `"` }

// versionOf reads the version from a strong ETag answer header.
func versionOf(method, path, etag string) (string, error) {
	v, ok := strings.CutPrefix(etag, `"`)
	if ok {
		v, ok = strings.CutSuffix(v, `"`)
	}
	if !ok || v == "" || strings.ContainsAny(v, `"`+"\x00\r\n ") {
		return "", fmt.Errorf("%s %s: the answer carries no valid ETag (got %q): the firewall rules' version is unknown", method, path, etag)
	}
	return v, nil
}

// IsPreconditionFailed reports whether err is (or wraps) the API's own 412
// answer: the collection's version is no longer the one the request named in
// If-Match. A 412 not in the API's format (a proxy's) is not.
func IsPreconditionFailed(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.FromAPI && e.StatusCode == http.StatusPreconditionFailed
}

// ListFirewallRuleSet lists a workspace's firewall rules with their version,
// in one request for any set a tier allows (page_size up to
// api.MaxFirewallRulesPageSize), with the checks of every listing (each rule
// of this workspace, a pager that ends). Pages answered under different
// versions (a change while listing) are an error: the caller reads again.
func (c *Client) ListFirewallRuleSet(ctx context.Context, workspaceID string) (*api.FirewallRuleSet, error) {
	p := buildPath("workspaces", workspaceID, "firewall-rules")
	vc := &versionedCall{}
	items, err := collect(pagesOf[api.FirewallRule](withVersionedCall(ctx, vc), c, p, workspaceID, api.MaxFirewallRulesPageSize))
	if err != nil {
		return nil, err
	}
	out := &api.FirewallRuleSet{Items: items}
	for i, etag := range vc.etags {
		version, err := versionOf(http.MethodGet, p.path, etag)
		if err != nil {
			return nil, err
		}
		if i > 0 && version != out.Version {
			return nil, fmt.Errorf("GET %s: the firewall rules changed while they were listed (version %q, then %q); read them again", p.path, out.Version, version)
		}
		out.Version = version
	}
	return out, nil
}

// ReplaceFirewallRules replaces a workspace's whole rule set in one atomic
// request and takes ownership of it (PUT /v1/workspaces/{id}/firewall-rules).
// A non-empty ifMatch is the version the caller read: if the rules changed
// since, the API answers 412 and changes nothing (IsPreconditionFailed).
func (c *Client) ReplaceFirewallRules(ctx context.Context, workspaceID, ifMatch string, rules []api.FirewallRuleInput) (*api.FirewallRuleSet, error) {
	p := buildPath("workspaces", workspaceID, "firewall-rules")
	vc := &versionedCall{maxBody: api.MaxFirewallRuleSetBytes}
	if ifMatch != "" {
		vc.ifMatch = entityTag(ifMatch)
	}
	if rules == nil {
		rules = []api.FirewallRuleInput{}
	}
	var out api.FirewallRuleSet
	check := func() (string, error) {
		for i := range out.Items {
			if m := (want{parent: workspaceID}).mismatch(&out.Items[i]); m != "" {
				return fmt.Sprintf("item %d: %s", i+1, m), ErrWrongObject
			}
		}
		return "", nil
	}
	if err := c.do(withVersionedCall(ctx, vc), http.MethodPut, p, api.FirewallRuleSetInput{Rules: rules}, &out, check); err != nil {
		return nil, err
	}
	version, err := versionOf(http.MethodPut, p.path, vc.etag())
	if err != nil {
		return nil, err
	}
	if version != out.Version {
		return nil, fmt.Errorf("PUT %s: the answer's version %q differs from its ETag %q", p.path, out.Version, version)
	}
	return &out, nil
}

// ReleaseFirewallRules deletes every firewall rule of a workspace and ends a
// set's ownership of them (DELETE /v1/workspaces/{id}/firewall-rules), under
// the same If-Match rule as ReplaceFirewallRules. It returns the new version.
func (c *Client) ReleaseFirewallRules(ctx context.Context, workspaceID, ifMatch string) (string, error) {
	p := buildPath("workspaces", workspaceID, "firewall-rules")
	vc := &versionedCall{}
	if ifMatch != "" {
		vc.ifMatch = entityTag(ifMatch)
	}
	if err := c.do(withVersionedCall(ctx, vc), http.MethodDelete, p, nil, nil, nil); err != nil {
		return "", err
	}
	return versionOf(http.MethodDelete, p.path, vc.etag())
}
