package kubectl

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/rollout"
)

func kcInt32(v int32) *int32 { return &v }

// statusDeployment builds the Deployment of kubectl's
// TestDeploymentStatusViewerStatus (polymorphichelpers/rollout_status_test.go).
func statusDeployment(generation int64, replicas int32, st appsv1.DeploymentStatus) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Namespace: "bar", Name: "foo", UID: "8764ae47-9092-11e4-8393-42010af018ff", Generation: generation},
		Spec:       appsv1.DeploymentSpec{Replicas: &replicas},
		Status:     st,
	}
}

func TestStatus(t *testing.T) {
	progressing := func(reason string) []appsv1.DeploymentCondition {
		return []appsv1.DeploymentCondition{{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse, Reason: reason}}
	}
	withRevision := func(d *appsv1.Deployment, rev string) *appsv1.Deployment {
		d.Annotations = map[string]string{rollout.RevisionAnnotation: rev}
		return d
	}
	for _, tc := range []struct {
		name     string
		d        *appsv1.Deployment
		revision int64
		msg      string
		done     bool
		err      string
	}{
		// updated-replicas, old-replicas, available-replicas, rolled-out and
		// observed-generation: kubectl's TestDeploymentStatusViewerStatus,
		// test1 to test5.
		{name: "updated-replicas: updated below spec.replicas (kubectl test1)", d: statusDeployment(0, 1, appsv1.DeploymentStatus{ObservedGeneration: 1, Replicas: 1, AvailableReplicas: 1}),
			msg: "Waiting for deployment \"foo\" rollout to finish: 0 out of 1 new replicas have been updated...\n"},
		{name: "old-replicas: old replicas pending termination (kubectl test2)", d: statusDeployment(1, 1, appsv1.DeploymentStatus{ObservedGeneration: 1, Replicas: 2, UpdatedReplicas: 1, AvailableReplicas: 2}),
			msg: "Waiting for deployment \"foo\" rollout to finish: 1 old replicas are pending termination...\n"},
		{name: "available-replicas: updated replicas not available (kubectl test3)", d: statusDeployment(1, 2, appsv1.DeploymentStatus{ObservedGeneration: 1, Replicas: 2, UpdatedReplicas: 2, AvailableReplicas: 1, UnavailableReplicas: 1}),
			msg: "Waiting for deployment \"foo\" rollout to finish: 1 of 2 updated replicas are available...\n"},
		{name: "rolled-out: successfully rolled out (kubectl test4)", d: statusDeployment(1, 2, appsv1.DeploymentStatus{ObservedGeneration: 1, Replicas: 2, UpdatedReplicas: 2, AvailableReplicas: 2}),
			msg: "deployment \"foo\" successfully rolled out\n", done: true},
		{name: "observed-generation: spec update not observed (kubectl test5)", d: statusDeployment(2, 2, appsv1.DeploymentStatus{ObservedGeneration: 1, Replicas: 2, UpdatedReplicas: 2, AvailableReplicas: 2}),
			msg: "Waiting for deployment spec update to be observed...\n"},

		// The remaining rules, reasoned from DeploymentStatusViewer.Status.
		{name: "revision-check: revision matches", d: withRevision(statusDeployment(1, 2, appsv1.DeploymentStatus{ObservedGeneration: 1, Replicas: 2, UpdatedReplicas: 2, AvailableReplicas: 2}), "3"),
			revision: 3, msg: "deployment \"foo\" successfully rolled out\n", done: true},
		{name: "revision-check: revision differs", d: withRevision(statusDeployment(1, 2, appsv1.DeploymentStatus{ObservedGeneration: 1}), "2"),
			revision: 3, err: "desired revision (3) is different from the running revision (2)"},
		{name: "revision-check: no revision annotation is revision 0", d: statusDeployment(1, 2, appsv1.DeploymentStatus{ObservedGeneration: 1}),
			revision: 1, err: "desired revision (1) is different from the running revision (0)"},
		{name: "revision-check: unparsable revision", d: withRevision(statusDeployment(1, 2, appsv1.DeploymentStatus{ObservedGeneration: 1}), "x"),
			revision: 1, err: "cannot get the revision of deployment \"foo\": strconv.ParseInt: parsing \"x\": invalid syntax"},
		{name: "revision-check: unparsable revision ignored without --revision", d: withRevision(statusDeployment(2, 2, appsv1.DeploymentStatus{ObservedGeneration: 1}), "x"),
			msg: "Waiting for deployment spec update to be observed...\n"},
		{name: "revision-check: checked before observed-generation", d: withRevision(statusDeployment(2, 2, appsv1.DeploymentStatus{ObservedGeneration: 1}), "1"),
			revision: 2, err: "desired revision (2) is different from the running revision (1)"},
		{name: "deadline-exceeded: an error", d: statusDeployment(1, 3, appsv1.DeploymentStatus{ObservedGeneration: 1, Replicas: 4, UpdatedReplicas: 1, AvailableReplicas: 3, Conditions: progressing(rollout.TimedOutReason)}),
			err: "deployment \"foo\" exceeded its progress deadline"},
		{name: "deadline-exceeded: deadline not reported before the generation is observed", d: statusDeployment(2, 3, appsv1.DeploymentStatus{ObservedGeneration: 1, Conditions: progressing(rollout.TimedOutReason)}),
			msg: "Waiting for deployment spec update to be observed...\n"},
		{name: "deadline-exceeded: only the first Progressing condition counts", d: statusDeployment(1, 1, appsv1.DeploymentStatus{ObservedGeneration: 1, Replicas: 1, UpdatedReplicas: 1, AvailableReplicas: 1,
			Conditions: append(progressing(rollout.ReplicaSetUpdatedReason), progressing(rollout.TimedOutReason)...)}),
			msg: "deployment \"foo\" successfully rolled out\n", done: true},
		{name: "deadline-exceeded: other reasons do not fail", d: statusDeployment(1, 3, appsv1.DeploymentStatus{ObservedGeneration: 1, Replicas: 4, UpdatedReplicas: 1, AvailableReplicas: 3, Conditions: progressing(rollout.ReplicaSetUpdatedReason)}),
			msg: "Waiting for deployment \"foo\" rollout to finish: 1 out of 3 new replicas have been updated...\n"},
		{name: "updated-replicas: nil spec.replicas skips the rule", d: func() *appsv1.Deployment {
			d := statusDeployment(1, 0, appsv1.DeploymentStatus{ObservedGeneration: 1, Replicas: 1, UpdatedReplicas: 1, AvailableReplicas: 1})
			d.Spec.Replicas = nil
			return d
		}(), msg: "deployment \"foo\" successfully rolled out\n", done: true},
		{name: "rolled-out: zero replicas", d: statusDeployment(1, 0, appsv1.DeploymentStatus{ObservedGeneration: 1}),
			msg: "deployment \"foo\" successfully rolled out\n", done: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.d.DeepCopy()
			msg, done, err := Status(tc.d, tc.revision)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if msg != tc.msg || done != tc.done || gotErr != tc.err {
				t.Errorf("Status = %q, %v, %q; want %q, %v, %q", msg, done, gotErr, tc.msg, tc.done, tc.err)
			}
			if !equality.Semantic.DeepEqual(before, tc.d) {
				t.Errorf("Status modified its input")
			}
		})
	}
}

