package kubectl

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"pgregory.net/rapid"

	"github.com/reckon-k8s/reckon/rollout"
)

// Fixtures of the kubectl-side tests: a Deployment "nginx-deployment" in
// namespace "default" selecting app=nginx, and ReplicaSets it controls.

const kcDeploymentUID = types.UID("d-uid")

var kcEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func kcTemplate(image string) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "nginx"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: image}}},
	}
}

func kcDeployment(image string) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "nginx-deployment", Namespace: "default", UID: kcDeploymentUID},
		Spec: appsv1.DeploymentSpec{
			Replicas: kcInt32(3),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}},
			Template: kcTemplate(image),
		},
	}
}

// kcReplicaSet returns a ReplicaSet controlled by kcDeployment, created
// createdSec seconds after kcEpoch, with revision annotation rev ("-" for
// none) and a template running image.
func kcReplicaSet(name, rev, image string, createdSec int) *appsv1.ReplicaSet {
	hash := strings.TrimPrefix(name, "nginx-deployment-")
	t := kcTemplate(image)
	t.Labels[rollout.PodTemplateHashLabel] = hash
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: "default", UID: types.UID("uid-" + name),
			CreationTimestamp: metav1.NewTime(kcEpoch.Add(time.Duration(createdSec) * time.Second)),
			Labels:            map[string]string{"app": "nginx", rollout.PodTemplateHashLabel: hash},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: "nginx-deployment",
				UID: kcDeploymentUID, Controller: new(true)}},
		},
		Spec: appsv1.ReplicaSetSpec{Replicas: kcInt32(0), Template: t},
	}
	if rev != "-" {
		rs.Annotations = map[string]string{rollout.RevisionAnnotation: rev}
	}
	return rs
}

func kcWithAnnotation[T metav1.Object](obj T, k, v string) T {
	a := obj.GetAnnotations()
	if a == nil {
		a = map[string]string{}
	}
	a[k] = v
	obj.SetAnnotations(a)
	return obj
}

// TestHistoryKubectlExample is kubectl's TestViewDeploymentHistory
// (polymorphichelpers/history_test.go): four ReplicaSets of "moons", the
// third and fourth with a change cause, and the table kubectl expects.
func TestHistoryKubectlExample(t *testing.T) {
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "moons", Namespace: "default", UID: "fc7e66ad-eacc-4413-8277-e22276eacce6", Labels: map[string]string{"foo": "bar"}},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"foo": "bar"}},
			Replicas: kcInt32(1),
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"foo": "bar"}},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "test", Image: "foo:1"}}},
			},
		},
	}
	var rss []*appsv1.ReplicaSet
	for i := 1; i < 5; i++ {
		rs := &appsv1.ReplicaSet{
			ObjectMeta: metav1.ObjectMeta{
				Name: fmt.Sprintf("moons-%d", i), Namespace: "default",
				UID:             types.UID(fmt.Sprintf("00000000-0000-0000-0000-00000000000%d", i)),
				Labels:          map[string]string{"foo": "bar"},
				OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: d.Name, UID: d.UID, Controller: new(true)}},
				Annotations:     map[string]string{rollout.RevisionAnnotation: fmt.Sprintf("%d", i)},
			},
			Spec: appsv1.ReplicaSetSpec{
				Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"foo": "bar"}},
				Replicas: kcInt32(1),
				Template: corev1.PodTemplateSpec{
					ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"foo": "bar"}},
					Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "test", Image: fmt.Sprintf("foo:%d", i)}}},
				},
			},
		}
		switch i {
		case 3:
			rs.Annotations[rollout.ChangeCauseAnnotation] = "foo change cause"
		case 4:
			rs.Annotations[rollout.ChangeCauseAnnotation] = "bar change cause"
		}
		rss = append(rss, rs)
	}
	entries, err := History(d, rss)
	if err != nil {
		t.Fatal(err)
	}
	want := `REVISION  CHANGE-CAUSE
1         <none>
2         <none>
3         foo change cause
4         bar change cause
`
	if got := FormatHistory(entries); got != want {
		t.Errorf("FormatHistory =\n%s\nwant\n%s", got, want)
	}
	if entries[2].ReplicaSet != "moons-3" || entries[2].Template.Spec.Containers[0].Image != "foo:3" {
		t.Errorf("revision 3 = %s %v; want moons-3 with image foo:3", entries[2].ReplicaSet, entries[2].Template.Spec.Containers)
	}
}

