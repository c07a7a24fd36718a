package client

import (
	"context"
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

// MaxStalledPages is how many pages in a row may bring no object not seen
// before (empty, or repeating objects already listed) while still pointing
// at a next page: a page whose objects were deleted meanwhile may come empty,
// but a server that keeps answering so would be followed forever.
const MaxStalledPages = 3

// pages yields every item of a paginated list route once, page after page:
// GET <path>?page_size=N[&cursor=C] -> {"items": [...], "next_cursor": "..."}.
// It stops after the page without next_cursor (an API that does not paginate
// answers everything in one page without it), when the consumer stops, when
// ctx is done, or at the first error, which it yields as the last element.
// parent is the workspace of a child collection ("" for top-level ones): an
// item of another workspace, or without an ID, is an error (ErrWrongObject),
// and so are pages that bring nothing new (ErrPagerStalled), a cursor given
// twice (ErrCursorLoop) and more than MaxListPages pages (ErrTooManyPages).
func pages[T any](ctx context.Context, c *Client, p apiPath, parent string) iter.Seq2[T, error] {
	return pagesOf[T](ctx, c, p, parent, ListPageSize)
}

// pagesOf is pages asking for size items per page (a route may allow more
// than ListPageSize: a workspace's firewall rules, a whole set per page).
func pagesOf[T any](ctx context.Context, c *Client, p apiPath, parent string, size int) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seenIDs := map[string]bool{}
		seenCursors := map[string]bool{}
		stalled := 0
		cursor := ""
		for page := 0; ; page++ {
			if err := ctx.Err(); err != nil {
				yield(zero, c.secret.scrub(fmt.Errorf("GET %s: listing stopped after %d page(s): %w", p.path, page, err)))
				return
			}
			if page == MaxListPages {
				yield(zero, c.secret.scrub(&AnswerError{Method: http.MethodGet, Path: p.path, Err: ErrTooManyPages,
					Detail: fmt.Sprintf("more than %d pages; giving up", MaxListPages)}))
				return
			}
			q := url.Values{api.QueryPageSize: {strconv.Itoa(size)}}
			if cursor != "" {
				q.Set(api.QueryCursor, cursor)
			}
			var out api.List[T]
			var fresh []T
			check := func() (string, error) {
				for i := range out.Items {
					item := &out.Items[i]
					if m := (want{parent: parent}).mismatch(item); m != "" {
						return fmt.Sprintf("page %d, item %d: %s", page+1, i+1, m), ErrWrongObject
					}
					if id, _, ok := identify(item); ok {
						if seenIDs[id] {
							continue // listed already: once is enough
						}
						seenIDs[id] = true
					}
					fresh = append(fresh, *item)
				}
				if out.NextCursor == "" {
					return "", nil
				}
				if len(fresh) == 0 {
					stalled++
				} else {
					stalled = 0
				}
				if stalled >= MaxStalledPages {
					return fmt.Sprintf("%d pages in a row (up to page %d) brought no object not listed before, yet each named a next page", stalled, page+1), ErrPagerStalled
				}
				if seenCursors[out.NextCursor] {
					return fmt.Sprintf("page %d: %q", page+1, out.NextCursor), ErrCursorLoop
				}
				seenCursors[out.NextCursor] = true
				return "", nil
			}
			if err := c.do(ctx, http.MethodGet, p.withQuery(q), nil, &out, check); err != nil {
				yield(zero, err)
				return
			}
			for _, item := range fresh {
				if !yield(item, nil) {
					return
				}
			}
			if out.NextCursor == "" {
				return
			}
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
	return pages[T](ctx, c, buildPath("workspaces", workspaceID, collection), workspaceID)
}

// AllPlans iterates over the organization's plans, following every page.
func (c *Client) AllPlans(ctx context.Context) iter.Seq2[api.Plan, error] {
	return pages[api.Plan](ctx, c, buildPath("plans"), "")
}

// AllWorkspaces iterates over the organization's workspaces, following every page.
func (c *Client) AllWorkspaces(ctx context.Context) iter.Seq2[api.Workspace, error] {
	return pages[api.Workspace](ctx, c, buildPath("workspaces"), "")
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
