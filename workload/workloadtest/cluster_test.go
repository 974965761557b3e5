package workloadtest_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/reckon-k8s/reckon/workload"
	"github.com/reckon-k8s/reckon/workload/workloadtest"
)

var t0 = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

var (
	podsResource        = corev1.SchemeGroupVersion.WithResource("pods")
	replicaSetsResource = appsv1.SchemeGroupVersion.WithResource("replicasets")
	deploymentsResource = appsv1.SchemeGroupVersion.WithResource("deployments")
)

func mustCreate[T workload.Object](t *testing.T, c *workloadtest.Cluster, obj T) T {
	t.Helper()
	got, err := c.Create(obj)
	if err != nil {
		t.Fatalf("create %s: %v", obj.GetName(), err)
	}
	return got.(T)
}

func pod(name, image string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"app": "web"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: image}}},
	}
}

func replicaSet(name string, replicas int32) *appsv1.ReplicaSet {
	labels := map[string]string{"app": "web"}
	return &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"team": "a"}},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "nginx:1.14.2"}}},
			},
		},
	}
}

func deployment(name string, replicas int32) *appsv1.Deployment {
	labels := map[string]string{"app": name}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"team": "a"}},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "nginx:1.14.2"}}},
			},
		},
	}
}

// generateName: the API server appends five characters of its alphabet; a
// fresh cluster generates the same names and UIDs run after run.
func TestCreateGeneratesNamesLikeTheAPIServer(t *testing.T) {
	a, b := workloadtest.New(t0), workloadtest.New(t0)
	gen := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{GenerateName: "web-"}}
	pa, pb := mustCreate(t, a, gen.DeepCopy()), mustCreate(t, b, gen.DeepCopy())
	if pa.Name != pb.Name || pa.UID != pb.UID {
		t.Fatalf("two fresh clusters named differently: %s/%s vs %s/%s", pa.Name, pa.UID, pb.Name, pb.UID)
	}
	if len(pa.Name) != len("web-")+5 || pa.Status.Phase != corev1.PodPending || pa.Spec.NodeName != "node-1" ||
		!pa.CreationTimestamp.Time.Equal(t0) || pa.Namespace != "default" || pa.Generation != 1 || pa.ResourceVersion == "" {
		t.Fatalf("created %+v", pa.ObjectMeta)
	}
	if p2 := mustCreate(t, a, gen.DeepCopy()); p2.Name == pa.Name || p2.UID == pa.UID {
		t.Fatal("second pod reused a name or UID")
	}
	if gen.Name != "" || gen.UID != "" {
		t.Fatal("Create modified its argument")
	}
	if _, err := a.Create(&corev1.Pod{}); !apierrors.IsInvalid(err) {
		t.Fatalf("no name, no generateName: %v", err)
	}
	if _, err := a.Create(pod(pa.Name, "nginx")); !apierrors.IsAlreadyExists(err) {
		t.Fatalf("taken name: %v", err)
	}
}

// Create applies the API server's defaults that take part in the template
// hash, among them the image pull policy, which depends on the tag.
func TestCreateDefaultsPullPolicy(t *testing.T) {
	c := workloadtest.New(t0)
	for i, tc := range []struct {
		image string
		want  corev1.PullPolicy
	}{
		{"nginx", corev1.PullAlways},
		{"nginx:latest", corev1.PullAlways},
		{"nginx:1.14.2", corev1.PullIfNotPresent},
		{"localhost:5000/nginx", corev1.PullAlways},
		{"nginx@sha256:abc", corev1.PullIfNotPresent},
	} {
		p := mustCreate(t, c, pod(string(rune('a'+i)), tc.image))
		if got := p.Spec.Containers[0].ImagePullPolicy; got != tc.want {
			t.Errorf("image %q: pull policy %s, want %s", tc.image, got, tc.want)
		}
		if p.Spec.RestartPolicy != corev1.RestartPolicyAlways || *p.Spec.TerminationGracePeriodSeconds != 30 {
			t.Errorf("image %q: pod spec not defaulted: %+v", tc.image, p.Spec)
		}
	}
	d := mustCreate(t, c, deployment("web", 3))
	ru := d.Spec.Strategy.RollingUpdate
	if d.Spec.Strategy.Type != appsv1.RollingUpdateDeploymentStrategyType || ru.MaxSurge.StrVal != "25%" || ru.MaxUnavailable.StrVal != "25%" ||
		*d.Spec.RevisionHistoryLimit != 10 || *d.Spec.ProgressDeadlineSeconds != 600 {
		t.Errorf("Deployment not defaulted: %+v", d.Spec)
	}
}

