package workload_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/reckon-k8s/reckon/rollout"
	"github.com/reckon-k8s/reckon/workload"
	"github.com/reckon-k8s/reckon/workload/workloadtest"
)

// The expectations in this file are reasoned from the upstream source
// (pkg/controller/deployment, v1.36.3): each case names the upstream
// function that decides it and the rule of PlanDeployment's doc comment.
// They were also cross-checked by running the upstream controller on the
// same inputs (internal/conformance/deploymentconf).

// planFor plans one sync of d with the ReplicaSets rss and the pods ps (none
// is an empty list, not an unknown one) and checks the plan is well formed.
func planFor(t *testing.T, d *appsv1.Deployment, rss []*appsv1.ReplicaSet, ps ...*corev1.Pod) workload.Plan {
	t.Helper()
	ps = append([]*corev1.Pod{}, ps...)
	p, err := workload.PlanDeployment(d, workload.DeploymentState{ReplicaSets: rss, Pods: ps}, dnow)
	if err != nil {
		t.Fatalf("PlanDeployment: %v", err)
	}
	requireWellFormed(t, p, observedOf(d, rss, ps))
	return p
}

func wantPlan(t *testing.T, p workload.Plan, want ...string) {
	t.Helper()
	if diff := cmp.Diff(want, describe(p)); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
}

// Conditions as the controller leaves a completed rollout.
func completeConds() []appsv1.DeploymentCondition {
	return []appsv1.DeploymentCondition{availableTrue(), progressing(rollout.NewRSAvailableReason, minutesAgo(30))}
}

// steady is web, 3 replicas of v1, rolled out and observed.
func steady(opts ...depOpt) (*appsv1.Deployment, *appsv1.ReplicaSet) {
	d := dep("web", 3, "v1", append([]depOpt{depAnnotation(rollout.RevisionAnnotation, "1"), observed(1, "3/3/3/3/0", completeConds()...)}, opts...)...)
	return d, rsFor(d, "web-v1", "v1", 3, replicaAnnotations(3, 4))
}

// status: nothing changed, nothing written, no timed recheck once complete
// (syncRolloutStatus skips an equal status; requeueStuckDeployment skips a
// complete rollout).
func TestDeploymentRuleStatusSteadyStateWritesNothing(t *testing.T) {
	d, rs := steady()
	p := planFor(t, d, []*appsv1.ReplicaSet{rs})
	wantPlan(t, p)
	if len(p.Steps) != 0 || p.Requeue != (workload.Requeue{}) {
		t.Errorf("plan = %+v", p)
	}
}

// selecting-all: syncDeployment's SelectingAll check comes before
// everything else; the warning is recorded before the status write, with
// no write of its own.
func TestDeploymentRuleSelectingAll(t *testing.T) {
	d := dep("web", 3, "v1", generation(2), observed(1, "3/3/3/3/0"))
	d.Spec.Selector = &metav1.LabelSelector{}
	p := planFor(t, d, nil)
	wantPlan(t, p, "event SelectingAll This deployment is selecting all pods. A non-empty selector is required.", "status 3/3/3/3/0 ")
	if statusWrites(p)[0].Status.ObservedGeneration != 2 || p.Steps[0].Events[0].Type != corev1.EventTypeWarning {
		t.Errorf("plan = %+v", p)
	}
	d.Status.ObservedGeneration = 2
	p = planFor(t, d, nil)
	wantPlan(t, p, "event SelectingAll This deployment is selecting all pods. A non-empty selector is required.")
	if len(p.Writes()) != 0 {
		t.Errorf("writes %v", p.Writes())
	}
}

