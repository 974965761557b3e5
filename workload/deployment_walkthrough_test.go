package workload_test

import (
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/reckon-k8s/reckon/rollout"
	"github.com/reckon-k8s/reckon/workload"
)

// The Deployment walkthrough of the Kubernetes documentation
// (concepts/workloads/controllers/deployment), one upstream sync per row,
// from the state the previous syncs (and the ReplicaSet controller) left.
// Numbers are reasoned from rolloutRolling / rolloutRecreate / scale and
// cross-checked against the upstream controller. The transcripts in
// testdata/deployment replay the same walkthrough end to end.

// Updating a Deployment: nginx-deployment, 3 replicas (25%/25%: surge 1,
// unavailable 0), 1.14.2 → 1.16.1, pods ready as soon as created.
func TestDeploymentWalkthroughRollingUpdate(t *testing.T) {
	d := dep("nginx-deployment", 3, "nginx:1.16.1", generation(2), depAnnotation(rollout.RevisionAnnotation, "2"))
	newName := newRSName(d)
	old := func(replicas, available int32) *appsv1.ReplicaSet {
		return rsFor(d, "nginx-deployment-66b6c48dd5", "nginx:1.14.2", replicas, createdAgo(50), pods(replicas, available))
	}
	cur := func(replicas, available int32) *appsv1.ReplicaSet {
		return rsFor(d, newName, "nginx:1.16.1", replicas, rev(2), createdAgo(1), pods(replicas, available))
	}
	updated := progressing(rollout.ReplicaSetUpdatedReason, minutesAgo(1))
	for _, tc := range []struct {
		name   string
		status depOpt
		rss    []*appsv1.ReplicaSet
		want   []string
	}{
		{
			"image changed: new ReplicaSet at 1",
			func(d *appsv1.Deployment) {
				observed(1, "3/3/3/3/0", completeConds()...)(d)
				d.Annotations[rollout.RevisionAnnotation] = "1"
			},
			[]*appsv1.ReplicaSet{old(3, 3)},
			[]string{
				"create " + newName + " 1 rev=2",
				"  event ScalingReplicaSet Scaled up replica set " + newName + " from 0 to 1",
				"status 3/3/3/3/0 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetCreated",
				"status 3/0/3/3/1 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetCreated",
			},
		},
		{
			"new pod available: old down to 2",
			observed(2, "3/0/3/3/1", availableTrue(), progressing(rollout.NewReplicaSetReason, minutesAgo(1))),
			[]*appsv1.ReplicaSet{old(3, 3), cur(1, 1)},
			[]string{
				"update nginx-deployment-66b6c48dd5 2",
				"  event ScalingReplicaSet Scaled down replica set nginx-deployment-66b6c48dd5 from 3 to 2",
				"status 4/1/4/4/0 Available=True/MinimumReplicasAvailable Progressing=True/ReplicaSetUpdated",
			},
		},
		{
			"new up to 2",
			observed(2, "4/1/4/4/0", availableTrue(), updated),
			[]*appsv1.ReplicaSet{old(2, 2), cur(1, 1)},
			[]string{
				"update " + newName + " 2",
				"  event ScalingReplicaSet Scaled up replica set " + newName + " from 1 to 2",
				"status 3/1/3/3/0 Available=True/MinimumReplicasAvailable Progressing=True/ReplicaSetUpdated",
			},
		},
		{
			"old down to 1",
			observed(2, "3/1/3/3/0", availableTrue(), updated),
			[]*appsv1.ReplicaSet{old(2, 2), cur(2, 2)},
			[]string{
				"update nginx-deployment-66b6c48dd5 1",
				"  event ScalingReplicaSet Scaled down replica set nginx-deployment-66b6c48dd5 from 2 to 1",
				"status 4/2/4/4/0 Available=True/MinimumReplicasAvailable Progressing=True/ReplicaSetUpdated",
			},
		},
		{
			"new up to 3",
			observed(2, "4/2/4/4/0", availableTrue(), updated),
			[]*appsv1.ReplicaSet{old(1, 1), cur(2, 2)},
			[]string{
				"update " + newName + " 3",
				"  event ScalingReplicaSet Scaled up replica set " + newName + " from 2 to 3",
				"status 3/2/3/3/0 Available=True/MinimumReplicasAvailable Progressing=True/ReplicaSetUpdated",
			},
		},
		{
			"old down to 0",
			observed(2, "3/2/3/3/0", availableTrue(), updated),
			[]*appsv1.ReplicaSet{old(1, 1), cur(3, 3)},
			[]string{
				"update nginx-deployment-66b6c48dd5 0",
				"  event ScalingReplicaSet Scaled down replica set nginx-deployment-66b6c48dd5 from 1 to 0",
				"status 4/3/4/4/0 Available=True/MinimumReplicasAvailable Progressing=True/ReplicaSetUpdated",
			},
		},
		{
			"complete",
			observed(2, "4/3/4/4/0", availableTrue(), updated),
			[]*appsv1.ReplicaSet{old(0, 0), cur(3, 3)},
			[]string{"status 3/3/3/3/0 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetAvailable"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := d.DeepCopy()
			tc.status(d)
			p := planFor(t, d, tc.rss)
			wantPlan(t, p, tc.want...)
			if st := lastStatus(p, d); tc.name == "complete" {
				got := st.Conditions
				c := rollout.GetCondition(st, appsv1.DeploymentProgressing)
				if c.Message != `ReplicaSet "`+newName+`" has successfully progressed.` || len(got) != 2 {
					t.Errorf("conditions %+v", got)
				}
			}
		})
	}
}