// Conflict: an update carrying a resourceVersion other than the stored one
// is refused; one without a resourceVersion is taken as is.
func TestUpdateConflictsOnStaleResourceVersion(t *testing.T) {
	c := workloadtest.New(t0)
	rs := mustCreate(t, c, replicaSet("web", 1))
	stale := rs.DeepCopy()
	up := rs.DeepCopy()
	up.Spec.Replicas = new(int32(2))
	if _, err := c.Update(up); err != nil {
		t.Fatal(err)
	}
	stale.Spec.Replicas = new(int32(3))
	if _, err := c.Update(stale); !apierrors.IsConflict(err) {
		t.Fatalf("update from a stale copy: %v", err)
	}
	if _, err := c.UpdateStatus(stale); !apierrors.IsConflict(err) {
		t.Fatalf("status update from a stale copy: %v", err)
	}
	if got := *c.ReplicaSet("web").Spec.Replicas; got != 2 {
		t.Fatalf("replicas %d after a refused update", got)
	}
	stale.ResourceVersion = ""
	if _, err := c.Update(stale); err != nil {
		t.Fatalf("update without a resourceVersion: %v", err)
	}
	if _, err := c.Update(replicaSet("missing", 1)); !apierrors.IsNotFound(err) {
		t.Fatalf("update of a missing object: %v", err)
	}
}

// Status subresource: a status write keeps the stored spec (and, for a
// Deployment, the labels) and takes the other metadata, such as the
// revision annotation upstream sends with it; it does not bump the
// generation.
func TestUpdateStatusKeepsSpec(t *testing.T) {
	c := workloadtest.New(t0)
	rs := mustCreate(t, c, replicaSet("web", 1))
	w := rs.DeepCopy()
	w.Spec.Replicas = new(int32(9))
	w.Status.Replicas = 4
	got, err := c.UpdateStatus(w)
	if err != nil {
		t.Fatal(err)
	}
	if r := got.(*appsv1.ReplicaSet); *r.Spec.Replicas != 1 || r.Status.Replicas != 4 || r.Generation != 1 {
		t.Fatalf("status write stored spec.replicas %d, status.replicas %d, generation %d", *r.Spec.Replicas, r.Status.Replicas, r.Generation)
	}

	d := mustCreate(t, c, deployment("web", 3))
	dw := d.DeepCopy()
	dw.Spec.Paused = true
	dw.Labels = map[string]string{"team": "b"}
	dw.Annotations = map[string]string{"deployment.kubernetes.io/revision": "1"}
	dw.Status.ObservedGeneration = 1
	got, err = c.UpdateStatus(dw)
	if err != nil {
		t.Fatal(err)
	}
	stored := got.(*appsv1.Deployment)
	if stored.Spec.Paused || stored.Labels["team"] != "a" || stored.Generation != 1 {
		t.Fatalf("status write changed spec, labels or generation: %+v %v %d", stored.Spec.Paused, stored.Labels, stored.Generation)
	}
	if stored.Annotations["deployment.kubernetes.io/revision"] != "1" || stored.Status.ObservedGeneration != 1 {
		t.Fatalf("status write lost the annotation or the status: %v %+v", stored.Annotations, stored.Status)
	}
}

