package workload_test

// One test per rule of the plan contract (the slugs of the package
// documentation: write-target, write-precondition, write-body,
// status-is-a-write, event-with-write, step-concurrency, stop-at-failure,
// requeue), each for both planners, driven through workload.Apply against
// workloadtest's API-server semantics and, where a refusal is needed that
// the cluster would not produce by itself, a server that fails chosen
// writes.

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/reckon-k8s/reckon/rollout"
	"github.com/reckon-k8s/reckon/workload"
	"github.com/reckon-k8s/reckon/workload/workloadtest"
)

var (
	podsGVR        = corev1.SchemeGroupVersion.WithResource("pods")
	replicaSetsGVR = appsv1.SchemeGroupVersion.WithResource("replicasets")
	deploymentsGVR = appsv1.SchemeGroupVersion.WithResource("deployments")
)

// recorder is a workload.Server in front of another (a workloadtest
// cluster, or nil for one that accepts every write and answers with its
// object): it keeps every write sent and event recorded, and refuses the
// writes fail returns an error for (fail sees them in the order sent, n
// counting from 0). It is safe for concurrent use.
type recorder struct {
	server workload.Server
	fail   func(n int, w workload.Write) error

	mu     sync.Mutex
	sent   []workload.Write
	events []workload.Event
	gets   []workload.Target
}

func (r *recorder) Send(w workload.Write) (workload.Object, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := len(r.sent)
	r.sent = append(r.sent, w)
	if r.fail != nil {
		if err := r.fail(n, w); err != nil {
			return nil, err
		}
	}
	if r.server != nil {
		return r.server.Send(w)
	}
	if w.Object == nil {
		return nil, nil
	}
	obj := w.Object.DeepCopyObject().(workload.Object)
	if obj.GetName() == "" {
		obj.SetName(fmt.Sprintf("%s%05d", obj.GetGenerateName(), n))
	}
	obj.SetResourceVersion(fmt.Sprint(1000 + n))
	return obj, nil
}

func (r *recorder) Get(t workload.Target) (workload.Object, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gets = append(r.gets, t)
	if r.server == nil {
		return nil, apierrors.NewNotFound(t.Resource.GroupResource(), t.Name)
	}
	return r.server.Get(t)
}

