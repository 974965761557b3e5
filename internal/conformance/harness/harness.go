// Package harness holds what every differential test of this module needs to
// run an upstream controller for exactly one sync (see
// shared/reference/conformance-recipe.md) and compare it with a reckon plan
// applied to the same API server: a work queue that records what the sync
// asks for later, access to the unexported fields that are upstream's own
// unit-test injection points, a Store with API-server semantics that both
// sides write to (upstream through a fake clientset's reactor, reckon
// through workload.Apply), which logs writes and events and refuses chosen
// writes (Fault), the apply-level comparison of two logs (Compare), and the
// contract rules a plan must keep that no store can see (CheckPlan).
package harness

import (
	"context"
	"os"
	"reflect"
	"runtime/debug"
	"sync"
	"time"
	"unsafe"

	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/util/workqueue"
)

// Queue replaces a controller's work queue. The sync is driven directly, so
// the queue hands out nothing and only records what the sync asks for.
type Queue struct {
	mu          sync.Mutex
	Adds        int             // plain Add calls
	Delays      []time.Duration // AddAfter delays, in call order
	RateLimited int             // AddRateLimited calls
}

func (q *Queue) Add(string) { q.mu.Lock(); q.Adds++; q.mu.Unlock() }
func (q *Queue) AddAfter(_ string, d time.Duration) {
	q.mu.Lock()
	q.Delays = append(q.Delays, d)
	q.mu.Unlock()
}
func (q *Queue) AddRateLimited(string)  { q.mu.Lock(); q.RateLimited++; q.mu.Unlock() }
func (q *Queue) Len() int               { return 0 }
func (q *Queue) Get() (string, bool)    { return "", true }
func (q *Queue) Done(string)            {}
func (q *Queue) ShutDown()              {}
func (q *Queue) ShutDownWithDrain()     {}
func (q *Queue) ShuttingDown() bool     { return true }
func (q *Queue) Forget(string)          {}
func (q *Queue) NumRequeues(string) int { return 0 }

var _ workqueue.TypedRateLimitingInterface[string] = (*Queue)(nil)

// Unexported returns a settable view of the unexported field name of the
// struct ptr points to. It panics if there is no such field: the harness is
// then out of step with upstream's source.
func Unexported(ptr any, name string) reflect.Value {
	f := reflect.ValueOf(ptr).Elem().FieldByName(name)
	if !f.IsValid() {
		panic(reflect.TypeOf(ptr).String() + " has no field " + name)
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

// DriveOneSync prepares controller ctrl (a pointer to an upstream controller
// struct) to be synced by hand: the named ...Synced hooks report true, its
// work queue is shut down (stopping its goroutines) and replaced by q, and its
// syncHandler is returned.
func DriveOneSync(ctrl any, q *Queue, syncedHooks ...string) func(context.Context, string) error {
	synced := cache.InformerSynced(func() bool { return true })
	for _, f := range syncedHooks {
		Unexported(ctrl, f).Set(reflect.ValueOf(synced))
	}
	queue := Unexported(ctrl, "queue")
	queue.Interface().(workqueue.TypedRateLimitingInterface[string]).ShutDown()
	queue.Set(reflect.ValueOf(workqueue.TypedRateLimitingInterface[string](q)))
	return Unexported(ctrl, "syncHandler").Interface().(func(context.Context, string) error)
}

// LessGC makes the garbage collector run a quarter as often, unless GOGC
// says otherwise: a differential run allocates two stores and many copies
// of small scenarios per sync, and spends a third of its time collecting
// them at the default. The heap stays small.
func LessGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}
