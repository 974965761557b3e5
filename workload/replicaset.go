package workload

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/reckon-k8s/reckon/selector"
	"github.com/reckon-k8s/reckon/workload/pods"
)

// ReplicaSetState is what the caller observed for one ReplicaSet sync.
type ReplicaSetState struct {
	// Pods are the pods an informer lists. Only those of the ReplicaSet's
	// namespace that it controls or that nobody controls are candidates:
	// upstream's owner index keys a controller reference by kind, name and
	// UID, so a pod whose reference carries rs's UID under another kind or
	// name is not offered either. Nil entries are ignored. Pods of other
	// namespaces matter only for the co-location rank (see ReplicaSets).
	Pods []*corev1.Pod

	// ReplicaSets are the other ReplicaSets the informer lists. Upstream
	// ranks pods for deletion by how crowded their node is with the pods
	// selected by every ReplicaSet sharing rs's controller (a Deployment's
	// replica sets), found through a cluster-wide index: a sibling in
	// another namespace counts, with the pods of its own namespace. Nil
	// means none known, which ranks nodes by this ReplicaSet's pods alone.
	ReplicaSets []*appsv1.ReplicaSet

	// ExpectationsPending says the caller's earlier creations or deletions
	// for this ReplicaSet are not yet visible in Pods. Upstream then skips
	// creating and deleting and only writes status (its "expectations").
	ExpectationsPending bool
}

// ReplicaSetPlan is the outcome of one ReplicaSet sync.
type ReplicaSetPlan struct {
	// Actions are, in order: adoptions and releases (the claim), then either
	// creations or deletions, never both.
	Actions []Action
	// Status is the status upstream computes from the pods before the
	// actions run; it assumes the actions succeed.
	Status appsv1.ReplicaSetStatus
	// WriteStatus is false when upstream would skip the status update
	// because nothing it compares changed.
	WriteStatus bool
	// Events are the events known before the actions run (deletions name
	// their pod). Creations get theirs from CreatePod.Event once named.
	Events []Event
	// RequeueAfter is when upstream looks again to count pods that become
	// available after minReadySeconds; 0 means no timed recheck.
	RequeueAfter time.Duration
	// Requeue says upstream's sync ends in an error (a create it foresees
	// failing) and the ReplicaSet goes back on the rate-limited queue at
	// once; RequeueAfter is then 0, as upstream never reaches that step.
	Requeue bool
}

