package rollout

import (
	"math"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Expectations follow reconcileOldReplicaSets, cleanupUnhealthyReplicas and
// scaleDownOldReplicaSetsForRollingUpdate (rolling.go); the first two rows
// are the two cases of upstream's own comment in reconcileOldReplicaSets.
func TestScaleDownOldReplicaSets(t *testing.T) {
	for _, tc := range []struct {
		name       string
		d          *appsv1.Deployment
		newRS      *appsv1.ReplicaSet
		olds       []*appsv1.ReplicaSet
		want       []string
		wantScaled bool
	}{
		{
			"unavailable new pods keep old ones (13 - 8 - 5 = 0)",
			rolling(10, ioi(3), ioi(2)),
			withAvailable(rsn("new", 5, 1), 0),
			[]*appsv1.ReplicaSet{withAvailable(rsn("old", 8, 9), 8)},
			nil, false,
		},
		{
			"roll over: the unhealthy previous new one goes (13 - 8 - 0 = 5)",
			rolling(10, ioi(3), ioi(2)),
			withAvailable(rsn("new", 0, 1), 0),
			[]*appsv1.ReplicaSet{withAvailable(rsn("old", 8, 9), 8), withAvailable(rsn("previous", 5, 5), 0)},
			[]string{"previous=0"}, true,
		},
		{
			"roll over mid-start: 5 wanted, 3 up, new at 2",
			rolling(5, ios("25%"), ios("25%")),
			withAvailable(rsn("new", 2, 1), 0),
			[]*appsv1.ReplicaSet{withAvailable(rsn("old", 5, 9), 3)},
			[]string{"old=4"}, true,
		},
		{
			"available new pod lets one old go",
			rolling(3, ios("25%"), ios("25%")),
			withAvailable(rsn("new", 1, 1), 1),
			[]*appsv1.ReplicaSet{withAvailable(rsn("old", 3, 9), 3)},
			[]string{"old=2"}, true,
		},
		{
			"cleanup, then scale-down of the same ReplicaSet",
			rolling(10, ioi(3), ioi(2)),
			withAvailable(rsn("new", 3, 1), 3),
			[]*appsv1.ReplicaSet{withAvailable(rsn("old", 10, 9), 9)},
			[]string{"old=9", "old=5"}, true,
		},
		{
			"oldest first",
			rolling(4, ioi(1), ioi(0)),
			withAvailable(rsn("new", 2, 1), 2),
			[]*appsv1.ReplicaSet{withAvailable(rsn("b", 2, 5), 2), withAvailable(rsn("a", 2, 9), 2)},
			[]string{"a=0"}, true,
		},
		{
			"an old ReplicaSet ahead of its status stops the cleanup: what was issued stands, not scaled",
			rolling(4, ioi(1), ioi(1)),
			withAvailable(rsn("new", 2, 1), 2),
			[]*appsv1.ReplicaSet{withAvailable(rsn("a", 3, 9), 1), withAvailable(rsn("b", 2, 5), 3)},
			[]string{"a=1"}, false,
		},
		{
			"no active old ReplicaSet",
			rolling(4, ioi(1), ioi(1)),
			withAvailable(rsn("new", 4, 1), 4),
			[]*appsv1.ReplicaSet{rsn("a", 0, 9)},
			nil, false,
		},
		{
			"an unhealthy replica goes even with nothing to spare",
			rolling(4, ioi(1), ioi(0)),
			withAvailable(rsn("new", 1, 1), 1),
			[]*appsv1.ReplicaSet{withAvailable(rsn("a", 4, 9), 3)},
			[]string{"a=3"}, true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			scales, scaled := ScaleDownOldReplicaSets(tc.d, tc.newRS, tc.olds)
			if got := scaleList(scales); !equalStrings(got, tc.want) || scaled != tc.wantScaled {
				t.Errorf("ScaleDownOldReplicaSets = %v, %v; want %v, %v", got, scaled, tc.want, tc.wantScaled)
			}
		})
	}
}

