package workload

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/reckon-k8s/reckon/rollout"
	"github.com/reckon-k8s/reckon/selector"
)

// DeploymentState is what the caller observed for one Deployment sync.
type DeploymentState struct {
	// ReplicaSets are the ReplicaSets of the Deployment's namespace, as an
	// informer lists them. The planner claims them as upstream does
	// (adopting matching orphans, releasing its own that no longer match)
	// and looks a name up among all of them when it creates one. Entries of
	// other namespaces and nil entries are ignored; duplicate names collapse
	// to one (the first by UID), as an informer holds one object per name.
	ReplicaSets []*appsv1.ReplicaSet

	// Pods are the pods of the namespace. Upstream reads only those
	// controlled by the Deployment's ReplicaSets, and only for the Recreate
	// strategy (are old pods gone?), so a RollingUpdate sync never looks at
	// them.
	Pods []*corev1.Pod
}

// PlanDeployment reproduces one sync of the upstream Deployment controller
// (pkg/controller/deployment syncDeployment, v1.36) for d, what was observed
// in its namespace and now, with the rollout arithmetic of package rollout.
// The dispatch is upstream's; its rules, by slug:
//
//   - selecting-all: a selector equal to {} records a SelectingAll warning
//     and only writes status.observedGeneration if it lags. Otherwise an
//     invalid d (see [ValidateDeployment]) returns an [*InvalidError] and
//     an empty plan.
//   - claim: ReplicaSets are claimed by d's selector
//     ([selector.ClaimObjects]): the adoption patches, then the release
//     patches, come first, each in name order (upstream claims in its
//     informer's order).
//   - deleting: a Deployment being deleted only has its status synced (no
//     new ReplicaSet, no scaling).
//   - pause-condition: with a progress deadline, pausing sets Progressing
//     Unknown DeploymentPaused and resuming DeploymentResumed (a status
//     write), so that the deadline clock restarts on resume.
//   - paused: scaling only (see scale), old ReplicaSets cleaned up to
//     revisionHistoryLimit, status synced; no new ReplicaSet.
//   - rollback: the legacy rollback annotation
//     (deprecated.deployment.rollback.to) rolls the template back to that
//     revision (0: the previous one) and removes the annotation with an
//     update of the Deployment, recording DeploymentRollback or a warning.
//   - scaling-event: a scaling event (an active ReplicaSet's
//     desired-replicas annotation differs from spec.replicas) scales only
//     (see scale).
//   - scale: a single active ReplicaSet (or, with none active, the newest)
//     is resized to spec.replicas; a saturated new ReplicaSet makes every
//     old one go to 0; otherwise [rollout.ProportionalScale].
//   - recreate: every old ReplicaSet to 0; once no old pod is left (pods of
//     old ReplicaSets not Succeeded or Failed, terminating ones included)
//     the new ReplicaSet is created or scaled to spec.replicas.
//   - rolling: create the new ReplicaSet if needed; grow it
//     ([rollout.NewRSNewReplicas]) and stop if it grew; else scale old ones
//     down ([rollout.ScaleDownOldReplicaSets]) and stop if any was; else, if
//     the stored status says complete, clean up old ReplicaSets
//     ([rollout.ReplicaSetsToCleanUp]). A refused scale-down of an old
//     ReplicaSet resumes the sync (OnError.Resume) as if none had been
//     made, as upstream's reconcileOldReplicaSets swallows the error.
//   - new-replicaset: the new ReplicaSet is the oldest whose template
//     equals d's ignoring the pod-template-hash label. Before use, it gets
//     d's annotations (except the revision/replica ones and
//     last-applied-configuration), revision = highest old revision + 1
//     (the previous revision appended to revision-history, at most 2000
//     characters) and d's minReadySeconds; if that changed anything it is
//     written and nothing else happens in that step. Otherwise d's revision
//     annotation follows it, and a missing Progressing condition becomes
//     FoundNewReplicaSet.
//   - create: a created ReplicaSet is named <d.name>-<hash> (the name cut
//     to fit 253 characters) with hash = [rollout.TemplateHash](template,
//     status.collisionCount), carries the hash in its labels, selector and
//     template labels, the desired/max-replicas annotations and
//     [rollout.NewRSNewReplicas] replicas; Progressing becomes
//     NewReplicaSetCreated. If an observed ReplicaSet already has that name
//     the create is still sent, as upstream sends it, and is expected to be
//     refused with AlreadyExists: if that ReplicaSet is d's with an equal
//     template it is the new one; if not, the create's fallback bumps
//     status.collisionCount (a status write) and the sync ends with a
//     rate-limited requeue.
//   - status: status ([rollout.CalculateStatus] or, during rollouts,
//     [rollout.CalculateRolloutStatus]) is written when it differs from the
//     Deployment's (reflect.DeepEqual, as upstream); when it does not, the
//     progress deadline sets Requeue.After (time left + 1s) or a
//     rate-limited requeue (under 1s left).
//
// Every write is a step of its own, in upstream's order, but the claim's
// patches, which share one. A ScalingReplicaSet event travels with the
// create or update that resizes the ReplicaSet, a rollback's
// DeploymentRollback with the Deployment update; the warnings upstream
// records without a write (SelectingAll, a rollback that finds no
// revision) are step events. Upstream computes its writes from the
// informer's copies and never reads a write's answer, except where it
// goes on with a ReplicaSet it just wrote ([Precondition.FromPrevious]):
// a second write to one object from the same copy, such as the second
// status write of a sync that creates the new ReplicaSet, or the new
// ReplicaSet's annotations written again after a scaling-event check, is
// refused by a real API server with a Conflict, and the sync ends there,
// as upstream's does.
//
// Condition timestamps are now. A nil spec.replicas, strategy type,
// rollingUpdate, maxSurge, maxUnavailable, revisionHistoryLimit or
// progressDeadlineSeconds reads as the API server's default (1,
// RollingUpdate, 25%, 25%, 10, 600), as does a nil ReplicaSet
// spec.replicas (1). Inputs are never modified and the plan never
// aliases them. Where upstream sorts unstably or iterates a map, the plan follows
// an order upstream also produces (creation timestamp, then name), so it
// does not depend on the order of observed.ReplicaSets or observed.Pods.
// Upstream has no knob that changes a Deployment sync, so PlanDeployment
// takes no options.
func PlanDeployment(d *appsv1.Deployment, observed DeploymentState, now time.Time) (Plan, error) {
	if d == nil {
		return Plan{}, invalid("Deployment", "", field.ErrorList{field.Required(field.NewPath("deployment"), "")})
	}
	s := &deploymentSync{d: d.DeepCopy(), observedRV: d.ResourceVersion, now: now, results: map[*appsv1.ReplicaSet]bool{}}
	if reflect.DeepEqual(d.Spec.Selector, &metav1.LabelSelector{}) {
		s.event(corev1.EventTypeWarning, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.")
		if s.d.Status.ObservedGeneration < s.d.Generation {
			s.d.Status.ObservedGeneration = s.d.Generation
			s.writeStatus()
		}
		s.flushEvents()
		return s.plan, nil
	}
	errs := ValidateDeployment(d)
	if observed.Pods == nil && d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
		errs = append(errs, field.Required(field.NewPath("observed", "pods"),
			"the Recreate strategy waits for the old pods to end; pass every pod the informer lists"))
	}
	if len(errs) > 0 {
		return Plan{}, invalid("Deployment", d.Name, errs)
	}
	s.claim(observed.ReplicaSets)
	s.pods = observed.Pods
	s.replicas = rollout.DeploymentReplicas(d)
	s.maxSurge = rollout.MaxSurge(d)
	s.run()
	s.flushEvents()
	return s.plan, nil
}

