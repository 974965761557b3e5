package replicasetconf

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/record"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller"
	"k8s.io/kubernetes/pkg/controller/replicaset"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/reckon-k8s/reckon/internal/conformance/harness"
)

// upstreamRun is everything one sync of the real ReplicaSet controller did,
// as seen through the fake clientset and the work queue.
type upstreamRun struct {
	patches       []patchCall
	creates       []*corev1.Pod // as sent, before the fake API server named them
	deletes       []string      // namespace/name
	statusUpdates []*appsv1.ReplicaSet
	addAfter      []time.Duration
	adds          int   // immediate re-adds (none expected from a sync)
	err           error // what syncHandler returned: the worker would AddRateLimited
	unexpected    []string

	// before and after bracket the sync on the wall clock: the pod ranking
	// reads metav1.Now() somewhere in between.
	before, after time.Time
}

type patchCall struct {
	namespace, name string
	patchType       string
	body            []byte
}

// recorder is the fake API server: it answers and records every call the
// controller makes. Creates, patches and deletes come from concurrent
// goroutines (slow-start batches, parallel deletes), hence the lock.
type recorder struct {
	mu   sync.Mutex
	run  *upstreamRun
	rs   *appsv1.ReplicaSet
	pods map[string]*corev1.Pod
	seq  int
}

func (r *recorder) react(action clienttesting.Action) (bool, runtime.Object, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := action.GetResource().Resource
	// Switch on the verb: the action interfaces overlap (an update is also
	// a clienttesting.CreateAction by method set).
	switch action.GetVerb() {
	case "create":
		if res == "pods" {
			pod := action.(clienttesting.CreateAction).GetObject().(*corev1.Pod).DeepCopy()
			r.run.creates = append(r.run.creates, pod.DeepCopy())
			// What the API server fills in on create; the suffix is
			// deterministic per call, which is all the controller needs.
			r.seq++
			if pod.Name == "" {
				pod.Name = fmt.Sprintf("%s%05d", pod.GenerateName, r.seq)
			}
			pod.Namespace = action.GetNamespace()
			pod.UID = types.UID("created-" + pod.Name)
			pod.ResourceVersion = "1"
			pod.Status.Phase = corev1.PodPending
			return true, pod, nil
		}
	case "patch":
		if res == "pods" {
			a := action.(clienttesting.PatchAction)
			r.run.patches = append(r.run.patches, patchCall{a.GetNamespace(), a.GetName(), string(a.GetPatchType()), append([]byte(nil), a.GetPatch()...)})
			if p, ok := r.pods[a.GetNamespace()+"/"+a.GetName()]; ok {
				return true, p.DeepCopy(), nil
			}
			return true, nil, apierrors.NewNotFound(corev1.Resource("pods"), a.GetName())
		}
	case "delete":
		if res == "pods" {
			a := action.(clienttesting.DeleteAction)
			r.run.deletes = append(r.run.deletes, a.GetNamespace()+"/"+a.GetName())
			return true, nil, nil
		}
	case "update":
		if res == "replicasets" && action.GetSubresource() == "status" {
			rs := action.(clienttesting.UpdateAction).GetObject().(*appsv1.ReplicaSet).DeepCopy()
			r.run.statusUpdates = append(r.run.statusUpdates, rs.DeepCopy())
			return true, rs, nil
		}
	case "get":
		// The uncached read before the first adoption (RecheckDeletionTimestamp).
		a := action.(clienttesting.GetAction)
		if res == "replicasets" && a.GetNamespace() == r.rs.Namespace && a.GetName() == r.rs.Name {
			return true, r.rs.DeepCopy(), nil
		}
	}
	r.run.unexpected = append(r.run.unexpected, fmt.Sprintf("%s %s/%s", action.GetVerb(), res, action.GetSubresource()))
	return true, nil, fmt.Errorf("conformance harness: unexpected call %s %s", action.GetVerb(), res)
}

// unexported reaches the controller's unexported fields (clock, queue,
// syncHandler, expectations, ...), the injection points upstream's own
// replica_set_test.go uses.
var unexported = harness.Unexported

// runUpstream runs exactly one sync of upstream's ReplicaSet controller for
// sc.RS with the informers holding sc's objects, shifted in time so that
// sc.Now is the wall clock at the start of the sync (see shift). It returns
// what the controller did and the shifted scenario it saw, which is what
// reckon must be given.
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
	rec := &recorder{run: run, rs: shifted.RS, pods: map[string]*corev1.Pod{}}
	client.PrependReactor("*", "*", rec.react)
	rsIndexer, podIndexer := rsInformer.Informer().GetIndexer(), podInformer.Informer().GetIndexer()
	for _, rs := range shifted.allReplicaSets() {
		if err := rsIndexer.Add(rs); err != nil {
			panic(err)
		}
	}
	for _, p := range shifted.Pods {
		rec.pods[p.Namespace+"/"+p.Name] = p
		if err := podIndexer.Add(p); err != nil {
			panic(err)
		}
	}
	run.err = syncHandler(ctx, key)
	run.addAfter, run.adds = queue.Delays, queue.Adds+queue.RateLimited
	run.after = time.Now()
	sort.Strings(run.deletes)
	return run, shifted
}
