package pods

import (
	"cmp"
	"math"
	"math/bits"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/reckon-k8s/reckon/internal/podcond"
)

// DeletionCost returns the value of p's controller.kubernetes.io/pod-deletion-cost annotation,
// which lets users steer scale-down (lower cost is deleted first). It reproduces upstream
// helper.GetDeletionCostFromPodAnnotations (pkg/apis/core/helper/helpers.go) with its error
// discarded, as the ranking does: the value must be a base-10 int32 whose first character is "-"
// or a digit 1-9, or be exactly "0". Anything else ("+1", "008", "", " 1", "1e3", out of int32
// range) counts as 0, the same as no annotation. Note that the first-character rule lets "-007"
// through as -7. A nil pod costs 0.
func DeletionCost(p *corev1.Pod) int32 {
	if p == nil {
		return 0
	}
	v, ok := p.Annotations[corev1.PodDeletionCost]
	if !ok {
		return 0
	}
	return parseCost(v)
}

// parseCost is validFirstDigit followed by strconv.ParseInt(s, 10, 32), written out so that an
// invalid annotation costs no allocation (strconv's error value allocates).
func parseCost(s string) int32 {
	if s == "" || !(s[0] == '-' || s == "0" || ('1' <= s[0] && s[0] <= '9')) {
		return 0
	}
	neg := s[0] == '-'
	digits := s
	if neg {
		digits = s[1:]
	}
	if digits == "" {
		return 0
	}
	var v int64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0
		}
		v = v*10 + int64(c-'0')
		if v > math.MaxInt32+1 {
			return 0
		}
	}
	if neg {
		v = -v
	}
	if v > math.MaxInt32 {
		return 0
	}
	return int32(v)
}

// CoLocationRanks returns, for each candidate, the number of active pods in related that run on the
// candidate's node (spec.nodeName, so all unscheduled pods share the node ""). The ranking deletes
// pods with a higher rank first, spreading the survivors across nodes. related is normally every pod
// selected by any ReplicaSet that has the same controller as the one scaling down, and usually
// includes the candidates themselves.
//
// It reproduces upstream getPodsRankedByRelatedPodsOnSameNode together with the deduplication of
// getIndirectlyRelatedPods (pkg/controller/replicaset/replica_set.go): entries of related that share a
// UID are one pod and only the first is counted. Deliberate difference: a pod without a UID (which
// the API server never produces) is told apart by pointer rather than merged with every other
// UID-less pod, so simulations that omit UIDs get the ranks a real cluster would give. Nil entries
// are skipped; a nil candidate gets rank 0.
func CoLocationRanks(candidates, related []*corev1.Pod) []int {
	seen := make(map[types.UID]struct{}, len(related))
	seenPtr := make(map[*corev1.Pod]struct{})
	onNode := make(map[string]int)
	for _, p := range related {
		if p == nil {
			continue
		}
		if p.UID == "" {
			if _, dup := seenPtr[p]; dup {
				continue
			}
			seenPtr[p] = struct{}{}
		} else {
			if _, dup := seen[p.UID]; dup {
				continue
			}
			seen[p.UID] = struct{}{}
		}
		if IsActive(p) {
			onNode[p.Spec.NodeName]++
		}
	}
	ranks := make([]int, len(candidates))
	for i, p := range candidates {
		if p != nil {
			ranks[i] = onNode[p.Spec.NodeName]
		}
	}
	return ranks
}

