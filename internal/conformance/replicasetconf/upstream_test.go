package replicasetconf

import (
	"context"
	"reflect"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller"
	"k8s.io/kubernetes/pkg/controller/replicaset"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/reckon-k8s/reckon/internal/conformance/harness"
	"github.com/reckon-k8s/reckon/workload"
)

// upstreamRun is everything one sync of the real ReplicaSet controller did,
// as seen through its store and its work queue.
type upstreamRun struct {
	store    *harness.Store
	addAfter []time.Duration
	adds     int   // immediate re-adds (none expected from a sync)
	rateLim  int   // AddRateLimited calls of the sync itself (none expected)
	err      error // what syncHandler returned: the worker would AddRateLimited

	// before and after bracket the pod ranking on the wall clock: it reads
	// metav1.Now() somewhere in between. after is when the first delete
	// reached the store (the ranking chose it), else the sync's end.
	before, after time.Time
}

// requeue is what the worker asks of the queue after the sync
// (processNextWorkItem: AddRateLimited on an error).
func (run *upstreamRun) requeue() workload.Requeue {
	var r workload.Requeue
	if len(run.addAfter) > 0 {
		r.After = run.addAfter[0]
	}
	r.RateLimited = run.err != nil || run.rateLim > 0
	return r
}

// deletes reports whether upstream sent a pod delete.
func (run *upstreamRun) deletes() bool {
	for _, e := range run.store.Log() {
		if e.Call != nil && e.Call.Verb == workload.Delete {
			return true
		}
	}
	return false
}

// unexported reaches the controller's unexported fields (clock, queue,
// syncHandler, expectations, podControl, ...), the injection points
// upstream's own replica_set_test.go uses.
var unexported = harness.Unexported

// runUpstream runs exactly one sync of upstream's ReplicaSet controller for
// sc.RS with the informers holding sc's objects and its API server a store
// holding them as sc.Drift has them, shifted in time so that sc.Now is the
// wall clock at the start of the sync (see shift). It returns what the
// controller did and the shifted scenario it saw, which is what reckon
// must be given.
func runUpstream(sc *scenario) (*upstreamRun, *scenario) {
	run := &upstreamRun{}
	client := fake.NewSimpleClientset()
	factory := informers.NewSharedInformerFactory(client, 0)
	rsInformer := factory.Apps().V1().ReplicaSets()
	podInformer := factory.Core().V1().Pods()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rsc := replicaset.NewReplicaSetController(ctx, rsInformer, podInformer, client, replicaset.BurstReplicas)
	defer unexported(rsc, "eventBroadcaster").Interface().(record.EventBroadcaster).Shutdown()

	queue := &harness.Queue{}
	syncHandler := harness.DriveOneSync(rsc, queue, "podListerSynced", "rsListerSynced")
	key := sc.RS.Namespace + "/" + sc.RS.Name
	if sc.ExpectationsPending {
		exp := unexported(rsc, "expectations").Interface().(*controller.UIDTrackingControllerExpectations)
		if err := exp.ExpectCreations(klog.Background(), key, 1); err != nil {
			panic(err)
		}
	}

	// Everything above is set up before the clock is read, so that little
	// happens between the read and the ranking's own metav1.Now().
	run.before = time.Now()
	now := run.before.Round(0) // wall reading only, like the shifted times
	shifted := sc.shift(now.Sub(sc.Now))
	unexported(rsc, "clock").Set(reflect.ValueOf(clocktesting.NewFakePassiveClock(now)))
	run.store = shifted.newStore()
	var firstDelete time.Time
	client.PrependReactor("*", "*", func(a clienttesting.Action) (bool, runtime.Object, error) {
		if a.GetVerb() == "delete" && firstDelete.IsZero() { // reactors are called one at a time
			firstDelete = time.Now()
		}
		return run.store.React(a)
	})
	// The pod control records its events (the controller's only ones) in
	// the store's log, synchronously.
	pc := unexported(rsc, "podControl")
	real := pc.Interface().(controller.RealPodControl)
	real.Recorder = run.store.Recorder()
	pc.Set(reflect.ValueOf(controller.PodControlInterface(real)))
	rsIndexer, podIndexer := rsInformer.Informer().GetIndexer(), podInformer.Informer().GetIndexer()
	for _, rs := range shifted.allReplicaSets() {
		if err := rsIndexer.Add(rs); err != nil {
			panic(err)
		}
	}
	for _, p := range shifted.Pods {
		if err := podIndexer.Add(p); err != nil {
			panic(err)
		}
	}
	run.err = syncHandler(ctx, key)
	run.addAfter, run.adds, run.rateLim = queue.Delays, queue.Adds, queue.RateLimited
	run.after = time.Now()
	if !firstDelete.IsZero() {
		run.after = firstDelete
	}
	return run, shifted
}