// deploymentSync is one upstream syncDeployment in progress. d is upstream's
// in-memory copy of the Deployment, changed where upstream changes it;
// ReplicaSets are never changed: a write makes a copy.
type deploymentSync struct {
	d          *appsv1.Deployment
	observedRV string // d's resourceVersion: upstream never writes from a fresher copy
	now        time.Time
	replicas   int32 // d's spec.replicas, fixed for the sync
	maxSurge   int32 // rollout.MaxSurge(d), fixed for the sync

	inNamespace []*appsv1.ReplicaSet // the namespace's ReplicaSets by name (upstream's lister)
	rsList      []*appsv1.ReplicaSet // the claimed ones, oldest first (upstream's rsList once sorted)
	pods        []*corev1.Pod

	newFound bool
	newIdx   int // index in rsList of the new ReplicaSet, -1 if none

	// results are the ReplicaSets this plan's writes return: a write
	// computed from one of them carries the resourceVersion the API server
	// gave the previous write (Precondition.FromPrevious).
	results map[*appsv1.ReplicaSet]bool
	pending []Event // events recorded without a write, not yet placed in a step

	plan Plan
}

func (s *deploymentSync) run() {
	if s.d.DeletionTimestamp != nil {
		s.syncStatusOnly()
		return
	}
	s.checkPausedConditions()
	if s.d.Spec.Paused {
		s.sync()
		return
	}
	if _, ok := rollbackTo(s.d); ok {
		s.rollback()
		return
	}
	if s.isScalingEvent() {
		s.sync()
		return
	}
	if s.d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
		s.rolloutRecreate()
		return
	}
	s.rolloutRolling()
}