// DeletionLess reports whether a should be deleted before b when a ReplicaSet scales down, a having
// co-location rank rankA and b rankB (see CoLocationRanks). It is upstream's
// controller.ActivePodsWithRanks.Less (pkg/controller/controller_utils.go) with the v1.36 defaults
// LogarithmicScaleDown and PodDeletionCost on and Now = now; see the package documentation for the
// rules. Like upstream it is a pairwise comparison only: it is not always transitive (see "Ties and
// cycles" in the package documentation), so use SelectForDeletion to pick pods. A nil pod is never
// deleted before anything, and every pod is deleted before a nil one.
func DeletionLess(a, b *corev1.Pod, rankA, rankB int, now time.Time) bool {
	if a == nil || b == nil {
		return a != nil
	}
	// 1. Unassigned before assigned.
	if a.Spec.NodeName != b.Spec.NodeName && (a.Spec.NodeName == "" || b.Spec.NodeName == "") {
		return a.Spec.NodeName == ""
	}
	// 2. Pending (and any unlisted phase) < Unknown < Running.
	if pa, pb := phaseOrdinal(a.Status.Phase), phaseOrdinal(b.Status.Phase); pa != pb {
		return pa < pb
	}
	// 3. Not ready before ready.
	ca, cb := podcond.ReadyCondition(a), podcond.ReadyCondition(b)
	readyA := ca != nil && ca.Status == corev1.ConditionTrue
	readyB := cb != nil && cb.Status == corev1.ConditionTrue
	if readyA != readyB {
		return !readyA
	}
	// 4. Lower deletion cost first.
	if da, db := DeletionCost(a), DeletionCost(b); da != db {
		return da < db
	}
	// 5. Higher co-location rank first.
	if rankA != rankB {
		return rankA > rankB
	}
	// 6. Ready for a shorter time first, on a log2 scale, UID within a bucket.
	if readyA && readyB {
		ta, tb := ca.LastTransitionTime.Time, cb.LastTransitionTime.Time
		if !ta.Equal(tb) {
			return timeLess(ta, tb, a.UID, b.UID, now)
		}
	}
	// 7. More container restarts first, then more restartable-init-container restarts.
	ra, sa := restarts(a)
	rb, sb := restarts(b)
	if ra != rb {
		return ra > rb
	}
	if sa != sb {
		return sa > sb
	}
	// 8. Created more recently first, on the same scale as rule 6.
	if ta, tb := a.CreationTimestamp.Time, b.CreationTimestamp.Time; !ta.Equal(tb) {
		return timeLess(ta, tb, a.UID, b.UID, now)
	}
	return false
}

// timeLess is the time comparison of upstream rules 6 and 8 for two different instants.
func timeLess(ta, tb time.Time, uidA, uidB types.UID, now time.Time) bool {
	if now.IsZero() || ta.IsZero() || tb.IsZero() {
		return afterOrZero(ta, tb)
	}
	ba, bb := logBucket(now, ta), logBucket(now, tb)
	if ba == bb {
		return uidA < uidB
	}
	return ba < bb
}

// afterOrZero is upstream's afterOrZero: a zero time counts as later than any other.
func afterOrZero(t1, t2 time.Time) bool {
	if t1.IsZero() || t2.IsZero() {
		return t1.IsZero()
	}
	return t1.After(t2)
}

// logBucket is upstream's logarithmic rank of the age of t: int64(math.Log2(float64(now-t))) with
// the age in nanoseconds, or -1 for an age <= 0. Below 2^47ns (about 39 hours) that is exactly
// the position of the highest set bit; above, float64 rounding can lift an age just under a power
// of two into the next bucket (2^53-1ns lands in bucket 53), so the float expression is used as is.
func logBucket(now, t time.Time) int8 {
	d := now.Sub(t)
	if d <= 0 {
		return -1
	}
	if d < 1<<47 {
		return int8(bits.Len64(uint64(d)) - 1)
	}
	return int8(int64(math.Log2(float64(d))))
}

// phaseOrdinal is upstream's podPhaseToOrdinal map lookup: phases it does not list (including "",
// Succeeded and Failed) read as 0, like Pending.
func phaseOrdinal(p corev1.PodPhase) uint8 {
	switch p {
	case corev1.PodUnknown:
		return 1
	case corev1.PodRunning:
		return 2
	}
	return 0
}

