// Package podcond reads pod status conditions the way the upstream controllers do.
//
// It mirrors the readiness helpers of k8s.io/kubernetes/pkg/api/v1/pod (GetPodReadyCondition,
// IsPodReady), which every workload controller, the EndpointSlice controller and the scheduler use.
// Two rules matter and are easy to get wrong:
//
//  1. Only the first condition of a given type counts; later duplicates are ignored.
//  2. A pod is ready only when that condition's status is exactly "True"; "Unknown", any other
//     text, or a missing condition all mean not ready.
//
// A nil pod has no conditions (upstream would panic).
package podcond

import corev1 "k8s.io/api/core/v1"

// ReadyCondition returns the first condition of type Ready in p.Status.Conditions, or nil when there
// is none or p is nil. The result points into p (so callers can see its timestamps without a copy)
// and must be treated as read-only. It reproduces upstream podutil.GetPodReadyCondition.
func ReadyCondition(p *corev1.Pod) *corev1.PodCondition {
	if p == nil {
		return nil
	}
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == corev1.PodReady {
			return &p.Status.Conditions[i]
		}
	}
	return nil
}

// IsReady reports whether p's Ready condition (see ReadyCondition) has status True. It reproduces
// upstream podutil.IsPodReady.
func IsReady(p *corev1.Pod) bool {
	c := ReadyCondition(p)
	return c != nil && c.Status == corev1.ConditionTrue
}