// claim is upstream's getReplicaSetsForDeployment: the namespace's
// ReplicaSets, in name order, claimed by the Deployment's selector.
func (s *deploymentSync) claim(observed []*appsv1.ReplicaSet) {
	for _, rs := range observed {
		if rs != nil && rs.Namespace == s.d.Namespace {
			s.inNamespace = append(s.inNamespace, rs)
		}
	}
	slices.SortFunc(s.inNamespace, func(a, b *appsv1.ReplicaSet) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		if c := strings.Compare(string(a.UID), string(b.UID)); c != 0 {
			return c
		}
		return strings.Compare(a.ResourceVersion, b.ResourceVersion)
	})
	s.inNamespace = slices.CompactFunc(s.inNamespace, func(a, b *appsv1.ReplicaSet) bool { return a.Name == b.Name })

	sel, _ := selector.FromLabelSelector(s.d.Spec.Selector, nil)
	owner := s.owner()
	c := selector.ClaimObjects(owner, s.inNamespace, func(rs *appsv1.ReplicaSet) bool { return sel.Matches(rs.Labels) })
	if ws := claimWrites(replicaSetsResource, owner, c); len(ws) > 0 {
		s.plan.Steps = append(s.plan.Steps, Step{Writes: ws})
	}
	s.rsList = c.Claimed
	rollout.SortByCreation(s.rsList)
}

func (s *deploymentSync) owner() selector.Owner {
	return selector.Owner{
		APIVersion: "apps/v1",
		Kind:       "Deployment",
		Name:       s.d.Name,
		Namespace:  s.d.Namespace,
		UID:        s.d.UID,
		Deleting:   s.d.DeletionTimestamp != nil,
	}
}

// syncStatusOnly is upstream's syncStatusOnly, for a Deployment being
// deleted.
func (s *deploymentSync) syncStatusOnly() {
	newRS, oldRSs, _ := s.getAllReplicaSetsAndSyncRevision(false)
	s.syncDeploymentStatus(withNew(oldRSs, newRS), newRS)
}

// sync is upstream's sync: scaling of a paused Deployment or on a scaling
// event.
func (s *deploymentSync) sync() {
	newRS, oldRSs, _ := s.getAllReplicaSetsAndSyncRevision(false)
	s.scale(newRS, oldRSs)
	if _, rollingBack := rollbackTo(s.d); s.d.Spec.Paused && !rollingBack {
		s.cleanupDeployment(oldRSs)
	}
	s.syncDeploymentStatus(withNew(oldRSs, newRS), newRS)
}

// checkPausedConditions is upstream's checkPausedConditions.
func (s *deploymentSync) checkPausedConditions() {
	if !rollout.HasProgressDeadline(s.d) {
		return
	}
	cond := rollout.GetCondition(s.d.Status, appsv1.DeploymentProgressing)
	if cond != nil && cond.Reason == rollout.TimedOutReason {
		return
	}
	pausedCond := cond != nil && cond.Reason == rollout.PausedDeployReason
	switch {
	case s.d.Spec.Paused && !pausedCond:
		s.setCondition(appsv1.DeploymentProgressing, corev1.ConditionUnknown, rollout.PausedDeployReason, "Deployment is paused")
	case !s.d.Spec.Paused && pausedCond:
		s.setCondition(appsv1.DeploymentProgressing, corev1.ConditionUnknown, rollout.ResumedDeployReason, "Deployment is resumed")
	default:
		return
	}
	s.writeStatus()
}

// isScalingEvent is upstream's isScalingEvent.
func (s *deploymentSync) isScalingEvent() bool {
	newRS, oldRSs, _ := s.getAllReplicaSetsAndSyncRevision(false)
	for _, rs := range withNew(oldRSs, newRS) {
		if rs == nil || rollout.ReplicaSetReplicas(rs) <= 0 {
			continue
		}
		if desired, ok := rollout.DesiredReplicas(rs); ok && desired != s.replicas {
			return true
		}
	}
	return false
}

// findNewReplicaSet is upstream's FindNewReplicaSet over the claimed
// ReplicaSets, oldest first. The template it compares with changes only
// when a rollback has ended every lookup, so the answer is kept.
func (s *deploymentSync) findNewReplicaSet() *appsv1.ReplicaSet {
	if !s.newFound {
		s.newFound, s.newIdx = true, -1
		for i, rs := range s.rsList {
			if rollout.EqualIgnoreHash(&rs.Spec.Template, &s.d.Spec.Template) {
				s.newIdx = i
				break
			}
		}
	}
	if s.newIdx < 0 {
		return nil
	}
	return s.rsList[s.newIdx]
}