// claim: getReplicaSetsForDeployment claims with ClaimReplicaSets.
func TestDeploymentRuleClaim(t *testing.T) {
	d, v1 := steady()
	orphan := rsFor(d, "web-orphan", "v0", 0)
	orphan.OwnerReferences = nil
	delete(orphan.Annotations, rollout.RevisionAnnotation) // revision 0: no bump for web-v1
	strayed := rsFor(d, "web-strayed", "v0", 0)
	strayed.Labels = map[string]string{"app": "other"}
	others := rsFor(d, "web-others", "v0", 0)
	others.OwnerReferences[0].UID = "someone-else"
	elsewhere := rsFor(d, "web-elsewhere", "v0", 0)
	elsewhere.Namespace, elsewhere.OwnerReferences = "other", nil
	p := planFor(t, d, []*appsv1.ReplicaSet{strayed, v1, others, elsewhere, orphan})
	wantPlan(t, p, "adopt web-orphan", "release web-strayed")
	if len(p.Steps) != 1 {
		t.Errorf("the claim's patches are one step: %d steps", len(p.Steps))
	}
	var adopt struct {
		Metadata struct {
			OwnerReferences []metav1.OwnerReference `json:"ownerReferences"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(p.Writes()[0].PatchData, &adopt); err != nil {
		t.Fatal(err)
	}
	if want := []metav1.OwnerReference{*metav1.NewControllerRef(d, appsv1.SchemeGroupVersion.WithKind("Deployment"))}; !cmp.Equal(adopt.Metadata.OwnerReferences, want) {
		t.Errorf("adopt owner = %+v", adopt.Metadata.OwnerReferences)
	}
}

// deleting: a Deployment being deleted goes through syncStatusOnly: status,
// nothing else, no adoption.
func TestDeploymentRuleDeletingOnlySyncsStatus(t *testing.T) {
	d, v1 := steady(generation(2), func(d *appsv1.Deployment) {
		d.Spec.Template.Spec.Containers[0].Image = "v2"
		d.DeletionTimestamp = &metav1.Time{Time: dnow}
	})
	orphan := rsFor(d, "web-orphan", "v0", 0)
	orphan.OwnerReferences = nil
	wantPlan(t, planFor(t, d, []*appsv1.ReplicaSet{v1, orphan}),
		"status 3/0/3/3/0 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetAvailable")
}

// pause-condition: checkPausedConditions.
func TestDeploymentRulePauseCondition(t *testing.T) {
	t.Run("pause", func(t *testing.T) {
		d, v1 := steady(paused, generation(2))
		p := planFor(t, d, []*appsv1.ReplicaSet{v1})
		wantPlan(t, p,
			"status 3/3/3/3/0 Available=True/MinimumReplicasAvailable Progressing=Unknown/DeploymentPaused",
			"status 3/3/3/3/0 Available=True/MinimumReplicasAvailable Progressing=Unknown/DeploymentPaused")
		c := rollout.GetCondition(lastStatus(p, d), appsv1.DeploymentProgressing)
		if c.Message != "Deployment is paused" || !c.LastUpdateTime.Time.Equal(dnow) || !c.LastTransitionTime.Time.Equal(dnow) {
			t.Errorf("condition %+v", c)
		}
	})
	t.Run("resume", func(t *testing.T) {
		then := minutesAgo(20)
		d, v1 := steady(generation(3), observed(3, "3/3/3/3/0", availableTrue(),
			cond(appsv1.DeploymentProgressing, corev1.ConditionUnknown, rollout.PausedDeployReason, then)))
		p := planFor(t, d, []*appsv1.ReplicaSet{v1})
		wantPlan(t, p,
			"status 3/3/3/3/0 Available=True/MinimumReplicasAvailable Progressing=Unknown/DeploymentResumed",
			"status 3/3/3/3/0 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetAvailable")
		resumed := rollout.GetCondition(statusWrites(p)[0].Status, appsv1.DeploymentProgressing)
		if resumed.Message != "Deployment is resumed" || !resumed.LastUpdateTime.Time.Equal(dnow) || !resumed.LastTransitionTime.Equal(&then) {
			t.Errorf("resumed condition %+v: the deadline clock restarts, the transition is kept", resumed)
		}
	})
	t.Run("a timed-out rollout stays timed out", func(t *testing.T) {
		d, v1 := steady(paused, observed(1, "3/3/3/3/0", availableTrue(),
			cond(appsv1.DeploymentProgressing, corev1.ConditionFalse, rollout.TimedOutReason, minutesAgo(5))))
		wantPlan(t, planFor(t, d, []*appsv1.ReplicaSet{v1}))
	})
	t.Run("no deadline, no paused condition", func(t *testing.T) {
		d, v1 := steady(paused, func(d *appsv1.Deployment) { d.Spec.ProgressDeadlineSeconds = new(int32(1<<31 - 1)) })
		wantPlan(t, planFor(t, d, []*appsv1.ReplicaSet{v1}))
	})
}

// paused: paused Deployments go through sync: proportional scaling and
// history cleanup, never a new ReplicaSet.
func TestDeploymentRulePaused(t *testing.T) {
	t.Run("no new ReplicaSet", func(t *testing.T) {
		d, v1 := steady(paused, generation(2), func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = "v2" })
		p := planFor(t, d, []*appsv1.ReplicaSet{v1})
		wantPlan(t, p,
			"status 3/3/3/3/0 Available=True/MinimumReplicasAvailable Progressing=Unknown/DeploymentPaused",
			"status 3/0/3/3/0 Available=True/MinimumReplicasAvailable Progressing=Unknown/DeploymentPaused")
	})
	t.Run("scaled proportionally, history cleaned up", func(t *testing.T) {
		d := dep("web", 15, "bad", paused, generation(4), withFenceposts(intstr.FromInt32(3), intstr.FromInt32(2)),
			depAnnotation(rollout.RevisionAnnotation, "3"), func(d *appsv1.Deployment) { d.Spec.RevisionHistoryLimit = new(int32(1)) },
			observed(3, "13/5/8/8/5", availableTrue(), cond(appsv1.DeploymentProgressing, corev1.ConditionUnknown, rollout.PausedDeployReason, minutesAgo(2))))
		ancient := rsFor(d, "web-ancient", "v0", 0, rev(1), createdAgo(100), replicaAnnotations(10, 13))
		old := rsFor(d, "web-old", "good", 8, rev(2), replicaAnnotations(10, 13))
		bad := rsFor(d, "web-new", "bad", 5, rev(3), createdAgo(5), pods(5, 0), replicaAnnotations(10, 13))
		wantPlan(t, planFor(t, d, []*appsv1.ReplicaSet{bad, ancient, old}),
			"update web-old 11",
			"  event ScalingReplicaSet Scaled up replica set web-old from 8 to 11",
			"update web-new 7",
			"  event ScalingReplicaSet Scaled up replica set web-new from 5 to 7",
			"delete web-ancient",
			"status 13/5/8/8/5 Available=False/MinimumReplicasUnavailable Progressing=Unknown/DeploymentPaused")
	})
}

// rollback: rollback and rollbackToTemplate for the legacy annotation. The
// DeploymentRollback event follows the update that performs the rollback
// (emitted only when it succeeded); the warnings are recorded before the
// update that clears the annotation.
func TestDeploymentRuleRollback(t *testing.T) {
	setup := func(to string) (*appsv1.Deployment, []*appsv1.ReplicaSet) {
		d := dep("web", 3, "v2", generation(3), observed(3, "3/3/3/3/0", completeConds()...),
			depAnnotation(rollout.RevisionAnnotation, "2"), depAnnotation(rollout.ChangeCauseAnnotation, "v2"),
			depAnnotation(corev1.LastAppliedConfigAnnotation, "{}"), depAnnotation(rollout.RollbackToAnnotation, to))
		v1 := rsFor(d, "web-v1", "v1", 0, rev(1), createdAgo(90), rsAnnotation(rollout.ChangeCauseAnnotation, "v1"))
		v2 := rsFor(d, "web-v2", "v2", 3, rev(2), rsAnnotation(rollout.ChangeCauseAnnotation, "v2"))
		return d, []*appsv1.ReplicaSet{v1, v2}
	}
	t.Run("to the previous revision", func(t *testing.T) {
		d, rss := setup("0")
		p := planFor(t, d, rss)
		wantPlan(t, p, "update deployment", `  event DeploymentRollback Rolled back deployment "web" to revision 1`)
		w := p.Writes()[0]
		if w.Verb != workload.Update || w.Precondition.ResourceVersion != d.ResourceVersion {
			t.Errorf("write %v", w)
		}
		got := w.Object.(*appsv1.Deployment)
		want := d.DeepCopy()
		want.Spec.Template.Spec.Containers[0].Image = "v1"
		want.Annotations = map[string]string{
			rollout.RevisionAnnotation:         "2",
			corev1.LastAppliedConfigAnnotation: "{}",
			rollout.ChangeCauseAnnotation:      "v1",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("rolled back Deployment (-want +got):\n%s", diff)
		}
	})
	t.Run("unknown revision", func(t *testing.T) {
		d, rss := setup("9")
		p := planFor(t, d, rss)
		wantPlan(t, p, "event DeploymentRollbackRevisionNotFound Unable to find the revision to rollback to.", "update deployment")
		if got := p.Writes()[0].Object.(*appsv1.Deployment); got.Annotations[rollout.RollbackToAnnotation] != "" || got.Spec.Template.Spec.Containers[0].Image != "v2" {
			t.Errorf("Deployment %+v", got.ObjectMeta)
		}
		if p.Steps[0].Events[0].Type != corev1.EventTypeWarning {
			t.Error("not a warning")
		}
	})
	t.Run("same template", func(t *testing.T) {
		d, rss := setup("2")
		wantPlan(t, planFor(t, d, rss),
			`event DeploymentRollbackTemplateUnchanged The rollback revision contains the same template as current deployment "web"`,
			"update deployment")
	})
	t.Run("no previous revision", func(t *testing.T) {
		d, rss := setup("0")
		wantPlan(t, planFor(t, d, rss[1:]), "event DeploymentRollbackRevisionNotFound Unable to find last revision.", "update deployment")
	})
	t.Run("unparsable annotation is ignored", func(t *testing.T) {
		d, rss := setup("x")
		wantPlan(t, planFor(t, d, rss))
	})
}

// scaling-event: isScalingEvent sends a replicas change through sync, even
// when the template changed too: no new ReplicaSet in that sync.
func TestDeploymentRuleScalingEventBeforeRollout(t *testing.T) {
	d, v1 := steady(generation(2), func(d *appsv1.Deployment) {
		d.Spec.Replicas = new(int32(5))
		d.Spec.Template.Spec.Containers[0].Image = "v2"
	})
	p := planFor(t, d, []*appsv1.ReplicaSet{v1})
	wantPlan(t, p,
		"update web-v1 5",
		"  event ScalingReplicaSet Scaled up replica set web-v1 from 3 to 5",
		"status 3/0/3/3/0 Available=False/MinimumReplicasUnavailable Progressing=True/NewReplicaSetAvailable")
	rs := p.Writes()[0].Object.(*appsv1.ReplicaSet)
	if rs.Annotations[rollout.DesiredReplicasAnnotation] != "5" || rs.Annotations[rollout.MaxReplicasAnnotation] != "7" {
		t.Errorf("annotations %v", rs.Annotations)
	}
}

// scale: a saturated new ReplicaSet ends the old ones (IsSaturated).
func TestDeploymentRuleScaleSaturatedNewEndsOld(t *testing.T) {
	d := dep("web", 3, "v2", generation(2), depAnnotation(rollout.RevisionAnnotation, "2"), observed(2, "3/3/3/3/0", completeConds()...))
	v1 := rsFor(d, "web-v1", "v1", 2, rev(1), createdAgo(90), replicaAnnotations(5, 7))
	v2 := rsFor(d, "web-v2", "v2", 3, rev(2))
	wantPlan(t, planFor(t, d, []*appsv1.ReplicaSet{v1, v2}),
		"update web-v1 0",
		"  event ScalingReplicaSet Scaled down replica set web-v1 from 2 to 0",
		"status 5/3/5/5/0 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetAvailable")
}

// rolling: rolloutRolling cleans up history once the stored status says
// complete (cleanupDeployment).
func TestDeploymentRuleRollingHistoryCleanupWhenComplete(t *testing.T) {
	d, _ := steady(depAnnotation(rollout.RevisionAnnotation, "4"), func(d *appsv1.Deployment) { d.Spec.RevisionHistoryLimit = new(int32(2)) })
	v1 := rsFor(d, "web-v1", "v1", 3, rev(4))
	var rss []*appsv1.ReplicaSet
	for i, img := range []string{"r1", "r2", "r3"} {
		rss = append(rss, rsFor(d, "web-"+img, img, 0, rev(i+1), createdAgo(90-i)))
	}
	p := planFor(t, d, append(rss, v1))
	wantPlan(t, p, "delete web-r1")
	if w := p.Writes()[0]; w.Target.UID != rss[0].UID || w.Propagation != "" || len(w.OnError.Ignore) != 1 || w.OnError.Ignore[0] != workload.NotFound {
		t.Errorf("cleanup delete %+v", w)
	}

	d.Status.AvailableReplicas = 2 // not complete: no cleanup
	if p := planFor(t, d, append(rss, v1)); len(p.Writes()) != 1 || p.Writes()[0].Verb != workload.UpdateStatus {
		t.Errorf("incomplete rollout: %v", describe(p))
	}
}

// new-replicaset: getNewReplicaSet syncs the existing new ReplicaSet first;
// an update ends that step, and upstream repeats it (isScalingEvent, then
// the rollout) from the same stale copy: both writes carry the observed
// resourceVersion, and a real API server refuses the second.
func TestDeploymentRuleNewReplicaSet(t *testing.T) {
	t.Run("copies the Deployment's annotations", func(t *testing.T) {
		d, v1 := steady(depAnnotation(rollout.ChangeCauseAnnotation, "v1"), depAnnotation(corev1.LastAppliedConfigAnnotation, "{}"))
		p := planFor(t, d, []*appsv1.ReplicaSet{v1})
		wantPlan(t, p, "update web-v1 3", "update web-v1 3")
		a := p.Writes()[0].Object.(*appsv1.ReplicaSet).Annotations
		if a[rollout.ChangeCauseAnnotation] != "v1" || a[corev1.LastAppliedConfigAnnotation] != "" {
			t.Errorf("annotations %v", a)
		}
		for _, w := range p.Writes() {
			if w.Precondition.ResourceVersion != v1.ResourceVersion || w.Precondition.FromPrevious {
				t.Errorf("%v: not from the observed copy", w)
			}
		}
	})
	t.Run("minReadySeconds", func(t *testing.T) {
		d, v1 := steady(func(d *appsv1.Deployment) { d.Spec.MinReadySeconds = 5 })
		p := planFor(t, d, []*appsv1.ReplicaSet{v1})
		wantPlan(t, p, "update web-v1 3", "update web-v1 3")
		if p.Writes()[0].Object.(*appsv1.ReplicaSet).Spec.MinReadySeconds != 5 {
			t.Error("minReadySeconds not copied")
		}
	})
	t.Run("re-used template gets the next revision and a history", func(t *testing.T) {
		d := dep("web", 3, "v1", generation(3), depAnnotation(rollout.RevisionAnnotation, "2"), observed(2, "3/3/3/3/0", completeConds()...))
		v1 := rsFor(d, "web-v1", "v1", 0, rev(1), createdAgo(90))
		v2 := rsFor(d, "web-v2", "v2", 3, rev(2))
		p := planFor(t, d, []*appsv1.ReplicaSet{v1, v2})
		wantPlan(t, p,
			"update web-v1 0",
			"update web-v1 0",
			"update web-v1 1 (from previous)",
			"  event ScalingReplicaSet Scaled up replica set web-v1 from 0 to 1",
			"status 3/0/3/3/0 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetAvailable")
		a := p.Writes()[2].Object.(*appsv1.ReplicaSet).Annotations
		if a[rollout.RevisionAnnotation] != "3" || a[rollout.RevisionHistoryAnnotation] != "1" {
			t.Errorf("annotations %v", a)
		}
		if got := statusWrites(p)[0].Annotations[rollout.RevisionAnnotation]; got != "2" {
			t.Errorf("Deployment revision %q: follows only once the ReplicaSet is synced", got)
		}
	})
	t.Run("revision history stays within 2000 characters", func(t *testing.T) {
		d := dep("web", 3, "v1", generation(3), depAnnotation(rollout.RevisionAnnotation, "2"), observed(2, "3/3/3/3/0", completeConds()...))
		var hist []string
		for i := 1000; i < 1400; i++ { // 400 entries, 1999 characters
			hist = append(hist, strconv.Itoa(i))
		}
		v1 := rsFor(d, "web-v1", "v1", 0, rev(1), createdAgo(90), rsAnnotation(rollout.RevisionHistoryAnnotation, strings.Join(hist, ",")))
		v2 := rsFor(d, "web-v2", "v2", 3, rev(2))
		p := planFor(t, d, []*appsv1.ReplicaSet{v1, v2})
		got := p.Writes()[0].Object.(*appsv1.ReplicaSet).Annotations[rollout.RevisionHistoryAnnotation]
		if want := strings.Join(append(hist[1:], "1"), ","); got != want {
			t.Errorf("history starts %q…, %d characters", got[:20], len(got))
		}
	})
	t.Run("revision and FoundNewReplicaSet", func(t *testing.T) {
		d, v1 := steady(func(d *appsv1.Deployment) {
			d.Annotations = nil
			d.Status.Conditions = []appsv1.DeploymentCondition{availableTrue()}
		})
		p := planFor(t, d, []*appsv1.ReplicaSet{v1})
		wantPlan(t, p,
			"status 3/3/3/3/0 Available=True/MinimumReplicasAvailable Progressing=True/FoundNewReplicaSet",
			"status 3/3/3/3/0 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetAvailable")
		for _, sent := range statusWrites(p) {
			if !cmp.Equal(sent.Annotations, map[string]string{rollout.RevisionAnnotation: "1"}) {
				t.Errorf("annotations sent %v", sent.Annotations)
			}
		}
		if c := rollout.GetCondition(statusWrites(p)[0].Status, appsv1.DeploymentProgressing); c.Message != `Found new replica set "web-v1"` {
			t.Errorf("message %q", c.Message)
		}
	})
}

// create: getNewReplicaSet creates the new ReplicaSet.
func TestDeploymentRuleCreate(t *testing.T) {
	t.Run("the object", func(t *testing.T) {
		d, v1 := steady(generation(2), depAnnotation(rollout.ChangeCauseAnnotation, "to v2"), depAnnotation(corev1.LastAppliedConfigAnnotation, "{}"),
			func(d *appsv1.Deployment) {
				d.Spec.Template.Spec.Containers[0].Image = "v2"
				d.Spec.MinReadySeconds = 3
			})
		v1.Annotations[rollout.ChangeCauseAnnotation] = "to v2" // keeps the old ReplicaSet in sync
		v1.Spec.MinReadySeconds = 3
		p := planFor(t, d, []*appsv1.ReplicaSet{v1})
		name := newRSName(d)
		hash := strings.TrimPrefix(name, "web-")
		create := p.Writes()[0]
		if want := (workload.Target{Resource: appsv1.SchemeGroupVersion.WithResource("replicasets"), Namespace: "default", Name: name}); create.Verb != workload.Create || create.Target != want {
			t.Errorf("create %v, target %+v", create.Verb, create.Target)
		}
		if want := []workload.Event{{Type: corev1.EventTypeNormal, Reason: "ScalingReplicaSet", Message: "Scaled up replica set " + name + " from 0 to 1"}}; !cmp.Equal(create.Events, want) {
			t.Errorf("create events %v", create.Events)
		}
		rs := create.Object.(*appsv1.ReplicaSet)
		template := d.Spec.Template.DeepCopy()
		template.Labels = map[string]string{"app": "web", rollout.PodTemplateHashLabel: hash}
		want := &appsv1.ReplicaSet{
			ObjectMeta: metav1.ObjectMeta{
				Name: name, Namespace: "default",
				Labels: map[string]string{"app": "web", rollout.PodTemplateHashLabel: hash},
				Annotations: map[string]string{
					rollout.RevisionAnnotation: "2", rollout.DesiredReplicasAnnotation: "3", rollout.MaxReplicasAnnotation: "4",
					rollout.ChangeCauseAnnotation: "to v2",
				},
				OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(d, appsv1.SchemeGroupVersion.WithKind("Deployment"))},
			},
			Spec: appsv1.ReplicaSetSpec{
				Replicas:        new(int32(1)),
				MinReadySeconds: 3,
				Selector:        &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web", rollout.PodTemplateHashLabel: hash}},
				Template:        *template,
			},
		}
		if diff := cmp.Diff(want, rs); diff != "" {
			t.Errorf("created ReplicaSet (-want +got):\n%s", diff)
		}
		if c := rollout.GetCondition(lastStatus(p, d), appsv1.DeploymentProgressing); c.Message != `Created new replica set "`+name+`"` {
			t.Errorf("message %q", c.Message)
		}
		if got := statusWrites(p)[0].Annotations[rollout.RevisionAnnotation]; got != "2" {
			t.Errorf("Deployment revision %q", got)
		}
	})
	t.Run("long names are cut to fit 253 characters", func(t *testing.T) {
		long := strings.Repeat("a", 250)
		d := dep(long, 1, "v1")
		d.Spec.Selector.MatchLabels = map[string]string{"app": "web"}
		d.Spec.Template.Labels = map[string]string{"app": "web"}
		p := planFor(t, d, nil)
		name := p.Writes()[0].Object.GetName()
		hash := rollout.TemplateHash(&d.Spec.Template, nil)
		if want := long[:253-1-len(hash)] + "-" + hash; name != want {
			t.Errorf("name %q (%d), want %q", name, len(name), want)
		}
	})
	t.Run("hash collision bumps collisionCount and stops", func(t *testing.T) {
		d, v1 := steady(generation(2), func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = "v2" })
		squatter := rsFor(d, newRSName(d), "something-else", 0, createdAgo(5))
		p := planFor(t, d, []*appsv1.ReplicaSet{v1, squatter})
		// Upstream still sends the create; the API server's AlreadyExists
		// sends it to the collision path, which is the create's fallback.
		wantPlan(t, p, "create "+newRSName(d)+" 1 rev=2")
		c := workloadtest.New(d.CreationTimestamp.Time)
		for _, obj := range []workload.Object{d, v1, squatter} {
			if err := c.Add(obj); err != nil {
				t.Fatal(err)
			}
		}
		res := c.ApplyPlan(d, p).Result
		st := c.Deployment(d.Name).Status
		if !apierrors.IsAlreadyExists(res.Err) || st.CollisionCount == nil || *st.CollisionCount != 1 || res.Requeue != (workload.Requeue{RateLimited: true}) {
			t.Errorf("sync ended with %v, collisionCount %v, requeue %+v", res.Err, st.CollisionCount, res.Requeue)
		}
		d.Status.CollisionCount = st.CollisionCount
		p = planFor(t, d, []*appsv1.ReplicaSet{v1, squatter})
		if got := p.Writes()[0].Object.GetName(); got == squatter.Name || got != newRSName(d) {
			t.Errorf("after the bump: %s", got)
		}
	})
	t.Run("an existing one of ours is taken as created", func(t *testing.T) {
		d, v1 := steady(generation(2), depAnnotation(rollout.RevisionAnnotation, "1"), func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = "v2" })
		name := newRSName(d)
		mine := rsFor(d, name, "v2", 0, createdAgo(1), rev(2))
		mine.Labels = map[string]string{"app": "relabelled"} // released, so not claimed, but still in the cache
		p := planFor(t, d, []*appsv1.ReplicaSet{v1, mine})
		wantPlan(t, p,
			"release "+name,
			"create "+name+" 1 rev=2", // refused with AlreadyExists, which upstream then takes as created
			"status 3/3/3/3/0 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetAvailable",
			"update "+name+" 1",
			"  event ScalingReplicaSet Scaled up replica set "+name+" from 0 to 1",
			"status 3/0/3/3/0 Available=True/MinimumReplicasAvailable Progressing=True/NewReplicaSetAvailable")
	})
}

// status: requeueStuckDeployment and DeploymentTimedOut.
func TestDeploymentRuleStatusProgressDeadline(t *testing.T) {
	// Stuck: the new ReplicaSet's pod never becomes available; the stored
	// status is what this sync computes, so only the deadline matters.
	stuck := func(lastProgress time.Time) (*appsv1.Deployment, []*appsv1.ReplicaSet) {
		d := dep("web", 3, "bad", generation(2), depAnnotation(rollout.RevisionAnnotation, "2"),
			observed(2, "4/1/3/3/1", availableTrue(), progressing(rollout.ReplicaSetUpdatedReason, metav1.NewTime(lastProgress))))
		return d, []*appsv1.ReplicaSet{
			rsFor(d, "web-good", "good", 3, createdAgo(90)),
			rsFor(d, "web-bad", "bad", 1, rev(2), pods(1, 0)),
		}
	}
	for _, tc := range []struct {
		name         string
		lastProgress time.Time
		requeue      workload.Requeue
		timedOut     bool
	}{
		{"time left: remaining + 1s", dnow.Add(-3 * time.Minute), workload.Requeue{After: 7*time.Minute + time.Second}, false},
		{"under a second left: at once", dnow.Add(-600*time.Second + 500*time.Millisecond), workload.Requeue{RateLimited: true}, false},
		{"exactly at the deadline: not timed out, at once", dnow.Add(-600 * time.Second), workload.Requeue{RateLimited: true}, false},
		{"past the deadline: timed out", dnow.Add(-600*time.Second - 1), workload.Requeue{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, rss := stuck(tc.lastProgress)
			p := planFor(t, d, rss)
			if p.Requeue != tc.requeue || (len(statusWrites(p)) > 0) != tc.timedOut {
				t.Fatalf("plan %v, requeue %+v", describe(p), p.Requeue)
			}
			if tc.timedOut {
				wantPlan(t, p, "status 4/1/3/3/1 Available=True/MinimumReplicasAvailable Progressing=False/ProgressDeadlineExceeded")
				if c := rollout.GetCondition(lastStatus(p, d), appsv1.DeploymentProgressing); c.Message != `ReplicaSet "web-bad" has timed out progressing.` {
					t.Errorf("message %q", c.Message)
				}
			}
		})
	}
}
