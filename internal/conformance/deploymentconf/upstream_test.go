package deploymentconf

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"time"
	_ "unsafe" // for the go:linkname declarations below

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/kubernetes/pkg/controller/deployment"
	_ "k8s.io/kubernetes/pkg/controller/deployment/util" // holds the nowFn reached below

	"github.com/reckon-k8s/reckon/internal/conformance/harness"
)

// The Deployment controller has no injectable clock. Its progress-deadline
// logic reads these package variables instead, which upstream's own unit
// tests replace; the harness sets both to the scenario's now for the
// duration of one sync (syncs never run concurrently).
//
//go:linkname deploymentNowFn k8s.io/kubernetes/pkg/controller/deployment.nowFn
var deploymentNowFn func() time.Time

//go:linkname utilNowFn k8s.io/kubernetes/pkg/controller/deployment/util.nowFn
var utilNowFn func() time.Time

// upstreamRun is everything one sync of the real Deployment controller did,
// as seen through the fake clientset, the event recorder and the work
// queue.
type upstreamRun struct {
	claims []patchCall // adoption and release patches, in the informer's (random) order
	writes []write     // every other write, in call order
	events []string    // "<type> <reason> <message>", in order

	addAfter    []time.Duration
	rateLimited int   // AddRateLimited calls made by the sync itself
	adds        int   // plain Add calls (none expected)
	err         error // what syncHandler returned: the worker would AddRateLimited
	unexpected  []string

	// before and after bracket the sync on the wall clock: a condition
	// time in [before, after] was stamped by metav1.Now() during the sync.
	before, after time.Time
}

type patchCall struct {
	namespace, name string
	patchType       types.PatchType
	body            string
}

// write is one mutating call other than a claim patch.
type write struct {
	verb string // "create", "update", "delete", "update-deployment", "update-status"
	rs   *appsv1.ReplicaSet
	d    *appsv1.Deployment
	// for deletes
	namespace, name string
	options         metav1.DeleteOptions
}

// recorder is the fake API server. The Deployment controller issues its
// writes from the sync goroutine, one at a time; the lock is for safety
// only.
type recorder struct {
	mu  sync.Mutex
	run *upstreamRun
	sc  *scenario
	now time.Time
}

func (r *recorder) react(action clienttesting.Action) (bool, runtime.Object, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res, sub, ns := action.GetResource().Resource, action.GetSubresource(), action.GetNamespace()
	// Switch on the verb: the action interfaces overlap by method set.
	switch action.GetVerb() {
	case "get":
		// The uncached read before the first adoption (RecheckDeletionTimestamp).
		a := action.(clienttesting.GetAction)
		if d := r.sc.Deployment; res == "deployments" && ns == d.Namespace && a.GetName() == d.Name {
			return true, d.DeepCopy(), nil
		}
	case "create":
		if res == "replicasets" && sub == "" {
			rs := action.(clienttesting.CreateAction).GetObject().(*appsv1.ReplicaSet).DeepCopy()
			if rs.Namespace == "" {
				rs.Namespace = ns
			}
			if r.sc.replicaSet(ns, rs.Name) != nil {
				return true, nil, apierrors.NewAlreadyExists(appsv1.Resource("replicasets"), rs.Name)
			}
			r.run.writes = append(r.run.writes, write{verb: "create", rs: rs.DeepCopy()})
			// What the API server fills in on create.
			rs.UID = createdUID(rs.Name)
			rs.CreationTimestamp = metav1.NewTime(r.now.Truncate(time.Second))
			rs.Generation = 1
			rs.ResourceVersion = "1"
			rs.Status = appsv1.ReplicaSetStatus{}
			return true, rs, nil
		}
	case "update":
		obj := action.(clienttesting.UpdateAction).GetObject()
		switch {
		case res == "replicasets" && sub == "":
			rs := obj.(*appsv1.ReplicaSet).DeepCopy()
			r.run.writes = append(r.run.writes, write{verb: "update", rs: rs.DeepCopy()})
			return true, rs, nil
		case res == "deployments" && sub == "":
			d := obj.(*appsv1.Deployment).DeepCopy()
			r.run.writes = append(r.run.writes, write{verb: "update-deployment", d: d.DeepCopy()})
			return true, d, nil
		case res == "deployments" && sub == "status":
			d := obj.(*appsv1.Deployment).DeepCopy()
			r.run.writes = append(r.run.writes, write{verb: "update-status", d: d.DeepCopy()})
			return true, d, nil
		}
	case "delete":
		if res == "replicasets" && sub == "" {
			a := action.(clienttesting.DeleteAction)
			r.run.writes = append(r.run.writes, write{verb: "delete", namespace: ns, name: a.GetName(), options: a.GetDeleteOptions()})
			return true, nil, nil
		}
	case "patch":
		if res == "replicasets" && sub == "" {
			a := action.(clienttesting.PatchAction)
			if len(r.run.writes) > 0 {
				break // claims come first; the comparison relies on it
			}
			r.run.claims = append(r.run.claims, patchCall{ns, a.GetName(), a.GetPatchType(), string(a.GetPatch())})
			if rs := r.sc.replicaSet(ns, a.GetName()); rs != nil {
				return true, rs.DeepCopy(), nil
			}
			return true, nil, apierrors.NewNotFound(appsv1.Resource("replicasets"), a.GetName())
		}
	}
	r.run.unexpected = append(r.run.unexpected, fmt.Sprintf("%s %s/%s", action.GetVerb(), res, sub))
	return true, nil, fmt.Errorf("conformance harness: unexpected call %s %s/%s", action.GetVerb(), res, sub)
}