// getAllReplicaSetsAndSyncRevision is upstream's function of that name: the
// new ReplicaSet (after syncing its annotations, or created when create is
// set and there is none) and every other claimed ReplicaSet, oldest first
// (FindOldReplicaSets). ok is false when the sync must stop (a name
// collision).
func (s *deploymentSync) getAllReplicaSetsAndSyncRevision(create bool) (newRS *appsv1.ReplicaSet, oldRSs []*appsv1.ReplicaSet, ok bool) {
	existing := s.findNewReplicaSet()
	for _, rs := range s.rsList {
		// Upstream tells the new ReplicaSet from the old ones by UID.
		if existing == nil || rs.UID != existing.UID {
			oldRSs = append(oldRSs, rs)
		}
	}
	newRS, ok = s.getNewReplicaSet(existing, oldRSs, create)
	return newRS, oldRSs, ok
}

// getNewReplicaSet is upstream's getNewReplicaSet (rules new-replicaset
// and create).
func (s *deploymentSync) getNewReplicaSet(existing *appsv1.ReplicaSet, oldRSs []*appsv1.ReplicaSet, create bool) (*appsv1.ReplicaSet, bool) {
	newRevision := rollout.MaxRevision(oldRSs) + 1
	if existing != nil {
		rs := existing.DeepCopy()
		annotationsChanged := setNewReplicaSetAnnotations(s.d, rs, newRevision, true, s.maxSurge)
		if annotationsChanged || rs.Spec.MinReadySeconds != s.d.Spec.MinReadySeconds {
			rs.Spec.MinReadySeconds = s.d.Spec.MinReadySeconds
			s.write(s.updateReplicaSet(existing, rs))
			return rs, true
		}
		write := setDeploymentRevision(s.d, rs.Annotations[rollout.RevisionAnnotation])
		if rollout.HasProgressDeadline(s.d) && rollout.GetCondition(s.d.Status, appsv1.DeploymentProgressing) == nil {
			s.setCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, rollout.FoundNewRSReason, fmt.Sprintf("Found new replica set %q", rs.Name))
			write = true
		}
		if write {
			s.writeStatus()
		}
		return rs, true
	}
	if !create {
		return nil, true
	}

	rs := s.newReplicaSet(oldRSs, newRevision)
	created, alreadyExists := rs, false
	w := s.createReplicaSet(rs)
	if observed := s.lookup(rs.Name); observed != nil {
		// Upstream sends the create all the same: it fails with
		// AlreadyExists, and upstream reads the ReplicaSet of that name
		// from its cache. If it is d's, with d's template, it is the new
		// ReplicaSet; else a hash collision, which upstream writes to
		// status (ignoring that write's failure) before ending the sync.
		// (For a collision only what follows AlreadyExists is planned:
		// a refusal of another kind gets the same fallback, where upstream
		// would write FailedRSCreate.)
		w.Events = nil
		ref := metav1.GetControllerOfNoCopy(observed)
		if ref == nil || ref.UID != s.d.UID || !rollout.EqualIgnoreHash(&s.d.Spec.Template, &observed.Spec.Template) {
			var n int32
			if s.d.Status.CollisionCount != nil {
				n = *s.d.Status.CollisionCount
			}
			s.d.Status.CollisionCount = new(n + 1)
			w.OnError.Abort = nil
			w.OnError.Events = nil
			w.OnError.Fallback = []Step{{Writes: []Write{s.statusWrite()}}}
			s.write(w)
			s.plan.Requeue.RateLimited = true
			return nil, false
		}
		w.OnError.Ignore = []ErrorKind{AlreadyExists}
		w.OnError.Abort = nil
		s.write(w)
		created, alreadyExists = observed, true
	} else {
		s.write(w)
		s.results[rs] = true
	}
	write := setDeploymentRevision(s.d, strconv.FormatInt(newRevision, 10))
	if !alreadyExists && rollout.HasProgressDeadline(s.d) {
		s.setCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, rollout.NewReplicaSetReason, fmt.Sprintf("Created new replica set %q", rs.Name))
		write = true
	}
	if write {
		s.writeStatus()
	}
	return created, true
}

