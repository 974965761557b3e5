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

	"github.com/reckon-k8s/reckon/rollout"
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

// PlanReplicaSet reproduces one sync of the upstream ReplicaSet controller
// (pkg/controller/replicaset syncReplicaSet, v1.36) for rs, the pods observed
// in its namespace and now. Its rules, by slug:
//
//   - claim: only active pods (not terminal, not being deleted) are claimed:
//     pods controlled by rs (a controller reference with its kind, name and
//     UID) that match its selector are kept, matching orphans are adopted,
//     controlled pods that no longer match are released (not while rs is
//     being deleted), with the patches of [selector.ClaimObjects]. Pods
//     controlled by others are never touched.
//   - terminating: terminating pods controlled by rs and matching its selector
//     are counted in status.terminatingReplicas but not in replicas, so they
//     are replaced at once.
//   - manage: unless rs is being deleted or expectations are pending, with
//     fewer active pods than spec.replicas, create the difference from the
//     template (at most the burst, 500) in slow-start batches of 1, 2, 4,
//     ...; with more, delete the surplus at once, chosen by
//     [pods.SelectForDeletionTiered] ranked with the co-located pods of
//     every ReplicaSet sharing rs's controller; among pods the ranking
//     leaves tied, controlled pods go before the orphans adopted in this
//     sync, as in upstream's listing order. Never both.
//   - no-labels: a template without labels makes upstream's first create
//     fail before it is sent: no write but the status, with a
//     ReplicaFailure condition (FailedCreate), and a rate-limited requeue.
//   - status: status counts the claimed active pods before the writes:
//     replicas, fullyLabeledReplicas (carrying every template label),
//     readyReplicas, availableReplicas (minReadySeconds at now),
//     terminatingReplicas; a stale ReplicaFailure condition is removed;
//     observedGeneration is the generation. The write is skipped when none
//     of that changed; a refused status write is retried once on a fresh
//     copy.
//   - failure: a create or delete the API server refuses records
//     FailedCreate "Error creating: <error>" (or FailedDelete "Error
//     deleting: <error>"), skips the later batches and writes the status
//     with a ReplicaFailure condition carrying the error, unless one is
//     already there. A pod already gone counts as deleted; a create refused
//     because the namespace is terminating counts as made.
//   - availability: with minReadySeconds > 0 and ready ≠ available, look
//     again when the next ready pod becomes available (or after
//     minReadySeconds).
//
// The plan's steps are: the claim's patches (one step), the creations (a
// step per slow-start batch) or the deletions (one step), the status write.
// A create's success records SuccessfulCreate "Created pod: <name>" and a
// delete's SuccessfulDelete "Deleted pod: <name>".
//
// An invalid rs (see [ValidateReplicaSet]) returns an [*InvalidError] and
// an empty plan, as does a controlled rs whose siblings are unknown (nil
// observed.ReplicaSets: they decide which pods are deleted). A nil
// spec.replicas counts as 1, the API server's default. Inputs are never
// modified; the plan never aliases them. The plan does not depend on the
// order of observed.Pods or observed.ReplicaSets: where upstream sorts
// unstably, ties are broken as [pods.SelectForDeletion] documents.
func PlanReplicaSet(rs *appsv1.ReplicaSet, observed ReplicaSetState, now time.Time, opts ...ReplicaSetOption) (Plan, error) {
	if rs == nil {
		return Plan{}, invalid("ReplicaSet", "", field.ErrorList{field.Required(field.NewPath("replicaSet"), "")})
	}
	errs := ValidateReplicaSet(rs)
	o, optErrs := replicaSetOptions(opts)
	errs = append(errs, optErrs...)
	if observed.ReplicaSets == nil && metav1.GetControllerOfNoCopy(rs) != nil {
		errs = append(errs, field.Required(field.NewPath("observed", "replicaSets"),
			"the ReplicaSets sharing rs's controller rank pods for deletion; pass every ReplicaSet the informer lists"))
	}
	if len(errs) > 0 {
		return Plan{}, invalid("ReplicaSet", rs.Name, errs)
	}
	s := replicaSetSync{rs: rs, observed: observed, now: now, burst: o.burstReplicas}
	s.run()
	return s.plan, nil
}

