package controller

import (
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/resourceversion"
	"k8s.io/client-go/tools/cache"
)

// expectations is upstream's ControllerExpectations for ReplicaSets: the
// pod creations and deletions a sync made that the informer has not shown
// yet. While any are outstanding, a ReplicaSet sync only writes status
// (workload.ReplicaSetState.ExpectationsPending), so that it does not create
// or delete again what is already on its way.
type expectations struct {
	mu sync.Mutex
	m  map[string]*expected
}

type expected struct {
	add  int
	del  map[string]bool // pod keys
	when time.Time
}

// expectationsTimeout is upstream's ExpectationsTimeout: after it, a sync
// proceeds even if the informer never showed a write.
const expectationsTimeout = 5 * time.Minute

func (e *expectations) set(key string, add int, del []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.m == nil {
		e.m = map[string]*expected{}
	}
	x := &expected{add: add, del: map[string]bool{}, when: time.Now()}
	for _, k := range del {
		x.del[k] = true
	}
	e.m[key] = x
}

func (e *expectations) creationObserved(key string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if x := e.m[key]; x != nil {
		x.add--
	}
}

func (e *expectations) deletionObserved(key, podKey string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if x := e.m[key]; x != nil {
		delete(x.del, podKey)
	}
}

func (e *expectations) pending(key string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	x := e.m[key]
	if x == nil || (x.add <= 0 && len(x.del) == 0) {
		return false
	}
	return time.Since(x.when) <= expectationsTimeout
}

func (e *expectations) forget(key string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.m, key)
}

// freshness is upstream's consistency store (the StaleControllerConsistency
// feature, on in v1.36): a controller remembers the resourceVersions of its
// own writes and does not sync an object again until its informers have
// caught up with them, so that it never decides from a cache older than
// what it wrote.
type freshness struct {
	mu     sync.Mutex
	stores map[schema.GroupResource]cache.Store
	wrote  map[string]map[schema.GroupResource]string // owner key -> resource -> newest RV written
}

func newFreshness(stores map[schema.GroupResource]cache.Store) *freshness {
	return &freshness{stores: stores, wrote: map[string]map[schema.GroupResource]string{}}
}

func (f *freshness) wroteAt(key string, gr schema.GroupResource, rv string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.wrote[key]
	if m == nil {
		m = map[schema.GroupResource]string{}
		f.wrote[key] = m
	}
	if old, ok := m[gr]; ok {
		if c, err := resourceversion.CompareResourceVersion(old, rv); err == nil && c >= 0 {
			return
		}
	}
	m[gr] = rv
}

// ready reports whether every informer has seen the writes made for key.
func (f *freshness) ready(key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for gr, wrote := range f.wrote[key] {
		read := f.stores[gr].LastStoreSyncResourceVersion()
		if read == "" {
			continue
		}
		if c, err := resourceversion.CompareResourceVersion(wrote, read); err == nil && c > 0 {
			return false
		}
	}
	return true
}

func (f *freshness) forget(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.wrote, key)
}