func (r *recorder) Record(e workload.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// sentLines renders the writes sent, one line each.
func (r *recorder) sentLines() []string {
	var out []string
	for _, w := range r.sent {
		out = append(out, w.String())
	}
	return out
}

// eventLines renders the events recorded as "Reason message".
func (r *recorder) eventLines() []string {
	var out []string
	for _, e := range r.events {
		out = append(out, e.Reason+" "+e.Message)
	}
	return out
}

// cluster returns a workloadtest cluster holding objs as the API server
// would have stored them: as given (names, UIDs, resourceVersions, status),
// with its defaults applied.
func cluster(t *testing.T, objs ...workload.Object) *workloadtest.Cluster {
	t.Helper()
	c := workloadtest.New(t0)
	for _, o := range objs {
		o = o.DeepCopyObject().(workload.Object)
		workloadtest.Default(o)
		require.NoError(t, c.Add(o))
	}
	return c
}

func podObjects(ps []*corev1.Pod) []workload.Object {
	out := make([]workload.Object, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out
}

// targetLine names a write's verb and target in full:
// "patch v1/pods default/pod1 uid-pod1".
func targetLine(w workload.Write) string {
	gv := w.Target.Resource.GroupVersion().String()
	return fmt.Sprintf("%s %s/%s %s/%s %s", w.Verb, gv, w.Target.Resource.Resource, w.Target.Namespace, w.Target.Name, w.Target.UID)
}

func targetLines(p workload.Plan) []string {
	var out []string
	for _, w := range p.Writes() {
		out = append(out, targetLine(w))
	}
	return out
}

// planRS plans one ReplicaSet sync of what c holds.
func planRS(t *testing.T, c *workloadtest.Cluster, name string, opts ...workload.ReplicaSetOption) workload.Plan {
	t.Helper()
	p, err := workload.PlanReplicaSet(c.ReplicaSet(name), workload.ReplicaSetState{Pods: c.Pods(), ReplicaSets: c.ReplicaSets()}, c.Now(), opts...)
	require.NoError(t, err)
	return p
}

// planDeployment plans one Deployment sync of what c holds.
func planDeployment(t *testing.T, c *workloadtest.Cluster, name string) workload.Plan {
	t.Helper()
	p, err := workload.PlanDeployment(c.Deployment(name), workload.DeploymentState{ReplicaSets: c.ReplicaSets(), Pods: c.Pods()}, c.Now())
	require.NoError(t, err)
	return p
}

// write-target: every write names the resource, namespace, name and
// observed UID it acts on (a create: no name when the API server
// generates it, no UID); applied to a cluster holding what was observed,
// every one finds its object.
func TestContractWriteTarget(t *testing.T) {
	t.Run("ReplicaSet", func(t *testing.T) {
		rs := newRS("frontend", 3)
		ps := []*corev1.Pod{newPod("orphan"), newPod("mine", ownedBy(rs)), newPod("strayed", ownedBy(rs), labels("tier", "x"))}
		p := plan(t, rs, ps...)
		require.Equal(t, []string{
			"patch v1/pods default/orphan uid-orphan",
			"patch v1/pods default/strayed uid-strayed",
			"create v1/pods default/ ",
			"update-status apps/v1/replicasets default/frontend rs-frontend",
		}, targetLines(p))
		res := workload.Apply(p, cluster(t, append(podObjects(ps), rs)...))
		require.NoError(t, res.Err)

		down := newRS("frontend", 1)
		ps = []*corev1.Pod{newPod("a", ownedBy(down)), newPod("b", ownedBy(down), phase(corev1.PodPending)), newPod("c", ownedBy(down), unscheduled, phase(corev1.PodPending))}
		p = plan(t, down, ps...)
		require.Equal(t, []string{
			"delete v1/pods default/c uid-c",
			"delete v1/pods default/b uid-b",
			"update-status apps/v1/replicasets default/frontend rs-frontend",
		}, targetLines(p))
		c := cluster(t, append(podObjects(ps), down)...)
		require.NoError(t, workload.Apply(p, c).Err)
		require.NotNil(t, c.Pod("b").DeletionTimestamp)
		require.Nil(t, c.Pod("c"), "an unscheduled pod goes at once")
	})
	t.Run("Deployment", func(t *testing.T) {
		// a new template: adoption, create, then the status writes
		d, v1 := steady(generation(2), func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = "v2" })
		orphan := rsFor(d, "web-orphan", "v0", 0)
		orphan.OwnerReferences = nil
		delete(orphan.Annotations, rollout.RevisionAnnotation)
		p := planFor(t, d, []*appsv1.ReplicaSet{v1, orphan})
		name := newRSName(d)
		require.Equal(t, []string{
			"patch apps/v1/replicasets default/web-orphan uid-web-orphan",
			"create apps/v1/replicasets default/" + name + " ",
			"update-status apps/v1/deployments default/web uid-web",
			"update-status apps/v1/deployments default/web uid-web",
		}, targetLines(p))
		c := cluster(t, d, v1, orphan)
		require.True(t, apierrors.IsConflict(workload.Apply(p, c).Err), "the second status write: see TestContractStopAtFailure")
		require.NotNil(t, c.ReplicaSet(name))

		// a scaling event: an update of the active ReplicaSet
		d, v1 = steady(generation(2), func(d *appsv1.Deployment) { d.Spec.Replicas = new(int32(4)) })
		p = planFor(t, d, []*appsv1.ReplicaSet{v1})
		require.Equal(t, []string{
			"update apps/v1/replicasets default/web-v1 uid-web-v1",
			"update-status apps/v1/deployments default/web uid-web",
		}, targetLines(p))
		c = cluster(t, d, v1)
		require.NoError(t, workload.Apply(p, c).Err)
		require.Equal(t, int32(4), *c.ReplicaSet("web-v1").Spec.Replicas)

		// the cleanup of old ReplicaSets, once complete
		d, v1 = steady(func(d *appsv1.Deployment) { d.Spec.RevisionHistoryLimit = new(int32(0)) })
		old := rsFor(d, "web-old", "v0", 0, rev(0), createdAgo(200))
		p = planFor(t, d, []*appsv1.ReplicaSet{v1, old})
		require.Equal(t, []string{"delete apps/v1/replicasets default/web-old uid-web-old"}, targetLines(p))
		c = cluster(t, d, v1, old)
		require.NoError(t, workload.Apply(p, c).Err)
		require.Nil(t, c.ReplicaSet("web-old"))

		// the legacy rollback: an update of the Deployment itself
		d, v1 = steady(depAnnotation(rollout.RollbackToAnnotation, "0"))
		p = planFor(t, d, []*appsv1.ReplicaSet{v1})
		require.Equal(t, []string{"update apps/v1/deployments default/web uid-web"}, targetLines(p))
		c = cluster(t, d, v1)
		require.NoError(t, workload.Apply(p, c).Err)
		require.Empty(t, c.Deployment("web").Annotations[rollout.RollbackToAnnotation])
		require.Equal(t, int64(2), c.Deployment("web").Generation, "an annotation change is a spec change for a Deployment")
	})
}

// write-precondition: updates carry the resourceVersion of the copy they
// were computed from, patches the UID they pin; a cluster answers them as
// kube-apiserver does.
func TestContractWritePrecondition(t *testing.T) {
	t.Run("ReplicaSet", func(t *testing.T) {
		rs := newRS("frontend", 1)
		ps := []*corev1.Pod{newPod("pod1")}
		p := plan(t, rs, ps...)
		adopt, status := p.Writes()[0], p.Writes()[1]
		require.Equal(t, workload.Precondition{UID: "uid-pod1"}, adopt.Precondition)
		require.Equal(t, workload.Precondition{ResourceVersion: rs.ResourceVersion}, status.Precondition)
		require.Equal(t, rs.ResourceVersion, status.Object.GetResourceVersion())

		// pod1 deleted and created again under another UID since it was
		// observed: the adoption is refused as invalid, and the claim's
		// failure ends the sync (upstream requeues and claims again).
		recreated := newPod("pod1")
		recreated.UID = "uid-pod1-again"
		c := cluster(t, rs, recreated)
		r := &recorder{server: c}
		res := workload.Apply(p, r)
		require.True(t, apierrors.IsInvalid(res.Err), "%v", res.Err)
		require.Equal(t, workload.Requeue{RateLimited: true}, res.Requeue)
		require.Len(t, r.sent, 1, "the status write is not reached")
		require.Empty(t, c.Pod("pod1").OwnerReferences)
	})
	t.Run("Deployment", func(t *testing.T) {
		d := dep("web", 3, "v2", generation(2), depAnnotation(rollout.RevisionAnnotation, "1"), observed(1, "3/3/3/3/0", completeConds()...))
		v1 := rsFor(d, "web-v1", "v1", 3, pods(3, 3))
		v1.ResourceVersion = "31"
		p := planFor(t, d, []*appsv1.ReplicaSet{v1})
		for _, w := range p.Writes() {
			switch {
			case w.Verb == workload.Create:
				require.Equal(t, workload.Precondition{}, w.Precondition)
			case w.Target.Resource == deploymentsGVR:
				require.Equal(t, workload.Precondition{ResourceVersion: d.ResourceVersion}, w.Precondition, "%v: every Deployment write from the observed copy", w)
			default:
				require.Equal(t, workload.Precondition{ResourceVersion: "31"}, w.Precondition, "%v", w)
			}
		}
		// Applied: the first status write moves the Deployment on, the
		// second, still from the observed copy, is refused.
		r := &recorder{server: cluster(t, d, v1)}
		res := workload.Apply(p, r)
		require.True(t, apierrors.IsConflict(res.Err), "%v", res.Err)
		require.Equal(t, workload.UpdateStatus, r.sent[len(r.sent)-1].Verb)
		require.Len(t, r.sent, len(p.Writes()))
	})
}

// write-body: creates and updates carry the whole object upstream sends,
// patches their type and bytes; a cluster stores what they say.
func TestContractWriteBody(t *testing.T) {
	t.Run("ReplicaSet", func(t *testing.T) {
		rs := newRS("frontend", 2)
		ps := []*corev1.Pod{newPod("pod1"), newPod("old", ownedBy(rs), labels("tier", "x"))}
		p := plan(t, rs, ps...)
		c := cluster(t, append(podObjects(ps), rs)...)
		require.NoError(t, workload.Apply(p, c).Err)
		ref := metav1.GetControllerOf(c.Pod("pod1"))
		require.NotNil(t, ref)
		require.Equal(t, *metav1.NewControllerRef(rs, appsv1.SchemeGroupVersion.WithKind("ReplicaSet")), *ref)
		require.Empty(t, c.Pod("old").OwnerReferences)
		var created *corev1.Pod
		for _, pod := range c.Pods() {
			if strings.HasPrefix(pod.Name, "frontend-") {
				created = pod
			}
		}
		require.NotNil(t, created)
		require.Equal(t, rs.Spec.Template.Labels, created.Labels)
		require.Equal(t, rs.Spec.Template.Spec.Containers[0].Image, created.Spec.Containers[0].Image)
		require.Equal(t, rs.UID, metav1.GetControllerOf(created).UID)
		st := c.ReplicaSet("frontend").Status
		require.Equal(t, int32(1), st.Replicas, "pod1 adopted, old released, the created pod not yet observed")
		require.Equal(t, rs.Generation, st.ObservedGeneration)
	})
	t.Run("Deployment", func(t *testing.T) {
		d := dep("web", 3, "v1", generation(3), depAnnotation(rollout.RevisionAnnotation, "2"), observed(2, "3/3/3/3/0", completeConds()...),
			depAnnotation(rollout.ChangeCauseAnnotation, "back to v1"))
		v1 := rsFor(d, "web-v1", "v1", 0, rev(1), createdAgo(90))
		v2 := rsFor(d, "web-v2", "v2", 3, rev(2))
		p := planFor(t, d, []*appsv1.ReplicaSet{v1, v2})
		c := cluster(t, d, v1, v2)
		_ = workload.Apply(p, c) // its second annotation write is refused: see TestContractStopAtFailure
		stored := c.ReplicaSet("web-v1")
		require.Equal(t, "3", stored.Annotations[rollout.RevisionAnnotation])
		require.Equal(t, "1", stored.Annotations[rollout.RevisionHistoryAnnotation])
		require.Equal(t, "back to v1", stored.Annotations[rollout.ChangeCauseAnnotation])
		require.Equal(t, int32(0), *stored.Spec.Replicas)
		require.Equal(t, v1.Generation, stored.Generation, "an annotation update leaves a ReplicaSet's generation")
	})
}

// status-is-a-write: the status reaches the API server only as an
// update-status write of the plan; an update leaves it, a status write
// leaves the spec.
func TestContractStatusIsAWrite(t *testing.T) {
	t.Run("ReplicaSet", func(t *testing.T) {
		rs := newRS("frontend", 2)
		ps := []*corev1.Pod{newPod("a", ownedBy(rs), readySince(t0.Add(-time.Minute))), newPod("b", ownedBy(rs))}
		p := plan(t, rs, ps...)
		require.Equal(t, []string{"update-status apps/v1/replicasets default/frontend rs-frontend"}, targetLines(p))
		c := cluster(t, append(podObjects(ps), rs)...)
		require.NoError(t, workload.Apply(p, c).Err)
		want := mustRSStatus(t, p)
		if diff := cmp.Diff(want, c.ReplicaSet("frontend").Status); diff != "" {
			t.Fatalf("stored status (-planned +stored):\n%s", diff)
		}
		// Nothing changed: no status write at all.
		rs = c.ReplicaSet("frontend")
		p, err := workload.PlanReplicaSet(rs, workload.ReplicaSetState{Pods: c.Pods(), ReplicaSets: c.ReplicaSets()}, t0)
		require.NoError(t, err)
		require.Empty(t, p.Steps)
	})
	t.Run("Deployment", func(t *testing.T) {
		// The revision annotation reaches the Deployment by its status
		// write, the only write of this sync.
		d, v1 := steady(func(d *appsv1.Deployment) { d.Annotations = nil })
		p := planFor(t, d, []*appsv1.ReplicaSet{v1})
		require.Equal(t, []string{"update-status apps/v1/deployments default/web uid-web"}, targetLines(p))
		c := cluster(t, d, v1)
		require.NoError(t, workload.Apply(p, c).Err)
		stored := c.Deployment("web")
		require.Equal(t, "1", stored.Annotations[rollout.RevisionAnnotation])
		require.Equal(t, d.Generation, stored.Generation)

		// The legacy rollback's update changes the template and leaves the
		// status to the next sync's status write.
		d, v1 = steady(generation(2), depAnnotation(rollout.RollbackToAnnotation, "1"), func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = "v2" })
		v2 := rsFor(d, "web-v2", "v2", 0, rev(2))
		d.Annotations[rollout.RevisionAnnotation] = "2"
		p = planFor(t, d, []*appsv1.ReplicaSet{v1, v2})
		wantPlan(t, p, "update deployment", `  event DeploymentRollback Rolled back deployment "web" to revision 1`)
		sent := p.Writes()[0].Object.(*appsv1.Deployment)
		sent.Status.Replicas = 99 // what an update sends as status is ignored
		c = cluster(t, d, v1, v2)
		require.NoError(t, workload.Apply(p, c).Err)
		require.Equal(t, d.Status, c.Deployment("web").Status)
		require.Equal(t, "v1", c.Deployment("web").Spec.Template.Spec.Containers[0].Image)
	})
}