// replicaSetSync is one upstream syncReplicaSet in progress.
type replicaSetSync struct {
	rs       *appsv1.ReplicaSet
	observed ReplicaSetState
	now      time.Time
	burst    int

	sel         selector.Selector
	active      []*corev1.Pod // the claimed active pods, controlled ones first
	tiers       []int         // for pods.SelectForDeletionTiered: 1 for adopted pods
	terminating []*corev1.Pod

	plan Plan
}

func (s *replicaSetSync) run() {
	rs := s.rs
	s.sel, _ = selector.FromLabelSelector(rs.Spec.Selector, nil)
	owner := selector.Owner{
		APIVersion: "apps/v1",
		Kind:       "ReplicaSet",
		Name:       rs.Name,
		Namespace:  rs.Namespace,
		UID:        rs.UID,
		Deleting:   rs.DeletionTimestamp != nil,
	}
	candidates, terminating := ownedOrOrphanPods(rs, s.sel, s.observed.Pods)
	s.terminating = terminating
	claim := selector.ClaimObjects(owner, candidates, func(p *corev1.Pod) bool { return s.sel.Matches(p.Labels) })
	if ws := claimWrites(podsResource, owner, claim); len(ws) > 0 {
		s.plan.Steps = append(s.plan.Steps, Step{Writes: ws})
	}
	s.active, s.tiers = controlledFirst(claim.Claimed, claim.Adopt)

	var failure *replicaFailure
	if !s.observed.ExpectationsPending && rs.DeletionTimestamp == nil {
		failure = s.manageReplicas()
	}
	st := replicaSetStatus(rs, s.active, s.terminating, failure, s.now)
	if w, ok := s.statusWrite(st); ok {
		s.plan.Steps = append(s.plan.Steps, Step{Writes: []Write{w}})
	}
	if failure != nil {
		// upstream returns the error before planning the availability check
		s.plan.Requeue.RateLimited = true
		return
	}
	if rs.Spec.MinReadySeconds > 0 {
		if st.ReadyReplicas != st.AvailableReplicas {
			s.plan.Requeue.After = time.Duration(rs.Spec.MinReadySeconds) * time.Second
			if d, ok := pods.MinNextAvailabilityCheck(s.active, rs.Spec.MinReadySeconds, s.now); ok {
				s.plan.Requeue.After = d
			}
		}
	}
}

// replicaFailure is why manageReplicas failed: the reason and message of the
// ReplicaFailure condition upstream then writes. manageReplicas returns the
// one failure a plan knows of in advance (a template without labels); the
// others happen only if the API server refuses a write, and their message
// holds ErrorPlaceholder.
type replicaFailure struct {
	reason, message string
}