// PlanReplicaSet reproduces one sync of the upstream ReplicaSet controller
// (pkg/controller/replicaset syncReplicaSet, v1.36) for rs, the pods observed
// in its namespace and now:
//
//  1. Only active pods (not terminal, not being deleted) are claimed: pods
//     controlled by rs (a controller reference with its kind, name and UID)
//     that match its selector are kept, matching orphans are adopted,
//     controlled pods that no longer match are released (not while rs is
//     being deleted). Pods controlled by others are never touched.
//  2. Terminating pods controlled by rs and matching its selector are counted
//     in status.terminatingReplicas but not in replicas, so they are replaced
//     at once.
//  3. Unless rs is being deleted or expectations are pending: with fewer
//     active pods than spec.replicas, create the difference from the template
//     (at most BurstReplicas); with more, delete the surplus chosen by
//     pods.SelectForDeletionTiered, ranked with the co-located pods of every
//     ReplicaSet sharing rs's controller; among pods the ranking leaves tied,
//     controlled pods go before the orphans adopted in this sync, as in
//     upstream's listing order. Never both. A template without labels makes
//     upstream's first create fail: no action, a ReplicaFailure condition
//     (FailedCreate) and Requeue.
//  4. Status counts the claimed active pods before the actions: replicas,
//     fullyLabeledReplicas (carrying every template label), readyReplicas,
//     availableReplicas (minReadySeconds at now), terminatingReplicas; a stale
//     ReplicaFailure condition is removed; observedGeneration is the
//     generation. The write is skipped when none of that changed.
//  5. With minReadySeconds > 0 and ready ≠ available, look again when the
//     next ready pod becomes available (or after minReadySeconds).
//
// An invalid rs (see ValidateReplicaSet) returns the field errors and an
// empty plan. A nil spec.replicas counts as 1, the API server's default.
// Inputs are never modified; DeletePod actions point at observed pods.
// The plan does not depend on the order of observed.Pods or
// observed.ReplicaSets: where upstream sorts unstably, ties are broken as
// pods.SelectForDeletion documents.
func PlanReplicaSet(rs *appsv1.ReplicaSet, observed ReplicaSetState, now time.Time, opts ...Option) (ReplicaSetPlan, error) {
	if errs := ValidateReplicaSet(rs); len(errs) > 0 {
		return ReplicaSetPlan{}, errs.ToAggregate()
	}
	o := applyOptions(opts)
	sel, _ := selector.FromLabelSelector(rs.Spec.Selector, nil)
	owner := selector.Owner{
		APIVersion: "apps/v1",
		Kind:       "ReplicaSet",
		Name:       rs.Name,
		Namespace:  rs.Namespace,
		UID:        rs.UID,
		Deleting:   rs.DeletionTimestamp != nil,
	}

	var plan ReplicaSetPlan
	candidates, terminating := ownedOrOrphanPods(rs, sel, observed.Pods)
	claim := selector.ClaimObjects(owner, candidates, func(p *corev1.Pod) bool { return sel.Matches(p.Labels) })
	for _, p := range claim.Adopt {
		plan.Actions = append(plan.Actions, Adopt{Object: refTo("Pod", p), Owner: owner.ControllerRef()})
	}
	for _, p := range claim.Release {
		plan.Actions = append(plan.Actions, Release{Object: refTo("Pod", p), OwnerUID: rs.UID})
	}
	active, tiers := controlledFirst(claim.Claimed, claim.Adopt)

	var manageErr error
	if !observed.ExpectationsPending && rs.DeletionTimestamp == nil {
		manageErr = plan.manageReplicas(rs, active, tiers, observed.ReplicaSets, observed.Pods, now, o)
	}

	status := replicaSetStatus(rs, active, terminating, manageErr, now)
	plan.Status = *rs.Status.DeepCopy()
	if !replicaSetStatusUnchanged(rs, status) {
		status.ObservedGeneration = rs.Generation
		plan.Status = status
		plan.WriteStatus = true
	}
	if manageErr != nil {
		// upstream returns the error before planning the availability check
		plan.Requeue = true
		return plan, nil
	}
	if rs.Spec.MinReadySeconds > 0 && status.ReadyReplicas != status.AvailableReplicas {
		plan.RequeueAfter = time.Duration(rs.Spec.MinReadySeconds) * time.Second
		if d, ok := pods.MinNextAvailabilityCheck(active, rs.Spec.MinReadySeconds, now); ok {
			plan.RequeueAfter = d
		}
	}
	return plan, nil
}

// ownedOrOrphanPods returns, sorted by name, the active pods of rs's
// namespace that rs controls or that nobody controls (upstream's
// FilterPodsByOwner with orphans, then FilterActivePods), and the terminating
// pods rs controls that match its selector (FilterClaimedPods). An informer
// holds one object per name: duplicate names collapse to the first by UID.
func ownedOrOrphanPods(rs *appsv1.ReplicaSet, sel selector.Selector, observed []*corev1.Pod) (candidates, terminating []*corev1.Pod) {
	mine := make([]*corev1.Pod, 0, len(observed))
	for _, p := range observed {
		if p == nil || p.Namespace != rs.Namespace {
			continue
		}
		if ref := metav1.GetControllerOfNoCopy(p); ref != nil && (ref.UID != rs.UID || ref.Kind != "ReplicaSet" || ref.Name != rs.Name) {
			continue
		}
		mine = append(mine, p)
	}
	slices.SortFunc(mine, compareByName)
	mine = slices.CompactFunc(mine, func(a, b *corev1.Pod) bool { return a.Name == b.Name })
	candidates = make([]*corev1.Pod, 0, len(mine))
	for _, p := range mine {
		switch {
		case pods.IsActive(p):
			candidates = append(candidates, p)
		case metav1.GetControllerOfNoCopy(p) != nil && pods.IsTerminating(p) && sel.Matches(p.Labels):
			terminating = append(terminating, p)
		}
	}
	return candidates, terminating
}

// controlledFirst orders the claimed pods as upstream's owner index lists
// them, the pods rs already controls before the orphans it adopts, and
// gives each its tier for pods.SelectForDeletionTiered (0 controlled, 1
// adopted). Both arrive sorted by name.
func controlledFirst(claimed, adopted []*corev1.Pod) (active []*corev1.Pod, tiers []int) {
	if len(adopted) == 0 {
		return claimed, nil
	}
	isAdopted := make(map[*corev1.Pod]bool, len(adopted))
	for _, p := range adopted {
		isAdopted[p] = true
	}
	active = make([]*corev1.Pod, 0, len(claimed))
	for _, p := range claimed {
		if !isAdopted[p] {
			active = append(active, p)
		}
	}
	tiers = make([]int, len(claimed))
	for i := len(active); i < len(claimed); i++ {
		tiers[i] = 1
	}
	return append(active, adopted...), tiers
}