// An update keeps the stored status, and bumps the generation when the
// spec changed (for a Deployment, also when its annotations changed: the
// legacy rollback annotation is a request).
func TestUpdateKeepsStatusAndBumpsGeneration(t *testing.T) {
	c := workloadtest.New(t0)
	rs := mustCreate(t, c, replicaSet("web", 1))
	st := rs.DeepCopy()
	st.Status.Replicas = 1
	stored, err := c.UpdateStatus(st)
	if err != nil {
		t.Fatal(err)
	}
	rs = stored.(*appsv1.ReplicaSet)

	relabel := rs.DeepCopy()
	relabel.Labels = map[string]string{"team": "b"}
	relabel.Status.Replicas = 7
	got, err := c.Update(relabel)
	if err != nil {
		t.Fatal(err)
	}
	if r := got.(*appsv1.ReplicaSet); r.Generation != 1 || r.Status.Replicas != 1 || r.Labels["team"] != "b" {
		t.Fatalf("metadata-only update: generation %d, status.replicas %d, labels %v", r.Generation, r.Status.Replicas, r.Labels)
	}
	scale := got.(*appsv1.ReplicaSet).DeepCopy()
	scale.Spec.Replicas = new(int32(2))
	if got, err = c.Update(scale); err != nil || got.GetGeneration() != 2 {
		t.Fatalf("spec change: generation %d, err %v", got.GetGeneration(), err)
	}

	d := mustCreate(t, c, deployment("web", 3))
	annotated := d.DeepCopy()
	annotated.Annotations = map[string]string{"deprecated.deployment.rollback.to": "1"}
	if got, err = c.Update(annotated); err != nil || got.GetGeneration() != 2 {
		t.Fatalf("Deployment annotation change: generation %d, err %v", got.GetGeneration(), err)
	}
	relabelled := got.(*appsv1.Deployment).DeepCopy()
	relabelled.Labels = map[string]string{"team": "b"}
	if got, err = c.Update(relabelled); err != nil || got.GetGeneration() != 2 {
		t.Fatalf("Deployment label change: generation %d, err %v", got.GetGeneration(), err)
	}
	if _, err := c.EditDeployment("web", func(d *appsv1.Deployment) { d.Spec.Replicas = new(int32(4)) }); err != nil {
		t.Fatal(err)
	}
	if g := c.Deployment("web").Generation; g != 3 {
		t.Fatalf("kubectl scale: generation %d", g)
	}
}

// Patches: strategic merge, refused as Invalid when they would change the
// object's UID (the precondition the ControllerRefManager's patches carry).
func TestPatchWithWrongUIDIsInvalid(t *testing.T) {
	c := workloadtest.New(t0)
	p := mustCreate(t, c, pod("pod1", "nginx"))
	target := workload.Target{Resource: podsResource, Namespace: "default", Name: "pod1", UID: p.UID}
	adopt := `{"metadata":{"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"frontend","uid":"rs-1","controller":true,"blockOwnerDeletion":true}],"uid":"` + string(p.UID) + `"}}`
	got, err := c.Patch(target, types.StrategicMergePatchType, []byte(adopt))
	if err != nil {
		t.Fatal(err)
	}
	if ref := metav1.GetControllerOf(got); ref == nil || ref.UID != "rs-1" || got.GetResourceVersion() == p.ResourceVersion {
		t.Fatalf("adopted %+v", got.GetOwnerReferences())
	}
	wrong := `{"metadata":{"uid":"someone-else","ownerReferences":[{"$patch":"delete","uid":"rs-1"}]}}`
	if _, err := c.Patch(target, types.StrategicMergePatchType, []byte(wrong)); !apierrors.IsInvalid(err) || workload.KindOf(err) != workload.Invalid {
		t.Fatalf("patch with another UID: %v", err)
	}
	if len(c.Pod("pod1").OwnerReferences) != 1 {
		t.Fatal("a refused patch was applied")
	}
	release := `{"metadata":{"uid":"` + string(p.UID) + `","ownerReferences":[{"$patch":"delete","uid":"rs-1"}]}}`
	if got, err = c.Patch(target, types.StrategicMergePatchType, []byte(release)); err != nil || len(got.GetOwnerReferences()) != 0 {
		t.Fatalf("release: %v %v", got, err)
	}
	if _, err := c.Patch(target, types.MergePatchType, []byte(release)); !apierrors.IsBadRequest(err) {
		t.Fatalf("merge patch: %v", err)
	}
	target.Name = "gone"
	if _, err := c.Patch(target, types.StrategicMergePatchType, []byte(release)); workload.KindOf(err) != workload.NotFound {
		t.Fatalf("patch of a missing pod: %v", err)
	}
}

