package provider

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/client"
)

type cachedObj struct{ ID, V string }

// fakeCollection lists n objects, counting listings, objects listed and single reads.
type fakeCollection struct {
	n             int
	lists, listed atomic.Int32
	gets          atomic.Int32
	fail          bool
	failWith      error         // when set, the listing yields one object, then this error
	gate          chan struct{} // when set, the listing waits on it
}

func (f *fakeCollection) list(ctx context.Context) iter.Seq2[cachedObj, error] {
	return func(yield func(cachedObj, error) bool) {
		f.lists.Add(1)
		if f.gate != nil {
			<-f.gate
		}
		if f.fail {
			yield(cachedObj{}, errors.New("list failed"))
			return
		}
		if f.failWith != nil {
			if yield(cachedObj{ID: "0", V: "listed"}, nil) {
				yield(cachedObj{}, f.failWith)
			}
			return
		}
		for i := range f.n {
			if err := ctx.Err(); err != nil {
				yield(cachedObj{}, err)
				return
			}
			f.listed.Add(1)
			if !yield(cachedObj{ID: fmt.Sprint(i), V: "listed"}, nil) {
				return
			}
		}
	}
}

func (f *fakeCollection) getOne(id string) func(context.Context) (*cachedObj, error) {
	return func(context.Context) (*cachedObj, error) {
		f.gets.Add(1)
		return &cachedObj{ID: id, V: "read"}, nil
	}
}

func newObjCache() *readCache[cachedObj] {
	return newReadCache(func(o *cachedObj) string { return o.ID })
}

func TestReadCache_concurrentReadersShareOneListing(t *testing.T) {
	c, f := newObjCache(), &fakeCollection{n: 250, gate: make(chan struct{})}
	var wg sync.WaitGroup
	errs := make(chan error, 250)
	for i := range 250 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, err := c.get(context.Background(), "ws-1", fmt.Sprint(i), f.list, f.getOne(fmt.Sprint(i)))
			if err == nil && (o.ID != fmt.Sprint(i) || o.V != "listed") {
				err = fmt.Errorf("object %d: got %+v", i, o)
			}
			errs <- err
		}()
	}
	close(f.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if f.lists.Load() != 1 || f.gets.Load() != 0 {
		t.Fatalf("%d listings, %d single reads; want 1 listing and no single read", f.lists.Load(), f.gets.Load())
	}
}

func TestReadCache_missingObjectIsReadIndividually(t *testing.T) {
	c, f := newObjCache(), &fakeCollection{n: 3}
	o, err := c.get(context.Background(), "", "created-after-listing", f.list, f.getOne("created-after-listing"))
	if err != nil || o.V != "read" || f.gets.Load() != 1 {
		t.Fatalf("got %+v, %v after %d single reads; want the object read individually", o, err, f.gets.Load())
	}
}

func TestReadCache_parentsAreSeparateCollections(t *testing.T) {
	c, f := newObjCache(), &fakeCollection{n: 3}
	for _, parent := range []string{"ws-1", "ws-2", "ws-1"} {
		if _, err := c.get(context.Background(), parent, "1", f.list, f.getOne("1")); err != nil {
			t.Fatal(err)
		}
	}
	if f.lists.Load() != 2 {
		t.Fatalf("%d listings; want one per parent", f.lists.Load())
	}
}

func TestReadCache_fallsBackToSingleReads(t *testing.T) {
	for name, f := range map[string]*fakeCollection{
		"listing fails":       {n: 10, fail: true},
		"listing is too long": {n: maxCachedObjects + 5},
	} {
		t.Run(name, func(t *testing.T) {
			c := newObjCache()
			for i := range 3 {
				o, err := c.get(context.Background(), "", "1", f.list, f.getOne("1"))
				if err != nil || o.V != "read" {
					t.Fatalf("read %d: %+v, %v; want a single read", i, o, err)
				}
			}
			if f.lists.Load() != 1 || f.gets.Load() != 3 || f.listed.Load() > maxCachedObjects+1 {
				t.Fatalf("%d listings (%d objects), %d single reads; want one listing abandoned, then single reads",
					f.lists.Load(), f.listed.Load(), f.gets.Load())
			}
		})
	}
}

// Item 11 of issue 18: a listing the client does not trust (here, pages that
// bring nothing new) fails every read that waits on it, even of an object it
// listed, rather than answering from it or guessing with single reads.
func TestReadCache_untrustedListingFailsEveryRead(t *testing.T) {
	stalled := &client.AnswerError{Method: "GET", Path: "/v1/plans", Err: client.ErrPagerStalled, Detail: "3 pages in a row"}
	f := &fakeCollection{n: 10, failWith: fmt.Errorf("wrapped: %w", stalled)}
	c := newObjCache()
	for _, id := range []string{"0", "1", "7"} {
		o, err := c.get(context.Background(), "", id, f.list, f.getOne(id))
		if !errors.Is(err, client.ErrPagerStalled) {
			t.Fatalf("read %s: %+v, %v; want the listing's error", id, o, err)
		}
	}
	if f.lists.Load() != 1 || f.gets.Load() != 0 {
		t.Fatalf("%d listings, %d single reads; want one listing and no single read", f.lists.Load(), f.gets.Load())
	}
}

func TestReadCache_exactlyTheBoundIsKept(t *testing.T) {
	c, f := newObjCache(), &fakeCollection{n: maxCachedObjects}
	if o, err := c.get(context.Background(), "", "0", f.list, f.getOne("0")); err != nil || o.V != "listed" {
		t.Fatalf("%+v, %v: a listing of exactly maxCachedObjects objects should be kept", o, err)
	}
}

func TestReadCache_callerOwnsResult(t *testing.T) {
	c, f := newObjCache(), &fakeCollection{n: 2}
	o, _ := c.get(context.Background(), "", "1", f.list, f.getOne("1"))
	o.V = "changed"
	if o2, _ := c.get(context.Background(), "", "1", f.list, f.getOne("1")); o2.V != "listed" {
		t.Fatalf("a caller's change leaked into the cache: %+v", o2)
	}
}

func TestReadCache_cancelledWaiterReturns(t *testing.T) {
	c, f := newObjCache(), &fakeCollection{n: 2, gate: make(chan struct{})}
	go func() { _, _ = c.get(context.Background(), "", "1", f.list, f.getOne("1")) }()
	for f.lists.Load() == 0 { // until the first reader holds the listing
		runtime.Gosched()
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.get(ctx, "", "0", f.list, f.getOne("0")); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v; want the waiter's own cancellation", err)
	}
	close(f.gate)
}

func TestReadCache_nilCacheReadsDirectly(t *testing.T) {
	var c *readCache[cachedObj]
	f := &fakeCollection{n: 2}
	if o, err := c.get(context.Background(), "", "1", f.list, f.getOne("1")); err != nil || o.V != "read" || f.lists.Load() != 0 {
		t.Fatalf("%+v, %v, %d listings", o, err, f.lists.Load())
	}
}
