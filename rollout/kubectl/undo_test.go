package kubectl

import (
	"maps"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"pgregory.net/rapid"

	"github.com/reckon-k8s/reckon/rollout"
)

// kcRolloutHistory is the history of the Kubernetes docs Deployment
// walkthrough when it rolls back after the bad image ("Rolling Back a
// Deployment"; workload/testdata/deployment/2-3-bad-image-and-rollback.txt):
// revision 1 runs nginx:1.14.2, revision 2 nginx:1.16.1, revision 3
// (current) the bad nginx:1.161.
func kcRolloutHistory() (*appsv1.Deployment, []*appsv1.ReplicaSet) {
	d := kcDeployment("nginx:1.161")
	d.Annotations = map[string]string{
		rollout.RevisionAnnotation:         "3",
		rollout.ChangeCauseAnnotation:      "kubectl set image deployment/nginx-deployment nginx=nginx:1.161",
		corev1.LastAppliedConfigAnnotation: `{"kind":"Deployment"}`,
	}
	rss := []*appsv1.ReplicaSet{
		kcWithAnnotation(kcReplicaSet("nginx-deployment-66b6c48dd5", "1", "nginx:1.14.2", 0), rollout.ChangeCauseAnnotation, "kubectl apply --filename=nginx.yaml"),
		kcWithAnnotation(kcReplicaSet("nginx-deployment-559d658b74", "2", "nginx:1.16.1", 60), rollout.ChangeCauseAnnotation, "kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1"),
		kcWithAnnotation(kcReplicaSet("nginx-deployment-1989198191", "3", "nginx:1.161", 120), rollout.ChangeCauseAnnotation, "kubectl set image deployment/nginx-deployment nginx=nginx:1.161"),
	}
	for _, rs := range rss {
		rs.Annotations[rollout.DesiredReplicasAnnotation] = "3"
		rs.Annotations[rollout.MaxReplicasAnnotation] = "4"
	}
	return d, rss
}