// event-with-write: an event caused by a write is recorded only once that
// write succeeded; what upstream records on a failure, only then; events
// of no write are recorded when the sync reaches their step.
func TestContractEventWithWrite(t *testing.T) {
	t.Run("ReplicaSet", func(t *testing.T) {
		rs := newRS("frontend", 3)
		quota := apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, "", errors.New("exceeded quota: compute-resources"))
		r := &recorder{server: cluster(t, rs), fail: func(n int, w workload.Write) error {
			if n == 1 {
				return quota
			}
			return nil
		}}
		res := workload.Apply(plan(t, rs), r)
		require.Equal(t, quota, res.Err)
		var created []string
		for _, p := range r.server.(*workloadtest.Cluster).Pods() {
			created = append(created, "Created pod: "+p.Name)
		}
		require.Len(t, created, 2)
		events := r.eventLines()
		require.Len(t, events, 3)
		require.Equal(t, "FailedCreate Error creating: "+quota.Error(), events[1], "the refused create's warning, in its place")
		require.Equal(t, corev1.EventTypeWarning, r.events[1].Type)
		require.ElementsMatch(t, created, []string{r.events[0].Message, r.events[2].Message}, "the names the API server gave")
	})
	t.Run("Deployment", func(t *testing.T) {
		// Returning to an old template: the second annotation write from
		// the observed copy is refused, so the scale-up computed from its
		// answer is never sent and "Scaled up" is not recorded.
		d := dep("web", 3, "v1", generation(3), depAnnotation(rollout.RevisionAnnotation, "2"), observed(2, "3/3/3/3/0", completeConds()...))
		v1 := rsFor(d, "web-v1", "v1", 0, rev(1), createdAgo(90))
		v2 := rsFor(d, "web-v2", "v2", 3, rev(2))
		p := planFor(t, d, []*appsv1.ReplicaSet{v1, v2})
		require.Equal(t, []workload.Event{{Type: corev1.EventTypeNormal, Reason: "ScalingReplicaSet", Message: "Scaled up replica set web-v1 from 0 to 1"}}, p.Writes()[2].Events)
		c := cluster(t, d, v1, v2)
		r := &recorder{server: c}
		res := workload.Apply(p, r)
		require.True(t, apierrors.IsConflict(res.Err), "%v", res.Err)
		require.Len(t, r.sent, 2)
		require.Empty(t, r.events)

		// The retried sync, from what the cluster now holds, scales up and
		// records it.
		r = &recorder{server: c}
		workload.Apply(planDeployment(t, c, "web"), r)
		require.Contains(t, r.eventLines(), "ScalingReplicaSet Scaled up replica set web-v1 from 0 to 1")
		require.Equal(t, int32(1), *c.ReplicaSet("web-v1").Spec.Replicas)

		// A warning upstream records with no write of its own comes first,
		// whatever happens to the write after it.
		d, v1 = steady(depAnnotation(rollout.RollbackToAnnotation, "9"))
		p = planFor(t, d, []*appsv1.ReplicaSet{v1})
		r = &recorder{fail: func(int, workload.Write) error {
			return apierrors.NewConflict(deploymentsGVR.GroupResource(), "web", errors.New("changed"))
		}}
		res = workload.Apply(p, r)
		require.True(t, apierrors.IsConflict(res.Err))
		require.Equal(t, []string{"DeploymentRollbackRevisionNotFound Unable to find the revision to rollback to."}, r.eventLines())
	})
}