// Failed Deployment: a bad image (nginx:1.161): the new ReplicaSet stays
// at one pod that never becomes ready; the old one keeps its 3 (minimum
// available 3). 3 desired | 1 updated | 4 total | 3 available | 1
// unavailable.
func TestDeploymentWalkthroughBadImageStalls(t *testing.T) {
	d := dep("nginx-deployment", 3, "nginx:1.161", generation(3), depAnnotation(rollout.RevisionAnnotation, "3"),
		observed(2, "3/3/3/3/0", availableTrue(), progressing(rollout.NewReplicaSetReason, minutesAgo(1))))
	good := rsFor(d, "nginx-deployment-1564180365", "nginx:1.16.1", 3, rev(2), createdAgo(40))
	bad := rsFor(d, "nginx-deployment-3066724191", "nginx:1.161", 1, rev(3), createdAgo(1), pods(1, 0))
	p := planFor(t, d, []*appsv1.ReplicaSet{good, bad})
	wantPlan(t, p, "status 4/1/3/3/1 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetCreated")

	// Nothing changes until the deadline: no write, a recheck after it.
	d.Status = lastStatus(p, d)
	p = planFor(t, d, []*appsv1.ReplicaSet{good, bad})
	wantPlan(t, p)
	if p.Requeue != (workload.Requeue{After: 9*time.Minute + time.Second}) {
		t.Errorf("requeue %+v", p.Requeue)
	}
	// Past it: ProgressDeadlineExceeded, and the rollout goes on as it was.
	after := dnow.Add(p.Requeue.After)
	p, err := workload.PlanDeployment(d, workload.DeploymentState{ReplicaSets: []*appsv1.ReplicaSet{good, bad}}, after)
	if err != nil {
		t.Fatal(err)
	}
	wantPlan(t, p, "status 4/1/3/3/1 Available=True/MinimumReplicasAvailable Progressing=False/ProgressDeadlineExceeded")
}

