package kubectl

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/reckon-k8s/reckon/rollout"
)

// Undo returns d as `kubectl rollout undo deployment/<name>
// [--to-revision=<toRevision>]` leaves it: kubectl's DeploymentRollbacker
// (k8s.io/kubectl/pkg/polymorphichelpers/rollback.go, v0.36), which sends a
// JSON patch replacing spec.template and metadata.annotations. replicaSets is
// what the caller observed in d's namespace; of those, only the ReplicaSets
// of the package rule owned-replica-sets are considered. The rules, in
// order, the first failing one ending the call:
//
//   - negative-revision: toRevision < 0 is the error "unable to find
//     specified revision <toRevision> in history". Then an invalid
//     spec.selector is an error naming the field.
//   - undo-target: the target ReplicaSet: with toRevision > 0, the first
//     ReplicaSet whose [rollout.RevisionAnnotation] equals it, old
//     ReplicaSets oldest first and the current one last (the error of
//     negative-revision if none); with toRevision 0, the one holding the
//     second highest revision in that walk, where a revision equal to the
//     highest counts as second ("no rollout history found for deployment
//     \"<name>\"" if there is no second). ReplicaSets whose revision does
//     not parse are skipped; no annotation is revision 0.
//   - paused-refused: a paused d is the error "you cannot rollback a paused
//     deployment; resume it first with 'kubectl rollout resume' and try
//     again" (checked after the target is found, as kubectl does).
//   - same-template: the target's template equals d's ignoring the
//     pod-template-hash label ([rollout.EqualIgnoreHash]): nothing is sent.
//     Undo returns a deep copy of d and skipped = true; kubectl prints
//     "skipped rollback (current template already matches revision
//     <toRevision>)", with the revision as given on the command line (0 by
//     default).
//   - rollback-patch: otherwise the result is a deep copy of d with
//     spec.template replaced by the target's template without its
//     pod-template-hash label, and annotations replaced by d's annotations
//     in the skip list ([rollout.SkipCopyAnnotation]:
//     kubectl.kubernetes.io/last-applied-configuration,
//     deployment.kubernetes.io/revision, revision-history, desired-replicas,
//     max-replicas, deprecated.deployment.rollback.to) plus the target's
//     annotations outside it. kubectl prints "rolled back".
//
// The result equals the object the API server stores under
// equality.Semantic.DeepEqual (an emptied label or annotation map is nil,
// as after the JSON round trip). What the API server adds on its own is
// left to the caller: the metadata.generation bump of a spec or annotation
// change (deployment strategy PrepareForUpdate), defaulting and validation
// (a ReplicaSet template that no longer matches spec.selector is rejected
// there). The controller then treats the change like any template
// change: the target becomes the new ReplicaSet and gets the next revision.
//
// A nil d is an error. The inputs are never modified and the result shares
// no memory with them.
func Undo(d *appsv1.Deployment, replicaSets []*appsv1.ReplicaSet, toRevision int64) (undone *appsv1.Deployment, skipped bool, err error) {
	if toRevision < 0 {
		return nil, false, revisionNotFoundError(toRevision)
	}
	if d == nil {
		return nil, false, errNilDeployment
	}
	rss, _, err := ownedReplicaSets(d, replicaSets)
	if err != nil {
		return nil, false, fmt.Errorf("failed to retrieve replica sets from deployment %s: %w", d.Name, err)
	}
	target, err := undoTarget(d, rss, toRevision)
	if err != nil {
		return nil, false, err
	}
	if d.Spec.Paused {
		return nil, false, fmt.Errorf("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again")
	}
	if rollout.EqualIgnoreHash(&target.Spec.Template, &d.Spec.Template) {
		return d.DeepCopy(), true, nil
	}

	out := d.DeepCopy()
	target.Spec.Template.DeepCopyInto(&out.Spec.Template)
	delete(out.Spec.Template.Labels, rollout.PodTemplateHashLabel)
	if len(out.Spec.Template.Labels) == 0 {
		out.Spec.Template.Labels = nil
	}
	var annotations map[string]string
	set := func(k, v string) {
		if annotations == nil {
			annotations = make(map[string]string)
		}
		annotations[k] = v
	}
	for k, v := range d.Annotations {
		if rollout.SkipCopyAnnotation(k) {
			set(k, v)
		}
	}
	for k, v := range target.Annotations {
		if !rollout.SkipCopyAnnotation(k) {
			set(k, v)
		}
	}
	out.Annotations = annotations
	return out, false, nil
}

// undoTarget picks the ReplicaSet to roll back to from rss, walked in
// ownedReplicaSets order (kubectl's deploymentRevision).
func undoTarget(d *appsv1.Deployment, rss []*appsv1.ReplicaSet, toRevision int64) (*appsv1.ReplicaSet, error) {
	var latest, previous *appsv1.ReplicaSet
	latestRev, previousRev := int64(-1), int64(-1)
	for _, rs := range rss {
		v, err := rollout.Revision(rs)
		if err != nil {
			continue
		}
		switch {
		case toRevision > 0:
			if v == toRevision {
				return rs, nil
			}
		case latestRev < v:
			previous, previousRev = latest, latestRev
			latest, latestRev = rs, v
		case previousRev < v:
			previous, previousRev = rs, v
		}
	}
	if toRevision > 0 {
		return nil, revisionNotFoundError(toRevision)
	}
	if previous == nil {
		return nil, fmt.Errorf("no rollout history found for deployment %q", d.Name)
	}
	return previous, nil
}

func revisionNotFoundError(r int64) error {
	return fmt.Errorf("unable to find specified revision %v in history", r)
}