// Expectations reasoned from DeploymentRollbacker.Rollback and
// deploymentRevision (kubectl v0.36 polymorphichelpers/rollback.go); the
// differential test in internal/conformance/kubectlconf checks the same
// rules against the real code on generated cases.
func TestUndoRules(t *testing.T) {
	type want struct {
		image       string // template image of the result
		annotations map[string]string
		skipped     bool
		err         string
	}
	history := func(edit func(d *appsv1.Deployment, rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet) (*appsv1.Deployment, []*appsv1.ReplicaSet) {
		d, rss := kcRolloutHistory()
		if edit != nil {
			rss = edit(d, rss)
		}
		return d, rss
	}
	// Annotations after rolling back to revision 2: the Deployment keeps its
	// skip-list annotations (revision, last-applied-configuration) and takes
	// the ReplicaSet's others (its change cause); the ReplicaSet's revision,
	// desired and max replicas are skip-listed.
	rev2 := map[string]string{
		rollout.RevisionAnnotation:         "3",
		corev1.LastAppliedConfigAnnotation: `{"kind":"Deployment"}`,
		rollout.ChangeCauseAnnotation:      "kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1",
	}
	// The same after rolling back to revision 1.
	rev1 := map[string]string{
		rollout.RevisionAnnotation:         "3",
		corev1.LastAppliedConfigAnnotation: `{"kind":"Deployment"}`,
		rollout.ChangeCauseAnnotation:      "kubectl apply --filename=nginx.yaml",
	}
	for _, tc := range []struct {
		name       string
		edit       func(d *appsv1.Deployment, rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet
		toRevision int64
		want       want
	}{
		{name: "negative-revision: -1", toRevision: -1, want: want{err: "unable to find specified revision -1 in history"}},
		{name: "undo-target: previous revision by default", toRevision: 0, want: want{image: "nginx:1.16.1", annotations: rev2}},
		{name: "undo-target: --to-revision", toRevision: 1, want: want{image: "nginx:1.14.2", annotations: rev1}},
		{name: "undo-target: unknown revision", toRevision: 7, want: want{err: "unable to find specified revision 7 in history"}},
		{name: "undo-target: a single revision has no previous one", toRevision: 0,
			edit: func(_ *appsv1.Deployment, rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet { return rss[2:] },
			want: want{err: `no rollout history found for deployment "nginx-deployment"`}},
		{name: "undo-target: no ReplicaSet", toRevision: 0,
			edit: func(_ *appsv1.Deployment, _ []*appsv1.ReplicaSet) []*appsv1.ReplicaSet { return nil },
			want: want{err: `no rollout history found for deployment "nginx-deployment"`}},
		{name: "undo-target: unparsable revisions are skipped", toRevision: 0,
			edit: func(_ *appsv1.Deployment, rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
				rss[1].Annotations[rollout.RevisionAnnotation] = "two"
				return rss
			},
			want: want{image: "nginx:1.14.2", annotations: rev1}},
		{name: "undo-target: missing revision counts as 0", toRevision: 0,
			edit: func(_ *appsv1.Deployment, rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
				delete(rss[0].Annotations, rollout.RevisionAnnotation)
				return []*appsv1.ReplicaSet{rss[0], rss[2]}
			},
			want: want{image: "nginx:1.14.2", annotations: rev1}},
		{name: "undo-target: a duplicate of the highest revision is the previous one", toRevision: 0,
			edit: func(_ *appsv1.Deployment, rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
				rss[1].Annotations[rollout.RevisionAnnotation] = "3"
				return rss
			},
			// Walk: rev 1, then the current ReplicaSet (rev 3) last; the
			// other rev 3 is old and comes before it, so it is "latest" and
			// the current one becomes "previous" (not strictly lower):
			// its template is the current one.
			want: want{skipped: true, image: "nginx:1.161"}},
		{name: "undo-target: --to-revision takes the first match, old ReplicaSets before the current one", toRevision: 3,
			edit: func(_ *appsv1.Deployment, rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
				rss[1].Annotations[rollout.RevisionAnnotation] = "3"
				return rss
			},
			want: want{image: "nginx:1.16.1", annotations: rev2}},
		{name: "owned-replica-sets: only the Deployment's ReplicaSets count", toRevision: 0,
			edit: func(_ *appsv1.Deployment, rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
				rss[1].OwnerReferences[0].UID = "someone-else"
				return rss
			},
			want: want{image: "nginx:1.14.2", annotations: rev1}},
		{name: "paused-refused: a paused Deployment", toRevision: 2,
			edit: func(d *appsv1.Deployment, rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
				d.Spec.Paused = true
				return rss
			},
			want: want{err: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"}},
		{name: "paused-refused: checked after the revision lookup", toRevision: 9,
			edit: func(d *appsv1.Deployment, rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
				d.Spec.Paused = true
				return rss
			},
			want: want{err: "unable to find specified revision 9 in history"}},
		{name: "same-template: the current template is skipped", toRevision: 3, want: want{skipped: true, image: "nginx:1.161"}},
		{name: "same-template: templates equal up to the hash label and quantity format", toRevision: 2,
			edit: func(d *appsv1.Deployment, rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
				d.Spec.Template.Spec.Containers[0].Image = "nginx:1.16.1"
				d.Spec.Template.Spec.Containers[0].Resources.Requests = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("0.5")}
				rss[1].Spec.Template.Spec.Containers[0].Resources.Requests = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m")}
				return rss
			},
			want: want{skipped: true, image: "nginx:1.16.1"}},
		{name: "rollback-patch: Deployment without annotations", toRevision: 2,
			edit: func(d *appsv1.Deployment, rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
				d.Annotations = nil
				return rss
			},
			want: want{image: "nginx:1.16.1", annotations: map[string]string{rollout.ChangeCauseAnnotation: "kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1"}}},
		{name: "rollback-patch: every skip-list annotation stays, others are replaced", toRevision: 2,
			edit: func(d *appsv1.Deployment, rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
				d.Annotations = map[string]string{
					rollout.RevisionAnnotation: "3", rollout.RevisionHistoryAnnotation: "1", rollout.DesiredReplicasAnnotation: "5", rollout.MaxReplicasAnnotation: "6",
					rollout.RollbackToAnnotation: "2", corev1.LastAppliedConfigAnnotation: "{}", "team": "web", rollout.ChangeCauseAnnotation: "gone",
				}
				rss[1].Annotations = map[string]string{rollout.RevisionAnnotation: "2", rollout.RevisionHistoryAnnotation: "0", rollout.RollbackToAnnotation: "9", "owner": "ops"}
				return rss
			},
			want: want{image: "nginx:1.16.1", annotations: map[string]string{
				rollout.RevisionAnnotation: "3", rollout.RevisionHistoryAnnotation: "1", rollout.DesiredReplicasAnnotation: "5", rollout.MaxReplicasAnnotation: "6",
				rollout.RollbackToAnnotation: "2", corev1.LastAppliedConfigAnnotation: "{}", "owner": "ops",
			}}},
		{name: "rollback-patch: no annotation left", toRevision: 2,
			edit: func(d *appsv1.Deployment, rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
				d.Annotations = map[string]string{"team": "web"}
				rss[1].Annotations = map[string]string{rollout.RevisionAnnotation: "2"}
				return rss
			},
			want: want{image: "nginx:1.16.1", annotations: nil}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, rss := history(tc.edit)
			got, skipped, err := Undo(d, rss, tc.toRevision)
			if tc.want.err != "" {
				if err == nil || err.Error() != tc.want.err {
					t.Fatalf("Undo error %v; want %q", err, tc.want.err)
				}
				if got != nil {
					t.Errorf("Undo returned a Deployment with its error")
				}
				return
			}
			if err != nil {
				t.Fatalf("Undo: %v", err)
			}
			if skipped != tc.want.skipped {
				t.Fatalf("skipped = %v; want %v", skipped, tc.want.skipped)
			}
			if img := got.Spec.Template.Spec.Containers[0].Image; img != tc.want.image {
				t.Errorf("image %s; want %s", img, tc.want.image)
			}
			if skipped {
				if !equality.Semantic.DeepEqual(got, d) {
					t.Errorf("skipped Undo changed the Deployment:\n%+v", got)
				}
				return
			}
			if !maps.Equal(got.Annotations, tc.want.annotations) {
				t.Errorf("annotations %v; want %v", got.Annotations, tc.want.annotations)
			}
			if _, ok := got.Spec.Template.Labels[rollout.PodTemplateHashLabel]; ok {
				t.Errorf("template keeps the hash label: %v", got.Spec.Template.Labels)
			}
			// Everything but the template and the annotations is d's.
			rest, orig := got.DeepCopy(), d.DeepCopy()
			rest.Spec.Template, orig.Spec.Template = corev1.PodTemplateSpec{}, corev1.PodTemplateSpec{}
			rest.Annotations, orig.Annotations = nil, nil
			if !equality.Semantic.DeepEqual(rest, orig) {
				t.Errorf("Undo changed more than the template and annotations")
			}
		})
	}
}

func TestUndoTemplate(t *testing.T) {
	d, rss := kcRolloutHistory()
	rss[1].Spec.Template.Annotations = map[string]string{"note": "kept"}
	got, _, err := Undo(d, rss, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := kcTemplate("nginx:1.16.1")
	want.Annotations = map[string]string{"note": "kept"}
	if !equality.Semantic.DeepEqual(got.Spec.Template, want) {
		t.Errorf("template %+v; want %+v", got.Spec.Template, want)
	}

	// A template whose only label is the hash ends with no labels (nil, as
	// after the JSON round trip of kubectl's patch).
	rss[1].Spec.Template.Labels = map[string]string{rollout.PodTemplateHashLabel: "x"}
	got, _, err = Undo(d, rss, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got.Spec.Template.Labels != nil {
		t.Errorf("labels %v; want nil", got.Spec.Template.Labels)
	}
}

func TestUndoErrors(t *testing.T) {
	if _, _, err := Undo(nil, nil, 0); err == nil {
		t.Errorf("Undo(nil) did not fail")
	}
	d, rss := kcRolloutHistory()
	d.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "not a value"}}
	if _, _, err := Undo(d, rss, 0); err == nil {
		t.Errorf("Undo with an invalid selector did not fail")
	}
}

func TestUndoProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d, rss := kcWorld(t)
		toRevision := rapid.Int64Range(-1, 5).Draw(t, "toRevision")
		dBefore := d.DeepCopy()
		rssBefore := make([]*appsv1.ReplicaSet, len(rss))
		for i, rs := range rss {
			rssBefore[i] = rs.DeepCopy()
		}
		got, skipped, err := Undo(d, rss, toRevision)
		if !equality.Semantic.DeepEqual(dBefore, d) {
			t.Fatalf("Undo modified the Deployment")
		}
		for i, rs := range rss {
			if !equality.Semantic.DeepEqual(rssBefore[i], rs) {
				t.Fatalf("Undo modified ReplicaSet %d", i)
			}
		}
		again, skippedAgain, errAgain := Undo(d, kcShuffled(t, rss), toRevision)
		if skipped != skippedAgain || (err == nil) != (errAgain == nil) || (err != nil && err.Error() != errAgain.Error()) ||
			!equality.Semantic.DeepEqual(got, again) {
			t.Fatalf("Undo depends on the input order")
		}
		if err != nil {
			return
		}
		if d.Spec.Paused {
			t.Fatalf("Undo rolled back a paused Deployment")
		}
		// The result holds one revision's template, and undoing to it again
		// is skipped when a single ReplicaSet holds that revision (with
		// several, the walk order changes with the template).
		if _, ok := got.Spec.Template.Labels[rollout.PodTemplateHashLabel]; ok {
			t.Fatalf("result keeps the hash label")
		}
		holders := 0
		for _, rs := range rss {
			if v, err := rollout.Revision(rs); err == nil && v == toRevision && rs.OwnerReferences[0].UID == d.UID {
				holders++
			}
		}
		if toRevision > 0 && holders == 1 {
			if _, skipped, err := Undo(got, rss, toRevision); err != nil || !skipped {
				t.Fatalf("undoing twice to revision %d: skipped %v, %v", toRevision, skipped, err)
			}
		}
		// The result shares no memory with the inputs.
		got.Spec.Template.Spec.Containers[0].Image = "mutated"
		got.Annotations = map[string]string{"mutated": "yes"}
		if !equality.Semantic.DeepEqual(dBefore, d) {
			t.Fatalf("the result aliases the Deployment")
		}
		for i, rs := range rss {
			if !equality.Semantic.DeepEqual(rssBefore[i], rs) {
				t.Fatalf("the result aliases ReplicaSet %d", i)
			}
		}
	})
}