// Rolling back a Deployment: kubectl rollout undo to revision 2: its
// ReplicaSet is the new one again, gets revision 4 (history "2"); the bad
// ReplicaSet goes. The annotations are written twice from the observed
// copy (isScalingEvent, then the rollout): a real API server refuses the
// second, and the scale-down happens in the retried sync.
func TestDeploymentWalkthroughRollback(t *testing.T) {
	d := dep("nginx-deployment", 3, "nginx:1.16.1", generation(4),
		depAnnotation(rollout.RevisionAnnotation, "3"), depAnnotation(rollout.ChangeCauseAnnotation, "set image 1.16.1"),
		observed(3, "4/1/3/3/1", availableTrue(), cond(appsv1.DeploymentProgressing, corev1.ConditionFalse, rollout.TimedOutReason, minutesAgo(2))))
	r1 := rsFor(d, "nginx-deployment-66b6c48dd5", "nginx:1.14.2", 0, rev(1), createdAgo(90))
	r2 := rsFor(d, "nginx-deployment-1564180365", "nginx:1.16.1", 3, rev(2), createdAgo(40), rsAnnotation(rollout.ChangeCauseAnnotation, "set image 1.16.1"))
	r3 := rsFor(d, "nginx-deployment-3066724191", "nginx:1.161", 1, rev(3), createdAgo(15), pods(1, 0))
	p := planFor(t, d, []*appsv1.ReplicaSet{r3, r1, r2})
	wantPlan(t, p,
		"update nginx-deployment-1564180365 3",
		"update nginx-deployment-1564180365 3",
		"update nginx-deployment-3066724191 0",
		"  event ScalingReplicaSet Scaled down replica set nginx-deployment-3066724191 from 1 to 0",
		"status 4/3/3/3/1 Available=True/MinimumReplicasAvailable Progressing=True/ReplicaSetUpdated")
	a := p.Writes()[1].Object.(*appsv1.ReplicaSet).Annotations
	if a[rollout.RevisionAnnotation] != "4" || a[rollout.RevisionHistoryAnnotation] != "2" {
		t.Errorf("revision annotations %v", a)
	}
}

// Proportional scaling: 10 replicas, maxSurge 3, maxUnavailable 2,
// updated to an image that never becomes ready, then scaled to 15.
func TestDeploymentWalkthroughProportionalScaling(t *testing.T) {
	spec := []depOpt{generation(2), depAnnotation(rollout.RevisionAnnotation, "2"), withFenceposts(intstr.FromInt32(3), intstr.FromInt32(2))}
	d := dep("web", 10, "never-ready", spec...)
	newName := newRSName(d)
	old := func(replicas int32, opts ...rsOpt) *appsv1.ReplicaSet {
		return rsFor(d, "web-good", "good", replicas, append([]rsOpt{createdAgo(50), replicaAnnotations(10, 13)}, opts...)...)
	}
	cur := func(replicas int32) *appsv1.ReplicaSet {
		return rsFor(d, newName, "never-ready", replicas, rev(2), createdAgo(1), pods(replicas, 0), replicaAnnotations(10, 13))
	}
	updated := progressing(rollout.ReplicaSetUpdatedReason, minutesAgo(1))

	t.Run("new ReplicaSet at 3, old down to 8 in the same sync", func(t *testing.T) {
		d := d.DeepCopy()
		observed(1, "10/10/10/10/0", completeConds()...)(d)
		d.Annotations[rollout.RevisionAnnotation] = "1"
		wantPlan(t, planFor(t, d, []*appsv1.ReplicaSet{old(10)}),
			"create "+newName+" 3 rev=2",
			"  event ScalingReplicaSet Scaled up replica set "+newName+" from 0 to 3",
			"status 10/10/10/10/0 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetCreated",
			"update web-good 8",
			"  event ScalingReplicaSet Scaled down replica set web-good from 10 to 8",
			"status 10/0/10/10/3 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetCreated")
	})
	t.Run("new up to 5", func(t *testing.T) {
		d := d.DeepCopy()
		observed(2, "13/3/10/10/3", availableTrue(), updated)(d)
		wantPlan(t, planFor(t, d, []*appsv1.ReplicaSet{old(8, pods(8, 8)), cur(3)}),
			"update "+newName+" 5",
			"  event ScalingReplicaSet Scaled up replica set "+newName+" from 3 to 5",
			"status 11/3/8/8/3 Available=True/MinimumReplicasAvailable Progressing=True/ReplicaSetUpdated")
	})
	t.Run("stuck at old 8, new 5", func(t *testing.T) {
		d := d.DeepCopy()
		observed(2, "13/5/8/8/5", availableTrue(), updated)(d)
		p := planFor(t, d, []*appsv1.ReplicaSet{old(8), cur(5)})
		wantPlan(t, p)
		if p.Requeue.After == 0 {
			t.Error("no deadline recheck")
		}
	})
	t.Run("scaled to 15: old 11, new 7, 18 in all", func(t *testing.T) {
		d := dep("web", 15, "never-ready", append(spec, generation(3), observed(2, "13/5/8/8/5", availableTrue(), updated))...)
		p := planFor(t, d, []*appsv1.ReplicaSet{old(8), cur(5)})
		wantPlan(t, p,
			"update web-good 11",
			"  event ScalingReplicaSet Scaled up replica set web-good from 8 to 11",
			"update "+newName+" 7",
			"  event ScalingReplicaSet Scaled up replica set "+newName+" from 5 to 7",
			"status 13/5/8/8/5 Available=False/MinimumReplicasUnavailable Progressing=True/ReplicaSetUpdated")
		for _, w := range p.Writes()[:2] {
			rs := w.Object.(*appsv1.ReplicaSet)
			if rs.Annotations[rollout.DesiredReplicasAnnotation] != "15" || rs.Annotations[rollout.MaxReplicasAnnotation] != "18" {
				t.Errorf("%s annotations %v", rs.Name, rs.Annotations)
			}
		}
	})
}

