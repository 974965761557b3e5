package workload_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"pgregory.net/rapid"

	"github.com/reckon-k8s/reckon/rollout"
	"github.com/reckon-k8s/reckon/workload"
)

var fenceValues = []intstr.IntOrString{
	intstr.FromInt32(0), intstr.FromInt32(1), intstr.FromInt32(2), intstr.FromInt32(3),
	intstr.FromString("0%"), intstr.FromString("10%"), intstr.FromString("25%"), intstr.FromString("50%"), intstr.FromString("100%"),
}

// genDeploymentScenario draws a valid Deployment and what a sync may observe:
// ReplicaSets of any age, size, availability, revision and replica
// annotations, some with its template, and pods of those ReplicaSets in
// every phase. noise adds orphans, other controllers' ReplicaSets,
// relabelled ones and stray pods.
func genDeploymentScenario(t *rapid.T, noise bool) (*appsv1.Deployment, []*appsv1.ReplicaSet, []*corev1.Pod) {
	images := []string{"a", "b", "c"}
	d := dep("web", int32(rapid.IntRange(0, 12).Draw(t, "replicas")), rapid.SampledFrom(images).Draw(t, "image"))
	d.Generation = int64(rapid.IntRange(1, 3).Draw(t, "generation"))
	if rapid.IntRange(0, 4).Draw(t, "recreate") == 0 {
		recreate(d)
	} else {
		for {
			s := rapid.SampledFrom(fenceValues).Draw(t, "maxSurge")
			u := rapid.SampledFrom(fenceValues).Draw(t, "maxUnavailable")
			if s.IntValue() != 0 || u.IntValue() != 0 || (s.Type == intstr.String && s.StrVal != "0%") || (u.Type == intstr.String && u.StrVal != "0%") {
				withFenceposts(s, u)(d)
				break
			}
		}
	}
	d.Spec.Paused = rapid.IntRange(0, 5).Draw(t, "paused") == 0
	d.Spec.RevisionHistoryLimit = new(int32(rapid.SampledFrom([]int{0, 1, 2, 10}).Draw(t, "historyLimit")))
	d.Spec.ProgressDeadlineSeconds = new(int32(rapid.SampledFrom([]int{600, 30, 1<<31 - 1}).Draw(t, "deadline")))
	d.Annotations = map[string]string{rollout.RevisionAnnotation: fmt.Sprint(rapid.IntRange(0, 4).Draw(t, "revision"))}
	if rapid.IntRange(0, 7).Draw(t, "rollback") == 0 {
		d.Annotations[rollout.RollbackToAnnotation] = rapid.SampledFrom([]string{"0", "1", "2", "9"}).Draw(t, "rollbackTo")
	}
	st := &d.Status
	st.ObservedGeneration = int64(rapid.IntRange(0, int(d.Generation)).Draw(t, "observedGeneration"))
	st.Replicas, st.UpdatedReplicas = int32(rapid.IntRange(0, 12).Draw(t, "st.replicas")), int32(rapid.IntRange(0, 12).Draw(t, "st.updated"))
	st.AvailableReplicas = int32(rapid.IntRange(0, 12).Draw(t, "st.available"))
	st.ReadyReplicas = st.AvailableReplicas
	if rapid.Bool().Draw(t, "progressing") {
		reason := rapid.SampledFrom([]string{rollout.NewRSAvailableReason, rollout.ReplicaSetUpdatedReason, rollout.TimedOutReason, rollout.PausedDeployReason}).Draw(t, "reason")
		st.Conditions = append(st.Conditions, progressing(reason, metav1.NewTime(dnow.Add(-time.Duration(rapid.IntRange(0, 900).Draw(t, "lastProgress"))*time.Second))))
	}

	var rss []*appsv1.ReplicaSet
	var ps []*corev1.Pod
	for i := range rapid.IntRange(0, 5).Draw(t, "replicaSets") {
		name := fmt.Sprintf("web-h%d", i)
		rs := rsFor(d, name, rapid.SampledFrom(images).Draw(t, "rs.image"), int32(rapid.IntRange(0, 8).Draw(t, "rs.replicas")),
			createdAgo(rapid.IntRange(1, 4).Draw(t, "rs.age")*10),
			rev(rapid.IntRange(0, 5).Draw(t, "rs.revision")),
			pods(int32(rapid.IntRange(0, 8).Draw(t, "rs.pods")), int32(rapid.IntRange(0, 8).Draw(t, "rs.available"))),
			replicaAnnotations(int32(rapid.IntRange(0, 12).Draw(t, "rs.desired")), int32(rapid.IntRange(0, 15).Draw(t, "rs.max"))))
		if noise {
			switch rapid.IntRange(0, 7).Draw(t, "rs.owner") {
			case 0:
				rs.OwnerReferences = nil
			case 1:
				rs.OwnerReferences[0].UID = "someone-else"
			case 2:
				rs.Labels = map[string]string{"app": "other"}
			}
		}
		rss = append(rss, rs)
		for j := range rapid.IntRange(0, 2).Draw(t, "rs.podObjects") {
			p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("%s-%d", name, j), Namespace: "default", UID: types.UID(fmt.Sprintf("%s-%d", name, j)),
				OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(rs, appsv1.SchemeGroupVersion.WithKind("ReplicaSet"))}}}
			p.Status.Phase = rapid.SampledFrom([]corev1.PodPhase{corev1.PodRunning, corev1.PodPending, corev1.PodSucceeded, corev1.PodFailed}).Draw(t, "phase")
			if rapid.IntRange(0, 3).Draw(t, "terminating") == 0 {
				p.DeletionTimestamp = &metav1.Time{Time: dnow}
			}
			ps = append(ps, p)
		}
	}
	if noise && rapid.Bool().Draw(t, "strayPod") {
		ps = append(ps, &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "stray", Namespace: "default", Labels: map[string]string{"app": "web"}}}, nil)
		rss = append(rss, nil)
	}
	return d, rss, ps
}