// Expectations follow cleanupDeployment (sync.go) with
// ReplicaSetsByRevision sorted by sort.Sort.
func TestReplicaSetsToCleanUp(t *testing.T) {
	limit := func(n int32) *appsv1.Deployment {
		d := rolling(3, nil, nil)
		d.Spec.RevisionHistoryLimit = &n
		return d
	}
	empty := func(name string, minutesAgo int, revision string) *appsv1.ReplicaSet {
		rs := rsn(name, 0, minutesAgo, RevisionAnnotation, revision)
		rs.Generation, rs.Status.ObservedGeneration = 2, 2
		return rs
	}
	lagging := empty("lag", 8, "2")
	lagging.Generation = 3
	deleting := empty("del", 9, "1")
	deleting.DeletionTimestamp = &metav1.Time{Time: base}
	busy := empty("busy", 9, "1")
	busy.Status.Replicas = 1
	for _, tc := range []struct {
		name string
		d    *appsv1.Deployment
		olds []*appsv1.ReplicaSet
		want []string
	}{
		{"lowest revisions first", limit(2), []*appsv1.ReplicaSet{empty("r3", 7, "3"), empty("r1", 9, "1"), empty("r4", 6, "4"), empty("r2", 8, "2")}, []string{"r1", "r2"}},
		{"within the limit", limit(4), []*appsv1.ReplicaSet{empty("r3", 7, "3"), empty("r1", 9, "1")}, nil},
		{"limit 0 deletes every empty one", limit(0), []*appsv1.ReplicaSet{empty("r3", 7, "3"), empty("r1", 9, "1")}, []string{"r1", "r3"}},
		{"busy ones are skipped, not replaced", limit(2), []*appsv1.ReplicaSet{busy, empty("r2", 8, "2"), empty("r3", 7, "3"), empty("r4", 6, "4")}, []string{"r2"}},
		{"status behind its generation is skipped", limit(1), []*appsv1.ReplicaSet{lagging, empty("r3", 7, "3")}, nil},
		{"deleting ones are not candidates", limit(1), []*appsv1.ReplicaSet{deleting, empty("r2", 8, "2"), empty("r3", 7, "3")}, []string{"r2"}},
		{"unlimited", limit(math.MaxInt32), []*appsv1.ReplicaSet{empty("r1", 9, "1")}, nil},
		{"equal revisions: older first", limit(1), []*appsv1.ReplicaSet{empty("b", 5, "2"), empty("a", 9, "2")}, []string{"a"}},
		// A revision that does not parse compares by creation against
		// everything: with input C(2), B(x), A(1), oldest first, insertion
		// sort keeps that order, so C goes before A.
		{"unparsable revisions: upstream's order", limit(1), []*appsv1.ReplicaSet{empty("C", 9, "2"), empty("B", 8, "x"), empty("A", 7, "1")}, []string{"C", "B"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := names(ReplicaSetsToCleanUp(tc.d, tc.olds)); !equalStrings(got, tc.want) {
				t.Errorf("ReplicaSetsToCleanUp = %v, want %v", got, tc.want)
			}
		})
	}
	d := rolling(3, nil, nil) // nil limit: the default 10
	var olds []*appsv1.ReplicaSet
	for i := range 11 {
		olds = append(olds, empty("r"+itoa(int32(i+1)), 20-i, itoa(int32(i+1))))
	}
	if got := names(ReplicaSetsToCleanUp(d, olds)); !equalStrings(got, []string{"r1"}) {
		t.Errorf("default limit: %v", got)
	}
}

func TestSortByCreation(t *testing.T) {
	rss := []*appsv1.ReplicaSet{rsn("c", 0, 5), rsn("b", 0, 9), rsn("a", 0, 5)}
	SortByCreation(rss)
	if got := names(rss); !equalStrings(got, []string{"b", "a", "c"}) {
		t.Errorf("SortByCreation = %v", got)
	}
}
