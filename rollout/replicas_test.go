package rollout

import (
	"strconv"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

var base = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// rsn returns a ReplicaSet created minutesAgo minutes before base, with
// annotations given as key, value pairs.
func rsn(name string, replicas int32, minutesAgo int, kv ...string) *appsv1.ReplicaSet {
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: "ns", UID: types.UID("uid-" + name),
			CreationTimestamp: metav1.NewTime(base.Add(-time.Duration(minutesAgo) * time.Minute)),
			Annotations:       map[string]string{},
		},
		Spec: appsv1.ReplicaSetSpec{Replicas: &replicas},
	}
	for i := 0; i+1 < len(kv); i += 2 {
		rs.Annotations[kv[i]] = kv[i+1]
	}
	return rs
}

func withAvailable(rs *appsv1.ReplicaSet, n int32) *appsv1.ReplicaSet {
	rs.Status.Replicas, rs.Status.ReadyReplicas, rs.Status.AvailableReplicas = *rs.Spec.Replicas, n, n
	return rs
}

func names(rss []*appsv1.ReplicaSet) []string {
	var out []string
	for _, rs := range rss {
		out = append(out, rs.Name)
	}
	return out
}

// Expectations follow deploymentutil.NewRSNewReplicas: grow up to
// replicas + maxSurge (rounded up) in total, never beyond replicas.
func TestNewRSNewReplicas(t *testing.T) {
	for _, tc := range []struct {
		name    string
		d       *appsv1.Deployment
		olds    []int32
		newSize int32
		want    int32
		wantErr bool
	}{
		{"room for the whole surge", rolling(10, ioi(3), ioi(2)), []int32{10}, 0, 3, false},
		{"surge percentage rounds up", rolling(3, ios("25%"), ios("25%")), []int32{3}, 0, 1, false},
		{"at the bound: unchanged", rolling(10, ioi(3), ioi(2)), []int32{11}, 2, 2, false},
		{"above the bound: unchanged", rolling(10, ioi(3), ioi(2)), []int32{12, 4}, 1, 1, false},
		{"never beyond replicas", rolling(10, ioi(3), ioi(2)), []int32{}, 9, 10, false},
		{"rollover: old ones fill the bound", rolling(5, ios("25%"), ios("25%")), []int32{5, 2}, 0, 0, false},
		{"recreate: replicas at once", recreateD(4), []int32{4}, 0, 4, false},
		{"invalid surge", rolling(3, ios("abc%"), ioi(1)), []int32{3}, 0, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			newRS := rsn("new", tc.newSize, 0)
			all := []*appsv1.ReplicaSet{newRS}
			for i, n := range tc.olds {
				all = append(all, rsn("old"+string(rune('a'+i)), n, 10))
			}
			got, err := NewRSNewReplicas(tc.d, all, newRS)
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Errorf("NewRSNewReplicas = %d, %v; want %d, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
	d := rolling(3, nil, nil)
	d.Spec.Strategy.Type = "Canary"
	if _, err := NewRSNewReplicas(d, nil, rsn("new", 0, 0)); err == nil || err.Error() != "deployment type Canary isn't supported" {
		t.Errorf("unknown strategy: %v", err)
	}
}

// Expectations follow deploymentutil.IsSaturated (strconv.Atoi of the
// annotation, truncated with int32()).
func TestIsSaturated(t *testing.T) {
	d := rolling(3, nil, nil)
	for _, tc := range []struct {
		name string
		rs   *appsv1.ReplicaSet
		want bool
	}{
		{"saturated", withAvailable(rsn("n", 3, 0, DesiredReplicasAnnotation, "3"), 3), true},
		{"not all available", withAvailable(rsn("n", 3, 0, DesiredReplicasAnnotation, "3"), 2), false},
		{"smaller", withAvailable(rsn("n", 2, 0, DesiredReplicasAnnotation, "3"), 3), false},
		{"desired differs", withAvailable(rsn("n", 3, 0, DesiredReplicasAnnotation, "4"), 3), false},
		{"no annotation", withAvailable(rsn("n", 3, 0), 3), false},
		{"bad annotation", withAvailable(rsn("n", 3, 0, DesiredReplicasAnnotation, "three"), 3), false},
		{"annotation truncated to int32 as upstream", withAvailable(rsn("n", 3, 0, DesiredReplicasAnnotation, "4294967299"), 3), true},
		{"nil", nil, false},
	} {
		if got := IsSaturated(d, tc.rs); got != tc.want {
			t.Errorf("%s: IsSaturated = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Expectations follow deploymentutil.FindActiveOrLatest.
func TestFindActiveOrLatest(t *testing.T) {
	a, b, c := rsn("a", 0, 30), rsn("b", 0, 20), rsn("c", 0, 20) // b and c tie on time: name breaks it
	activeOld, activeNew := rsn("x", 2, 25), rsn("new", 1, 5)
	idle := rsn("new", 0, 5)
	for _, tc := range []struct {
		name   string
		newRS  *appsv1.ReplicaSet
		oldRSs []*appsv1.ReplicaSet
		want   *appsv1.ReplicaSet
	}{
		{"nothing", nil, nil, nil},
		{"the only active old", idle, []*appsv1.ReplicaSet{a, activeOld, b}, activeOld},
		{"the only active new", activeNew, []*appsv1.ReplicaSet{a, b}, activeNew},
		{"two active", activeNew, []*appsv1.ReplicaSet{activeOld}, nil},
		{"none active: the new one", idle, []*appsv1.ReplicaSet{a, b}, idle},
		{"none active, no new: the newest old", nil, []*appsv1.ReplicaSet{c, a, b}, c},
	} {
		if got := FindActiveOrLatest(tc.newRS, tc.oldRSs); got != tc.want {
			t.Errorf("%s: FindActiveOrLatest = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Expectations follow deploymentutil.GetReplicaSetProportion and
// getReplicaSetFraction, rounding with integer.RoundToInt32 (math.Round:
// half away from zero).
func TestReplicaSetProportion(t *testing.T) {
	withStatus := func(d *appsv1.Deployment, replicas int32) *appsv1.Deployment {
		d.Status.Replicas = replicas
		return d
	}
	for _, tc := range []struct {
		name         string
		rs           *appsv1.ReplicaSet
		d            *appsv1.Deployment
		toAdd, added int32
		want         int32
	}{
		// The Kubernetes docs Deployment walkthrough, proportional scaling
		// (workload/testdata/deployment/4-proportional-scaling.txt): 10 → 15
		// replicas with maxSurge 3: allowed 18, recorded 13.
		{"old share: round(8*18/13) - 8", rsn("o", 8, 9, MaxReplicasAnnotation, "13"), rolling(15, ioi(3), ioi(2)), 5, 0, 3},
		{"new share: round(5*18/13) - 5", rsn("n", 5, 1, MaxReplicasAnnotation, "13"), rolling(15, ioi(3), ioi(2)), 5, 3, 2},
		{"capped by what is left", rsn("n", 5, 1, MaxReplicasAnnotation, "13"), rolling(15, ioi(3), ioi(2)), 5, 4, 1},
		{"half rounds up: round(1*3/2)", rsn("r", 1, 1, MaxReplicasAnnotation, "2"), rolling(3, ioi(0), ioi(1)), 5, 0, 1},
		{"half rounds away from zero down: round(3*5/10)", rsn("r", 3, 1, MaxReplicasAnnotation, "10"), rolling(5, ioi(0), ioi(1)), -5, 0, -1},
		{"scale down capped by what is left", rsn("r", 6, 1, MaxReplicasAnnotation, "12"), rolling(2, ioi(0), ioi(1)), -5, -4, -1},
		{"no annotation: status.replicas", rsn("r", 4, 1), withStatus(rolling(6, ioi(2), ioi(1)), 4), 4, 0, 4},
		{"zero annotation: status.replicas", rsn("r", 4, 1, MaxReplicasAnnotation, "0"), withStatus(rolling(6, ioi(2), ioi(1)), 4), 4, 0, 4},
		{"bad annotation: status.replicas", rsn("r", 4, 1, MaxReplicasAnnotation, "-4"), withStatus(rolling(6, ioi(2), ioi(1)), 4), 4, 0, 4},
		{"annotation above MaxInt32: status.replicas, a share below the current size", rsn("r", 4, 1, MaxReplicasAnnotation, "2147483648"), withStatus(rolling(6, ioi(2), ioi(1)), 16), 4, 0, -2},
		{"no base at all: 0", rsn("r", 4, 1), rolling(6, ioi(2), ioi(1)), 4, 0, 0},
		{"to zero replicas: all of it", rsn("r", 4, 1, MaxReplicasAnnotation, "9"), rolling(0, ioi(2), ioi(1)), -7, 0, -4},
		{"empty ReplicaSet gets nothing", rsn("r", 0, 1, MaxReplicasAnnotation, "9"), rolling(6, ioi(2), ioi(1)), 4, 0, 0},
		{"nothing to add", rsn("r", 3, 1, MaxReplicasAnnotation, "9"), rolling(6, ioi(2), ioi(1)), 0, 0, 0},
		{"all added already", rsn("r", 3, 1, MaxReplicasAnnotation, "9"), rolling(6, ioi(2), ioi(1)), 2, 2, 0},
	} {
		if got := ReplicaSetProportion(tc.rs, tc.d, tc.toAdd, tc.added); got != tc.want {
			t.Errorf("%s: ReplicaSetProportion = %d, want %d", tc.name, got, tc.want)
		}
	}
	if got := ReplicaSetProportion(nil, rolling(3, nil, nil), 2, 0); got != 0 {
		t.Errorf("nil ReplicaSet: %d", got)
	}
}

func scaleList(scales []Scale) []string {
	var out []string
	for _, s := range scales {
		out = append(out, s.ReplicaSet.Name+"="+itoa(s.Replicas))
	}
	return out
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }

// Expectations follow upstream's scale (sync.go): sort by
// ReplicaSetsBySizeNewer when adding, BySizeOlder when removing, unsorted
// (old newest first, then new) otherwise; proportions in that order; the
// leftover to the first, not below 0.
func TestProportionalScale(t *testing.T) {
	for _, tc := range []struct {
		name  string
		d     *appsv1.Deployment
		newRS *appsv1.ReplicaSet
		olds  []*appsv1.ReplicaSet
		want  []string
	}{
		{
			"Kubernetes docs walkthrough, proportional scaling: 10 to 15 with maxSurge 3: old 8 → 11, new 5 → 7",
			rolling(15, ioi(3), ioi(2)),
			rsn("new", 5, 1, MaxReplicasAnnotation, "13"),
			[]*appsv1.ReplicaSet{rsn("old", 8, 9, MaxReplicasAnnotation, "13")},
			[]string{"old=11", "new=7"},
		},
		{
			"15 back to 10: the larger loses first",
			rolling(10, ioi(3), ioi(2)),
			rsn("new", 7, 1, MaxReplicasAnnotation, "18"),
			[]*appsv1.ReplicaSet{rsn("old", 11, 9, MaxReplicasAnnotation, "18")},
			[]string{"old=8", "new=5"},
		},
		{
			"adding, equal sizes: newer first",
			rolling(7, ioi(0), ioi(1)),
			rsn("new", 3, 1, MaxReplicasAnnotation, "6"),
			[]*appsv1.ReplicaSet{rsn("old", 3, 9, MaxReplicasAnnotation, "6")},
			[]string{"new=4", "old=3"},
		},
		{
			"removing, equal sizes: older first takes the leftover",
			rolling(5, ioi(0), ioi(1)),
			rsn("new", 3, 1, MaxReplicasAnnotation, "6"),
			[]*appsv1.ReplicaSet{rsn("old", 3, 9, MaxReplicasAnnotation, "6")},
			[]string{"old=2", "new=3"},
		},
		{
			"leftover not below zero",
			rolling(1, ioi(0), ioi(1)),
			rsn("new", 1, 1),
			[]*appsv1.ReplicaSet{rsn("a", 1, 9), rsn("b", 1, 8)},
			[]string{"a=0", "b=1", "new=1"},
		},
		{
			"nothing to add: every active one, old newest first, then new",
			rolling(6, ioi(1), ioi(1)),
			rsn("new", 2, 1),
			[]*appsv1.ReplicaSet{rsn("a", 2, 30), rsn("idle", 0, 25), rsn("b", 3, 20)},
			[]string{"b=3", "a=2", "new=2"},
		},
		{
			"to zero replicas",
			rolling(0, ioi(1), ioi(1)),
			rsn("new", 2, 1, MaxReplicasAnnotation, "5"),
			[]*appsv1.ReplicaSet{rsn("old", 3, 9, MaxReplicasAnnotation, "5")},
			[]string{"old=0", "new=0"},
		},
		{"recreate: nothing", recreateD(4), rsn("new", 2, 1), []*appsv1.ReplicaSet{rsn("old", 3, 9)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := scaleList(ProportionalScale(tc.d, tc.newRS, tc.olds))
			if !equalStrings(got, tc.want) {
				t.Errorf("ProportionalScale = %v, want %v", got, tc.want)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Expectations follow getNonNegativeInt32FromAnnotation (ParseUint, 32
// bits, at most MaxInt32).
func TestDesiredReplicas(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want int32
		ok   bool
	}{
		{"5", 5, true}, {"0", 0, true}, {"-1", 0, false}, {"x", 0, false}, {"2147483647", 2147483647, true}, {"2147483648", 0, false}, {"", 0, false},
	} {
		got, ok := DesiredReplicas(rsn("r", 1, 0, DesiredReplicasAnnotation, tc.v))
		if got != tc.want || ok != tc.ok {
			t.Errorf("DesiredReplicas(%q) = %d, %v", tc.v, got, ok)
		}
	}
	if _, ok := DesiredReplicas(rsn("r", 1, 0)); ok {
		t.Error("missing annotation reads as set")
	}
	if _, ok := DesiredReplicas(nil); ok {
		t.Error("nil ReplicaSet reads as set")
	}
}

func TestTotalReplicas(t *testing.T) {
	unset := rsn("u", 0, 0)
	unset.Spec.Replicas = nil // the API server's default, 1
	if got := TotalReplicas([]*appsv1.ReplicaSet{rsn("a", 2, 0), nil, rsn("b", 3, 0), unset}); got != 6 {
		t.Errorf("TotalReplicas = %d, want 6", got)
	}
}

// A nil spec.replicas reads as the API server's default, 1; a nil object
// has none.
func TestDeploymentReplicasAndReplicaSetReplicas(t *testing.T) {
	zero, five := int32(0), int32(5)
	for _, tc := range []struct {
		name     string
		replicas *int32
		want     int32
	}{
		{"nil spec.replicas is the default 1", nil, 1},
		{"explicit 0", &zero, 0},
		{"explicit 5", &five, 5},
	} {
		d := &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: tc.replicas}}
		if got := DeploymentReplicas(d); got != tc.want {
			t.Errorf("%s: DeploymentReplicas = %d, want %d", tc.name, got, tc.want)
		}
		rs := &appsv1.ReplicaSet{Spec: appsv1.ReplicaSetSpec{Replicas: tc.replicas}}
		if got := ReplicaSetReplicas(rs); got != tc.want {
			t.Errorf("%s: ReplicaSetReplicas = %d, want %d", tc.name, got, tc.want)
		}
	}
	if DeploymentReplicas(nil) != 0 || ReplicaSetReplicas(nil) != 0 {
		t.Error("a nil object should have 0 replicas")
	}
}
