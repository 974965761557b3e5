package deploymentconf

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/kubernetes/pkg/controller"
	deploymentutil "k8s.io/kubernetes/pkg/controller/deployment/util"

	"github.com/reckon-k8s/reckon/internal/conformance/harness"
	"github.com/reckon-k8s/reckon/workload"
)

// The two syncs in which upstream, writing from its informer's copy, meets
// a Conflict on its own second write: both sides must send it and have it
// refused. (The generated runs require both as outcomes too; these name
// them.)

// walkthroughDeployment is the seed walkthroughs' nginx-deployment: 3
// replicas of nginx:1.14.2, as the API server stores it.
func walkthroughDeployment(now time.Time) *appsv1.Deployment {
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{
			Name: "nginx-deployment", Namespace: ns, UID: "nginx-deployment-uid",
			Generation: 1, ResourceVersion: "500", CreationTimestamp: metav1.NewTime(now.Add(-time.Minute).Truncate(time.Second)),
		},
		Spec: appsv1.DeploymentSpec{
			Replicas: new(int32(3)),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "nginx"}},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: "nginx:1.14.2"}}},
			},
		},
	}
	storeDeployment(d)
	return d
}

// ownedReplicaSet is a ReplicaSet d made for template at revision rev,
// with replicas ready and available.
func ownedReplicaSet(d *appsv1.Deployment, template corev1.PodTemplateSpec, rev, replicas int32, created time.Time) *appsv1.ReplicaSet {
	hash := controller.ComputeHash(&template, nil)
	template = *template.DeepCopy()
	template.Labels = withLabel(template.Labels, hashLabel, hash)
	sel := d.Spec.Selector.DeepCopy()
	sel.MatchLabels = withLabel(sel.MatchLabels, hashLabel, hash)
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{
			Name: replicaSetName(d.Name, hash), Namespace: d.Namespace, UID: types.UID("rs-" + hash),
			Generation: 2, ResourceVersion: strconv.Itoa(int(100 + rev)), CreationTimestamp: metav1.NewTime(created),
			Labels:          template.Labels,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(d, appsv1.SchemeGroupVersion.WithKind("Deployment"))},
			Annotations: map[string]string{
				deploymentutil.RevisionAnnotation:        strconv.Itoa(int(rev)),
				deploymentutil.DesiredReplicasAnnotation: "3",
				deploymentutil.MaxReplicasAnnotation:     "4",
			},
		},
		Spec: appsv1.ReplicaSetSpec{Replicas: new(replicas), Selector: sel, Template: template},
		Status: appsv1.ReplicaSetStatus{Replicas: replicas, FullyLabeledReplicas: replicas, ReadyReplicas: replicas, AvailableReplicas: replicas,
			ObservedGeneration: 2, TerminatingReplicas: new(int32(0))},
	}
	return rs
}

// checkAgrees stores sc's objects as the API server would and checks it,
// failing t unless both sides agree.
func checkAgrees(t *testing.T, sc *scenario) *result {
	t.Helper()
	store(sc)
	res := check(sc)
	if res.failed() {
		t.Fatalf("upstream and reckon disagree:\n  %s", res.report())
	}
	return res
}

// writesTo returns the writes of a log with verb to resource.
func writesTo(log []harness.Entry, verb workload.Verb, resource string) []*harness.Call {
	var out []*harness.Call
	for _, e := range log {
		if c := e.Call; c != nil && c.Verb == verb && c.Resource == resource {
			out = append(out, c)
		}
	}
	return out
}

// describe lists a log, one write (with its outcome) or event a line.
func describe(log []harness.Entry) string {
	var lines []string
	for _, e := range log {
		if e.Event != nil {
			lines = append(lines, "  event "+e.Event.String())
			continue
		}
		outcome := "ok"
		if e.Call.Err != nil {
			outcome = e.Call.Err.Error()
		}
		lines = append(lines, fmt.Sprintf("  %s %s %s: %s", e.Call.Verb, e.Call.Resource, e.Call.Name, outcome))
	}
	return strings.Join(lines, "\n")
}

// The first sync of a new Deployment creates its ReplicaSet, writes the
// revision and NewReplicaSetCreated to status, then writes the rollout
// status from the same observed copy: refused.
func TestFirstSyncSecondStatusWriteConflicts(t *testing.T) {
	now := epoch.Add(90 * time.Second)
	sc := &scenario{Name: "first-sync", Now: now, Deployment: walkthroughDeployment(now)}
	res := checkAgrees(t, sc)
	creates, status := writesTo(res.up.Log, workload.Create, "replicasets"), writesTo(res.up.Log, workload.UpdateStatus, "deployments")
	if len(creates) != 1 || creates[0].Err != nil || len(status) != 2 || status[0].Err != nil || !apierrors.IsConflict(status[1].Err) {
		t.Errorf("upstream's sync:\n%s\nwant the ReplicaSet created, a status write made and a second one refused with a Conflict", describe(res.up.Log))
	}
	if !res.up.Requeue.RateLimited {
		t.Errorf("requeue %s, want rate-limited", harness.RequeueString(res.up.Requeue))
	}
}

// Returning to an old template: the old ReplicaSet becomes the new one.
// isScalingEvent syncs its annotations (a new revision) with an update,
// then the rollout syncs them again from the informer's copy: refused.
func TestReturnToOldTemplateSecondUpdateConflicts(t *testing.T) {
	now := epoch.Add(time.Hour)
	d := walkthroughDeployment(now)
	v1 := *d.Spec.Template.DeepCopy()
	v2 := *d.Spec.Template.DeepCopy()
	v2.Spec.Containers[0].Image = "nginx:1.16.1"
	v2 = defaultTemplate(v2)
	old := ownedReplicaSet(d, v1, 1, 0, now.Add(-50*time.Minute).Truncate(time.Second))
	cur := ownedReplicaSet(d, v2, 2, 3, now.Add(-40*time.Minute).Truncate(time.Second))
	d.Generation = 3
	d.Annotations = map[string]string{deploymentutil.RevisionAnnotation: "2"}
	d.Status = appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 3, UpdatedReplicas: 3, ReadyReplicas: 3, AvailableReplicas: 3, TerminatingReplicas: new(int32(0))}
	sc := &scenario{Name: "return-to-old-template", Now: now, Deployment: d, ReplicaSets: []*appsv1.ReplicaSet{old, cur}}
	res := checkAgrees(t, sc)
	updates := writesTo(res.up.Log, workload.Update, "replicasets")
	if len(updates) != 2 || updates[0].Name != old.Name || updates[1].Name != old.Name || updates[0].Err != nil || !apierrors.IsConflict(updates[1].Err) {
		t.Errorf("upstream's sync:\n%s\nwant %s updated twice, the second refused with a Conflict", describe(res.up.Log), old.Name)
	}
}