// step-concurrency: the writes of a step may be sent concurrently
// (Applier.Parallel runs them so), each attempted whatever happens to the
// others, with the same outcome as one after another.
func TestContractStepConcurrency(t *testing.T) {
	parallel := func(sizes *[]int) func(n int, do func(int)) {
		var mu sync.Mutex
		return func(n int, do func(int)) {
			mu.Lock()
			*sizes = append(*sizes, n)
			mu.Unlock()
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { do(i) })
			}
			wg.Wait()
		}
	}
	t.Run("ReplicaSet", func(t *testing.T) {
		rs := newRS("frontend", 7)
		bare := []*corev1.Pod{newPod("pod1"), newPod("pod2")}
		p := plan(t, rs, bare...)
		require.Equal(t, []int{2, 1, 2, 2, 1}, stepSizes(p), "the claim, then slow-start batches of 1, 2, 2 (5 to create), then the status")

		type result struct {
			Owners []string
			Status appsv1.ReplicaSetStatus
			Events []string
		}
		outcome := func(a workload.Applier, c *workloadtest.Cluster, r *recorder) result {
			res := a.Apply(p)
			require.NoError(t, res.Err)
			var out result
			for _, pod := range c.Pods() {
				out.Owners = append(out.Owners, metav1.GetControllerOf(pod).Name)
			}
			out.Events = r.eventLines()
			for i, e := range out.Events {
				out.Events[i] = strings.TrimRightFunc(e, func(r rune) bool { return r != ' ' && r != '-' }) // generated names follow the order of creation
			}
			slices.Sort(out.Events)
			out.Status = c.ReplicaSet("frontend").Status
			return out
		}
		seqCluster := cluster(t, append(podObjects(bare), rs)...)
		seq := &recorder{server: seqCluster}
		want := outcome(workload.Applier{Server: seq}, seqCluster, seq)

		var sizes []int
		parCluster := cluster(t, append(podObjects(bare), rs)...)
		par := &recorder{server: parCluster}
		got := outcome(workload.Applier{Server: par, Parallel: parallel(&sizes)}, parCluster, par)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("concurrent writes, other outcome (-sequential +concurrent):\n%s", diff)
		}
		require.Len(t, want.Owners, 7)
		require.Equal(t, []int{2, 2, 2}, sizes, "Parallel runs the steps of more than one write")

		// One failed create of a batch does not stop the others of it.
		quota := apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, "", errors.New("exceeded quota"))
		r := &recorder{fail: func(n int, w workload.Write) error {
			if n == 3 { // the first create of the second batch
				return quota
			}
			return nil
		}}
		res := workload.Applier{Server: r, Parallel: parallel(new([]int))}.Apply(p)
		require.Equal(t, quota, res.Err)
		require.Equal(t, []string{"patch", "patch", "create", "create", "create", "update-status"}, verbs(r.sent), "the batch's other create is sent, the third batch is not")
	})
	t.Run("Deployment", func(t *testing.T) {
		d, v1 := steady()
		var orphans []*appsv1.ReplicaSet
		for _, n := range []string{"web-o1", "web-o2", "web-o3"} {
			o := rsFor(d, n, "v0", 0)
			o.OwnerReferences = nil
			delete(o.Annotations, rollout.RevisionAnnotation)
			orphans = append(orphans, o)
		}
		p := planFor(t, d, append(orphans, v1))
		require.Equal(t, []int{3}, stepSizes(p), "the adoptions are one step")
		var sizes []int
		c := cluster(t, d, v1, orphans[0], orphans[1], orphans[2])
		r := &recorder{server: c, fail: func(n int, w workload.Write) error {
			if w.Target.Name == "web-o1" {
				return apierrors.NewNotFound(replicaSetsGVR.GroupResource(), "web-o1") // gone meanwhile: no failure
			}
			return nil
		}}
		res := workload.Applier{Server: r, Parallel: parallel(&sizes)}.Apply(p)
		require.NoError(t, res.Err)
		require.Equal(t, []int{3}, sizes)
		require.Len(t, r.sent, 3)
		require.Empty(t, c.ReplicaSet("web-o1").OwnerReferences)
		require.Equal(t, d.UID, metav1.GetControllerOf(c.ReplicaSet("web-o2")).UID)
		require.Equal(t, d.UID, metav1.GetControllerOf(c.ReplicaSet("web-o3")).UID)
	})
}