// maxTotal is spec.replicas + maxSurge as upstream resolves it
// (ResolveFenceposts: rounded up; 0 for Recreate).
func maxTotal(d *appsv1.Deployment) int32 {
	if d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
		return *d.Spec.Replicas
	}
	s, _ := intstr.GetScaledValueFromIntOrPercent(d.Spec.Strategy.RollingUpdate.MaxSurge, int(*d.Spec.Replicas), true)
	return *d.Spec.Replicas + int32(s)
}

// sizesAfter applies the plan's ReplicaSet writes to the observed sizes,
// all of them or, with n >= 0, the first n writes: a real API server may
// end the sync at any write.
func sizesAfter(rss []*appsv1.ReplicaSet, p workload.Plan, n int) map[string]int32 {
	sizes := map[string]int32{}
	for _, rs := range rss {
		sizes[rs.Name] = *rs.Spec.Replicas
	}
	for i, w := range p.Writes() {
		if n >= 0 && i >= n {
			break
		}
		switch o := w.Object.(type) {
		case *appsv1.ReplicaSet:
			sizes[o.Name] = *o.Spec.Replicas
		case nil:
			if w.Verb == workload.Delete && w.Target.Resource.Resource == "replicasets" {
				delete(sizes, w.Target.Name)
			}
		}
	}
	return sizes
}

func total(sizes map[string]int32) int32 {
	var n int32
	for _, v := range sizes {
		n += v
	}
	return n
}

func mustPlan(t *rapid.T, d *appsv1.Deployment, rss []*appsv1.ReplicaSet, ps []*corev1.Pod) workload.Plan {
	ps = append([]*corev1.Pod{}, ps...) // observed, possibly none
	p, err := workload.PlanDeployment(d, workload.DeploymentState{ReplicaSets: rss, Pods: ps}, dnow)
	if err != nil {
		t.Fatalf("PlanDeployment: %v", err)
	}
	requireWellFormed(t, p, observedOf(d, rss, ps))
	return p
}