// newReplicaSet builds the ReplicaSet upstream's getNewReplicaSet creates.
func (s *deploymentSync) newReplicaSet(oldRSs []*appsv1.ReplicaSet, revision int64) *appsv1.ReplicaSet {
	template := s.d.Spec.Template.DeepCopy()
	hash := rollout.TemplateHash(template, s.d.Status.CollisionCount)
	template.Labels = withLabel(s.d.Spec.Template.Labels, rollout.PodTemplateHashLabel, hash)
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{
			Name:            replicaSetName(s.d.Name, hash),
			Namespace:       s.d.Namespace,
			OwnerReferences: []metav1.OwnerReference{s.owner().ControllerRef()},
			Labels:          maps.Clone(template.Labels),
		},
		Spec: appsv1.ReplicaSetSpec{
			Replicas:        new(int32(0)),
			MinReadySeconds: s.d.Spec.MinReadySeconds,
			Selector:        selectorWithLabel(s.d.Spec.Selector, rollout.PodTemplateHashLabel, hash),
			Template:        *template,
		},
	}
	// Validation rejects what would make NewRSNewReplicas fail.
	n, _ := rollout.NewRSNewReplicas(s.d, withNew(oldRSs, rs), rs)
	rs.Spec.Replicas = new(n)
	setNewReplicaSetAnnotations(s.d, rs, revision, false, s.maxSurge)
	return rs
}

// lookup returns the namespace's ReplicaSet with that name, nil if none.
func (s *deploymentSync) lookup(name string) *appsv1.ReplicaSet {
	i, ok := slices.BinarySearchFunc(s.inNamespace, name, func(rs *appsv1.ReplicaSet, name string) int {
		return strings.Compare(rs.Name, name)
	})
	if !ok {
		return nil
	}
	return s.inNamespace[i]
}

// replicaSetName is upstream's generateReplicaSetName: <deployment>-<hash>,
// the Deployment's name cut so that the result fits a DNS subdomain.
func replicaSetName(deployment, hash string) string {
	if n := validation.DNS1123SubdomainMaxLength - 1 - len(hash); len(deployment) > n && n > 0 {
		deployment = deployment[:n]
	}
	return deployment + "-" + hash
}

// scaleReplicaSet is upstream's scaleReplicaSet: it writes rs with newScale
// replicas and d's replica annotations when the size differs, or when
// force is set and the annotations are stale. It returns whether the size
// changed and the ReplicaSet as it is after the write.
func (s *deploymentSync) scaleReplicaSet(rs *appsv1.ReplicaSet, newScale int32, force bool) (bool, *appsv1.ReplicaSet) {
	old := rollout.ReplicaSetReplicas(rs)
	if !force && old == newScale {
		return false, rs
	}
	resize := old != newScale
	if !resize && !replicasAnnotationsNeedUpdate(rs, s.replicas, s.replicas+s.maxSurge) {
		return false, rs
	}
	c := rs.DeepCopy()
	c.Spec.Replicas = new(newScale)
	setReplicasAnnotations(c, s.replicas, s.replicas+s.maxSurge)
	w := s.updateReplicaSet(rs, c)
	if resize {
		direction := "up"
		if old > newScale {
			direction = "down"
		}
		w.Events = []Event{{Type: corev1.EventTypeNormal, Reason: "ScalingReplicaSet", Message: fmt.Sprintf("Scaled %s replica set %s from %d to %d", direction, c.Name, old, newScale)}}
	}
	s.write(w)
	return resize, c
}

// scale is upstream's scale (rule scale). Like upstream's FindActiveOrLatest,
// it leaves oldRSs ordered newest first.
func (s *deploymentSync) scale(newRS *appsv1.ReplicaSet, oldRSs []*appsv1.ReplicaSet) {
	slices.Reverse(oldRSs) // oldest first before, newest first after
	if rs := rollout.FindActiveOrLatest(newRS, oldRSs); rs != nil {
		if rollout.ReplicaSetReplicas(rs) != s.replicas {
			s.scaleReplicaSet(rs, s.replicas, false)
		}
		return
	}
	if rollout.IsSaturated(s.d, newRS) {
		for _, rs := range oldRSs {
			if rollout.ReplicaSetReplicas(rs) > 0 {
				s.scaleReplicaSet(rs, 0, false)
			}
		}
		return
	}
	for _, sc := range rollout.ProportionalScale(s.d, newRS, oldRSs) {
		s.scaleReplicaSet(sc.ReplicaSet, sc.Replicas, true)
	}
}

// cleanupDeployment is upstream's cleanupDeployment.
func (s *deploymentSync) cleanupDeployment(oldRSs []*appsv1.ReplicaSet) {
	for _, step := range s.cleanupSteps(oldRSs) {
		s.write(step.Writes[0])
	}
}

