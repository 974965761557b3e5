package deploymentconf

import (
	"context"
	"reflect"
	"time"
	_ "unsafe" // for the go:linkname declarations below

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/kubernetes/pkg/controller/deployment"
	_ "k8s.io/kubernetes/pkg/controller/deployment/util" // holds the nowFn reached below

	"github.com/reckon-k8s/reckon/internal/conformance/harness"
	"github.com/reckon-k8s/reckon/workload"
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
// as seen through its store and its work queue.
type upstreamRun struct {
	store *harness.Store

	addAfter    []time.Duration
	rateLimited int   // AddRateLimited calls made by the sync itself
	adds        int   // plain Add calls (none expected)
	err         error // what syncHandler returned: see requeue

	// before and after bracket the sync on the wall clock: a condition
	// time in [before, after] was stamped by metav1.Now() during the sync.
	before, after time.Time
}

// unexported reaches the controller's unexported fields (syncHandler,
// queue, eventRecorder, the ...ListerSynced hooks), the injection points
// upstream's own deployment_controller_test.go uses.
var unexported = harness.Unexported

// runUpstream runs exactly one sync of upstream's Deployment controller for
// sc.Deployment, with the informers holding sc's objects, its API server a
// store holding them as sc.Drift has them, and the progress-deadline clock
// at sc.Now. A fresh controller is built for every sync, so nothing
// carries over.
func runUpstream(sc *scenario) *upstreamRun {
	run := &upstreamRun{store: sc.newStore()}
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
	// Events go to the store's log, synchronously and in order with the
	// writes; the real recorder hands them to a goroutine.
	unexported(dc, "eventRecorder").Set(reflect.ValueOf(run.store.Recorder()))
	queue := &harness.Queue{}
	syncHandler := harness.DriveOneSync(dc, queue, "dListerSynced", "rsListerSynced", "podListerSynced")

	client.PrependReactor("*", "*", run.store.React)
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
	return run
}

// requeue is what the work queue is asked after the sync: the sync's own
// AddAfter (corrected, see upstreamRequeue) or AddRateLimited, and the
// worker's handleErr: a rate-limited requeue on an error, except one
// caused by a terminating namespace (then Forget).
func (run *upstreamRun) requeue(sc *scenario) workload.Requeue {
	var r workload.Requeue
	if len(run.addAfter) == 1 {
		r.After = run.correctedAfter(sc)
	}
	r.RateLimited = run.rateLimited > 0 || run.err != nil && !apierrors.HasStatusCause(run.err, corev1.NamespaceTerminatingCause)
	return r
}

// correctedAfter is the progress check's delay, measured from now.
// requeueStuckDeployment measures from the Progressing condition of the
// in-memory Deployment, which is the last status sent (every change to
// it is sent at once) or the observed one. If upstream stamped it during
// this sync, it measured from the wall clock's instant rather than now:
// take the difference out.
func (run *upstreamRun) correctedAfter(sc *scenario) time.Duration {
	after := run.addAfter[0]
	last := sc.Deployment.Status
	for _, e := range run.store.Log() {
		if c := e.Call; c != nil && c.Verb == workload.UpdateStatus && c.Resource == "deployments" {
			last = c.Object.(*appsv1.Deployment).Status
		}
	}
	for _, c := range last.Conditions {
		if c.Type == appsv1.DeploymentProgressing && run.isSyncStamp(c.LastUpdateTime.Time) {
			after -= c.LastUpdateTime.Time.Round(0).Sub(sc.Now)
		}
	}
	return after
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

// normalizer returns how upstream's bodies are compared: condition times
// it stamped from the wall clock are the scenario's now.
func (run *upstreamRun) normalizer(sc *scenario) harness.Normalize {
	return func(c *harness.Call) workload.Object {
		d, ok := c.Object.(*appsv1.Deployment)
		if !ok {
			return c.Object
		}
		d = d.DeepCopy()
		run.normalizeStamps(&d.Status, sc.Now)
		return d
	}
}
