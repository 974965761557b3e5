package pods

import (
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/reckon-k8s/reckon/internal/podcond"
)

// IsActive reports whether p still counts towards its controller's replicas: its phase is neither
// Succeeded nor Failed and it has no deletion timestamp. It reproduces upstream
// controller.IsPodActive (pkg/controller/controller_utils.go). A nil pod is not active.
func IsActive(p *corev1.Pod) bool {
	return p != nil &&
		p.Status.Phase != corev1.PodSucceeded &&
		p.Status.Phase != corev1.PodFailed &&
		p.DeletionTimestamp == nil
}

// IsTerminating reports whether p is being deleted but has not reached a terminal phase: it has a
// deletion timestamp and its phase is neither Succeeded nor Failed. Such a pod no longer counts as a
// replica, yet still runs; controllers report it in status.terminatingReplicas. It reproduces
// upstream controller.IsPodTerminating. A nil pod is not terminating.
func IsTerminating(p *corev1.Pod) bool {
	return p != nil &&
		p.Status.Phase != corev1.PodSucceeded &&
		p.Status.Phase != corev1.PodFailed &&
		p.DeletionTimestamp != nil
}

// IsReady reports whether the first Ready condition of p has status True. It reproduces upstream
// podutil.IsPodReady (pkg/api/v1/pod/util.go): later duplicate Ready conditions are ignored and a
// status other than exactly "True" means not ready. A nil pod is not ready.
func IsReady(p *corev1.Pod) bool {
	return podcond.IsReady(p)
}

// IsAvailable reports whether p is ready and has been ready for at least minReadySeconds at now.
// It reproduces upstream podutil.IsPodAvailable, boundary included: a pod whose Ready condition
// turned true exactly minReadySeconds before now is available. With minReadySeconds == 0 every
// ready pod is available, even one whose lastTransitionTime is unset; with minReadySeconds != 0 an
// unset lastTransitionTime means not available. A negative minReadySeconds (which validation
// rejects) is applied as the same arithmetic upstream does, so it never delays availability.
func IsAvailable(p *corev1.Pod, minReadySeconds int32, now time.Time) bool {
	c := podcond.ReadyCondition(p)
	if c == nil || c.Status != corev1.ConditionTrue {
		return false
	}
	if minReadySeconds == 0 {
		return true
	}
	t := c.LastTransitionTime.Time
	return !t.IsZero() && !t.Add(time.Duration(minReadySeconds)*time.Second).After(now)
}

// NextAvailabilityCheck returns how long after now p becomes available, and true, when p is ready
// but not yet available because it has been ready for less than minReadySeconds. It returns false
// when there is nothing to wait for: p is not ready, minReadySeconds <= 0, the Ready condition has no
// lastTransitionTime, or p is already available. It reproduces upstream nextPodAvailabilityCheck
// (pkg/controller/controller_utils.go).
func NextAvailabilityCheck(p *corev1.Pod, minReadySeconds int32, now time.Time) (time.Duration, bool) {
	if minReadySeconds <= 0 {
		return 0, false
	}
	c := podcond.ReadyCondition(p)
	if c == nil || c.Status != corev1.ConditionTrue || c.LastTransitionTime.IsZero() {
		return 0, false
	}
	d := c.LastTransitionTime.Add(time.Duration(minReadySeconds) * time.Second).Sub(now)
	if d <= 0 {
		return 0, false
	}
	return d, true
}

// MinNextAvailabilityCheck returns the smallest NextAvailabilityCheck over ps, and true, or false
// when no pod is waiting to become available. Controllers requeue themselves after this delay so
// that status.availableReplicas is recomputed the moment a pod crosses minReadySeconds. It
// reproduces upstream FindMinNextPodAvailabilityCheck for a controller that evaluated its status at
// now and whose clock still reads now (the pure setting: reckon has no clock, so upstream's second
// look at the clock and its fallback to an immediate recheck cannot arise). Nil pods are skipped.
func MinNextAvailabilityCheck(ps []*corev1.Pod, minReadySeconds int32, now time.Time) (time.Duration, bool) {
	var best time.Duration
	found := false
	for _, p := range ps {
		if d, ok := NextAvailabilityCheck(p, minReadySeconds, now); ok && (!found || d < best) {
			best, found = d, true
		}
	}
	return best, found
}