func FuzzUndo(f *testing.F) {
	f.Add("3", "1", "2", "nginx:1.161", "nginx:1.14.2", true, false, int64(0), "app", "nginx", "In")
	f.Add("x", "", "-1", "", "a", false, true, int64(-3), "", "", "Bogus")
	f.Fuzz(func(t *testing.T, rev0, rev1, rev2, image0, image1 string, sameTemplate, paused bool, toRevision int64, selKey, selVal, op string) {
		d := kcDeployment(image0)
		d.Spec.Paused = paused
		d.Annotations = map[string]string{rollout.RevisionAnnotation: rev0, "k": rev1}
		d.Spec.Selector.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: selKey, Operator: metav1.LabelSelectorOperator(op), Values: []string{selVal}}}
		rss := []*appsv1.ReplicaSet{
			kcReplicaSet("nginx-deployment-a", rev0, image1, 0),
			kcReplicaSet("nginx-deployment-b", rev1, image0, 0),
			kcReplicaSet("nginx-deployment-c", rev2, image1, 1),
			nil,
		}
		rss[0].Labels[selKey] = selVal
		if sameTemplate {
			rss[2].Spec.Template = *d.Spec.Template.DeepCopy()
		}
		dBefore := d.DeepCopy()
		got, skipped, err := Undo(d, rss, toRevision)
		if !equality.Semantic.DeepEqual(dBefore, d) {
			t.Fatalf("Undo modified its input")
		}
		if err != nil && (got != nil || skipped) {
			t.Fatalf("Undo returned a result with its error %v", err)
		}
		if err == nil && got == nil {
			t.Fatalf("Undo returned neither a result nor an error")
		}
		for _, s := range []int64{0, 1, 2, toRevision} {
			Status(d, s)
			History(d, rss)
			DescribeConditions(d, rss)
		}
	})
}
