package rollout

import (
	"math"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func withDeadline(d *appsv1.Deployment, seconds int32) *appsv1.Deployment {
	d.Spec.ProgressDeadlineSeconds = &seconds
	return d
}

func withProgressing(d *appsv1.Deployment, s corev1.ConditionStatus, reason string, updated time.Time) *appsv1.Deployment {
	d.Status.Conditions = append(d.Status.Conditions, condAt(appsv1.DeploymentProgressing, s, reason, "m", updated))
	return d
}

// Expectations follow deploymentutil.DeploymentComplete.
func TestDeploymentComplete(t *testing.T) {
	d := rolling(3, nil, nil)
	d.Generation = 2
	for _, tc := range []struct {
		name string
		s    appsv1.DeploymentStatus
		want bool
	}{
		{"complete", appsv1.DeploymentStatus{Replicas: 3, UpdatedReplicas: 3, AvailableReplicas: 3, ObservedGeneration: 2}, true},
		{"old pods left", appsv1.DeploymentStatus{Replicas: 4, UpdatedReplicas: 3, AvailableReplicas: 3, ObservedGeneration: 2}, false},
		{"not all available", appsv1.DeploymentStatus{Replicas: 3, UpdatedReplicas: 3, AvailableReplicas: 2, ObservedGeneration: 2}, false},
		{"not all updated", appsv1.DeploymentStatus{Replicas: 3, UpdatedReplicas: 2, AvailableReplicas: 3, ObservedGeneration: 2}, false},
		{"generation not observed", appsv1.DeploymentStatus{Replicas: 3, UpdatedReplicas: 3, AvailableReplicas: 3, ObservedGeneration: 1}, false},
	} {
		if got := DeploymentComplete(d, &tc.s); got != tc.want {
			t.Errorf("%s: DeploymentComplete = %v", tc.name, got)
		}
	}
}

// Expectations follow deploymentutil.DeploymentProgressing.
func TestDeploymentProgressing(t *testing.T) {
	d := rolling(3, nil, nil)
	d.Status = appsv1.DeploymentStatus{Replicas: 4, UpdatedReplicas: 1, ReadyReplicas: 3, AvailableReplicas: 3}
	for _, tc := range []struct {
		name string
		s    appsv1.DeploymentStatus
		want bool
	}{
		{"same", d.Status, false},
		{"more updated", appsv1.DeploymentStatus{Replicas: 4, UpdatedReplicas: 2, ReadyReplicas: 3, AvailableReplicas: 3}, true},
		{"fewer old", appsv1.DeploymentStatus{Replicas: 3, UpdatedReplicas: 1, ReadyReplicas: 3, AvailableReplicas: 3}, true},
		{"more ready", appsv1.DeploymentStatus{Replicas: 4, UpdatedReplicas: 1, ReadyReplicas: 4, AvailableReplicas: 3}, true},
		{"more available", appsv1.DeploymentStatus{Replicas: 4, UpdatedReplicas: 1, ReadyReplicas: 3, AvailableReplicas: 4}, true},
		{"fewer of everything", appsv1.DeploymentStatus{Replicas: 4, UpdatedReplicas: 1, ReadyReplicas: 2, AvailableReplicas: 2}, false},
		{"more old", appsv1.DeploymentStatus{Replicas: 5, UpdatedReplicas: 1, ReadyReplicas: 3, AvailableReplicas: 3}, false},
	} {
		if got := DeploymentProgressing(d, &tc.s); got != tc.want {
			t.Errorf("%s: DeploymentProgressing = %v", tc.name, got)
		}
	}
}

// Expectations follow deploymentutil.DeploymentTimedOut: strictly after
// lastUpdateTime + progressDeadlineSeconds.
func TestDeploymentTimedOut(t *testing.T) {
	deadline := base.Add(-600 * time.Second) // lastUpdateTime exactly 600s before base
	for _, tc := range []struct {
		name string
		d    *appsv1.Deployment
		now  time.Time
		want bool
	}{
		{"exactly at the deadline: not yet", withProgressing(rolling(3, nil, nil), corev1.ConditionTrue, ReplicaSetUpdatedReason, deadline), base, false},
		{"a nanosecond later", withProgressing(rolling(3, nil, nil), corev1.ConditionTrue, ReplicaSetUpdatedReason, deadline), base.Add(1), true},
		{"custom deadline", withProgressing(withDeadline(rolling(3, nil, nil), 30), corev1.ConditionTrue, NewReplicaSetReason, base.Add(-31*time.Second)), base, true},
		{"no deadline", withProgressing(withDeadline(rolling(3, nil, nil), math.MaxInt32), corev1.ConditionTrue, ReplicaSetUpdatedReason, deadline), base.Add(time.Hour), false},
		{"no condition", rolling(3, nil, nil), base.Add(time.Hour), false},
		{"complete rollouts never time out", withProgressing(rolling(3, nil, nil), corev1.ConditionTrue, NewRSAvailableReason, deadline), base.Add(time.Hour), false},
		{"timed out stays timed out", withProgressing(rolling(3, nil, nil), corev1.ConditionFalse, TimedOutReason, base), base, true},
	} {
		if got := DeploymentTimedOut(tc.d, &tc.d.Status, tc.now); got != tc.want {
			t.Errorf("%s: DeploymentTimedOut = %v", tc.name, got)
		}
	}
}

// Expectations follow GetTerminatingReplicaCountForReplicaSets.
func TestTerminatingReplicas(t *testing.T) {
	counted := func(n int32) *appsv1.ReplicaSet {
		rs := rsn("c", 1, 0)
		rs.Status.ObservedGeneration, rs.Status.TerminatingReplicas = 1, &n
		return rs
	}
	neverSynced := rsn("n", 1, 0)
	syncedWithoutCount := rsn("s", 1, 0)
	syncedWithoutCount.Status.ObservedGeneration = 1
	for _, tc := range []struct {
		name string
		rss  []*appsv1.ReplicaSet
		want *int32
	}{
		{"sum", []*appsv1.ReplicaSet{counted(1), counted(2), nil}, new(int32(3))},
		{"never synced ones do not count", []*appsv1.ReplicaSet{counted(1), neverSynced}, new(int32(1))},
		{"a synced one without a count: unknown", []*appsv1.ReplicaSet{counted(1), syncedWithoutCount}, nil},
		{"none", nil, new(int32(0))},
	} {
		got := TerminatingReplicas(tc.rss)
		if (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
			t.Errorf("%s: TerminatingReplicas = %v", tc.name, got)
		}
	}
}

// Expectations follow calculateStatus (sync.go).
func TestCalculateStatus(t *testing.T) {
	d := rolling(10, ioi(3), ioi(2)) // minimum available 8
	d.Generation = 4
	d.Status.CollisionCount = new(int32(2))
	old := withAvailable(rsn("old", 8, 9), 8)
	newRS := rsn("new", 5, 1)
	newRS.Status.Replicas, newRS.Status.ReadyReplicas = 4, 1
	st := CalculateStatus(d, []*appsv1.ReplicaSet{old, newRS, nil}, newRS, base)
	if st.Replicas != 12 || st.UpdatedReplicas != 4 || st.ReadyReplicas != 9 || st.AvailableReplicas != 8 ||
		st.UnavailableReplicas != 5 || st.ObservedGeneration != 4 || st.CollisionCount != d.Status.CollisionCount {
		t.Errorf("counters: %+v", st)
	}
	if c := GetCondition(st, appsv1.DeploymentAvailable); c == nil || c.Status != corev1.ConditionTrue || c.Reason != MinimumReplicasAvailable ||
		c.Message != "Deployment has minimum availability." || !c.LastUpdateTime.Time.Equal(base) {
		t.Errorf("available: %+v", c)
	}

	old.Status.AvailableReplicas = 7
	st = CalculateStatus(d, []*appsv1.ReplicaSet{old, newRS}, newRS, base)
	if c := GetCondition(st, appsv1.DeploymentAvailable); c.Status != corev1.ConditionFalse || c.Reason != MinimumReplicasUnavailable ||
		c.Message != "Deployment does not have minimum availability." {
		t.Errorf("unavailable: %+v", c)
	}
	// More available than the ReplicaSets' spec (scaling down): unavailable 0.
	old.Status.AvailableReplicas = 20
	if st = CalculateStatus(d, []*appsv1.ReplicaSet{old, newRS}, newRS, base); st.UnavailableReplicas != 0 {
		t.Errorf("unavailable %d, want 0", st.UnavailableReplicas)
	}
	if st = CalculateStatus(d, []*appsv1.ReplicaSet{old}, nil, base); st.UpdatedReplicas != 0 {
		t.Errorf("updated without a new ReplicaSet: %d", st.UpdatedReplicas)
	}
}

// Expectations follow syncRolloutStatus (progress.go).
func TestCalculateRolloutStatus(t *testing.T) {
	then := base.Add(-time.Minute)
	// A rollout of 3 in progress: the old ReplicaSet has 3 available, the
	// new one 1 pod not yet available.
	setup := func(updatedBefore int32, reason string, s corev1.ConditionStatus, updated time.Time) (*appsv1.Deployment, []*appsv1.ReplicaSet, *appsv1.ReplicaSet) {
		d := rolling(3, nil, nil)
		d.Name, d.Generation = "web", 2
		d.Status = appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 4, UpdatedReplicas: updatedBefore, ReadyReplicas: 3, AvailableReplicas: 3}
		if reason != "" {
			withProgressing(d, s, reason, updated)
		}
		newRS := withAvailable(rsn("web-new", 1, 1), 0)
		return d, []*appsv1.ReplicaSet{withAvailable(rsn("web-old", 3, 9), 3), newRS}, newRS
	}
	type want struct {
		status        corev1.ConditionStatus
		reason, msg   string
		updated, tran time.Time
	}
	check := func(t *testing.T, st appsv1.DeploymentStatus, w *want) {
		t.Helper()
		c := GetCondition(st, appsv1.DeploymentProgressing)
		if w == nil {
			if c != nil {
				t.Fatalf("Progressing = %+v, want none", c)
			}
			return
		}
		if c == nil || c.Status != w.status || c.Reason != w.reason || c.Message != w.msg ||
			!c.LastUpdateTime.Time.Equal(w.updated) || !c.LastTransitionTime.Time.Equal(w.tran) {
			t.Fatalf("Progressing = %+v, want %+v", c, w)
		}
	}

	t.Run("progress refreshes lastUpdateTime and keeps a True transition", func(t *testing.T) {
		d, all, newRS := setup(0, ReplicaSetUpdatedReason, corev1.ConditionTrue, then)
		check(t, CalculateRolloutStatus(d, all, newRS, base), &want{corev1.ConditionTrue, ReplicaSetUpdatedReason, `ReplicaSet "web-new" is progressing.`, base, then})
	})
	t.Run("progress after a resume starts a new transition", func(t *testing.T) {
		d, all, newRS := setup(0, ResumedDeployReason, corev1.ConditionUnknown, then)
		check(t, CalculateRolloutStatus(d, all, newRS, base), &want{corev1.ConditionTrue, ReplicaSetUpdatedReason, `ReplicaSet "web-new" is progressing.`, base, base})
	})
	t.Run("no progress within the deadline: unchanged", func(t *testing.T) {
		d, all, newRS := setup(1, ReplicaSetUpdatedReason, corev1.ConditionTrue, then)
		check(t, CalculateRolloutStatus(d, all, newRS, base), &want{corev1.ConditionTrue, ReplicaSetUpdatedReason, "m", then, then})
	})
	t.Run("no progress past the deadline: timed out", func(t *testing.T) {
		late := base.Add(-601 * time.Second)
		d, all, newRS := setup(1, ReplicaSetUpdatedReason, corev1.ConditionTrue, late)
		check(t, CalculateRolloutStatus(d, all, newRS, base), &want{corev1.ConditionFalse, TimedOutReason, `ReplicaSet "web-new" has timed out progressing.`, base, base})
	})
	t.Run("complete", func(t *testing.T) {
		d, _, _ := setup(1, ReplicaSetUpdatedReason, corev1.ConditionTrue, then)
		newRS := withAvailable(rsn("web-new", 3, 1), 3)
		all := []*appsv1.ReplicaSet{rsn("web-old", 0, 9), newRS}
		check(t, CalculateRolloutStatus(d, all, newRS, base), &want{corev1.ConditionTrue, NewRSAvailableReason, `ReplicaSet "web-new" has successfully progressed.`, base, then})
	})
	t.Run("complete without a new ReplicaSet names the Deployment", func(t *testing.T) {
		d := rolling(0, nil, nil)
		d.Name = "web"
		check(t, CalculateRolloutStatus(d, nil, nil, base), &want{corev1.ConditionTrue, NewRSAvailableReason, `Deployment "web" has successfully progressed.`, base, base})
	})
	t.Run("a completed rollout is not re-evaluated", func(t *testing.T) {
		d, _, _ := setup(1, NewRSAvailableReason, corev1.ConditionTrue, base.Add(-time.Hour))
		newRS := withAvailable(rsn("web-new", 2, 1), 1) // lost a pod since
		check(t, CalculateRolloutStatus(d, []*appsv1.ReplicaSet{newRS}, newRS, base), &want{corev1.ConditionTrue, NewRSAvailableReason, "m", base.Add(-time.Hour), base.Add(-time.Hour)})
	})
	t.Run("without a deadline there is no Progressing condition", func(t *testing.T) {
		d, all, newRS := setup(0, ReplicaSetUpdatedReason, corev1.ConditionTrue, then)
		withDeadline(d, math.MaxInt32)
		check(t, CalculateRolloutStatus(d, all, newRS, base), nil)
	})
	t.Run("replica failures: the new ReplicaSet's first, then the others' in order", func(t *testing.T) {
		d, all, newRS := setup(1, ReplicaSetUpdatedReason, corev1.ConditionTrue, then)
		fail := func(rs *appsv1.ReplicaSet, msg string) {
			rs.Status.Conditions = append(rs.Status.Conditions, appsv1.ReplicaSetCondition{
				Type: appsv1.ReplicaSetReplicaFailure, Status: corev1.ConditionTrue, Reason: "FailedCreate", Message: msg, LastTransitionTime: metav1.NewTime(then),
			})
		}
		failure := func() *appsv1.DeploymentCondition {
			return GetCondition(CalculateRolloutStatus(d, all, newRS, base), appsv1.DeploymentReplicaFailure)
		}
		if c := failure(); c != nil {
			t.Fatalf("failure without failing ReplicaSets: %+v", c)
		}
		fail(all[0], "old")
		if c := failure(); c == nil || c.Message != "old" || !c.LastUpdateTime.Time.Equal(then) || !c.LastTransitionTime.Time.Equal(then) {
			t.Fatalf("old failure: %+v", c)
		}
		fail(newRS, "new")
		if c := failure(); c == nil || c.Message != "new" {
			t.Fatalf("new failure preferred: %+v", c)
		}
		d.Status.Conditions = append(d.Status.Conditions, condAt(appsv1.DeploymentReplicaFailure, corev1.ConditionTrue, "FailedCreate", "stale", then))
		all[0].Status.Conditions, newRS.Status.Conditions = nil, nil
		if c := failure(); c != nil {
			t.Fatalf("stale failure kept: %+v", c)
		}
	})
}

