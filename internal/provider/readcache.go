package provider

import (
	"context"
	"errors"
	"iter"
	"sync"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/api"
	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

// A refresh reads every object of the configuration once. Against a remote
// API that is one round trip per object; listing each collection by pages
// instead costs one round trip per page (client.ListPageSize objects).
// readCache answers resource Reads from such a listing, taken once per
// collection and shared by concurrent readers.
//
// It lives in the data the provider builds in Configure, so it never outlives
// one Terraform walk; resource Reads consult it, and so do the plan-time tier
// gates for their one snapshot of each workspace per walk (workspace_gate.go);
// writes, waits and data sources always go to the API. An object missing from a
// listing is read individually before the caller may remove it from state, so
// a page that is stale or incomplete can never drop a live object. A listing
// the client does not trust (pages that bring nothing new, a cursor loop, an
// item of another workspace: a *client.AnswerError) fails every read that
// waits on it: the answers cannot be relied on, so none is guessed from.

// maxCachedObjects bounds one collection's listing: an organization far larger
// than the configuration that manages it should not pay for pages it does not
// need. Past it the collection is read object by object, as without a cache.
const maxCachedObjects = 20 * client.ListPageSize

// collection is the listing of one collection (a kind, in one parent).
type collection[T any] struct {
	done  chan struct{} // closed when the listing has ended
	items map[string]*T // nil when the listing failed or was abandoned
	err   error         // set when the listing was answered in a way not to be trusted
}

// readCache is one kind's cache, keyed by parent (the organization's top-level
// collections use the parent "").
type readCache[T any] struct {
	id func(*T) string

	mu    sync.Mutex
	colls map[string]*collection[T]
}

func newReadCache[T any](id func(*T) string) *readCache[T] {
	return &readCache[T]{id: id, colls: map[string]*collection[T]{}}
}

// get returns the object id of the parent's collection: from the listing when
// it holds the object, else from getOne (which may answer "not found"). A
// listing that failed (a transport error, an error answer) or was abandoned
// falls back to getOne; a listing answered in a way not to be trusted fails
// the read with the listing's error.
func (c *readCache[T]) get(ctx context.Context, parent, id string, list func(context.Context) iter.Seq2[T, error],
	getOne func(context.Context) (*T, error)) (*T, error) {
	if c == nil {
		return getOne(ctx)
	}
	coll := c.collection(ctx, parent, list)
	select {
	case <-coll.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if coll.err != nil {
		return nil, coll.err
	}
	if obj, ok := coll.items[id]; ok {
		cp := *obj // callers own what they get
		return &cp, nil
	}
	return getOne(ctx)
}

// collection returns the parent's listing, taking it for the first reader.
func (c *readCache[T]) collection(ctx context.Context, parent string, list func(context.Context) iter.Seq2[T, error]) *collection[T] {
	c.mu.Lock()
	coll, ok := c.colls[parent]
	if ok {
		c.mu.Unlock()
		return coll
	}
	coll = &collection[T]{done: make(chan struct{})}
	c.colls[parent] = coll
	c.mu.Unlock()

	// The first reader lists on behalf of all; if it fails or is cancelled,
	// the others read their objects one by one.
	defer close(coll.done)
	items := map[string]*T{}
	for obj, err := range list(ctx) {
		if untrusted := (*client.AnswerError)(nil); errors.As(err, &untrusted) {
			coll.err = err
			return coll
		}
		if err != nil || len(items) == maxCachedObjects {
			return coll
		}
		items[c.id(&obj)] = &obj
	}
	coll.items = items
	return coll
}

// readCaches are the walk's read caches, one per kind.
type readCaches struct {
	plans      *readCache[api.Plan]
	workspaces *readCache[api.Workspace]
	domains    *readCache[api.Domain]
	rules      *readCache[api.FirewallRule]
	staticIPs  *readCache[api.StaticIP]
}

func newReadCaches() *readCaches {
	return &readCaches{
		plans:      newReadCache(func(p *api.Plan) string { return p.ID }),
		workspaces: newReadCache(func(w *api.Workspace) string { return w.ID }),
		domains:    newReadCache(func(d *api.Domain) string { return d.ID }),
		rules:      newReadCache(func(r *api.FirewallRule) string { return r.ID }),
		staticIPs:  newReadCache(func(ip *api.StaticIP) string { return ip.ID }),
	}
}

// configureReads extracts the walk's read caches; without them (a bare client
// as provider data) every read goes to the API.
func configureReads(data any) *readCaches {
	if d, ok := data.(*providerData); ok && d.reads != nil {
		return d.reads
	}
	return &readCaches{}
}

// The reads of each kind, answered from the walk's listing where it can.

func (rc *readCaches) plan(ctx context.Context, c *client.Client, id string) (*api.Plan, error) {
	return rc.plans.get(ctx, "", id, c.AllPlans, func(ctx context.Context) (*api.Plan, error) { return c.GetPlan(ctx, id) })
}

func (rc *readCaches) workspace(ctx context.Context, c *client.Client, id string) (*api.Workspace, error) {
	return rc.workspaces.get(ctx, "", id, c.AllWorkspaces, func(ctx context.Context) (*api.Workspace, error) { return c.GetWorkspace(ctx, id) })
}

func (rc *readCaches) domain(ctx context.Context, c *client.Client, wsID, id string) (*api.Domain, error) {
	return rc.domains.get(ctx, wsID, id,
		func(ctx context.Context) iter.Seq2[api.Domain, error] { return c.AllDomains(ctx, wsID) },
		func(ctx context.Context) (*api.Domain, error) { return c.GetDomain(ctx, wsID, id) })
}

func (rc *readCaches) firewallRule(ctx context.Context, c *client.Client, wsID, id string) (*api.FirewallRule, error) {
	return rc.rules.get(ctx, wsID, id,
		func(ctx context.Context) iter.Seq2[api.FirewallRule, error] { return c.AllFirewallRules(ctx, wsID) },
		func(ctx context.Context) (*api.FirewallRule, error) { return c.GetFirewallRule(ctx, wsID, id) })
}

func (rc *readCaches) staticIP(ctx context.Context, c *client.Client, wsID, id string) (*api.StaticIP, error) {
	return rc.staticIPs.get(ctx, wsID, id,
		func(ctx context.Context) iter.Seq2[api.StaticIP, error] { return c.AllStaticIPs(ctx, wsID) },
		func(ctx context.Context) (*api.StaticIP, error) { return c.GetStaticIP(ctx, wsID, id) })
}