// kcRow is what a test expects of one HistoryEntry.
type kcRow struct {
	number      int64
	replicaSet  string
	changeCause string
}

func kcRows(entries []HistoryEntry) []kcRow {
	rows := make([]kcRow, len(entries))
	for i, e := range entries {
		rows[i] = kcRow{e.Number, e.ReplicaSet, e.ChangeCause}
	}
	return rows
}

// Expectations reasoned from DeploymentHistoryViewer.ViewHistory and
// deploymentutil.GetAllReplicaSets (kubectl v0.36); the differential test in
// internal/conformance/kubectlconf checks the same rules on generated cases.
func TestHistoryRules(t *testing.T) {
	d := kcDeployment("nginx:1.16.1")
	rs := kcReplicaSet
	for _, tc := range []struct {
		name string
		d    *appsv1.Deployment
		rss  []*appsv1.ReplicaSet
		want []kcRow
	}{
		{name: "rollout-history: sorted by revision", d: d,
			rss:  []*appsv1.ReplicaSet{rs("nginx-deployment-c", "3", "nginx:1.16.1", 3), rs("nginx-deployment-a", "1", "nginx:1.14.2", 1), rs("nginx-deployment-b", "2", "nginx:1.15", 2)},
			want: []kcRow{{1, "nginx-deployment-a", ""}, {2, "nginx-deployment-b", ""}, {3, "nginx-deployment-c", ""}}},
		{name: "owned-replica-sets: other namespace, nil entries", d: d,
			rss: []*appsv1.ReplicaSet{nil, rs("nginx-deployment-a", "1", "nginx:1.14.2", 1), func() *appsv1.ReplicaSet {
				r := rs("nginx-deployment-b", "2", "nginx:1.15", 2)
				r.Namespace = "other"
				return r
			}()},
			want: []kcRow{{1, "nginx-deployment-a", ""}}},
		{name: "owned-replica-sets: labels must match the selector", d: d,
			rss: []*appsv1.ReplicaSet{rs("nginx-deployment-a", "1", "nginx:1.14.2", 1), func() *appsv1.ReplicaSet {
				r := rs("nginx-deployment-b", "2", "nginx:1.15", 2)
				r.Labels = map[string]string{"app": "other"}
				return r
			}()},
			want: []kcRow{{1, "nginx-deployment-a", ""}}},
		{name: "owned-replica-sets: nil selector lists every label set", d: func() *appsv1.Deployment {
			d := d.DeepCopy()
			d.Spec.Selector = nil
			return d
		}(),
			rss: []*appsv1.ReplicaSet{func() *appsv1.ReplicaSet {
				r := rs("nginx-deployment-b", "2", "nginx:1.15", 2)
				r.Labels = nil
				return r
			}()},
			want: []kcRow{{2, "nginx-deployment-b", ""}}},
		{name: "owned-replica-sets: controller reference with d's UID", d: d,
			rss: []*appsv1.ReplicaSet{
				rs("nginx-deployment-a", "1", "nginx:1.14.2", 1),
				func() *appsv1.ReplicaSet { // owned but not as controller
					r := rs("nginx-deployment-b", "2", "nginx:1.15", 2)
					r.OwnerReferences[0].Controller = nil
					return r
				}(),
				func() *appsv1.ReplicaSet { // controlled by another object
					r := rs("nginx-deployment-c", "3", "nginx:1.15", 3)
					r.OwnerReferences[0].UID = "other"
					return r
				}(),
				func() *appsv1.ReplicaSet { // orphan
					r := rs("nginx-deployment-d", "4", "nginx:1.15", 4)
					r.OwnerReferences = nil
					return r
				}(),
			},
			want: []kcRow{{1, "nginx-deployment-a", ""}}},
		{name: "unparsable-revision: left out, missing revision is 0", d: d,
			rss:  []*appsv1.ReplicaSet{rs("nginx-deployment-a", "-", "nginx:1.14.2", 1), rs("nginx-deployment-b", "two", "nginx:1.15", 2), rs("nginx-deployment-c", "3", "nginx:1.16.1", 3)},
			want: []kcRow{{0, "nginx-deployment-a", ""}, {3, "nginx-deployment-c", ""}}},
		{name: "duplicate-revision: the new ReplicaSet wins even when older", d: d,
			rss:  []*appsv1.ReplicaSet{rs("nginx-deployment-a", "2", "nginx:1.16.1", 1), rs("nginx-deployment-b", "2", "nginx:1.15", 2)},
			want: []kcRow{{2, "nginx-deployment-a", ""}}},
		{name: "duplicate-revision: otherwise the latest created wins", d: d,
			rss:  []*appsv1.ReplicaSet{rs("nginx-deployment-b", "2", "nginx:1.15", 2), rs("nginx-deployment-a", "2", "nginx:1.14.2", 1)},
			want: []kcRow{{2, "nginx-deployment-b", ""}}},
		{name: "duplicate-revision: same creation time, the greater name wins", d: d,
			rss:  []*appsv1.ReplicaSet{rs("nginx-deployment-b", "2", "nginx:1.15", 1), rs("nginx-deployment-a", "2", "nginx:1.14.2", 1)},
			want: []kcRow{{2, "nginx-deployment-b", ""}}},
		{name: "change-cause: the ReplicaSet's, else its template's", d: d,
			rss: []*appsv1.ReplicaSet{
				kcWithAnnotation(rs("nginx-deployment-a", "1", "nginx:1.14.2", 1), rollout.ChangeCauseAnnotation, "kubectl create"),
				func() *appsv1.ReplicaSet {
					r := rs("nginx-deployment-b", "2", "nginx:1.15", 2)
					r.Spec.Template.Annotations = map[string]string{rollout.ChangeCauseAnnotation: "from the template"}
					return r
				}(),
				func() *appsv1.ReplicaSet {
					r := kcWithAnnotation(rs("nginx-deployment-c", "3", "nginx:1.16.1", 3), rollout.ChangeCauseAnnotation, "")
					r.Spec.Template.Annotations = map[string]string{rollout.ChangeCauseAnnotation: "template, as the ReplicaSet's is empty"}
					return r
				}(),
				func() *appsv1.ReplicaSet {
					r := kcWithAnnotation(rs("nginx-deployment-d", "4", "nginx:1.17", 4), rollout.ChangeCauseAnnotation, "ReplicaSet first")
					r.Spec.Template.Annotations = map[string]string{rollout.ChangeCauseAnnotation: "ignored"}
					return r
				}(),
			},
			want: []kcRow{{1, "nginx-deployment-a", "kubectl create"}, {2, "nginx-deployment-b", "from the template"},
				{3, "nginx-deployment-c", "template, as the ReplicaSet's is empty"}, {4, "nginx-deployment-d", "ReplicaSet first"}}},
		{name: "no ReplicaSet", d: d, want: []kcRow{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entries, err := History(tc.d, tc.rss)
			if err != nil {
				t.Fatal(err)
			}
			if got := kcRows(entries); !slices.Equal(got, tc.want) {
				t.Errorf("History = %+v; want %+v", got, tc.want)
			}
		})
	}
}