func compareByName(a, b *corev1.Pod) int {
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	if c := strings.Compare(string(a.UID), string(b.UID)); c != 0 {
		return c
	}
	return strings.Compare(a.ResourceVersion, b.ResourceVersion)
}

// manageReplicas is upstream's manageReplicas: create or delete towards
// spec.replicas, capped at the burst limit.
func (plan *ReplicaSetPlan) manageReplicas(rs *appsv1.ReplicaSet, active []*corev1.Pod, tiers []int, siblings []*appsv1.ReplicaSet, observed []*corev1.Pod, now time.Time, o options) error {
	diff := len(active) - int(replicasOf(rs))
	switch {
	case diff < 0:
		n := min(-diff, o.burstReplicas)
		ref := metav1.NewControllerRef(rs, appsv1.SchemeGroupVersion.WithKind("ReplicaSet"))
		for range n {
			p, err := pods.FromTemplate(&rs.Spec.Template, rs, ref)
			if err != nil {
				// A template without labels: upstream's first create of
				// the slow-start batch fails, so it attempts no other, and
				// the condition carries pod control's bare message.
				var fe *field.Error
				if errors.As(err, &fe) {
					return errors.New(fe.Detail)
				}
				return err
			}
			plan.Actions = append(plan.Actions, CreatePod{Pod: p})
		}
	case diff > 0:
		n := min(diff, o.burstReplicas)
		var victims []*corev1.Pod
		if n >= len(active) {
			victims = active
		} else {
			related := relatedPods(rs, siblings, observed)
			victims = chooseVictims(active, tiers, pods.CoLocationRanks(active, related), n, now)
		}
		for _, p := range victims {
			plan.Actions = append(plan.Actions, DeletePod{Pod: p})
			plan.Events = append(plan.Events, Event{Type: corev1.EventTypeNormal, Reason: "SuccessfulDelete", Message: "Deleted pod: " + p.Name})
		}
	}
	return nil
}

// exactSortLimit is the candidate count up to which chooseVictims runs
// upstream's own sort rather than a partial selection.
const exactSortLimit = 64

// chooseVictims picks the n pods to delete. Upstream sorts the candidates
// with sort.Sort by ActivePodsWithRanks.Less in its informer's listing
// order, and that comparison is not always consistent (pods ready at the
// same instant in one log2 bucket can form a cycle), so for such inputs the
// outcome is whatever Go's sort makes of that order. With few candidates
// reckon runs that same sort over the listing order it reproduces
// (controlled pods, then adopted ones, each by name): the result is one
// upstream itself produces. With more, the partial selection of
// pods.SelectForDeletionTiered is equal to it wherever the ranking is
// consistent and far cheaper.
func chooseVictims(active []*corev1.Pod, tiers, ranks []int, n int, now time.Time) []*corev1.Pod {
	if len(active) > exactSortLimit {
		return pods.SelectForDeletionTiered(active, tiers, ranks, n, now)
	}
	order := upstreamOrder{pods: slices.Clone(active), ranks: slices.Clone(ranks), now: now}
	sort.Sort(order)
	return order.pods[:n]
}

// upstreamOrder is upstream's ActivePodsWithRanks, by pods.DeletionLess.
type upstreamOrder struct {
	pods  []*corev1.Pod
	ranks []int
	now   time.Time
}

func (o upstreamOrder) Len() int { return len(o.pods) }
func (o upstreamOrder) Swap(i, j int) {
	o.pods[i], o.pods[j] = o.pods[j], o.pods[i]
	o.ranks[i], o.ranks[j] = o.ranks[j], o.ranks[i]
}
func (o upstreamOrder) Less(i, j int) bool {
	return pods.DeletionLess(o.pods[i], o.pods[j], o.ranks[i], o.ranks[j], o.now)
}

