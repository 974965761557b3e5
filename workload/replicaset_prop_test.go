package workload_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"pgregory.net/rapid"

	"github.com/reckon-k8s/reckon/workload"
)

// genReplicaSetScenario draws a ReplicaSet and the pods of its namespace:
// orphans, its own, other controllers', in every phase, ready or not,
// terminating, relabelled, unscheduled, with deletion costs and ages that
// span several log2 buckets.
func genReplicaSetScenario(t *rapid.T) (*appsv1.ReplicaSet, []*corev1.Pod) {
	rs := newRS("frontend", int32(rapid.IntRange(0, 8).Draw(t, "replicas")))
	rs.Spec.MinReadySeconds = int32(rapid.SampledFrom([]int{0, 0, 5, 30}).Draw(t, "minReadySeconds"))
	rs.Generation = int64(rapid.IntRange(1, 3).Draw(t, "generation"))
	if rapid.IntRange(0, 9).Draw(t, "deleting") == 0 {
		rs.DeletionTimestamp = &metav1.Time{Time: t0}
	}
	n := rapid.IntRange(0, 12).Draw(t, "pods")
	ps := make([]*corev1.Pod, n)
	for i := range ps {
		p := newPod(fmt.Sprintf("p%02d", i))
		p.UID = types.UID(fmt.Sprintf("uid-%02d", rapid.IntRange(0, 99).Draw(t, "uid")))
		switch rapid.IntRange(0, 2).Draw(t, "owner") {
		case 1:
			ownedBy(rs)(p)
		case 2:
			ownedByOther(p)
		}
		if rapid.IntRange(0, 4).Draw(t, "mismatch") == 0 {
			p.Labels = map[string]string{"tier": "backend"}
		}
		p.Status.Phase = rapid.SampledFrom([]corev1.PodPhase{corev1.PodRunning, corev1.PodPending, corev1.PodUnknown, corev1.PodSucceeded, corev1.PodFailed, ""}).Draw(t, "phase")
		p.Spec.NodeName = rapid.SampledFrom([]string{"", "n1", "n2", "n3"}).Draw(t, "node")
		p.CreationTimestamp = metav1.NewTime(t0.Add(-time.Duration(rapid.IntRange(1, 1<<20).Draw(t, "age")) * time.Second))
		if rapid.Bool().Draw(t, "ready") {
			readySince(t0.Add(-time.Duration(rapid.IntRange(0, 1<<16).Draw(t, "readyAge")) * time.Second))(p)
		}
		if rapid.IntRange(0, 5).Draw(t, "terminating") == 0 {
			deleting(p)
		}
		if c := rapid.IntRange(-2, 4).Draw(t, "cost"); c != 0 {
			p.Annotations = map[string]string{"controller.kubernetes.io/pod-deletion-cost": fmt.Sprint(c)}
		}
		ps[i] = p
	}
	return rs, ps
}

func TestReplicaSetPropertyNeverTouchesOthersPods(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rs, ps := genReplicaSetScenario(t)
		p, err := workload.PlanReplicaSet(rs, workload.ReplicaSetState{Pods: ps}, t0)
		if err != nil {
			t.Fatal(err)
		}
		requireWellFormed(t, p, observedOf(nil, []*appsv1.ReplicaSet{rs}, ps))
		// Pod names are unique in a scenario (UIDs may repeat on purpose).
		others := map[string]bool{}
		for _, pod := range ps {
			if ref := metav1.GetControllerOf(pod); ref != nil && ref.UID != rs.UID {
				others[pod.Name] = true
			}
		}
		for _, w := range p.Writes() {
			if w.Target.Resource.Resource == "pods" && others[w.Target.Name] {
				t.Fatalf("%v touches a pod controlled by another owner", w)
			}
		}
	})
}

func TestReplicaSetPropertyOrderIndependentAndInputsUnchanged(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rs, ps := genReplicaSetScenario(t)
		rsBefore := rs.DeepCopy()
		before := make([]*corev1.Pod, len(ps))
		for i, p := range ps {
			before[i] = p.DeepCopy()
		}
		p1, err1 := workload.PlanReplicaSet(rs, workload.ReplicaSetState{Pods: ps}, t0)
		perm := rapid.Permutation(ps).Draw(t, "perm")
		p2, err2 := workload.PlanReplicaSet(rs, workload.ReplicaSetState{Pods: perm}, t0)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("errors differ: %v / %v", err1, err2)
		}
		if d := cmp.Diff(p1, p2); d != "" {
			t.Fatalf("plan depends on input order (-first +permuted):\n%s", d)
		}
		if d := cmp.Diff(rsBefore, rs); d != "" {
			t.Fatalf("replica set mutated:\n%s", d)
		}
		if d := cmp.Diff(before, ps); d != "" {
			t.Fatalf("pods mutated:\n%s", d)
		}
	})
}

// After the plan is applied, the ReplicaSet controls exactly spec.replicas
// active pods: what it kept, plus what it created, minus what it deleted.
func TestReplicaSetPropertyConvergesInOneSync(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rs, ps := genReplicaSetScenario(t)
		rs.DeletionTimestamp = nil
		p, err := workload.PlanReplicaSet(rs, workload.ReplicaSetState{Pods: ps}, t0)
		if err != nil {
			t.Fatal(err)
		}
		active := int(mustRSStatus(t, p).Replicas)
		var creates, deletes bool
		for _, w := range p.Writes() {
			switch w.Verb {
			case workload.Create:
				active++
				creates = true
			case workload.Delete:
				active--
				deletes = true
			}
		}
		if active != int(*rs.Spec.Replicas) {
			t.Fatalf("after the plan %d active pods, want %d (plan %v)", active, *rs.Spec.Replicas, p)
		}
		// Creations and deletions never happen in the same sync.
		if creates && deletes {
			t.Fatal("plan both creates and deletes")
		}
	})
}