// cleanupSteps are the deletions of cleanupDeployment, one step each.
func (s *deploymentSync) cleanupSteps(oldRSs []*appsv1.ReplicaSet) []Step {
	var steps []Step
	for _, rs := range rollout.ReplicaSetsToCleanUp(s.d, oldRSs) {
		steps = append(steps, Step{Writes: []Write{{Verb: Delete, Target: targetOf(replicaSetsResource, rs), OnError: OnError{Ignore: []ErrorKind{NotFound}}}}})
	}
	return steps
}

// rolloutRolling is upstream's rolloutRolling (rule rolling).
func (s *deploymentSync) rolloutRolling() {
	newRS, oldRSs, ok := s.getAllReplicaSetsAndSyncRevision(true)
	if !ok {
		return
	}
	allRSs := withNew(oldRSs, newRS)
	if s.reconcileNewReplicaSet(allRSs, newRS) {
		s.syncRolloutStatus(allRSs, newRS)
		return
	}
	first := len(s.plan.Steps)
	scaledDown := s.reconcileOldReplicaSets(newRS, oldRSs)
	last := len(s.plan.Steps)
	complete := rollout.DeploymentComplete(s.d, &s.d.Status)
	if !scaledDown && complete {
		s.cleanupDeployment(oldRSs)
	}
	rest := len(s.plan.Steps)
	s.syncRolloutStatus(allRSs, newRS)
	if last == first {
		return
	}
	// Upstream's reconcileOldReplicaSets swallows the error of a refused
	// scale-down: the scale-downs after it are skipped and the sync goes on
	// as if none had been made: old ReplicaSets cleaned up if the status
	// says the rollout is complete, then the status (which never depended
	// on the scale-downs).
	var resume []Step
	if complete {
		resume = s.cleanupSteps(oldRSs)
	}
	resume = append(resume, s.plan.Steps[rest:]...)
	for i := first; i < last; i++ {
		for j := range s.plan.Steps[i].Writes {
			s.plan.Steps[i].Writes[j].OnError.Resume = true
			s.plan.Steps[i].Writes[j].OnError.ResumeWith = resume
		}
	}
}

// reconcileNewReplicaSet is upstream's reconcileNewReplicaSet.
func (s *deploymentSync) reconcileNewReplicaSet(allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) bool {
	size := rollout.ReplicaSetReplicas(newRS)
	if size == s.replicas {
		return false
	}
	target := s.replicas
	if size < s.replicas {
		// Validation rejects what would make NewRSNewReplicas fail.
		target, _ = rollout.NewRSNewReplicas(s.d, allRSs, newRS)
	}
	scaled, _ := s.scaleReplicaSet(newRS, target, false)
	return scaled
}

// reconcileOldReplicaSets is upstream's reconcileOldReplicaSets: the scales
// of rollout.ScaleDownOldReplicaSets, each applied to the ReplicaSet as the
// previous write left it.
func (s *deploymentSync) reconcileOldReplicaSets(newRS *appsv1.ReplicaSet, oldRSs []*appsv1.ReplicaSet) bool {
	scales, scaled := rollout.ScaleDownOldReplicaSets(s.d, newRS, oldRSs)
	written := map[*appsv1.ReplicaSet]*appsv1.ReplicaSet{}
	for _, sc := range scales {
		rs := sc.ReplicaSet
		if w, ok := written[rs]; ok {
			rs = w
		}
		_, written[sc.ReplicaSet] = s.scaleReplicaSet(rs, sc.Replicas, false)
	}
	return scaled
}

// rolloutRecreate is upstream's rolloutRecreate (rule recreate).
func (s *deploymentSync) rolloutRecreate() {
	newRS, oldRSs, ok := s.getAllReplicaSetsAndSyncRevision(false)
	if !ok {
		return
	}
	allRSs := withNew(oldRSs, newRS)
	scaledDown := false
	for _, rs := range oldRSs {
		if rollout.ReplicaSetReplicas(rs) > 0 {
			if scaled, _ := s.scaleReplicaSet(rs, 0, false); scaled {
				scaledDown = true
			}
		}
	}
	if scaledDown || s.oldPodsRunning(newRS, oldRSs) {
		s.syncRolloutStatus(allRSs, newRS)
		return
	}
	if newRS == nil {
		if newRS, oldRSs, ok = s.getAllReplicaSetsAndSyncRevision(true); !ok {
			return
		}
		allRSs = withNew(oldRSs, newRS)
	}
	s.scaleReplicaSet(newRS, s.replicas, false)
	if rollout.DeploymentComplete(s.d, &s.d.Status) {
		s.cleanupDeployment(oldRSs)
	}
	s.syncRolloutStatus(allRSs, newRS)
}

