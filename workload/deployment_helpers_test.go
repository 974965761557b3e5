package workload_test

import (
	"fmt"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/reckon-k8s/reckon/rollout"
)

// dnow is the "now" of every Deployment test; created(-n) is n minutes
// before it.
var dnow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func minutesAgo(n int) metav1.Time { return metav1.NewTime(dnow.Add(-time.Duration(n) * time.Minute)) }

type depOpt func(*appsv1.Deployment)

// dep returns a Deployment as the API server stores it (defaults filled
// in): app=<name>, one container running image, RollingUpdate 25%/25%.
func dep(name string, replicas int32, image string, opts ...depOpt) *appsv1.Deployment {
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: "default", UID: types.UID("uid-" + name), Generation: 1,
			ResourceVersion: "100", CreationTimestamp: minutesAgo(60),
		},
		Spec: appsv1.DeploymentSpec{
			Replicas: new(replicas),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": name}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": name}},
				Spec: corev1.PodSpec{
					Containers:    []corev1.Container{{Name: "c", Image: image}},
					RestartPolicy: corev1.RestartPolicyAlways,
				},
			},
			Strategy: appsv1.DeploymentStrategy{
				Type: appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{
					MaxSurge: new(intstr.FromString("25%")), MaxUnavailable: new(intstr.FromString("25%")),
				},
			},
			RevisionHistoryLimit:    new(int32(10)),
			ProgressDeadlineSeconds: new(int32(600)),
		},
	}
	for _, o := range opts {
		o(d)
	}
	return d
}

func withFenceposts(surge, unavailable intstr.IntOrString) depOpt {
	return func(d *appsv1.Deployment) {
		d.Spec.Strategy.RollingUpdate = &appsv1.RollingUpdateDeployment{MaxSurge: &surge, MaxUnavailable: &unavailable}
	}
}

func recreate(d *appsv1.Deployment) {
	d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
}

func paused(d *appsv1.Deployment) { d.Spec.Paused = true }

func depAnnotation(k, v string) depOpt {
	return func(d *appsv1.Deployment) {
		if d.Annotations == nil {
			d.Annotations = map[string]string{}
		}
		d.Annotations[k] = v
	}
}

// observed sets the status the controller last wrote: observedGeneration
// gen and counts "replicas/updated/ready/available/unavailable", the same
// form describe prints.
func observed(gen int64, counts string, conds ...appsv1.DeploymentCondition) depOpt {
	var r, u, rd, a, un int32
	if _, err := fmt.Sscanf(counts, "%d/%d/%d/%d/%d", &r, &u, &rd, &a, &un); err != nil {
		panic(err)
	}
	return func(d *appsv1.Deployment) {
		d.Status = appsv1.DeploymentStatus{
			ObservedGeneration: gen, Replicas: r, UpdatedReplicas: u, ReadyReplicas: rd, AvailableReplicas: a,
			UnavailableReplicas: un, TerminatingReplicas: new(int32(0)), Conditions: conds,
		}
	}
}

func generation(g int64) depOpt { return func(d *appsv1.Deployment) { d.Generation = g } }

func cond(t appsv1.DeploymentConditionType, status corev1.ConditionStatus, reason string, updated metav1.Time) appsv1.DeploymentCondition {
	return appsv1.DeploymentCondition{Type: t, Status: status, Reason: reason, Message: "earlier", LastUpdateTime: updated, LastTransitionTime: updated}
}

func availableTrue() appsv1.DeploymentCondition {
	return cond(appsv1.DeploymentAvailable, corev1.ConditionTrue, rollout.MinimumReplicasAvailable, minutesAgo(30))
}

func progressing(reason string, updated metav1.Time) appsv1.DeploymentCondition {
	return cond(appsv1.DeploymentProgressing, corev1.ConditionTrue, reason, updated)
}

type rsOpt func(*appsv1.ReplicaSet)

// rsFor returns a ReplicaSet of d running image with the given size, fully
// available, as the controllers leave it: controlled by d, template labels
// and selector with pod-template-hash=<suffix of name>, the replica
// annotations of d.
func rsFor(d *appsv1.Deployment, name, image string, replicas int32, opts ...rsOpt) *appsv1.ReplicaSet {
	hash := name[strings.LastIndex(name, "-")+1:]
	t := d.Spec.Template.DeepCopy()
	t.Spec.Containers[0].Image = image
	t.Labels[rollout.PodTemplateHashLabel] = hash
	sel := d.Spec.Selector.DeepCopy()
	sel.MatchLabels[rollout.PodTemplateHashLabel] = hash
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: d.Namespace, UID: types.UID("uid-" + name), Generation: 1,
			ResourceVersion: "200", CreationTimestamp: minutesAgo(50),
			Labels: maps(t.Labels),
			Annotations: map[string]string{
				rollout.DesiredReplicasAnnotation: fmt.Sprint(*d.Spec.Replicas),
				rollout.MaxReplicasAnnotation:     fmt.Sprint(*d.Spec.Replicas + rollout.MaxSurge(d)),
				rollout.RevisionAnnotation:        "1",
			},
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(d, appsv1.SchemeGroupVersion.WithKind("Deployment"))},
		},
		Spec: appsv1.ReplicaSetSpec{Replicas: new(replicas), Selector: sel, Template: *t},
		Status: appsv1.ReplicaSetStatus{
			Replicas: replicas, FullyLabeledReplicas: replicas, ReadyReplicas: replicas, AvailableReplicas: replicas,
			ObservedGeneration: 1, TerminatingReplicas: new(int32(0)),
		},
	}
	for _, o := range opts {
		o(rs)
	}
	return rs
}

func maps(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func rev(n int) rsOpt {
	return func(rs *appsv1.ReplicaSet) { rs.Annotations[rollout.RevisionAnnotation] = fmt.Sprint(n) }
}

func createdAgo(minutes int) rsOpt {
	return func(rs *appsv1.ReplicaSet) { rs.CreationTimestamp = minutesAgo(minutes) }
}

// pods sets the status: replicas pods exist, available of them available.
func pods(replicas, available int32) rsOpt {
	return func(rs *appsv1.ReplicaSet) {
		rs.Status.Replicas, rs.Status.FullyLabeledReplicas = replicas, replicas
		rs.Status.ReadyReplicas, rs.Status.AvailableReplicas = available, available
	}
}

func replicaAnnotations(desired, maxReplicas int32) rsOpt {
	return func(rs *appsv1.ReplicaSet) {
		rs.Annotations[rollout.DesiredReplicasAnnotation] = fmt.Sprint(desired)
		rs.Annotations[rollout.MaxReplicasAnnotation] = fmt.Sprint(maxReplicas)
	}
}

func rsAnnotation(k, v string) rsOpt {
	return func(rs *appsv1.ReplicaSet) { rs.Annotations[k] = v }
}

// newRSName is the name upstream gives d's new ReplicaSet:
// generateReplicaSetName(d.name, ComputeHash(template, collisionCount)),
// with the hash from rollout.TemplateHash (tested against upstream there).
func newRSName(d *appsv1.Deployment) string {
	return d.Name + "-" + rollout.TemplateHash(&d.Spec.Template, d.Status.CollisionCount)
}