// Pausing and resuming a rollout: paused, the image and the resources
// changed: no new ReplicaSet, history unchanged; resumed: one new
// ReplicaSet starts rolling.
func TestDeploymentWalkthroughPauseResume(t *testing.T) {
	edit := func(d *appsv1.Deployment) {
		d.Spec.Template.Spec.Containers[0].Image = "nginx:1.16.1"
		d.Spec.Template.Spec.Containers[0].Resources.Limits = corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("512Mi")}
	}
	d := dep("web", 10, "nginx:1.14.2", depAnnotation(rollout.RevisionAnnotation, "1"), generation(4), edit, paused,
		observed(2, "10/10/10/10/0", availableTrue(), progressing(rollout.NewRSAvailableReason, minutesAgo(30))))
	v1 := rsFor(d, "web-v1", "nginx:1.14.2", 10, replicaAnnotations(10, 13))
	v1.Spec.Template.Spec.Containers[0].Resources = corev1.ResourceRequirements{}
	p := planFor(t, d, []*appsv1.ReplicaSet{v1})
	wantPlan(t, p,
		"status 10/10/10/10/0 Available=True/MinimumReplicasAvailable Progressing=Unknown/DeploymentPaused",
		"status 10/0/10/10/0 Available=True/MinimumReplicasAvailable Progressing=Unknown/DeploymentPaused")

	d.Spec.Paused, d.Generation, d.Status = false, 5, lastStatus(p, d)
	name := newRSName(d)
	wantPlan(t, planFor(t, d, []*appsv1.ReplicaSet{v1}),
		"status 10/0/10/10/0 Available=True/MinimumReplicasAvailable Progressing=Unknown/DeploymentResumed",
		"create "+name+" 3 rev=2",
		"  event ScalingReplicaSet Scaled up replica set "+name+" from 0 to 3",
		"status 10/0/10/10/0 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetCreated",
		"update web-v1 8",
		"  event ScalingReplicaSet Scaled down replica set web-v1 from 10 to 8",
		"status 10/0/10/10/3 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetCreated")
}