func TestHistoryErrors(t *testing.T) {
	if _, err := History(nil, nil); err == nil {
		t.Errorf("History(nil) did not fail")
	}
	d := kcDeployment("nginx:1.16.1")
	d.Spec.Selector.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Bogus"}}
	_, err := History(d, nil)
	if err == nil || !strings.Contains(err.Error(), "failed to retrieve replica sets from deployment nginx-deployment") ||
		!strings.Contains(err.Error(), "spec.selector.matchExpressions[0].operator") {
		t.Errorf("History with an invalid selector: %v", err)
	}
}

func TestHistoryTemplateIsACopy(t *testing.T) {
	rs := kcReplicaSet("nginx-deployment-a", "1", "nginx:1.14.2", 1)
	entries, err := History(kcDeployment("nginx:1.16.1"), []*appsv1.ReplicaSet{rs})
	if err != nil {
		t.Fatal(err)
	}
	entries[0].Template.Labels["x"] = "y"
	entries[0].Template.Spec.Containers[0].Image = "changed"
	if _, ok := rs.Spec.Template.Labels["x"]; ok || rs.Spec.Template.Spec.Containers[0].Image != "nginx:1.14.2" {
		t.Errorf("History's template aliases the ReplicaSet's")
	}
	if entries[0].Template.Labels[rollout.PodTemplateHashLabel] != "a" {
		t.Errorf("History's template lost the hash label: %v", entries[0].Template.Labels)
	}
}

