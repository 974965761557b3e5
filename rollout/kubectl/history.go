package kubectl

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/reckon-k8s/reckon/rollout"
	"github.com/reckon-k8s/reckon/selector"
)

// HistoryEntry is one revision of a Deployment as `kubectl rollout history`
// lists it: a ReplicaSet of the Deployment and the revision it records.
type HistoryEntry struct {
	// Number is the ReplicaSet's [rollout.RevisionAnnotation]; a
	// ReplicaSet without the annotation is revision 0, as kubectl counts it.
	Number int64
	// ChangeCause is the [rollout.ChangeCauseAnnotation] of the ReplicaSet,
	// or of its pod template when the ReplicaSet has none; "" when neither
	// has one.
	ChangeCause string
	// Template is a deep copy of the ReplicaSet's pod template, as stored
	// (with its pod-template-hash label). kubectl's single-revision view
	// (`rollout history --revision=N`) describes this template after adding
	// the ReplicaSet's change cause to its annotations; Template is left
	// as stored and that view is not reproduced.
	Template corev1.PodTemplateSpec
	// ReplicaSet is the name of the ReplicaSet.
	ReplicaSet string
}

// History returns the revisions of d, in increasing order of Number, that
// `kubectl rollout history deployment/<name>` lists
// (DeploymentHistoryViewer in k8s.io/kubectl/pkg/polymorphichelpers/history.go,
// v0.36). replicaSets is what the caller observed in d's namespace; of
// those, only the ReplicaSets of the package rule owned-replica-sets count.
// The rules:
//
//   - unparsable-revision: a ReplicaSet whose [rollout.RevisionAnnotation]
//     does not parse is left out (kubectl logs a warning); one without the
//     annotation is revision 0.
//   - duplicate-revision: when several ReplicaSets carry the same revision,
//     the one kubectl reads last wins: the Deployment's current ReplicaSet
//     (the oldest whose template equals spec.template ignoring the
//     pod-template-hash label), otherwise the latest created (creation
//     timestamp, then name; names are unique in a namespace, and UID then
//     resourceVersion order exact duplicates so that the result never
//     depends on the order of replicaSets).
//   - change-cause: the change cause is the ReplicaSet's
//     [rollout.ChangeCauseAnnotation], or its pod template's when the
//     ReplicaSet's is empty.
//
// An invalid spec.selector is an error, as in kubectl, naming the field. A
// nil d is an error. The inputs are not modified and the result shares no
// memory with them. [FormatHistory] prints the result as kubectl does.
func History(d *appsv1.Deployment, replicaSets []*appsv1.ReplicaSet) ([]HistoryEntry, error) {
	if d == nil {
		return nil, errNilDeployment
	}
	rss, _, err := ownedReplicaSets(d, replicaSets)
	if err != nil {
		return nil, fmt.Errorf("failed to retrieve replica sets from deployment %s: %w", d.Name, err)
	}
	var entries []HistoryEntry
	at := make(map[int64]int, len(rss)) // revision → index in entries
	for _, rs := range rss {
		v, err := rollout.Revision(rs)
		if err != nil {
			continue
		}
		e := HistoryEntry{
			Number:      v,
			ChangeCause: rs.Annotations[rollout.ChangeCauseAnnotation],
			Template:    *rs.Spec.Template.DeepCopy(),
			ReplicaSet:  rs.Name,
		}
		if e.ChangeCause == "" {
			e.ChangeCause = rs.Spec.Template.Annotations[rollout.ChangeCauseAnnotation]
		}
		if i, ok := at[v]; ok {
			entries[i] = e
			continue
		}
		at[v] = len(entries)
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b HistoryEntry) int { return cmp.Compare(a.Number, b.Number) })
	return entries, nil
}

// FormatHistory returns the text `kubectl rollout history deployment/<name>`
// prints for entries (what DeploymentHistoryViewer.ViewHistory returns):
// a "REVISION  CHANGE-CAUSE" table aligned by text/tabwriter as kubectl
// aligns it, "<none>" for an empty change cause, one row per entry in the
// order given ([History] returns them sorted), or "No rollout history found."
// (without a newline) when entries is empty. kubectl itself prints the
// table after a "deployment.apps/<name> " line.
func FormatHistory(entries []HistoryEntry) string {
	if len(entries) == 0 {
		return "No rollout history found."
	}
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
	fmt.Fprintf(w, "REVISION\tCHANGE-CAUSE\n")
	for _, e := range entries {
		cause := e.ChangeCause
		if cause == "" {
			cause = "<none>"
		}
		fmt.Fprintf(w, "%d\t%s\n", e.Number, cause)
	}
	w.Flush()
	return b.String()
}

// ownedReplicaSets returns the ReplicaSets of d that kubectl's
// deploymentutil.GetAllReplicaSets lists (the package rule
// owned-replica-sets), in the order kubectl's callers walk them: the old
// ReplicaSets sorted by creation timestamp then name, then the new
// ReplicaSet (the first in that order whose template equals d's, ignoring
// the hash label), if any, as reported by hasNew. UID and
// resourceVersion break the remaining ties so that the order never depends
// on the input order. An invalid spec.selector gives its field errors.
func ownedReplicaSets(d *appsv1.Deployment, replicaSets []*appsv1.ReplicaSet) (rss []*appsv1.ReplicaSet, hasNew bool, err error) {
	sel := selector.Everything()
	if d.Spec.Selector != nil {
		// kubectl sends the selector's string form as the list query; a nil
		// selector prints as "" and lists everything.
		s, errs := selector.FromLabelSelector(d.Spec.Selector, field.NewPath("spec", "selector"))
		if len(errs) > 0 {
			return nil, false, errs.ToAggregate()
		}
		sel = s
	}
	for _, rs := range replicaSets {
		if rs == nil || rs.Namespace != d.Namespace || !sel.Matches(rs.Labels) {
			continue
		}
		if ref := metav1.GetControllerOfNoCopy(rs); ref == nil || ref.UID != d.UID {
			continue
		}
		rss = append(rss, rs)
	}
	rollout.SortByCreation(rss)
	for i, rs := range rss {
		if rollout.EqualIgnoreHash(&rs.Spec.Template, &d.Spec.Template) {
			// Move the new ReplicaSet to the end, keeping the others' order.
			copy(rss[i:], rss[i+1:])
			rss[len(rss)-1] = rs
			return rss, true, nil
		}
	}
	return rss, false, nil
}
