package workload_test

import (
	"fmt"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/reckon-k8s/reckon/rollout"
	"github.com/reckon-k8s/reckon/workload"
)

// benchDeployment returns a Deployment of n replicas and 20 ReplicaSets:
// 19 old ones (the newest of them still at n/2 replicas, the rest emptied)
// and the new one at n/2, all available; the pods of the namespace are
// spread over them as the ReplicaSet controller would leave them.
func benchDeployment(n int, opts ...depOpt) (*appsv1.Deployment, []*appsv1.ReplicaSet, []*corev1.Pod) {
	d := dep("web", int32(n), "v20", append([]depOpt{generation(2), depAnnotation(rollout.RevisionAnnotation, "20"),
		withFenceposts(intstr.FromString("25%"), intstr.FromString("25%"))}, opts...)...)
	var rss []*appsv1.ReplicaSet
	for i := range 20 {
		size := int32(0)
		if i >= 18 {
			size = int32(n / 2)
		}
		img := fmt.Sprintf("v%d", i+1)
		rss = append(rss, rsFor(d, "web-"+img, img, size, rev(i+1), createdAgo(200-i)))
	}
	ps := make([]*corev1.Pod, n)
	for i := range ps {
		owner := rss[18+i%2]
		ps[i] = &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("web-%06d", i), Namespace: "default", UID: types.UID(fmt.Sprintf("uid-%06d", i)),
				Labels:          map[string]string{"app": "web"},
				OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(owner, appsv1.SchemeGroupVersion.WithKind("ReplicaSet"))}},
			Status: corev1.PodStatus{Phase: corev1.PodRunning},
		}
	}
	return d, rss, ps
}

// BenchmarkPlanDeployment plans one sync with 20 ReplicaSets and n pods:
// a rolling update scaling its old ReplicaSet down (upstream never reads
// pods there), and a Recreate rollout whose old ReplicaSets are empty, so
// that every pod is checked before the new ReplicaSet is scaled up.
func BenchmarkPlanDeployment(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		d, rss, ps := benchDeployment(n)
		b.Run(fmt.Sprintf("rolling/pods=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := workload.PlanDeployment(d, workload.DeploymentState{ReplicaSets: rss, Pods: ps}, dnow); err != nil {
					b.Fatal(err)
				}
			}
		})
		d, rss, ps = benchDeployment(n, recreate)
		rss[18].Spec.Replicas, rss[18].Status = new(int32(0)), appsv1.ReplicaSetStatus{}
		for _, p := range ps {
			p.OwnerReferences[0] = *metav1.NewControllerRef(rss[19], appsv1.SchemeGroupVersion.WithKind("ReplicaSet"))
		}
		b.Run(fmt.Sprintf("recreate/pods=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := workload.PlanDeployment(d, workload.DeploymentState{ReplicaSets: rss, Pods: ps}, dnow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