// scalingEvent is upstream's isScalingEvent for ReplicaSets that are all
// claimed: an active one records another desired size.
func scalingEvent(d *appsv1.Deployment, rss []*appsv1.ReplicaSet) bool {
	for _, rs := range rss {
		if desired, ok := rollout.DesiredReplicas(rs); ok && *rs.Spec.Replicas > 0 && desired != *d.Spec.Replicas {
			return true
		}
	}
	return false
}

// The ReplicaSets' total stays within spec.replicas + maxSurge when it
// started there (for a rollout, after every write of the plan: a real API
// server may end the sync at any of them), no ReplicaSet goes below 0, and
// a rollout never grows a ReplicaSet beyond spec.replicas. Two upstream
// exceptions are left out: proportional scaling trusts the max-replicas
// annotations, so with annotations that do not match the sizes a share may
// exceed spec.replicas, and since it writes the largest ReplicaSet first
// and shares may differ in sign, the total may pass the bound between two
// of its writes; and the legacy rollback annotation creates the new
// ReplicaSet even for Recreate, at full size, without waiting for the old
// pods.
func TestDeploymentPropertySurgeBound(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d, rss, ps := genDeploymentScenario(t, false)
		before := sizesAfter(rss, workload.Plan{}, -1)
		p := mustPlan(t, d, rss, ps)
		after := sizesAfter(rss, p, -1)
		_, rollingBack := d.Annotations[rollout.RollbackToAnnotation]
		recreateRollback := rollingBack && d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType
		rollingOut := !d.Spec.Paused && !scalingEvent(d, rss)
		prefixes := []int{-1}
		if rollingOut {
			for n := range len(p.Writes()) {
				prefixes = append(prefixes, n)
			}
		}
		for _, n := range prefixes {
			if bound, prefix := maxTotal(d), sizesAfter(rss, p, n); !recreateRollback && total(before) <= bound && total(prefix) > bound {
				t.Fatalf("total %d → %d after %d writes (-1: all), bound %d: %v", total(before), total(prefix), n, bound, describe(p))
			}
		}
		for name, n := range after {
			if rollingOut && n > before[name] && n > *d.Spec.Replicas {
				t.Fatalf("%s grew %d → %d beyond %d replicas: %v", name, before[name], n, *d.Spec.Replicas, describe(p))
			}
			if n < 0 {
				t.Fatalf("%s sized %d", name, n)
			}
		}
	})
}

// A scaling event of a rolling Deployment hands out exactly the difference
// between spec.replicas + maxSurge and the active ReplicaSets' total when
// adding, never takes a ReplicaSet below 0, and touches only active ones.
func TestDeploymentPropertyProportionalScaling(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := dep("web", int32(rapid.IntRange(0, 30).Draw(t, "replicas")), "new",
			withFenceposts(rapid.SampledFrom(fenceValues[1:]).Draw(t, "maxSurge"), intstr.FromInt32(1)),
			depAnnotation(rollout.RevisionAnnotation, "9"))
		var rss []*appsv1.ReplicaSet
		var before int32
		for i := range rapid.IntRange(2, 5).Draw(t, "active") {
			img := fmt.Sprintf("old%d", i)
			if i == 0 {
				img = "new"
			}
			n := int32(rapid.IntRange(1, 12).Draw(t, "size"))
			before += n
			rss = append(rss, rsFor(d, "web-"+img, img, n, rev(9-i), createdAgo(i+1), pods(n, 0),
				replicaAnnotations(int32(rapid.IntRange(0, 20).Draw(t, "desired")), int32(rapid.IntRange(0, 25).Draw(t, "maxReplicas")))))
		}
		// A different desired count on an active ReplicaSet: a scaling event.
		rss[len(rss)-1].Annotations[rollout.DesiredReplicasAnnotation] = fmt.Sprint(*d.Spec.Replicas + 1)
		p := mustPlan(t, d, rss, nil)
		after := sizesAfter(rss, p, -1)
		allowed := maxTotal(d)
		if *d.Spec.Replicas == 0 {
			allowed = 0
		}
		for name, n := range after {
			if n < 0 {
				t.Fatalf("%s sized %d: %v", name, n, describe(p))
			}
		}
		if before <= allowed && total(after) != allowed {
			t.Fatalf("total %d → %d, want %d: %v", before, total(after), allowed, describe(p))
		}
		if before > allowed && total(after) < allowed {
			t.Fatalf("total %d → %d, below %d: %v", before, total(after), allowed, describe(p))
		}
		for _, w := range p.Writes() {
			if w.Verb == workload.Create {
				t.Fatalf("a scaling event created a ReplicaSet: %v", describe(p))
			}
		}
	})
}

