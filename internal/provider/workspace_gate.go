package provider

import (
	"context"
	"sync"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/catalog"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

// providerData is what Configure hands to resources: the API client, the
// workspace snapshots the child resources' plan-time gates share, and the
// listings refreshes are answered from.
type providerData struct {
	client *client.Client
	gates  *gateCache
	reads  *readCaches // resource Reads and the gates' snapshots (readcache.go)
}

// gateCache holds, for one provider process (one Terraform walk: Configure
// creates it, so it never outlives the walk and nothing in it goes stale
// across runs), what the child gates know of each workspace:
//
//   - one snapshot of the workspace (tier and usage counts), read once however
//     many children plan against it, or taken from the workspace's own
//     create, update or refresh answer in the same walk. Only the gates read
//     it: the workspace's Read and every write still call the API.
//   - how many creates of each kind of child this walk has planned in it, so
//     several new children in one plan are counted against the tier's quota
//     together ("usage + planned creates <= quota"), not one at a time.
//
// Terraform plans a resource once per walk (plus once more with a null prior
// state for a replacement, which childGate.modifyPlan recognises), and plans
// it again in the apply walk, a new process with a new cache: each count is
// made once per walk.
type gateCache struct {
	client *client.Client
	reads  *readCaches // the walk's listings; nil reads one workspace at a time
	mu     sync.Mutex
	ws     map[string]*gateEntry
}

type gateEntry struct {
	done   chan struct{} // closed once ws or err is set
	ws     *api.Workspace
	err    error
	adding map[catalog.Feature]int // creates planned in this walk, under gateCache.mu
}

func newGateCache(c *client.Client, reads *readCaches) *gateCache {
	return &gateCache{client: c, reads: reads, ws: map[string]*gateEntry{}}
}

// seed records a workspace answer of this walk as the gates' snapshot, unless
// the gates already hold one (a snapshot never changes once gates used it).
func (g *gateCache) seed(w *api.Workspace) {
	if g == nil || w == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.ws[w.ID]; ok {
		return
	}
	done := make(chan struct{})
	close(done)
	cp := *w
	g.ws[w.ID] = &gateEntry{done: done, ws: &cp, adding: map[catalog.Feature]int{}}
}

// snapshot returns the walk's snapshot of workspace id: the first caller
// reads it, concurrent callers wait for that one read (singleflight). The
// read is the walk's workspace listing (pages of 500, shared with the
// workspaces' own refresh), so the gates of sets or children across many
// workspaces cost one request per walk, not one per workspace; a workspace
// the listing does not hold is read on its own.
func (g *gateCache) snapshot(ctx context.Context, id string) (*gateEntry, error) {
	g.mu.Lock()
	e, ok := g.ws[id]
	if !ok {
		e = &gateEntry{done: make(chan struct{}), adding: map[catalog.Feature]int{}}
		g.ws[id] = e
		g.mu.Unlock()
		if g.reads != nil {
			e.ws, e.err = g.reads.workspace(ctx, g.client, id)
		} else {
			e.ws, e.err = g.client.GetWorkspace(ctx, id)
		}
		close(e.done)
		return e, e.err
	}
	g.mu.Unlock()
	select {
	case <-e.done:
		return e, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// reserve counts one more planned create of feature f in workspace id and
// returns the snapshot with the number of creates planned so far (this one
// included).
func (g *gateCache) reserve(ctx context.Context, id string, f catalog.Feature) (*api.Workspace, int, error) {
	e, err := g.snapshot(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	e.adding[f]++
	return e.ws, e.adding[f], nil
}

// configureGates extracts the gate cache the provider configured (nil before
// Configure, or when the provider data is a bare client).
func configureGates(data any) *gateCache {
	if d, ok := data.(*providerData); ok {
		return d.gates
	}
	return nil
}