// Graceful deletion: a scheduled pod that has not finished gets a deletion
// timestamp its grace period ahead and goes when time reaches it; deleting
// it again changes nothing; a missing pod is NotFound.
func TestDeletePodIsGraceful(t *testing.T) {
	c := workloadtest.New(t0)
	mustCreate(t, c, pod("a", "nginx"))
	short := pod("b", "nginx")
	short.Spec.TerminationGracePeriodSeconds = new(int64(5))
	mustCreate(t, c, short)
	for _, name := range []string{"a", "b"} {
		if err := c.DeletePod(name); err != nil {
			t.Fatal(err)
		}
	}
	// The pod spec's own grace period (defaulted to 30s) wins.
	if p := c.Pod("a"); p.DeletionTimestamp == nil || !p.DeletionTimestamp.Time.Equal(t0.Add(30*time.Second)) || *p.DeletionGracePeriodSeconds != 30 {
		t.Fatalf("pod a: %+v", p.ObjectMeta)
	}
	rv := c.Pod("a").ResourceVersion
	if err := c.DeletePod("a"); err != nil || c.Pod("a").ResourceVersion != rv {
		t.Fatalf("second delete: %v", err)
	}
	c.Advance(5 * time.Second)
	if c.Pod("b") != nil {
		t.Fatal("pod b outlived its 5s grace period")
	}
	c.Advance(24 * time.Second)
	if c.Pod("a") == nil {
		t.Fatal("gone before its grace period")
	}
	c.Advance(time.Second)
	if c.Pod("a") != nil {
		t.Fatal("still there after its grace period")
	}
	if err := c.DeletePod("a"); !apierrors.IsNotFound(err) {
		t.Fatalf("deleting a missing pod: %v", err)
	}
	// Unscheduled and finished pods go at once.
	unscheduled := pod("c", "nginx")
	c.Nodes = nil
	mustCreate(t, c, unscheduled)
	if err := c.DeletePod("c"); err != nil || c.Pod("c") != nil {
		t.Fatalf("unscheduled pod: %v %v", err, c.Pod("c"))
	}
}

// A UID precondition on a delete that does not match is a Conflict.
func TestDeleteUIDPrecondition(t *testing.T) {
	c := workloadtest.New(t0)
	rs := mustCreate(t, c, replicaSet("web", 1))
	target := workload.Target{Resource: replicaSetsResource, Namespace: "default", Name: "web"}
	if err := c.Delete(target, "other-uid", ""); !apierrors.IsConflict(err) {
		t.Fatalf("delete with another UID: %v", err)
	}
	if err := c.Delete(target, rs.UID, ""); err != nil || c.ReplicaSet("web") != nil {
		t.Fatalf("delete with its UID: %v", err)
	}
}

