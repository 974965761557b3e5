package workload_test

import (
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/reckon-k8s/reckon/rollout"
	"github.com/reckon-k8s/reckon/workload"
)

// FuzzPlanDeployment feeds arbitrary specs, annotations, statuses and
// ReplicaSets: the planner must never panic, must answer errors as field
// errors, its plans must be well formed (requireWellFormed), and a plan may
// only update or delete ReplicaSets it was given or creates.
func FuzzPlanDeployment(f *testing.F) {
	f.Add("web", "default", int32(3), "RollingUpdate", "25%", "25%", false, "1", "", int32(600), int32(10), int32(0),
		"v2", int32(3), int32(3), "1", "3", "4", "web", int64(60), int32(1), "ReplicaSetUpdated", int64(30))
	f.Add("web", "default", int32(10), "RollingUpdate", "3", "2", true, "x", "0", int32(30), int32(0), int32(5),
		"v1", int32(-1), int32(9), "zz", "-1", "99999999999", "other", int64(-5), int32(-3), "ProgressDeadlineExceeded", int64(-1))
	f.Add("", "", int32(-1), "Recreate", "abc%", "-1", false, "", "x", int32(-1), int32(-1), int32(-1),
		"", int32(0), int32(0), "", "", "", "", int64(0), int32(0), "", int64(0))
	// an old ReplicaSet whose status reports -59 available pods
	f.Add("0", "0", int32(3), "", "0", "1", false, "0", "", int32(600), int32(10), int32(0),
		"0", int32(3), int32(-59), "0", "A", "0", "web", int64(60), int32(1), "0", int64(30))
	f.Fuzz(func(t *testing.T, name, ns string, replicas int32, strategy, surge, unavailable string, paused bool,
		revision, rollbackTo string, deadline, historyLimit, minReady int32,
		rsImage string, rsReplicas, rsAvailable int32, rsRevision, rsDesired, rsMax, rsLabel string, rsAgeSeconds int64,
		collisions int32, reason string, progressAgeSeconds int64) {
		now := time.Unix(1e9, 0)
		parse := func(s string) *intstr.IntOrString { v := intstr.Parse(s); return &v }
		d := &appsv1.Deployment{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, UID: "d-uid", Generation: 2,
				Annotations: map[string]string{rollout.RevisionAnnotation: revision, rollout.RollbackToAnnotation: rollbackTo}},
			Spec: appsv1.DeploymentSpec{
				Replicas: &replicas,
				Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
				Template: corev1.PodTemplateSpec{
					ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
					Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "v2"}}},
				},
				Strategy:                appsv1.DeploymentStrategy{Type: appsv1.DeploymentStrategyType(strategy)},
				Paused:                  paused,
				ProgressDeadlineSeconds: &deadline,
				RevisionHistoryLimit:    &historyLimit,
				MinReadySeconds:         minReady,
			},
			Status: appsv1.DeploymentStatus{
				ObservedGeneration: 1, Replicas: rsReplicas, AvailableReplicas: rsAvailable, CollisionCount: &collisions,
				Conditions: []appsv1.DeploymentCondition{{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue, Reason: reason,
					LastUpdateTime: metav1.NewTime(now.Add(-time.Duration(progressAgeSeconds) * time.Second))}},
			},
		}
		if strategy != string(appsv1.RecreateDeploymentStrategyType) {
			d.Spec.Strategy.RollingUpdate = &appsv1.RollingUpdateDeployment{MaxSurge: parse(surge), MaxUnavailable: parse(unavailable)}
		}
		rs := &appsv1.ReplicaSet{
			ObjectMeta: metav1.ObjectMeta{Name: name + "-rs", Namespace: ns, UID: "rs-uid", Labels: map[string]string{"app": rsLabel},
				CreationTimestamp: metav1.NewTime(now.Add(-time.Duration(rsAgeSeconds) * time.Second)),
				Annotations:       map[string]string{rollout.RevisionAnnotation: rsRevision, rollout.DesiredReplicasAnnotation: rsDesired, rollout.MaxReplicasAnnotation: rsMax},
				OwnerReferences:   []metav1.OwnerReference{*metav1.NewControllerRef(d, appsv1.SchemeGroupVersion.WithKind("Deployment"))}},
			Spec: appsv1.ReplicaSetSpec{Replicas: &rsReplicas, Template: *d.Spec.Template.DeepCopy()},
			Status: appsv1.ReplicaSetStatus{Replicas: rsReplicas, AvailableReplicas: rsAvailable, ReadyReplicas: rsAvailable,
				Conditions: []appsv1.ReplicaSetCondition{{Type: appsv1.ReplicaSetReplicaFailure, Status: corev1.ConditionTrue, Reason: reason}}},
		}
		rs.Spec.Template.Spec.Containers[0].Image = rsImage
		unset := rs.DeepCopy()
		unset.Name, unset.UID, unset.Spec.Replicas, unset.Annotations = name+"-unset", "unset-uid", nil, nil
		orphan := rs.DeepCopy()
		orphan.Name, orphan.UID, orphan.OwnerReferences = name+"-orphan", "orphan-uid", nil
		given := map[string]bool{rs.Name: true, unset.Name: true, orphan.Name: true}
		pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: ns,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(rs, appsv1.SchemeGroupVersion.WithKind("ReplicaSet"))}}}

		p, err := workload.PlanDeployment(d, workload.DeploymentState{
			ReplicaSets: []*appsv1.ReplicaSet{rs, nil, unset, orphan},
			Pods:        []*corev1.Pod{pod, nil},
		}, now)
		if err != nil {
			requireFieldErrors(t, err)
			return
		}
		requireWellFormed(t, p, observedOf(d, []*appsv1.ReplicaSet{rs, unset, orphan}, []*corev1.Pod{pod}))
		for _, w := range p.Writes() {
			rs, _ := w.Object.(*appsv1.ReplicaSet)
			switch {
			case w.Verb == workload.Create:
				given[rs.Name] = true
			case w.Target.Resource.Resource == "deployments":
				if w.Target.Name != d.Name || w.Target.UID != d.UID {
					t.Fatalf("writes another Deployment: %v", w)
				}
			case !given[w.Target.Name]:
				t.Fatalf("writes a ReplicaSet it was not given: %v", w)
			case w.Verb == workload.Update && rs.Spec.Replicas != nil && *rs.Spec.Replicas < 0 && rsReplicas >= 0 && rsAvailable >= 0:
				// With negative observed counts (which status validation
				// refuses) upstream's cleanupUnhealthyReplicas scales below
				// 0 too, and the API server refuses the update.
				t.Fatalf("sizes a ReplicaSet below 0: %v", w)
			}
		}
		_ = p.String()
	})
}
