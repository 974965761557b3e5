package rollout

import (
	"math"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func rsWithRevision(name, rev string) *appsv1.ReplicaSet {
	rs := &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if rev != "-" {
		rs.Annotations = map[string]string{RevisionAnnotation: rev}
	}
	return rs
}

// Expectations follow deploymentutil.Revision: a missing annotation is 0,
// anything strconv.ParseInt(v, 10, 64) rejects is an error.
func TestRevision(t *testing.T) {
	for _, tc := range []struct {
		rev     string
		want    int64
		wantErr bool
	}{
		{"-", 0, false},
		{"1", 1, false},
		{"42", 42, false},
		{"-3", -3, false},
		{"", 0, true},
		{"x", 0, true},
		{"1.5", 0, true},
		{"99999999999999999999", math.MaxInt64, true}, // ParseInt saturates
	} {
		got, err := Revision(rsWithRevision("a", tc.rev))
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("Revision(%q) = %d, %v; want %d, error %v", tc.rev, got, err, tc.want, tc.wantErr)
		}
	}
	if got, err := Revision(nil); got != 0 || err != nil {
		t.Errorf("Revision(nil) = %d, %v", got, err)
	}
}

// Expectations follow deploymentutil.MaxRevision and LastRevision
// (unparsable revisions skipped; LastRevision uses >= so a duplicate of the
// maximum becomes the second maximum).
func TestMaxAndLastRevision(t *testing.T) {
	for _, tc := range []struct {
		name      string
		revs      []string
		max, last int64
	}{
		{"none", nil, 0, 0},
		{"one", []string{"3"}, 3, 0},
		{"ordered", []string{"1", "2", "3"}, 3, 2},
		{"unordered", []string{"5", "2", "4"}, 5, 4},
		{"duplicate max", []string{"3", "1", "3"}, 3, 3},
		{"missing annotation counts as 0", []string{"-", "2"}, 2, 0},
		{"unparsable skipped", []string{"x", "7", "", "6"}, 7, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rss []*appsv1.ReplicaSet
			for i, r := range tc.revs {
				rss = append(rss, rsWithRevision(string(rune('a'+i)), r))
			}
			rss = append(rss, nil) // nil entries are skipped
			if got := MaxRevision(rss); got != tc.max {
				t.Errorf("MaxRevision = %d, want %d", got, tc.max)
			}
			if got := LastRevision(rss); got != tc.last {
				t.Errorf("LastRevision = %d, want %d", got, tc.last)
			}
		})
	}
}

// Expectations follow annotationsToSkip of deploymentutil (and of kubectl's
// rollback, the same six keys).
func TestSkipCopyAnnotation(t *testing.T) {
	for _, k := range []string{corev1.LastAppliedConfigAnnotation, RevisionAnnotation, RevisionHistoryAnnotation,
		DesiredReplicasAnnotation, MaxReplicasAnnotation, RollbackToAnnotation} {
		if !SkipCopyAnnotation(k) {
			t.Errorf("SkipCopyAnnotation(%q) = false, want true", k)
		}
	}
	for _, k := range []string{ChangeCauseAnnotation, "team", "", "deployment.kubernetes.io/revision "} {
		if SkipCopyAnnotation(k) {
			t.Errorf("SkipCopyAnnotation(%q) = true, want false", k)
		}
	}
}