func verbs(ws []workload.Write) []string {
	var out []string
	for _, w := range ws {
		out = append(out, string(w.Verb))
	}
	return out
}

// stop-at-failure: the sync ends at the first step in which a write
// fails, after the rest of that step, the failed write's events and its
// fallback, with a rate-limited requeue; the errors upstream takes as
// success do not end it; a refused status write is retried once on a
// fresh copy.
func TestContractStopAtFailure(t *testing.T) {
	t.Run("ReplicaSet create refused mid slow-start", func(t *testing.T) {
		rs := newRS("frontend", 7)
		rs.Spec.MinReadySeconds = 10
		c := cluster(t, rs)
		quota := apierrors.NewForbidden(schema.GroupResource{Resource: "pods"}, "", errors.New("exceeded quota: compute-resources, requested: pods=1, used: pods=2, limited: pods=2"))
		r := &recorder{server: c, fail: func(n int, w workload.Write) error {
			if n == 2 { // the second create of the second batch
				return quota
			}
			return nil
		}}
		p := plan(t, rs)
		res := workload.Apply(p, r)
		require.Equal(t, quota, res.Err)
		require.Equal(t, workload.Requeue{RateLimited: true}, res.Requeue)
		require.Equal(t, []string{"create", "create", "create", "update-status"}, verbs(r.sent), "batch 3 (4 pods) is skipped")
		require.Len(t, c.Pods(), 2)
		require.Equal(t, "FailedCreate Error creating: "+quota.Error(), r.eventLines()[2])
		st := c.ReplicaSet("frontend").Status
		require.Len(t, st.Conditions, 1)
		cond := st.Conditions[0]
		require.Equal(t, appsv1.ReplicaSetReplicaFailure, cond.Type)
		require.Equal(t, corev1.ConditionTrue, cond.Status)
		require.Equal(t, "FailedCreate", cond.Reason)
		require.Equal(t, quota.Error(), cond.Message)
		require.Equal(t, int32(0), st.Replicas, "the pods observed before the sync")

		// The next sync, with the two pods, creates the five others and
		// clears the condition.
		p = planRS(t, c, "frontend")
		require.Equal(t, []string{"create", "create", "create", "create", "create"}, summary(p))
		require.NoError(t, workload.Apply(p, c).Err)
		require.Empty(t, c.ReplicaSet("frontend").Status.Conditions)
	})
	t.Run("ReplicaSet delete refused", func(t *testing.T) {
		rs := newRS("frontend", 1)
		ps := []*corev1.Pod{newPod("a", ownedBy(rs), readySince(t0.Add(-time.Hour))), newPod("b", ownedBy(rs)), newPod("c", ownedBy(rs))}
		webhook := apierrors.NewInternalError(errors.New(`failed calling webhook "deny.example.com"`))
		r := &recorder{server: cluster(t, append(podObjects(ps), rs)...), fail: func(n int, w workload.Write) error {
			if w.Verb == workload.Delete && w.Target.Name == "c" {
				return webhook
			}
			return nil
		}}
		res := workload.Apply(plan(t, rs, ps...), r)
		require.Equal(t, webhook, res.Err)
		require.ElementsMatch(t, []string{"SuccessfulDelete Deleted pod: b", "FailedDelete Error deleting: " + webhook.Error()}, r.eventLines())
		cond := r.server.(*workloadtest.Cluster).ReplicaSet("frontend").Status.Conditions[0]
		require.Equal(t, "FailedDelete", cond.Reason)
		require.Equal(t, "unable to delete pods: "+webhook.Error(), cond.Message)
	})
	t.Run("ReplicaSet delete of a pod already gone", func(t *testing.T) {
		rs := newRS("frontend", 1)
		ps := []*corev1.Pod{newPod("a", ownedBy(rs), readySince(t0.Add(-time.Hour))), newPod("b", ownedBy(rs)), newPod("c", ownedBy(rs))}
		p := plan(t, rs, ps...)
		require.ElementsMatch(t, []string{"delete b", "delete c"}, summary(p))
		c := cluster(t, ps[0], ps[2], rs) // b went after it was observed
		r := &recorder{server: c}
		res := workload.Apply(p, r)
		require.NoError(t, res.Err)
		require.Equal(t, p.Requeue, res.Requeue)
		require.Equal(t, []string{"SuccessfulDelete Deleted pod: c"}, r.eventLines(), "NotFound: no event, no failure")
		require.Equal(t, workload.UpdateStatus, r.sent[len(r.sent)-1].Verb)
		require.Empty(t, c.ReplicaSet("frontend").Status.Conditions)
	})
	t.Run("ReplicaSet status write retried once on a fresh copy", func(t *testing.T) {
		rs := newRS("frontend", 0)
		c := cluster(t, rs)
		p := plan(t, rs)
		// Someone relabels the ReplicaSet after it was observed.
		edited := c.ReplicaSet("frontend").DeepCopy()
		edited.Labels = map[string]string{"team": "b"}
		_, err := c.Update(edited)
		require.NoError(t, err)
		r := &recorder{server: c}
		res := workload.Apply(p, r)
		require.NoError(t, res.Err)
		require.Equal(t, []workload.Target{p.Writes()[0].Target}, r.gets, "read again once")
		require.Len(t, r.sent, 2)
		stored := c.ReplicaSet("frontend")
		require.Equal(t, "b", stored.Labels["team"], "the fresh copy's labels")
		require.Equal(t, mustRSStatus(t, p), stored.Status, "the planned status")

		// Refused twice: the sync fails.
		r = &recorder{server: cluster(t, rs), fail: func(int, workload.Write) error {
			return apierrors.NewConflict(replicaSetsGVR.GroupResource(), "frontend", errors.New("changed"))
		}}
		res = workload.Apply(p, r)
		require.True(t, apierrors.IsConflict(res.Err))
		require.Len(t, r.sent, 2)
	})
	t.Run("Deployment first sync: the second status write is refused", func(t *testing.T) {
		c := workloadtest.New(t0)
		_, err := c.Create(dep("web", 3, "nginx:1.14.2"))
		require.NoError(t, err)
		p := planDeployment(t, c, "web")
		r := &recorder{server: c}
		res := workload.Apply(p, r)
		require.True(t, apierrors.IsConflict(res.Err), "%v", res.Err)
		require.Equal(t, workload.Requeue{RateLimited: true}, res.Requeue)
		require.Equal(t, []string{"create", "update-status", "update-status"}, verbs(r.sent))
		require.Equal(t, r.sent[1].Precondition, r.sent[2].Precondition, "both from the observed copy")
		require.Equal(t, []string{"ScalingReplicaSet Scaled up replica set " + c.ReplicaSets()[0].Name + " from 0 to 3"}, r.eventLines())
		stored := c.Deployment("web")
		require.Equal(t, "1", stored.Annotations[rollout.RevisionAnnotation], "the first status write went through")
		require.Equal(t, rollout.NewReplicaSetReason, rollout.GetCondition(stored.Status, appsv1.DeploymentProgressing).Reason)
		require.Zero(t, stored.Status.ObservedGeneration, "the second, which sets observedGeneration, did not")

		// The retry writes the status once and is done.
		r = &recorder{server: c}
		p = planDeployment(t, c, "web")
		res = workload.Apply(p, r)
		require.NoError(t, res.Err)
		require.Equal(t, []string{"update-status"}, verbs(r.sent))
		require.Equal(t, int64(1), c.Deployment("web").Status.ObservedGeneration)
	})
	t.Run("Deployment create of the new ReplicaSet refused", func(t *testing.T) {
		d, v1 := steady(generation(2), func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = "v2" })
		quota := apierrors.NewForbidden(replicaSetsGVR.GroupResource(), newRSName(d), errors.New("exceeded quota"))
		c := cluster(t, d, v1)
		r := &recorder{server: c, fail: func(n int, w workload.Write) error {
			if w.Verb == workload.Create {
				return quota
			}
			return nil
		}}
		res := workload.Apply(planFor(t, d, []*appsv1.ReplicaSet{v1}), r)
		require.Equal(t, quota, res.Err)
		msg := fmt.Sprintf("Failed to create new replica set %q: %s", newRSName(d), quota.Error())
		require.Equal(t, []string{"create", "update-status"}, verbs(r.sent))
		require.Equal(t, []string{rollout.FailedRSCreateReason + " " + msg}, r.eventLines())
		require.Equal(t, "ReplicaSetCreateError", rollout.FailedRSCreateReason, "upstream's reason, for the event and the condition")
		cond := rollout.GetCondition(c.Deployment("web").Status, appsv1.DeploymentProgressing)
		require.Equal(t, rollout.FailedRSCreateReason, cond.Reason)
		require.Equal(t, corev1.ConditionFalse, cond.Status)
		require.Equal(t, msg, cond.Message)

		// AlreadyExists: the informer missed it; the sync ends, nothing else.
		r = &recorder{server: cluster(t, d, v1), fail: func(n int, w workload.Write) error {
			if w.Verb == workload.Create {
				return apierrors.NewAlreadyExists(replicaSetsGVR.GroupResource(), newRSName(d))
			}
			return nil
		}}
		res = workload.Apply(planFor(t, d, []*appsv1.ReplicaSet{v1}), r)
		require.True(t, apierrors.IsAlreadyExists(res.Err))
		require.Equal(t, []string{"create"}, verbs(r.sent))
		require.Empty(t, r.events)
	})
	t.Run("Deployment cleanup of a ReplicaSet already gone", func(t *testing.T) {
		d, v1 := steady(func(d *appsv1.Deployment) { d.Spec.RevisionHistoryLimit = new(int32(0)) })
		old := rsFor(d, "web-old", "v0", 0, rev(0), createdAgo(200))
		p := planFor(t, d, []*appsv1.ReplicaSet{v1, old})
		require.Equal(t, []string{"delete web-old"}, describe(p))
		res := workload.Apply(p, cluster(t, d, v1)) // web-old went after it was observed
		require.NoError(t, res.Err)
	})
}