func TestStatusNilDeployment(t *testing.T) {
	if _, done, err := Status(nil, 0); err == nil || done {
		t.Errorf("Status(nil) = done %v, error %v; want an error", done, err)
	}
}

func FuzzStatus(f *testing.F) {
	f.Add("foo", int64(1), int64(1), int32(3), true, int32(4), int32(1), int32(3), "ProgressDeadlineExceeded", "2", int64(0))
	f.Add("", int64(-1), int64(0), int32(-1), false, int32(-5), int32(7), int32(-2), "", "x", int64(5))
	f.Fuzz(func(t *testing.T, name string, generation, observed int64, replicas int32, hasReplicas bool, total, updated, available int32, reason, revision string, wantRevision int64) {
		d := &appsv1.Deployment{
			ObjectMeta: metav1.ObjectMeta{Name: name, Generation: generation, Annotations: map[string]string{rollout.RevisionAnnotation: revision}},
			Status: appsv1.DeploymentStatus{ObservedGeneration: observed, Replicas: total, UpdatedReplicas: updated, AvailableReplicas: available,
				Conditions: []appsv1.DeploymentCondition{{Type: appsv1.DeploymentProgressing, Reason: reason}}},
		}
		if hasReplicas {
			d.Spec.Replicas = &replicas
		}
		before := d.DeepCopy()
		msg, done, err := Status(d, wantRevision)
		if err != nil && (msg != "" || done) {
			t.Errorf("Status returned %q, %v with error %v", msg, done, err)
		}
		if err == nil && msg == "" {
			t.Errorf("Status returned no message and no error")
		}
		if !equality.Semantic.DeepEqual(before, d) {
			t.Errorf("Status modified its input")
		}
	})
}