// Expected texts: text/tabwriter with kubectl's settings (minwidth 0,
// tabwidth 8, padding 2, space padding), as polymorphichelpers.tabbedString.
func TestFormatHistory(t *testing.T) {
	for _, tc := range []struct {
		name    string
		entries []HistoryEntry
		want    string
	}{
		{"empty", nil, "No rollout history found."},
		{"one revision", []HistoryEntry{{Number: 1}}, "REVISION  CHANGE-CAUSE\n1         <none>\n"},
		{"wide revision widens the column", []HistoryEntry{{Number: 1, ChangeCause: "a"}, {Number: 12345678901, ChangeCause: "b"}},
			"REVISION     CHANGE-CAUSE\n1            a\n12345678901  b\n"},
		{"order as given", []HistoryEntry{{Number: 3}, {Number: 0, ChangeCause: "zero"}},
			"REVISION  CHANGE-CAUSE\n3         <none>\n0         zero\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatHistory(tc.entries); got != tc.want {
				t.Errorf("FormatHistory = %q; want %q", got, tc.want)
			}
		})
	}
}

// kcWorld draws a Deployment and ReplicaSets for the property tests:
// revisions, creation times, templates and change causes collide often.
func kcWorld(t *rapid.T) (*appsv1.Deployment, []*appsv1.ReplicaSet) {
	images := []string{"nginx:1.14.2", "nginx:1.16.1", "nginx:1.161"}
	d := kcDeployment(rapid.SampledFrom(images).Draw(t, "image"))
	d.Spec.Paused = rapid.Bool().Draw(t, "paused")
	if rapid.Bool().Draw(t, "annotated") {
		d.Annotations = map[string]string{rollout.RevisionAnnotation: "3", "team": "web", corev1.LastAppliedConfigAnnotation: "{}"}
	}
	n := rapid.IntRange(0, 6).Draw(t, "n")
	rss := make([]*appsv1.ReplicaSet, 0, n)
	for i := range n {
		rev := rapid.SampledFrom([]string{"-", "x", "1", "2", "3", "4"}).Draw(t, "rev")
		rs := kcReplicaSet(fmt.Sprintf("nginx-deployment-%d", i), rev, rapid.SampledFrom(images).Draw(t, "rsImage"), rapid.IntRange(0, 3).Draw(t, "created"))
		if rapid.Bool().Draw(t, "cause") {
			kcWithAnnotation(rs, rollout.ChangeCauseAnnotation, fmt.Sprintf("cause %d", i))
			kcWithAnnotation(rs, "team", fmt.Sprintf("t%d", i))
		}
		if rapid.IntRange(0, 5).Draw(t, "foreign") == 0 {
			rs.OwnerReferences[0].UID = "other"
		}
		rss = append(rss, rs)
	}
	return d, rss
}

func kcShuffled(t *rapid.T, rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
	out := slices.Clone(rss)
	for i := len(out) - 1; i > 0; i-- {
		j := rapid.IntRange(0, i).Draw(t, "swap")
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func TestHistoryProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d, rss := kcWorld(t)
		before := make([]*appsv1.ReplicaSet, len(rss))
		for i, rs := range rss {
			before[i] = rs.DeepCopy()
		}
		entries, err := History(d, rss)
		if err != nil {
			t.Fatal(err)
		}
		for i, rs := range rss {
			if !equality.Semantic.DeepEqual(before[i], rs) {
				t.Fatalf("History modified ReplicaSet %d", i)
			}
		}
		if !slices.IsSortedFunc(entries, func(a, b HistoryEntry) int { return cmp.Compare(a.Number, b.Number) }) {
			t.Fatalf("entries not sorted: %v", kcRows(entries))
		}
		for i := 1; i < len(entries); i++ {
			if entries[i].Number == entries[i-1].Number {
				t.Fatalf("revision %d listed twice", entries[i].Number)
			}
		}
		again, err := History(d, kcShuffled(t, rss))
		if err != nil {
			t.Fatal(err)
		}
		if !equality.Semantic.DeepEqual(entries, again) {
			t.Fatalf("History depends on the input order:\n%v\n%v", kcRows(entries), kcRows(again))
		}
	})
}