// oldPodsRunning is upstream's oldPodsRunning: an old ReplicaSet reports
// pods, or a pod controlled by a claimed ReplicaSet other than newRS is not
// Succeeded or Failed (terminating pods count).
func (s *deploymentSync) oldPodsRunning(newRS *appsv1.ReplicaSet, oldRSs []*appsv1.ReplicaSet) bool {
	var reported int32
	for _, rs := range oldRSs {
		reported += rs.Status.Replicas
	}
	if reported > 0 {
		return true
	}
	// Upstream's podMap: pods indexed by their controller reference's kind,
	// name and UID, for every claimed ReplicaSet.
	owners := make(map[types.UID]string, len(s.rsList))
	for _, rs := range s.rsList {
		if newRS == nil || rs.UID != newRS.UID {
			owners[rs.UID] = rs.Name
		}
	}
	for _, p := range s.pods {
		if p == nil || p.Namespace != s.d.Namespace {
			continue
		}
		ref := metav1.GetControllerOfNoCopy(p)
		if ref == nil || ref.Kind != "ReplicaSet" {
			continue
		}
		if name, ok := owners[ref.UID]; !ok || name != ref.Name {
			continue
		}
		if p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed {
			return true
		}
	}
	return false
}

// syncDeploymentStatus is upstream's syncDeploymentStatus.
func (s *deploymentSync) syncDeploymentStatus(allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) {
	status := rollout.CalculateStatus(s.d, allRSs, newRS, s.now)
	if reflect.DeepEqual(s.d.Status, status) {
		return
	}
	s.d.Status = status
	s.writeStatus()
}

// syncRolloutStatus is upstream's syncRolloutStatus with
// requeueStuckDeployment.
func (s *deploymentSync) syncRolloutStatus(allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) {
	status := rollout.CalculateRolloutStatus(s.d, allRSs, newRS, s.now)
	if !reflect.DeepEqual(s.d.Status, status) {
		s.d.Status = status
		s.writeStatus()
		return
	}
	if after, ok := rollout.ProgressCheckAfter(s.d, &status, s.now); ok {
		if after < time.Second {
			s.plan.Requeue.RateLimited = true
		} else {
			s.plan.Requeue.After = after + time.Second
		}
	}
}

// rollback is upstream's rollback for the legacy rollback annotation
// (rule rollback).
func (s *deploymentSync) rollback() {
	newRS, oldRSs, ok := s.getAllReplicaSetsAndSyncRevision(true)
	if !ok {
		return
	}
	allRSs := withNew(oldRSs, newRS)
	to, _ := rollbackTo(s.d)
	if to == 0 {
		if to = rollout.LastRevision(allRSs); to == 0 {
			s.event(corev1.EventTypeWarning, rollout.RollbackRevisionNotFound, "Unable to find last revision.")
			s.updateDeploymentAndClearRollbackTo()
			return
		}
	}
	for _, rs := range allRSs {
		if v, err := rollout.Revision(rs); err != nil || v != to {
			continue
		}
		if rollout.EqualIgnoreHash(&s.d.Spec.Template, &rs.Spec.Template) {
			s.event(corev1.EventTypeWarning, rollout.RollbackTemplateUnchanged, fmt.Sprintf("The rollback revision contains the same template as current deployment %q", s.d.Name))
			s.updateDeploymentAndClearRollbackTo()
			return
		}
		setFromReplicaSetTemplate(s.d, &rs.Spec.Template)
		setDeploymentAnnotationsTo(s.d, rs)
		s.updateDeploymentAndClearRollbackTo(Event{Type: corev1.EventTypeNormal, Reason: rollout.RollbackDone, Message: fmt.Sprintf("Rolled back deployment %q to revision %d", s.d.Name, to)})
		return
	}
	s.event(corev1.EventTypeWarning, rollout.RollbackRevisionNotFound, "Unable to find the revision to rollback to.")
	s.updateDeploymentAndClearRollbackTo()
}

// updateDeploymentAndClearRollbackTo is upstream's function of that name;
// events are recorded once the update succeeded.
func (s *deploymentSync) updateDeploymentAndClearRollbackTo(events ...Event) {
	delete(s.d.Annotations, rollout.RollbackToAnnotation)
	s.write(Write{
		Verb:         Update,
		Target:       targetOf(deploymentsResource, s.d),
		Precondition: Precondition{ResourceVersion: s.observedRV},
		Object:       s.d.DeepCopy(),
		Events:       events,
	})
}