// Expectations follow requeueStuckDeployment (progress.go).
func TestProgressCheckAfter(t *testing.T) {
	running := appsv1.DeploymentStatus{Replicas: 4, UpdatedReplicas: 1, AvailableReplicas: 3}
	complete := appsv1.DeploymentStatus{Replicas: 3, UpdatedReplicas: 3, AvailableReplicas: 3}
	for _, tc := range []struct {
		name      string
		d         *appsv1.Deployment
		newStatus appsv1.DeploymentStatus
		want      time.Duration
		ok        bool
	}{
		{"time left", withProgressing(rolling(3, nil, nil), corev1.ConditionTrue, ReplicaSetUpdatedReason, base.Add(-3*time.Minute)), running, 7 * time.Minute, true},
		{"past the deadline", withProgressing(rolling(3, nil, nil), corev1.ConditionTrue, ReplicaSetUpdatedReason, base.Add(-11*time.Minute)), running, -time.Minute, true},
		{"no condition", rolling(3, nil, nil), running, 0, false},
		{"no deadline", withProgressing(withDeadline(rolling(3, nil, nil), math.MaxInt32), corev1.ConditionTrue, ReplicaSetUpdatedReason, base), running, 0, false},
		{"complete", withProgressing(rolling(3, nil, nil), corev1.ConditionTrue, ReplicaSetUpdatedReason, base), complete, 0, false},
		{"timed out", withProgressing(rolling(3, nil, nil), corev1.ConditionFalse, TimedOutReason, base), running, 0, false},
	} {
		got, ok := ProgressCheckAfter(tc.d, &tc.newStatus, base)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: ProgressCheckAfter = %v, %v", tc.name, got, ok)
		}
	}
}