// FromPrevious: a write computed from the object an earlier write of the
// sync returned carries that answer's resourceVersion, and the API server
// takes it.
func TestContractFromPrevious(t *testing.T) {
	t.Run("Apply chains a create and an update", func(t *testing.T) {
		rs := newRS("frontend", 1)
		rs.UID, rs.ResourceVersion = "", ""
		scaled := rs.DeepCopy()
		scaled.Spec.Replicas = new(int32(3))
		target := workload.Target{Resource: replicaSetsGVR, Namespace: "default", Name: "frontend"}
		p := workload.Plan{Steps: []workload.Step{
			{Writes: []workload.Write{{Verb: workload.Create, Target: target, Object: rs}}},
			{Writes: []workload.Write{{Verb: workload.Update, Target: target, Precondition: workload.Precondition{FromPrevious: true}, Object: scaled,
				Events: []workload.Event{{Type: corev1.EventTypeNormal, Reason: "ScalingReplicaSet", Message: "Scaled up replica set frontend from 1 to 3"}}}}},
		}}
		c := workloadtest.New(t0)
		r := &recorder{server: c}
		require.NoError(t, workload.Apply(p, r).Err)
		created := r.sent[0]
		require.Empty(t, created.Object.GetResourceVersion())
		require.NotEmpty(t, r.sent[1].Object.GetResourceVersion(), "the update carries the create's answer")
		require.Equal(t, int32(3), *c.ReplicaSet("frontend").Spec.Replicas)
		require.Len(t, r.events, 1)
		require.Empty(t, scaled.ResourceVersion, "the plan is left as it was")
	})
	t.Run("Deployment scales one old ReplicaSet twice in a sync", func(t *testing.T) {
		// cleanupUnhealthyReplicas takes the unavailable replica away, and
		// the rolling scale-down goes on from the ReplicaSet it returned.
		d := dep("web", 4, "v2", generation(2), depAnnotation(rollout.RevisionAnnotation, "2"),
			withFenceposts(intstr.FromInt32(0), intstr.FromInt32(2)), observed(2, "4/0/3/3/1", availableTrue(), progressing(rollout.ReplicaSetUpdatedReason, minutesAgo(1))))
		old := rsFor(d, "web-v1", "v1", 4, createdAgo(90), pods(4, 3))
		cur := rsFor(d, "web-v2", "v2", 0, rev(2), createdAgo(1), pods(0, 0))
		p := planFor(t, d, []*appsv1.ReplicaSet{old, cur})
		wantPlan(t, p,
			"update web-v1 3",
			"  event ScalingReplicaSet Scaled down replica set web-v1 from 4 to 3",
			"update web-v1 2 (from previous)",
			"  event ScalingReplicaSet Scaled down replica set web-v1 from 3 to 2")
		c := cluster(t, d, old, cur)
		r := &recorder{server: c}
		res := workload.Apply(p, r)
		require.NoError(t, res.Err)
		require.Len(t, r.events, 2)
		require.Equal(t, int32(2), *c.ReplicaSet("web-v1").Spec.Replicas)
	})
	t.Run("paused Deployment syncs the new ReplicaSet's annotations, then scales it", func(t *testing.T) {
		d, v1 := steady(paused, generation(2), depAnnotation(rollout.ChangeCauseAnnotation, "scaled"), func(d *appsv1.Deployment) {
			d.Spec.Replicas = new(int32(5))
			d.Status.Conditions = []appsv1.DeploymentCondition{availableTrue(), cond(appsv1.DeploymentProgressing, corev1.ConditionUnknown, rollout.PausedDeployReason, minutesAgo(5))}
		})
		p := planFor(t, d, []*appsv1.ReplicaSet{v1})
		wantPlan(t, p,
			"update web-v1 3",
			"update web-v1 5 (from previous)",
			"  event ScalingReplicaSet Scaled up replica set web-v1 from 3 to 5",
			"status 3/3/3/3/0 Available=False/MinimumReplicasUnavailable Progressing=Unknown/DeploymentPaused")
		c := cluster(t, d, v1)
		r := &recorder{server: c}
		require.NoError(t, workload.Apply(p, r).Err)
		stored := c.ReplicaSet("web-v1")
		require.Equal(t, int32(5), *stored.Spec.Replicas)
		require.Equal(t, "scaled", stored.Annotations[rollout.ChangeCauseAnnotation])
		require.Equal(t, []string{"ScalingReplicaSet Scaled up replica set web-v1 from 3 to 5"}, r.eventLines())
	})
}