// A paused Deployment never gets a new ReplicaSet.
func TestDeploymentPropertyPausedNeverCreates(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d, rss, ps := genDeploymentScenario(t, true)
		d.Spec.Paused = true
		for _, w := range mustPlan(t, d, rss, ps).Writes() {
			if w.Verb == workload.Create {
				t.Fatalf("paused Deployment creates %v", w)
			}
		}
	})
}

// The plan does not depend on the order of the observed ReplicaSets and
// pods, and the inputs are left as they were.
func TestDeploymentPropertyOrderIndependentAndInputsUnchanged(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d, rss, ps := genDeploymentScenario(t, true)
		dBefore := d.DeepCopy()
		rssBefore := deepCopyAll(rss)
		psBefore := make([]*corev1.Pod, len(ps))
		for i, p := range ps {
			psBefore[i] = p.DeepCopy()
		}
		p1 := mustPlan(t, d, rss, ps)
		if !cmp.Equal(d, dBefore) || !cmp.Equal(rss, rssBefore, cmpopts.EquateEmpty()) || !cmp.Equal(ps, psBefore, cmpopts.EquateEmpty()) {
			t.Fatal("inputs modified")
		}
		r := rand.New(rand.NewPCG(uint64(rapid.Int64().Draw(t, "seed")), 1))
		rss2, ps2 := append([]*appsv1.ReplicaSet(nil), rss...), append([]*corev1.Pod(nil), ps...)
		r.Shuffle(len(rss2), func(i, j int) { rss2[i], rss2[j] = rss2[j], rss2[i] })
		r.Shuffle(len(ps2), func(i, j int) { ps2[i], ps2[j] = ps2[j], ps2[i] })
		if p2 := mustPlan(t, d, rss2, ps2); !cmp.Equal(p1, p2) {
			t.Fatalf("permuted inputs, other plan:\n%s", cmp.Diff(p1, p2))
		}
		// The plan never aliases inputs: editing it leaves them alone.
		for _, w := range p1.Writes() {
			switch o := w.Object.(type) {
			case *appsv1.ReplicaSet:
				o.Annotations["x"] = "y"
				o.Spec.Template.Labels["x"] = "y"
				o.Spec.Selector.MatchLabels["x"] = "y"
			case *appsv1.Deployment:
				o.Spec.Template.Labels["x"] = "y"
				if len(o.Status.Conditions) > 0 {
					o.Status.Conditions[0].Reason = "x"
				}
				if o.Annotations != nil {
					o.Annotations["x"] = "y"
				}
			}
		}
		if !cmp.Equal(d, dBefore) || !cmp.Equal(rss, rssBefore, cmpopts.EquateEmpty()) {
			t.Fatal("plan aliases inputs")
		}
	})
}

func deepCopyAll(rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
	out := make([]*appsv1.ReplicaSet, len(rss))
	for i, rs := range rss {
		if rs != nil {
			out[i] = rs.DeepCopy()
		}
	}
	return out
}