// rollbackTo is upstream's getRollbackTo: the revision in the legacy
// rollback annotation; an empty or unparsable value is no request.
func rollbackTo(d *appsv1.Deployment) (int64, bool) {
	v := d.Annotations[rollout.RollbackToAnnotation]
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}

func (s *deploymentSync) setCondition(t appsv1.DeploymentConditionType, status corev1.ConditionStatus, reason, message string) {
	rollout.SetCondition(&s.d.Status, rollout.NewCondition(t, status, reason, message, s.now))
}

// writeStatus records an UpdateStatus of upstream's in-memory Deployment.
// Upstream sends the whole object, and the API server keeps every metadata
// change but labels from a status write: that is how the revision
// annotation reaches the Deployment. Upstream never reads the result, so
// every write of the sync carries the observed resourceVersion, and a
// second one is refused with a Conflict.
func (s *deploymentSync) writeStatus() {
	s.write(s.statusWrite())
}

func (s *deploymentSync) statusWrite() Write {
	return Write{
		Verb:         UpdateStatus,
		Target:       targetOf(deploymentsResource, s.d),
		Precondition: Precondition{ResourceVersion: s.observedRV},
		Object:       s.d.DeepCopy(),
	}
}

// updateReplicaSet is the update of rs (observed, or returned by an earlier
// write of the plan) to c.
func (s *deploymentSync) updateReplicaSet(rs, c *appsv1.ReplicaSet) Write {
	s.results[c] = true
	return Write{
		Verb:         Update,
		Target:       targetOf(replicaSetsResource, rs),
		Precondition: Precondition{ResourceVersion: rs.ResourceVersion, FromPrevious: s.results[rs]},
		Object:       c,
	}
}

// createReplicaSet is getNewReplicaSet's create of rs. An AlreadyExists
// answer means the informer missed the ReplicaSet: upstream's cache read
// fails and its sync ends. A create refused because the namespace is
// terminating ends the sync too, and upstream's worker then forgets the
// Deployment (handleErr) rather than requeue it. Any other refusal sets
// the Progressing condition to FailedRSCreate (a status write whose own
// failure upstream ignores) and records a warning.
func (s *deploymentSync) createReplicaSet(rs *appsv1.ReplicaSet) Write {
	w := Write{
		Verb:    Create,
		Target:  Target{Resource: replicaSetsResource, Namespace: rs.Namespace, Name: rs.Name},
		Object:  rs,
		OnError: OnError{Abort: []ErrorKind{AlreadyExists}, Forget: []ErrorKind{NamespaceTerminating}},
	}
	if n := rollout.ReplicaSetReplicas(rs); n > 0 {
		w.Events = []Event{{Type: corev1.EventTypeNormal, Reason: "ScalingReplicaSet", Message: fmt.Sprintf("Scaled up replica set %s from 0 to %d", rs.Name, n)}}
	}
	msg := fmt.Sprintf("Failed to create new replica set %q: %s", rs.Name, ErrorPlaceholder)
	if rollout.HasProgressDeadline(s.d) {
		failed := s.d.DeepCopy()
		rollout.SetCondition(&failed.Status, rollout.NewCondition(appsv1.DeploymentProgressing, corev1.ConditionFalse, rollout.FailedRSCreateReason, msg, s.now))
		fb := s.statusWrite()
		fb.Object = failed
		w.OnError.Fallback = append(w.OnError.Fallback, Step{Writes: []Write{fb}})
	}
	w.OnError.Fallback = append(w.OnError.Fallback, Step{Events: []Event{{Type: corev1.EventTypeWarning, Reason: rollout.FailedRSCreateReason, Message: msg}}})
	return w
}

// event records an event upstream records without a write: it is placed
// before the plan's next write.
func (s *deploymentSync) event(eventType, reason, message string) {
	s.pending = append(s.pending, Event{Type: eventType, Reason: reason, Message: message})
}

func (s *deploymentSync) write(w Write) {
	s.plan.Steps = append(s.plan.Steps, Step{Events: s.pending, Writes: []Write{w}})
	s.pending = nil
}

// flushEvents places the events recorded after the last write.
func (s *deploymentSync) flushEvents() {
	if len(s.pending) > 0 {
		s.plan.Steps = append(s.plan.Steps, Step{Events: s.pending})
		s.pending = nil
	}
}

// withNew is upstream's append(oldRSs, newRS), into a new array.
func withNew(oldRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) []*appsv1.ReplicaSet {
	return append(slices.Clip(oldRSs), newRS)
}