// requeue: a sync that ran to its end asks for the plan's requeue; one
// that ended at a failed write, for a rate-limited one.
func TestContractRequeue(t *testing.T) {
	t.Run("ReplicaSet", func(t *testing.T) {
		rs := newRS("frontend", 1)
		rs.Spec.MinReadySeconds = 30
		ps := []*corev1.Pod{newPod("a", ownedBy(rs), readySince(t0.Add(-10*time.Second)))}
		p := plan(t, rs, ps...)
		require.Equal(t, workload.Requeue{After: 20 * time.Second}, p.Requeue)
		require.Equal(t, p.Requeue, workload.Apply(p, cluster(t, append(podObjects(ps), rs)...)).Requeue)
		r := &recorder{fail: func(int, workload.Write) error { return apierrors.NewServiceUnavailable("etcd") }}
		require.Equal(t, workload.Requeue{RateLimited: true}, workload.Apply(p, r).Requeue)

		// A template without labels: every write succeeds, and upstream's
		// sync still returns an error.
		rs = newRS("frontend", 1)
		rs.Spec.Selector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "x", Operator: metav1.LabelSelectorOpDoesNotExist}}}
		rs.Spec.Template.Labels = nil
		p = plan(t, rs)
		res := workload.Apply(p, cluster(t, rs))
		require.NoError(t, res.Err)
		require.Equal(t, workload.Requeue{RateLimited: true}, res.Requeue)
	})
	t.Run("Deployment", func(t *testing.T) {
		d := dep("web", 3, "bad", generation(2), depAnnotation(rollout.RevisionAnnotation, "2"),
			observed(2, "4/1/3/3/1", availableTrue(), progressing(rollout.ReplicaSetUpdatedReason, minutesAgo(3))))
		rss := []*appsv1.ReplicaSet{rsFor(d, "web-good", "good", 3, createdAgo(90)), rsFor(d, "web-bad", "bad", 1, rev(2), pods(1, 0))}
		p := planFor(t, d, rss)
		require.Empty(t, p.Steps)
		res := workload.Apply(p, cluster(t, d, rss[0], rss[1]))
		require.Equal(t, workload.Requeue{After: 7*time.Minute + time.Second}, res.Requeue, "the progress deadline")

		// A name collision: the create is refused with AlreadyExists, its
		// fallback writes the bumped collisionCount, and the sync ends
		// rate-limited.
		d, v1 := steady(generation(2), func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = "v2" })
		squatter := rsFor(d, newRSName(d), "something-else", 0, createdAgo(5))
		p = planFor(t, d, []*appsv1.ReplicaSet{v1, squatter})
		res = workload.Apply(p, cluster(t, d, v1, squatter))
		require.True(t, apierrors.IsAlreadyExists(res.Err), "%v", res.Err)
		require.Equal(t, workload.Requeue{RateLimited: true}, res.Requeue)
	})
}