// Rollover (multiple updates in-flight): 5 replicas of 1.14.2 with only 3
// pods up, updated to 1.16.1: the new ReplicaSet starts at 2 (5 + surge 2
// - 5) and the 1.14.2 one loses an unhealthy replica in the same sync (7 -
// 4 - 2 = 1).
func TestDeploymentWalkthroughRollover(t *testing.T) {
	d := dep("nginx-deployment", 5, "nginx:1.16.1", generation(2), depAnnotation(rollout.RevisionAnnotation, "1"),
		observed(1, "3/3/3/3/0", cond(appsv1.DeploymentAvailable, corev1.ConditionFalse, rollout.MinimumReplicasUnavailable, minutesAgo(1)),
			progressing(rollout.ReplicaSetUpdatedReason, minutesAgo(1))))
	old := rsFor(d, "nginx-deployment-66b6c48dd5", "nginx:1.14.2", 5, createdAgo(1), pods(3, 3))
	name := newRSName(d)
	wantPlan(t, planFor(t, d, []*appsv1.ReplicaSet{old}),
		"create "+name+" 2 rev=2",
		"  event ScalingReplicaSet Scaled up replica set "+name+" from 0 to 2",
		"status 3/3/3/3/0 Available=False/MinimumReplicasUnavailable Progressing=True/NewReplicaSetCreated",
		"update nginx-deployment-66b6c48dd5 4",
		"  event ScalingReplicaSet Scaled down replica set nginx-deployment-66b6c48dd5 from 5 to 4",
		"status 3/0/3/3/4 Available=False/MinimumReplicasUnavailable Progressing=True/NewReplicaSetCreated")
}

// Recreate strategy: every old pod gone (terminating ones included)
// before the new ReplicaSet exists.
func TestDeploymentRuleRecreate(t *testing.T) {
	d := dep("web", 3, "v2", recreate, generation(2), depAnnotation(rollout.RevisionAnnotation, "1"))
	v1 := func(replicas, podsLeft int32) *appsv1.ReplicaSet {
		return rsFor(d, "web-v1", "v1", replicas, createdAgo(50), pods(podsLeft, podsLeft), replicaAnnotations(3, 3))
	}
	pod := func(name string, phase corev1.PodPhase, deleting bool) *corev1.Pod {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default",
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(v1(0, 0), appsv1.SchemeGroupVersion.WithKind("ReplicaSet"))}}}
		p.Status.Phase = phase
		if deleting {
			p.DeletionTimestamp = &metav1.Time{Time: dnow}
		}
		return p
	}
	waiting := observed(2, "3/0/3/3/0", completeConds()...)
	for _, tc := range []struct {
		name   string
		status depOpt
		rs     *appsv1.ReplicaSet
		pods   []*corev1.Pod
		want   []string
	}{
		{"old scaled to 0 first", observed(1, "3/3/3/3/0", completeConds()...), v1(3, 3), nil, []string{
			"update web-v1 0",
			"  event ScalingReplicaSet Scaled down replica set web-v1 from 3 to 0",
			"status 3/0/3/3/0 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetAvailable",
		}},
		{"its pods still counted", waiting, v1(0, 3), nil, nil},
		{"a terminating pod still counts", observed(2, "0/0/0/0/0", completeConds()...), v1(0, 0), []*corev1.Pod{pod("p1", corev1.PodRunning, true)}, []string{
			"status 0/0/0/0/0 Available=False/MinimumReplicasUnavailable Progressing=True/NewReplicaSetAvailable",
		}},
		{"only finished pods left: the new ReplicaSet, full size", observed(2, "0/0/0/0/0", completeConds()...), v1(0, 0),
			[]*corev1.Pod{pod("p1", corev1.PodSucceeded, false), pod("p2", corev1.PodFailed, true)}, []string{
				"create " + newRSName(d) + " 3 rev=2",
				"  event ScalingReplicaSet Scaled up replica set " + newRSName(d) + " from 0 to 3",
				"status 0/0/0/0/0 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetCreated",
				"status 0/0/0/0/3 Available=False/MinimumReplicasUnavailable Progressing=True/NewReplicaSetCreated",
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := d.DeepCopy()
			tc.status(d)
			wantPlan(t, planFor(t, d, []*appsv1.ReplicaSet{tc.rs}, tc.pods...), tc.want...)
		})
	}
}