// relatedPods is upstream's getIndirectlyRelatedPods: the pods, of any
// owner and in any state, that the ReplicaSets controlled by rs's controller
// (rs included, in any namespace: upstream's index is cluster-wide) select
// in their own namespaces. CoLocationRanks deduplicates them by UID.
func relatedPods(rs *appsv1.ReplicaSet, siblings []*appsv1.ReplicaSet, observed []*corev1.Pod) []*corev1.Pod {
	ctrl := metav1.GetControllerOfNoCopy(rs)
	if ctrl == nil {
		return nil
	}
	type scoped struct {
		namespace string
		sel       selector.Selector
	}
	var sels []scoped
	seen := map[types.UID]bool{}
	for _, r := range append([]*appsv1.ReplicaSet{rs}, siblings...) {
		if r == nil || seen[r.UID] {
			continue
		}
		seen[r.UID] = true
		if c := metav1.GetControllerOfNoCopy(r); c == nil || c.UID != ctrl.UID {
			continue
		}
		if s, errs := selector.FromLabelSelector(r.Spec.Selector, nil); len(errs) == 0 {
			sels = append(sels, scoped{r.Namespace, s})
		}
	}
	var related []*corev1.Pod
	for _, p := range observed {
		if p == nil {
			continue
		}
		for _, s := range sels {
			if p.Namespace == s.namespace && s.sel.Matches(p.Labels) {
				related = append(related, p)
				break
			}
		}
	}
	return related
}

func replicasOf(rs *appsv1.ReplicaSet) int32 {
	if rs.Spec.Replicas == nil {
		return 1
	}
	return *rs.Spec.Replicas
}

// replicaSetStatus is upstream's calculateStatus. manageErr is the one
// failure a plan can foresee: a template without labels, which upstream's pod
// control refuses to create.
func replicaSetStatus(rs *appsv1.ReplicaSet, active, terminating []*corev1.Pod, manageErr error, now time.Time) appsv1.ReplicaSetStatus {
	st := *rs.Status.DeepCopy()
	templateLabels := selector.FromSet(rs.Spec.Template.Labels)
	var labeled, ready, available int32
	for _, p := range active {
		if templateLabels.Matches(p.Labels) {
			labeled++
		}
		if pods.IsReady(p) {
			ready++
			if pods.IsAvailable(p, rs.Spec.MinReadySeconds, now) {
				available++
			}
		}
	}
	switch hasFailure := hasReplicaFailure(st.Conditions); {
	case manageErr != nil && !hasFailure:
		reason := ""
		if diff := len(active) - int(replicasOf(rs)); diff < 0 {
			reason = "FailedCreate"
		} else if diff > 0 {
			reason = "FailedDelete"
		}
		st.Conditions = append(st.Conditions, appsv1.ReplicaSetCondition{
			Type:               appsv1.ReplicaSetReplicaFailure,
			Status:             corev1.ConditionTrue,
			Reason:             reason,
			Message:            manageErr.Error(),
			LastTransitionTime: metav1.NewTime(now),
		})
	case manageErr == nil && hasFailure:
		// upstream rebuilds the slice by appending to nil
		var kept []appsv1.ReplicaSetCondition
		for _, c := range st.Conditions {
			if c.Type != appsv1.ReplicaSetReplicaFailure {
				kept = append(kept, c)
			}
		}
		st.Conditions = kept
	}
	st.Replicas = int32(len(active))
	st.FullyLabeledReplicas = labeled
	st.ReadyReplicas = ready
	st.AvailableReplicas = available
	st.TerminatingReplicas = new(int32(len(terminating)))
	return st
}

func hasReplicaFailure(conds []appsv1.ReplicaSetCondition) bool {
	return slices.ContainsFunc(conds, func(c appsv1.ReplicaSetCondition) bool {
		return c.Type == appsv1.ReplicaSetReplicaFailure
	})
}

// replicaSetStatusUnchanged is upstream's test for skipping the status write.
func replicaSetStatusUnchanged(rs *appsv1.ReplicaSet, st appsv1.ReplicaSetStatus) bool {
	old := rs.Status
	return old.Replicas == st.Replicas &&
		old.FullyLabeledReplicas == st.FullyLabeledReplicas &&
		old.ReadyReplicas == st.ReadyReplicas &&
		old.AvailableReplicas == st.AvailableReplicas &&
		equalInt32Ptr(old.TerminatingReplicas, st.TerminatingReplicas) &&
		rs.Generation == old.ObservedGeneration &&
		equalConditions(old.Conditions, st.Conditions)
}

func equalInt32Ptr(a, b *int32) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// equalConditions mirrors reflect.DeepEqual on the condition slices,
// including its nil-versus-empty distinction.
func equalConditions(a, b []appsv1.ReplicaSetCondition) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Type != b[i].Type || a[i].Status != b[i].Status || a[i].Reason != b[i].Reason ||
			a[i].Message != b[i].Message || !a[i].LastTransitionTime.Equal(&b[i].LastTransitionTime) {
			return false
		}
	}
	return true
}
