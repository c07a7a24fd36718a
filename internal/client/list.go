package client

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
)

// ListPageSize is the page_size the client asks for: the API's maximum, so a
// large organization is listed with as few requests as possible.
const ListPageSize = api.MaxPageSize

// MaxListPages bounds how many pages one listing follows (MaxListPages x
// ListPageSize objects), so a server that keeps inventing new cursors cannot
// keep the client busy forever.
const MaxListPages = 10_000

// ErrCursorLoop is returned when the API hands back a cursor it has already
// given during the same listing: following it would never end.
var ErrCursorLoop = errors.New("the API returned a cursor it had already returned (a cursor loop)")

// pages yields every item of a paginated list route, page after page:
// GET <path>?page_size=N[&cursor=C] -> {"items": [...], "next_cursor": "..."}.
// It stops after the page without next_cursor (an API that does not paginate
// answers everything in one page without it), when the consumer stops, when
// ctx is done, or at the first error, which it yields as the last element.
func pages[T any](ctx context.Context, c *Client, path string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seen := map[string]bool{}
		cursor := ""
		for page := 0; ; page++ {
			if err := ctx.Err(); err != nil {
				yield(zero, fmt.Errorf("GET %s: listing stopped after %d page(s): %w", path, page, err))
				return
			}
			if page == MaxListPages {
				yield(zero, fmt.Errorf("GET %s: more than %d pages; giving up", path, MaxListPages))
				return
			}
			q := url.Values{api.QueryPageSize: {strconv.Itoa(ListPageSize)}}
			if cursor != "" {
				q.Set(api.QueryCursor, cursor)
			}
			var out api.List[T]
			if err := c.do(ctx, http.MethodGet, path+"?"+q.Encode(), nil, &out); err != nil {
				yield(zero, err)
				return
			}
			for _, item := range out.Items {
				if !yield(item, nil) {
					return
				}
			}
			if out.NextCursor == "" {
				return
			}
			if seen[out.NextCursor] {
				yield(zero, fmt.Errorf("GET %s: page %d: %w (%q)", path, page+1, ErrCursorLoop, out.NextCursor))
				return
			}
			seen[out.NextCursor] = true
			cursor = out.NextCursor
		}
	}
}

// collect gathers a listing into a slice (never nil), or returns its error.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	out := []T{}
	for item, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, nil
}

// childPages lists a child collection of a workspace.
func childPages[T any](ctx context.Context, c *Client, workspaceID, collection string) iter.Seq2[T, error] {
	p, err := buildPath("workspaces", workspaceID, collection)
	if err != nil {
		return func(yield func(T, error) bool) { var zero T; yield(zero, err) }
	}
	return pages[T](ctx, c, p)
}

// AllPlans iterates over the organization's plans, following every page.
func (c *Client) AllPlans(ctx context.Context) iter.Seq2[api.Plan, error] {
	return pages[api.Plan](ctx, c, "/v1/plans")
}

// AllWorkspaces iterates over the organization's workspaces, following every page.
func (c *Client) AllWorkspaces(ctx context.Context) iter.Seq2[api.Workspace, error] {
	return pages[api.Workspace](ctx, c, "/v1/workspaces")
}

// AllDomains iterates over the custom domains of a workspace, following every page.
func (c *Client) AllDomains(ctx context.Context, workspaceID string) iter.Seq2[api.Domain, error] {
	return childPages[api.Domain](ctx, c, workspaceID, "domains")
}

// AllFirewallRules iterates over the firewall rules of a workspace, following every page.
func (c *Client) AllFirewallRules(ctx context.Context, workspaceID string) iter.Seq2[api.FirewallRule, error] {
	return childPages[api.FirewallRule](ctx, c, workspaceID, "firewall-rules")
}

// AllStaticIPs iterates over the static IPs of a workspace, following every page.
func (c *Client) AllStaticIPs(ctx context.Context, workspaceID string) iter.Seq2[api.StaticIP, error] {
	return childPages[api.StaticIP](ctx, c, workspaceID, "static-ips")
}