// restarts is upstream's maxContainerRestarts: the highest restart count over the regular
// containers, and over the init containers whose spec has restartPolicy Always (sidecars). Counts
// below zero read as zero, as upstream starts its maxima at zero.
func restarts(p *corev1.Pod) (regular, sidecar int) {
	for i := range p.Status.ContainerStatuses {
		regular = max(regular, int(p.Status.ContainerStatuses[i].RestartCount))
	}
	for i := range p.Status.InitContainerStatuses {
		s := &p.Status.InitContainerStatuses[i]
		if int(s.RestartCount) > sidecar && restartableInit(p, s.Name) {
			sidecar = int(s.RestartCount)
		}
	}
	return regular, sidecar
}

func restartableInit(p *corev1.Pod, name string) bool {
	for i := range p.Spec.InitContainers {
		c := &p.Spec.InitContainers[i]
		if c.Name == name && c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			return true
		}
	}
	return false
}

// key holds everything the ranking reads from one pod, extracted once so that comparisons touch
// no maps, conditions or container lists.
type key struct {
	pod               *corev1.Pod
	pos               int // index in the caller's slice: the last tie-break
	tier              int // the caller's tier (SelectForDeletionTiered): the first tie-break
	rank              int
	head              uint8 // assigned<<3 | phase<<1 | ready: rules 1-3 as one number
	cost              int32
	readyCond         *corev1.PodCondition // the Ready condition of a ready pod
	restarts, sidecar int
	ready, created    stamp
}

// stamp is a timestamp reduced to what rules 6 and 8 compare.
type stamp struct {
	sec    int64 // the instant, exactly: time.Time.Equal on these two fields
	nsec   int32
	zero   bool
	bucket int8 // logBucket(now, t); unused when now is zero
}

func (s *stamp) sameInstant(o *stamp) bool { return s.sec == o.sec && s.nsec == o.nsec }

// ranker computes and compares keys for one scale-down decision.
type ranker struct {
	now     time.Time
	nowZero bool
	tiers   []int // nil unless SelectForDeletionTiered
}

func newRanker(now time.Time) ranker { return ranker{now: now, nowZero: now.IsZero()} }

func (r *ranker) stamp(t time.Time) stamp {
	s := stamp{sec: t.Unix(), nsec: int32(t.Nanosecond()), zero: t.IsZero()}
	if !r.nowZero && !s.zero {
		s.bucket = logBucket(r.now, t)
	}
	return s
}

// head starts a key with what rules 1-5 need. It is cheap (no timestamps, no container lists),
// so a pod that already loses at these rules is rejected before finish.
func (r *ranker) head(p *corev1.Pod, rank, pos int) key {
	k := key{pod: p, pos: pos, rank: rank, cost: DeletionCost(p)}
	if pos < len(r.tiers) {
		k.tier = r.tiers[pos]
	}
	if p.Spec.NodeName != "" {
		k.head = 1 << 3
	}
	k.head |= phaseOrdinal(p.Status.Phase) << 1
	if c := podcond.ReadyCondition(p); c != nil && c.Status == corev1.ConditionTrue {
		k.head |= 1
		k.readyCond = c
	}
	return k
}

// finish completes a key started by head.
func (r *ranker) finish(k *key) {
	if k.readyCond != nil {
		k.ready = r.stamp(k.readyCond.LastTransitionTime.Time)
	}
	k.restarts, k.sidecar = restarts(k.pod)
	k.created = r.stamp(k.pod.CreationTimestamp.Time)
}

// cmpHead compares by rules 1-5 only.
func cmpHead(a, b *key) int {
	if c := cmp.Compare(a.head, b.head); c != 0 {
		return c
	}
	if c := cmp.Compare(a.cost, b.cost); c != 0 {
		return c
	}
	return cmp.Compare(b.rank, a.rank)
}

// cmpStamp is the part of rules 6 and 8 that does not look at UIDs: zero first, then either later
// first (now zero) or the younger log2 bucket first. It returns 0 when the rule cannot decide at this
// level: same instant, or (now set) same bucket.
func (r *ranker) cmpStamp(a, b *stamp) int {
	switch {
	case a.zero || b.zero:
		if a.zero == b.zero {
			return 0
		}
		if a.zero {
			return -1
		}
		return 1
	case r.nowZero:
		if c := cmp.Compare(b.sec, a.sec); c != 0 {
			return c
		}
		return cmp.Compare(b.nsec, a.nsec)
	default:
		return cmp.Compare(a.bucket, b.bucket)
	}
}