// Planner errors unwrap to their field errors; an option a planner cannot
// use and an input whose absence changes the answer are errors too.
func TestContractPlannerErrors(t *testing.T) {
	rs := newRS("frontend", -1)
	_, err := workload.PlanReplicaSet(rs, workload.ReplicaSetState{}, t0)
	var fe *field.Error
	require.True(t, errors.As(err, &fe))
	require.Equal(t, "spec.replicas", fe.Field)
	var ie *workload.InvalidError
	require.True(t, errors.As(err, &ie))
	require.Equal(t, "ReplicaSet", ie.Kind)
	require.Equal(t, "frontend", ie.Name)

	_, err = workload.PlanReplicaSet(newRS("frontend", 1), workload.ReplicaSetState{}, t0, workload.BurstReplicas(0))
	requireFieldErrors(t, err)
	require.True(t, errors.As(err, &fe))
	require.Equal(t, "options.burstReplicas", fe.Field)

	controlled := newRS("web-1", 1)
	controlled.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: "web", UID: "dep-web", Controller: new(true)}}
	_, err = workload.PlanReplicaSet(controlled, workload.ReplicaSetState{Pods: []*corev1.Pod{}}, t0)
	requireFieldErrors(t, err)
	require.True(t, errors.As(err, &fe))
	require.Equal(t, "observed.replicaSets", fe.Field)
	require.Equal(t, field.ErrorTypeRequired, fe.Type)
	_, err = workload.PlanReplicaSet(controlled, workload.ReplicaSetState{ReplicaSets: []*appsv1.ReplicaSet{}}, t0)
	require.NoError(t, err, "an empty list is an observation")

	_, err = workload.PlanDeployment(dep("web", 3, "v1", recreate), workload.DeploymentState{}, dnow)
	requireFieldErrors(t, err)
	require.True(t, errors.As(err, &fe))
	require.Equal(t, "observed.pods", fe.Field)

	res := workload.Apply(workload.Plan{}, nil)
	require.Error(t, res.Err, "no server: nothing sent, the sync fails")
	require.Equal(t, workload.Requeue{RateLimited: true}, res.Requeue)
}
