package pods

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// Expected values in this file are reasoned from upstream k8s.io/kubernetes@v1.36.3:
// controller.IsPodActive / IsPodTerminating / nextPodAvailabilityCheck /
// FindMinNextPodAvailabilityCheck (pkg/controller/controller_utils.go) and podutil.IsPodReady /
// IsPodAvailable (pkg/api/v1/pod/util.go).

func TestActiveAndTerminating(t *testing.T) {
	tests := []struct {
		name                string
		pod                 *corev1.Pod
		active, terminating bool
	}{
		{"nil pod", nil, false, false},
		{"running", mkPod("a"), true, false},
		{"pending", mkPod("a", phase(corev1.PodPending)), true, false},
		{"unknown", mkPod("a", phase(corev1.PodUnknown)), true, false},
		{"empty phase", mkPod("a", phase("")), true, false},
		{"succeeded is terminal", mkPod("a", phase(corev1.PodSucceeded)), false, false},
		{"failed is terminal", mkPod("a", phase(corev1.PodFailed)), false, false},
		{"running with deletion timestamp", mkPod("a", deleted(t0)), false, true},
		{"pending with deletion timestamp", mkPod("a", phase(corev1.PodPending), deleted(t0)), false, true},
		{"succeeded with deletion timestamp", mkPod("a", phase(corev1.PodSucceeded), deleted(t0)), false, false},
		{"failed with deletion timestamp", mkPod("a", phase(corev1.PodFailed), deleted(t0)), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsActive(tt.pod); got != tt.active {
				t.Errorf("IsActive = %v, want %v", got, tt.active)
			}
			if got := IsTerminating(tt.pod); got != tt.terminating {
				t.Errorf("IsTerminating = %v, want %v", got, tt.terminating)
			}
		})
	}
}

func TestReadyAndAvailable(t *testing.T) {
	var zero time.Time
	tests := []struct {
		name     string
		pod      *corev1.Pod
		minReady int32
		ready    bool
		avail    bool
	}{
		{"nil pod", nil, 0, false, false},
		{"no conditions", mkPod("a"), 0, false, false},
		{"ready false", mkPod("a", cond(corev1.PodReady, corev1.ConditionFalse, t0.Add(-time.Hour))), 0, false, false},
		{"ready unknown", mkPod("a", cond(corev1.PodReady, corev1.ConditionUnknown, t0.Add(-time.Hour))), 0, false, false},
		{"containers ready is not ready", mkPod("a", cond(corev1.ContainersReady, corev1.ConditionTrue, t0.Add(-time.Hour))), 0, false, false},
		{"first ready condition wins (false then true)", mkPod("a",
			cond(corev1.PodReady, corev1.ConditionFalse, t0.Add(-time.Hour)), readySince(t0.Add(-time.Hour))), 0, false, false},
		{"first ready condition wins (true then false)", mkPod("a",
			readySince(t0.Add(-time.Hour)), cond(corev1.PodReady, corev1.ConditionFalse, t0)), 0, true, true},
		{"minReadySeconds 0: ready is available", mkPod("a", readySince(t0)), 0, true, true},
		{"minReadySeconds 0: zero lastTransitionTime still available", mkPod("a", readySince(zero)), 0, true, true},
		{"minReadySeconds 10: zero lastTransitionTime never available", mkPod("a", readySince(zero)), 10, true, false},
		{"exact boundary is available", mkPod("a", readySince(t0.Add(-10*time.Second))), 10, true, true},
		{"one nanosecond short", mkPod("a", readySince(t0.Add(-10*time.Second+time.Nanosecond))), 10, true, false},
		{"one nanosecond past", mkPod("a", readySince(t0.Add(-10*time.Second-time.Nanosecond))), 10, true, true},
		{"ready in the future", mkPod("a", readySince(t0.Add(time.Minute))), 10, true, false},
		{"negative minReadySeconds: ready at now is available", mkPod("a", readySince(t0)), -5, true, true},
		{"negative minReadySeconds: ready in 5s is available", mkPod("a", readySince(t0.Add(5*time.Second))), -5, true, true},
		{"negative minReadySeconds: ready in 6s is not", mkPod("a", readySince(t0.Add(6*time.Second))), -5, true, false},
		{"negative minReadySeconds: zero lastTransitionTime", mkPod("a", readySince(zero)), -5, true, false},
		{"terminating ready pod is still ready and available", mkPod("a", deleted(t0), readySince(t0.Add(-time.Hour))), 10, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsReady(tt.pod); got != tt.ready {
				t.Errorf("IsReady = %v, want %v", got, tt.ready)
			}
			if got := IsAvailable(tt.pod, tt.minReady, t0); got != tt.avail {
				t.Errorf("IsAvailable = %v, want %v", got, tt.avail)
			}
		})
	}
}