// manageReplicas is upstream's manageReplicas: create or delete towards
// spec.replicas, capped at the burst limit. It returns the failure the
// plan foresees, if any.
func (s *replicaSetSync) manageReplicas() *replicaFailure {
	rs := s.rs
	diff := len(s.active) - int(rollout.ReplicaSetReplicas(rs))
	switch {
	case diff < 0:
		n := min(-diff, s.burst)
		ref := metav1.NewControllerRef(rs, appsv1.SchemeGroupVersion.WithKind("ReplicaSet"))
		p, err := pods.FromTemplate(&rs.Spec.Template, rs, ref)
		if err != nil {
			// A template without labels: upstream's pod control refuses the
			// first create of the slow-start batch before sending it, so it
			// attempts no other, and the condition carries its bare message.
			var fe *field.Error
			msg := err.Error()
			if errors.As(err, &fe) {
				msg = fe.Detail
			}
			return &replicaFailure{reason: "FailedCreate", message: msg}
		}
		fallback := s.fallback(&replicaFailure{reason: "FailedCreate", message: ErrorPlaceholder})
		create := Write{
			Verb:   Create,
			Target: Target{Resource: podsResource, Namespace: rs.Namespace},
			Object: p,
			Events: []Event{{Type: corev1.EventTypeNormal, Reason: "SuccessfulCreate", Message: "Created pod: " + NamePlaceholder}},
			OnError: OnError{
				Ignore:   []ErrorKind{NamespaceTerminating},
				Events:   []Event{{Type: corev1.EventTypeWarning, Reason: "FailedCreate", Message: "Error creating: " + ErrorPlaceholder}},
				Fallback: fallback,
			},
		}
		for b, size := range slowStartBatches(n) {
			ws := make([]Write, size)
			for i := range ws {
				ws[i] = create
				if b > 0 || i > 0 {
					ws[i].Object = p.DeepCopy() // each write owns its body
				}
			}
			s.plan.Steps = append(s.plan.Steps, Step{Writes: ws})
		}
	case diff > 0:
		n := min(diff, s.burst)
		var victims []*corev1.Pod
		if n >= len(s.active) {
			victims = s.active
		} else {
			related := relatedPods(rs, s.observed.ReplicaSets, s.observed.Pods)
			victims = chooseVictims(s.active, s.tiers, pods.CoLocationRanks(s.active, related), n, s.now)
		}
		fallback := s.fallback(&replicaFailure{reason: "FailedDelete", message: "unable to delete pods: " + ErrorPlaceholder})
		ws := make([]Write, len(victims))
		for i, p := range victims {
			ws[i] = Write{
				Verb:   Delete,
				Target: targetOf(podsResource, p),
				Events: []Event{{Type: corev1.EventTypeNormal, Reason: "SuccessfulDelete", Message: "Deleted pod: " + p.Name}},
				OnError: OnError{
					Ignore:   []ErrorKind{NotFound},
					Events:   []Event{{Type: corev1.EventTypeWarning, Reason: "FailedDelete", Message: "Error deleting: " + ErrorPlaceholder}},
					Fallback: fallback,
				},
			}
		}
		s.plan.Steps = append(s.plan.Steps, Step{Writes: ws})
	}
	return nil
}

// slowStartBatches splits n creations into upstream's slow-start batches
// (controller.SlowStartInitialBatchSize = 1, doubling).
func slowStartBatches(n int) []int {
	var sizes []int
	for size := min(n, 1); size > 0; size = min(2*size, n) {
		sizes = append(sizes, size)
		n -= size
	}
	return sizes
}

// fallback is what upstream writes after a refused create or delete: the
// status with the failure's condition, if that changes it.
func (s *replicaSetSync) fallback(f *replicaFailure) []Step {
	if w, ok := s.statusWrite(replicaSetStatus(s.rs, s.active, s.terminating, f, s.now)); ok {
		return []Step{{Writes: []Write{w}}}
	}
	return nil
}

// statusWrite is upstream's updateReplicaSetStatus: the write of st, if the
// status changed.
func (s *replicaSetSync) statusWrite(st appsv1.ReplicaSetStatus) (Write, bool) {
	if replicaSetStatusUnchanged(s.rs, st) {
		return Write{}, false
	}
	st.ObservedGeneration = s.rs.Generation
	c := s.rs.DeepCopy()
	c.Status = st
	return Write{
		Verb:         UpdateStatus,
		Target:       targetOf(replicaSetsResource, s.rs),
		Precondition: Precondition{ResourceVersion: s.rs.ResourceVersion},
		Object:       c,
		Retries:      1, // upstream's statusUpdateRetries
	}, true
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

// replicaSetStatus is upstream's calculateStatus; f is the failure of
// manageReplicas, nil if it succeeded.
func replicaSetStatus(rs *appsv1.ReplicaSet, active, terminating []*corev1.Pod, f *replicaFailure, now time.Time) appsv1.ReplicaSetStatus {
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
	case f != nil && !hasFailure:
		st.Conditions = append(st.Conditions, appsv1.ReplicaSetCondition{
			Type:               appsv1.ReplicaSetReplicaFailure,
			Status:             corev1.ConditionTrue,
			Reason:             f.reason,
			Message:            f.message,
			LastTransitionTime: metav1.NewTime(now),
		})
	case f == nil && hasFailure:
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