// Garbage collection: deleting an owner deletes its dependents (Background)
// or strips the owner reference from them (Orphan); a dependent that has
// another live owner only loses the reference.
func TestDeleteCollectsDependents(t *testing.T) {
	for _, tc := range []struct {
		propagation metav1.DeletionPropagation
		collected   bool
	}{
		{metav1.DeletePropagationBackground, true},
		{"", true},
		{metav1.DeletePropagationOrphan, false},
	} {
		t.Run(string(tc.propagation), func(t *testing.T) {
			c := workloadtest.New(t0)
			c.Nodes = nil // unscheduled pods go at once
			d := mustCreate(t, c, deployment("web", 1))
			rs := replicaSet("web-1", 1)
			rs.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(d, appsv1.SchemeGroupVersion.WithKind("Deployment"))}
			rs = mustCreate(t, c, rs)
			p := pod("web-1-a", "nginx")
			p.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(rs, appsv1.SchemeGroupVersion.WithKind("ReplicaSet"))}
			mustCreate(t, c, p)
			shared := pod("shared", "nginx")
			shared.OwnerReferences = []metav1.OwnerReference{
				{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: rs.Name, UID: rs.UID},
				{APIVersion: "v1", Kind: "ConfigMap", Name: "keeper", UID: "keeper-uid"},
				{APIVersion: "apps/v1", Kind: "Deployment", Name: d.Name, UID: d.UID},
			}
			mustCreate(t, c, shared)

			err := c.Delete(workload.Target{Resource: deploymentsResource, Namespace: "default", Name: "web"}, "", tc.propagation)
			if err != nil {
				t.Fatal(err)
			}
			if tc.collected {
				if c.ReplicaSet("web-1") != nil || c.Pod("web-1-a") != nil {
					t.Fatalf("dependents left:\n%s%s", c.GetReplicaSets(), c.GetPods())
				}
				// The ReplicaSet went, and the Deployment: no owner of
				// "shared" exists in the cluster any more.
				if c.Pod("shared") != nil {
					t.Fatal("a pod whose owners are all gone was kept")
				}
				return
			}
			left := c.ReplicaSet("web-1")
			if left == nil || len(left.OwnerReferences) != 0 || c.Pod("web-1-a") == nil {
				t.Fatalf("orphaned ReplicaSet %+v", left)
			}
			if refs := c.Pod("shared").OwnerReferences; len(refs) != 2 || refs[1].UID != rs.UID && refs[0].UID != rs.UID {
				t.Fatalf("shared pod's references %+v", refs)
			}
		})
	}
}

// Pods start ReadyAfter their creation, ready unless their image is
// NeverReady; stored objects are replaced, never edited, so an earlier
// snapshot does not change.
func TestAdvanceStartsPodsAfterReadyAfter(t *testing.T) {
	c := workloadtest.New(t0)
	c.ReadyAfter = 5 * time.Second
	c.NeverReady["bad"] = true
	good := mustCreate(t, c, pod("good", "ok"))
	mustCreate(t, c, pod("bad", "bad"))
	c.Advance(4 * time.Second)
	if c.Pod("good").Status.Phase != corev1.PodPending {
		t.Fatal("started before ReadyAfter")
	}
	c.Advance(10 * time.Second)
	p := c.Pod("good")
	if p.Status.Phase != corev1.PodRunning || len(p.Status.Conditions) != 1 || p.Status.Conditions[0].Status != corev1.ConditionTrue {
		t.Fatalf("good pod %+v", p.Status)
	}
	if got := p.Status.Conditions[0].LastTransitionTime.Time; !got.Equal(t0.Add(5 * time.Second)) {
		t.Fatalf("ready since %v, want creation + ReadyAfter", got)
	}
	if b := c.Pod("bad"); b.Status.Phase != corev1.PodRunning || b.Status.Conditions[0].Status != corev1.ConditionFalse {
		t.Fatalf("never-ready pod %+v", b.Status)
	}
	if good.Status.Phase != corev1.PodPending {
		t.Fatal("an earlier snapshot was edited in place")
	}
	if !c.Now().Equal(t0.Add(14 * time.Second)) {
		t.Fatalf("now %v", c.Now())
	}
}