// createdUID is the UID the fake API server gives a created ReplicaSet.
func createdUID(name string) types.UID { return types.UID("created-" + name) }

// unexported reaches the controller's unexported fields (syncHandler,
// queue, eventRecorder, the ...ListerSynced hooks), the injection points
// upstream's own deployment_controller_test.go uses.
var unexported = harness.Unexported

// runUpstream runs exactly one sync of upstream's Deployment controller for
// sc.Deployment, with the informers holding sc's objects and the
// progress-deadline clock at sc.Now. A fresh controller is built for every
// sync, so nothing carries over.
func runUpstream(sc *scenario) *upstreamRun {
	run := &upstreamRun{}
	client := fake.NewSimpleClientset()
	factory := informers.NewSharedInformerFactory(client, 0)
	dInformer, rsInformer, podInformer := factory.Apps().V1().Deployments(), factory.Apps().V1().ReplicaSets(), factory.Core().V1().Pods()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dc, err := deployment.NewDeploymentController(ctx, dInformer, rsInformer, podInformer, client)
	if err != nil {
		panic(err)
	}
	defer unexported(dc, "eventBroadcaster").Interface().(record.EventBroadcaster).Shutdown()
	// A FakeRecorder formats events synchronously, in order; the real one
	// hands them to a goroutine.
	events := record.NewFakeRecorder(256)
	unexported(dc, "eventRecorder").Set(reflect.ValueOf(record.EventRecorder(events)))
	queue := &harness.Queue{}
	syncHandler := harness.DriveOneSync(dc, queue, "dListerSynced", "rsListerSynced", "podListerSynced")

	rec := &recorder{run: run, sc: sc, now: sc.Now}
	client.PrependReactor("*", "*", rec.react)
	add := func(i cache.SharedIndexInformer, obj any) {
		if err := i.GetIndexer().Add(obj); err != nil {
			panic(err)
		}
	}
	add(dInformer.Informer(), sc.Deployment)
	for _, rs := range sc.ReplicaSets {
		add(rsInformer.Informer(), rs)
	}
	for _, p := range sc.Pods {
		add(podInformer.Informer(), p)
	}

	now := sc.Now
	deploymentNowFn = func() time.Time { return now }
	utilNowFn = func() time.Time { return now }
	defer func() { deploymentNowFn, utilNowFn = time.Now, time.Now }()

	run.before = time.Now()
	run.err = syncHandler(ctx, sc.Deployment.Namespace+"/"+sc.Deployment.Name)
	run.addAfter, run.adds, run.rateLimited = queue.Delays, queue.Adds, queue.RateLimited
	run.after = time.Now()

	close(events.Events)
	for e := range events.Events {
		run.events = append(run.events, e)
	}
	return run
}

// isSyncStamp reports whether t was taken from the wall clock during run
// (metav1.Now() in upstream's NewDeploymentCondition). Scenario times are
// years away from the wall clock, so nothing else falls in the window.
func (run *upstreamRun) isSyncStamp(t time.Time) bool {
	return !t.Before(run.before) && !t.After(run.after)
}

// normalizeStamps replaces every condition time of status that upstream
// took from the wall clock during run by now, the instant reckon is given.
func (run *upstreamRun) normalizeStamps(status *appsv1.DeploymentStatus, now time.Time) {
	for i := range status.Conditions {
		c := &status.Conditions[i]
		if run.isSyncStamp(c.LastUpdateTime.Time) {
			c.LastUpdateTime = metav1.NewTime(now)
		}
		if run.isSyncStamp(c.LastTransitionTime.Time) {
			c.LastTransitionTime = metav1.NewTime(now)
		}
	}
}
