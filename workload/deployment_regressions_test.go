package workload_test

// Disagreements the conformance harness (internal/conformance/deploymentconf)
// found between PlanDeployment applied with workload.Apply and the upstream
// v1.36.3 Deployment controller writing to the same API server. They are
// replayed here, on the public API, against a workloadtest.Cluster.

import (
	"errors"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/reckon-k8s/reckon/workload"
	"github.com/reckon-k8s/reckon/workload/workloadtest"
)

var regressionNow = time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)

func regressionDeployment(replicas int32, image string) *appsv1.Deployment {
	labels := map[string]string{"app": "nginx"}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "nginx-deployment", Namespace: "default"},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Strategy: appsv1.DeploymentStrategy{
				Type: appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{
					MaxSurge:       new(intstr.FromInt32(1)),
					MaxUnavailable: new(intstr.FromInt32(0)),
				},
			},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: image}}},
			},
		},
	}
}

// refusing is a cluster whose API server refuses the writes refuse returns
// an error for, and logs every write.
type refusing struct {
	*workloadtest.Cluster
	refuse func(w workload.Write) error
	log    []string
}

func (r *refusing) Send(w workload.Write) (workload.Object, error) {
	if err := r.refuse(w); err != nil {
		r.log = append(r.log, w.String()+": "+err.Error())
		return nil, err
	}
	obj, err := r.Cluster.Send(w)
	line := w.String()
	if err != nil {
		line += ": " + err.Error()
	}
	r.log = append(r.log, line)
	return obj, err
}

func planOn(t *testing.T, c *workloadtest.Cluster) workload.Plan {
	t.Helper()
	p, err := workload.PlanDeployment(c.Deployment("nginx-deployment"), workload.DeploymentState{ReplicaSets: c.ReplicaSets(), Pods: c.Pods()}, c.Now())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Upstream sends the create of the new ReplicaSet even when its informer
// already holds a ReplicaSet of that name: the API server refuses it with
// AlreadyExists, and only then does upstream find the hash collision and
// bump status.collisionCount. The plan used to skip the create.
func TestDeploymentCollisionSendsTheCreate(t *testing.T) {
	c := workloadtest.New(regressionNow)
	if _, err := c.Apply(regressionDeployment(3, "nginx:1.14.2")); err != nil {
		t.Fatal(err)
	}
	name := planOn(t, c).Steps[0].Writes[0].Target.Name
	squatter := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: "squatter", ResourceVersion: "1", Labels: map[string]string{"app": "other"}},
		Spec: appsv1.ReplicaSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "other"}},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "other"}}},
		},
	}
	if err := c.Add(squatter); err != nil {
		t.Fatal(err)
	}
	p := planOn(t, c)
	r := &refusing{Cluster: c, refuse: func(workload.Write) error { return nil }}
	res := workload.Apply(p, r)
	if len(r.log) != 2 || !strings.HasPrefix(r.log[0], "create replicaset default/"+name) || !strings.Contains(r.log[0], "already exists") ||
		!strings.HasPrefix(r.log[1], "update-status deployment default/nginx-deployment") {
		t.Errorf("writes:\n%s\nwant the create refused with AlreadyExists, then the collision written to status", strings.Join(r.log, "\n"))
	}
	if cc := c.Deployment("nginx-deployment").Status.CollisionCount; cc == nil || *cc != 1 {
		t.Errorf("collisionCount %v, want 1", cc)
	}
	if !apierrors.IsAlreadyExists(res.Err) || !res.Requeue.RateLimited {
		t.Errorf("sync ended with %v, %+v; want AlreadyExists and a rate-limited requeue", res.Err, res.Requeue)
	}
}

// Upstream's worker forgets a Deployment whose sync failed because its
// namespace is terminating (handleErr), where the plan used to ask for a
// rate-limited requeue.
func TestDeploymentNamespaceTerminatingForgets(t *testing.T) {
	c := workloadtest.New(regressionNow)
	if _, err := c.Apply(regressionDeployment(3, "nginx:1.14.2")); err != nil {
		t.Fatal(err)
	}
	terminating := apierrors.NewForbidden(appsv1.Resource("replicasets"), "", errors.New("unable to create new content in namespace default because it is being terminated"))
	terminating.ErrStatus.Details.Causes = []metav1.StatusCause{{Type: corev1.NamespaceTerminatingCause}}
	r := &refusing{Cluster: c, refuse: func(w workload.Write) error {
		if w.Verb == workload.Create {
			return terminating
		}
		return nil
	}}
	res := workload.Apply(planOn(t, c), r)
	if res.Err == nil || res.Requeue != (workload.Requeue{}) || len(r.log) != 1 {
		t.Errorf("sync ended with %v, %+v after\n%s\nwant the create's error, no requeue, no other write", res.Err, res.Requeue, strings.Join(r.log, "\n"))
	}
}

// Upstream's reconcileOldReplicaSets swallows a refused scale-down: the
// scale-downs after it are skipped and the sync goes on to the status
// write, with no rate-limited requeue. The plan used to end the sync.
func TestDeploymentRefusedScaleDownResumes(t *testing.T) {
	c := workloadtest.New(regressionNow)
	c.ReadyAfter = time.Second
	if _, err := c.Apply(regressionDeployment(3, "nginx:1.14.2")); err != nil {
		t.Fatal(err)
	}
	settle := func() {
		for range 4 {
			if _, err := c.SyncDeployment("nginx-deployment"); err != nil {
				t.Fatal(err)
			}
			if _, err := c.SyncReplicaSets(); err != nil {
				t.Fatal(err)
			}
			c.Advance(2 * time.Second)
		}
	}
	settle()
	if _, err := c.EditDeployment("nginx-deployment", func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = "nginx:1.16.1" }); err != nil {
		t.Fatal(err)
	}
	// The new ReplicaSet gets its surge pod, which becomes available: the
	// next sync scales the old ReplicaSet down.
	if _, err := c.SyncDeployment("nginx-deployment"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SyncReplicaSets(); err != nil {
		t.Fatal(err)
	}
	c.Advance(2 * time.Second)
	if _, err := c.SyncReplicaSets(); err != nil {
		t.Fatal(err)
	}
	p := planOn(t, c)
	refused := false
	r := &refusing{Cluster: c, refuse: func(w workload.Write) error {
		if w.Verb == workload.Update && w.Target.Resource.Resource == "replicasets" && strings.Contains(w.String(), "(replicas 2)") {
			refused = true
			return apierrors.NewInternalError(errors.New("etcdserver: request timed out"))
		}
		return nil
	}}
	res := workload.Apply(p, r)
	if !refused {
		t.Fatalf("the sync scaled no old ReplicaSet down to 2:\n%s", p)
	}
	last := r.log[len(r.log)-1]
	if !strings.HasPrefix(last, "update-status deployment default/nginx-deployment") || res.Err != nil || res.Requeue.RateLimited {
		t.Errorf("writes:\n%s\nended with %v, %+v; want the status written after the refused scale-down and no rate-limited requeue", strings.Join(r.log, "\n"), res.Err, res.Requeue)
	}
}