// Pods are scheduled onto the least loaded node, ties in the order of
// Nodes.
func TestCreateSchedulesOntoLeastLoadedNode(t *testing.T) {
	c := workloadtest.New(t0)
	c.Nodes = []string{"node-b", "node-a"}
	var got []string
	for _, name := range []string{"p1", "p2", "p3"} {
		got = append(got, mustCreate(t, c, pod(name, "nginx")).Spec.NodeName)
	}
	if want := []string{"node-b", "node-a", "node-b"}; !slices.Equal(got, want) {
		t.Fatalf("nodes %v, want %v", got, want)
	}
}

// The lists are an informer's: empty, not nil, when the namespace holds
// nothing, since planners read nil as "not observed". A Recreate
// Deployment, which must know there are no old pods, syncs on an empty
// cluster.
func TestListsAreEmptyNotNil(t *testing.T) {
	c := workloadtest.New(t0)
	if c.Pods() == nil || c.ReplicaSets() == nil || c.Deployments() == nil {
		t.Fatal("a list of nothing is nil")
	}
	d := deployment("web", 2)
	d.Spec.Strategy.Type = appsv1.RecreateDeploymentStrategyType
	mustCreate(t, c, d)
	s, err := c.SyncDeployment("web")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.ReplicaSets()) != 1 || len(s.Log) == 0 {
		t.Fatalf("Recreate on an empty cluster: %v", s.Log)
	}
}

// A sync records its events on the object synced, after the write that
// causes them, with the names the cluster generated; its Log lists the
// requests as sent, a refused one with the API server's error.
func TestSyncRecordsEventsOnTheObjectSynced(t *testing.T) {
	c := workloadtest.New(t0)
	mustCreate(t, c, deployment("web", 1))
	s, err := c.SyncDeployment("web")
	if err != nil {
		t.Fatal(err)
	}
	if s.Result.Err == nil || !apierrors.IsConflict(s.Result.Err) || !s.Result.Requeue.RateLimited {
		t.Fatalf("first sync of a new Deployment ended with %v, requeue %+v", s.Result.Err, s.Result.Requeue)
	}
	rs := c.ReplicaSets()[0]
	if _, err := c.SyncReplicaSet(rs.Name); err != nil {
		t.Fatal(err)
	}
	pod := c.Pods()[0]
	var got []string
	for _, e := range c.Events() {
		got = append(got, e.String())
	}
	want := []string{
		"deployment default/web: Normal ScalingReplicaSet Scaled up replica set " + rs.Name + " from 0 to 1",
		"replicaset default/" + rs.Name + ": Normal SuccessfulCreate Created pod: " + pod.Name,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("events\n%q\nwant\n%q", got, want)
	}
	if last := s.Lines()[len(s.Log)-1]; !strings.HasPrefix(last, "update-status deployment default/web ") || !strings.Contains(last, "the object has been modified") {
		t.Fatalf("last request %q", last)
	}
}

// Add seeds observed state exactly as given; later writes get
// resourceVersions above it, and the stale copies it was seeded from
// conflict as the API server's would.
func TestAddSeedsObservedState(t *testing.T) {
	c := workloadtest.New(t0)
	rs := replicaSet("web", 1)
	rs.UID, rs.ResourceVersion, rs.Generation = "uid-web", "41", 3
	rs.Status.Replicas = 1
	if err := c.Add(rs); err != nil {
		t.Fatal(err)
	}
	stored := c.ReplicaSet("web")
	if stored == rs || stored.UID != "uid-web" || stored.ResourceVersion != "41" || stored.Generation != 3 || stored.Status.Replicas != 1 || stored.Namespace != "default" {
		t.Fatalf("stored %+v", stored.ObjectMeta)
	}
	p := mustCreate(t, c, pod("p", "nginx"))
	if p.ResourceVersion != "42" {
		t.Fatalf("next resourceVersion %s, want 42", p.ResourceVersion)
	}
	up := rs.DeepCopy()
	up.Spec.Replicas = new(int32(2))
	if _, err := c.Update(up); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Update(up); !apierrors.IsConflict(err) {
		t.Fatalf("second update from the seeded copy: %v", err)
	}
}