// inRunGroup reports whether a (a ready pod whose ready time compared equal at the stamp level with
// another) belongs to a group ordered by UID with runs (package documentation, rule P).
func (r *ranker) inRunGroup(a *key) bool { return !r.nowZero && !a.ready.zero }

// cmpP is the pre-order P of the package documentation: negative when a comes first.
func (r *ranker) cmpP(a, b *key) int {
	if c := cmpHead(a, b); c != 0 {
		return c
	}
	if a.head&1 == 1 {
		if c := r.cmpStamp(&a.ready, &b.ready); c != 0 {
			return c
		}
		if r.inRunGroup(a) {
			return cmpUID(a, b) // rule 6 within one bucket
		}
	}
	return r.cmpRest(a, b)
}

// cmpRest orders by rules 7 and 8 and the tie-break; it is the whole order inside a run.
func (r *ranker) cmpRest(a, b *key) int {
	if c := cmp.Compare(b.restarts, a.restarts); c != 0 {
		return c
	}
	if c := cmp.Compare(b.sidecar, a.sidecar); c != 0 {
		return c
	}
	if c := r.cmpStamp(&a.created, &b.created); c != 0 {
		return c
	}
	if !a.created.sameInstant(&b.created) {
		return cmpUID(a, b) // rule 8 within one bucket
	}
	return cmpTie(a, b)
}

// cmpTie orders pods upstream's rules leave tied: by the caller's tier,
// then as cmpUID.
func cmpTie(a, b *key) int {
	if c := cmp.Compare(a.tier, b.tier); c != 0 {
		return c
	}
	return cmpUID(a, b)
}

// cmpUID orders by UID (rule 6's own tie-break within a bucket), then
// namespace, name and position in the input.
func cmpUID(a, b *key) int {
	if c := cmp.Compare(a.pod.UID, b.pod.UID); c != 0 {
		return c
	}
	if c := cmp.Compare(a.pod.Namespace, b.pod.Namespace); c != 0 {
		return c
	}
	if c := cmp.Compare(a.pod.Name, b.pod.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.pos, b.pos)
}

// sameGroup reports whether a and b are in one run group: equal under rules 1-5, both ready with
// non-zero ready times in the same log2 bucket, now set.
func (r *ranker) sameGroup(a, b *key) bool {
	return a.head == b.head && a.head&1 == 1 && a.cost == b.cost && a.rank == b.rank &&
		r.inRunGroup(a) && r.inRunGroup(b) && a.ready.bucket == b.ready.bucket
}

// sameRun reports whether a and b, adjacent in P order, are in one run: same group and the very same
// ready instant.
func (r *ranker) sameRun(a, b *key) bool {
	return r.sameGroup(a, b) && a.ready.sameInstant(&b.ready)
}

// orderRuns turns a slice sorted by P, which must be a prefix of the candidates in P order, into
// the final order by sorting every run with cmpRest.
func (r *ranker) orderRuns(ks []key) {
	for i := 0; i < len(ks); {
		j := i + 1
		for j < len(ks) && r.sameRun(&ks[i], &ks[j]) {
			j++
		}
		if j-i > 1 {
			sortKeys(ks[i:j], r.cmpRest)
		}
		i = j
	}
}

// sortKeys sorts ks by c, a strict total order (cmpP and cmpRest end in the input position, so no
// two keys compare equal and the result is unique). It is a heapsort on the selection's own heap
// helpers: no allocation, whatever the number of runs.
func sortKeys(ks []key, c func(a, b *key) int) {
	for i := len(ks)/2 - 1; i >= 0; i-- {
		siftDown(ks, i, c)
	}
	for end := len(ks) - 1; end > 0; end-- {
		ks[0], ks[end] = ks[end], ks[0]
		siftDown(ks[:end], 0, c)
	}
}