func TestNextAvailabilityCheck(t *testing.T) {
	var zero time.Time
	tests := []struct {
		name     string
		pod      *corev1.Pod
		minReady int32
		want     time.Duration
		ok       bool
	}{
		{"nil pod", nil, 10, 0, false},
		{"not ready", mkPod("a"), 10, 0, false},
		{"minReadySeconds 0", mkPod("a", readySince(t0)), 0, 0, false},
		{"minReadySeconds negative", mkPod("a", readySince(t0)), -1, 0, false},
		{"zero lastTransitionTime", mkPod("a", readySince(zero)), 10, 0, false},
		{"just became ready", mkPod("a", readySince(t0)), 10, 10 * time.Second, true},
		{"ready 3s ago", mkPod("a", readySince(t0.Add(-3*time.Second))), 10, 7 * time.Second, true},
		{"one nanosecond left", mkPod("a", readySince(t0.Add(-10*time.Second+time.Nanosecond))), 10, time.Nanosecond, true},
		{"exact boundary: already available", mkPod("a", readySince(t0.Add(-10*time.Second))), 10, 0, false},
		{"long available", mkPod("a", readySince(t0.Add(-time.Hour))), 10, 0, false},
		{"ready in the future", mkPod("a", readySince(t0.Add(time.Minute))), 10, 70 * time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NextAvailabilityCheck(tt.pod, tt.minReady, t0)
			if got != tt.want || ok != tt.ok {
				t.Errorf("NextAvailabilityCheck = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
			// A pod waiting to become available is exactly a ready, not yet available pod.
			if tt.minReady > 0 && tt.pod != nil && ok != (IsReady(tt.pod) && !IsAvailable(tt.pod, tt.minReady, t0) &&
				!tt.pod.Status.Conditions[0].LastTransitionTime.IsZero()) {
				t.Errorf("ok = %v disagrees with IsReady/IsAvailable", ok)
			}
		})
	}
}

func TestMinNextAvailabilityCheck(t *testing.T) {
	ps := []*corev1.Pod{
		nil,
		mkPod("not-ready"),
		mkPod("available", readySince(t0.Add(-time.Hour))),
		mkPod("in-7s", readySince(t0.Add(-3*time.Second))),
		mkPod("in-2s", readySince(t0.Add(-8*time.Second))),
		mkPod("in-10s", readySince(t0)),
	}
	if got, ok := MinNextAvailabilityCheck(ps, 10, t0); got != 2*time.Second || !ok {
		t.Errorf("MinNextAvailabilityCheck = %v, %v; want 2s, true", got, ok)
	}
	if got, ok := MinNextAvailabilityCheck(ps[:3], 10, t0); got != 0 || ok {
		t.Errorf("nothing waiting: MinNextAvailabilityCheck = %v, %v; want 0, false", got, ok)
	}
	if got, ok := MinNextAvailabilityCheck(ps, 0, t0); got != 0 || ok {
		t.Errorf("minReadySeconds 0: MinNextAvailabilityCheck = %v, %v; want 0, false", got, ok)
	}
	if got, ok := MinNextAvailabilityCheck(nil, 10, t0); got != 0 || ok {
		t.Errorf("no pods: MinNextAvailabilityCheck = %v, %v; want 0, false", got, ok)
	}
}
