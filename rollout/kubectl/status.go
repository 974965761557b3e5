package kubectl

import (
	"errors"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/reckon-k8s/reckon/rollout"
)

// errNilDeployment is what this package's functions return for a nil
// Deployment: kubectl always has one (it reads it from the API server).
var errNilDeployment = errors.New("rollout: nil Deployment")

// Status returns the verdict of `kubectl rollout status deployment/<name>`
// for one observation of d: the message kubectl prints, whether the rollout
// is done (kubectl stops watching and exits 0), or the error that makes
// kubectl exit 1. It is kubectl's DeploymentStatusViewer.Status
// (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go, v0.36), with the
// same wording; every message ends with a newline, errors do not. The rules,
// in order; the first that applies wins:
//
//   - revision-check: with revision > 0 (--revision), d's
//     [rollout.RevisionAnnotation] must parse (`cannot get the revision of
//     deployment "<name>": <parse error>`) and equal revision (`desired
//     revision (<revision>) is different from the running revision (<d's
//     revision>)`). A missing annotation is revision 0.
//   - observed-generation: metadata.generation > status.observedGeneration:
//     "Waiting for deployment spec update to be observed...\n", not done.
//   - deadline-exceeded: the Progressing condition has reason
//     [rollout.TimedOutReason] (ProgressDeadlineExceeded): error
//     `deployment "<name>" exceeded its progress deadline`.
//   - updated-replicas: spec.replicas is set and status.updatedReplicas <
//     spec.replicas: `Waiting for deployment "<name>" rollout to finish:
//     <updated> out of <replicas> new replicas have been updated...` (a nil
//     spec.replicas skips this rule, as kubectl does).
//   - old-replicas: status.replicas > status.updatedReplicas: `...
//     <replicas − updated> old replicas are pending termination...`.
//   - available-replicas: status.availableReplicas <
//     status.updatedReplicas: `... <available> of <updated> updated
//     replicas are available...`.
//   - rolled-out: otherwise `deployment "<name>" successfully rolled out`
//     and done.
//
// A timed-out rollout is reported only once the controller has observed
// the current generation, exactly as kubectl does. Status reads d only.
// A nil d is an error (kubectl always has a Deployment).
func Status(d *appsv1.Deployment, revision int64) (message string, done bool, err error) {
	if d == nil {
		return "", false, errNilDeployment
	}
	if revision > 0 {
		running, err := rollout.Revision(d)
		if err != nil {
			return "", false, fmt.Errorf("cannot get the revision of deployment %q: %v", d.Name, err)
		}
		if revision != running {
			return "", false, fmt.Errorf("desired revision (%d) is different from the running revision (%d)", revision, running)
		}
	}
	if d.Generation > d.Status.ObservedGeneration {
		return "Waiting for deployment spec update to be observed...\n", false, nil
	}
	if c := rollout.GetCondition(d.Status, appsv1.DeploymentProgressing); c != nil && c.Reason == rollout.TimedOutReason {
		return "", false, fmt.Errorf("deployment %q exceeded its progress deadline", d.Name)
	}
	st := &d.Status
	switch {
	case d.Spec.Replicas != nil && st.UpdatedReplicas < *d.Spec.Replicas:
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d out of %d new replicas have been updated...\n",
			d.Name, st.UpdatedReplicas, *d.Spec.Replicas), false, nil
	case st.Replicas > st.UpdatedReplicas:
		// int32 subtraction, wrapping like kubectl's on absurd values.
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d old replicas are pending termination...\n",
			d.Name, st.Replicas-st.UpdatedReplicas), false, nil
	case st.AvailableReplicas < st.UpdatedReplicas:
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d of %d updated replicas are available...\n",
			d.Name, st.AvailableReplicas, st.UpdatedReplicas), false, nil
	}
	return fmt.Sprintf("deployment %q successfully rolled out\n", d.Name), true, nil
}
