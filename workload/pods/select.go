package pods

import (
	"time"

	corev1 "k8s.io/api/core/v1"
)

// SelectForDeletion returns the n pods a ReplicaSet scaling down deletes, in deletion order:
// candidates are its active pods and ranks[i] is the co-location rank of candidates[i] (see
// CoLocationRanks). It reproduces upstream getPodsToDelete (pkg/controller/replicaset/replica_set.go)
// with the ranking of controller.ActivePodsWithRanks at the v1.36 defaults, evaluated at now.
//
// When n covers every candidate, upstream deletes them all without sorting, and so does
// SelectForDeletion: the result is the candidates in input order. Otherwise the result is the first
// n pods of the order described in the package documentation, found by partial selection in
// O(len(candidates)·log n) time without sorting the rest. That order equals upstream's whenever
// upstream's comparison is consistent on the candidates; pods upstream leaves tied are ordered by
// UID, namespace, name and finally input position, so the result does not depend on the input order
// unless two candidates share all three. See the package documentation for the rare inconsistent
// case.
//
// Missing ranks (ranks shorter than candidates) count as 0. Nil candidates are never selected. n <= 0
// gives nil. The candidates slice and the pods are not modified; the result is a new slice of the
// caller's pod pointers.
func SelectForDeletion(candidates []*corev1.Pod, ranks []int, n int, now time.Time) []*corev1.Pod {
	return selectForDeletion(candidates, nil, ranks, n, now)
}

// SelectForDeletionTiered is SelectForDeletion with one more tie-break ahead
// of the UID: among pods upstream's ranking leaves tied, a lower tiers[i]
// goes first (a missing entry is tier 0). It exists because upstream's
// ReplicaSet controller ranks the pods it already controls ahead of the
// orphans it adopts in the same sync: FilterPodsByOwner lists them in that
// order, and on small inputs sort.Sort keeps that order among equals.
// PlanReplicaSet passes tier 0 for controlled pods and 1 for adopted ones.
func SelectForDeletionTiered(candidates []*corev1.Pod, tiers, ranks []int, n int, now time.Time) []*corev1.Pod {
	return selectForDeletion(candidates, tiers, ranks, n, now)
}

func selectForDeletion(candidates []*corev1.Pod, tiers, ranks []int, n int, now time.Time) []*corev1.Pod {
	live := 0
	for _, p := range candidates {
		if p != nil {
			live++
		}
	}
	if n <= 0 || live == 0 {
		return nil
	}
	if n >= live {
		out := make([]*corev1.Pod, 0, live)
		for _, p := range candidates {
			if p != nil {
				out = append(out, p)
			}
		}
		return out
	}

	r := newRanker(now)
	r.tiers = tiers
	// sel is a max-heap under P of the n smallest keys seen so far.
	sel := make([]key, 0, n)
	for i, p := range candidates {
		if p == nil {
			continue
		}
		k := r.head(p, rankAt(ranks, i), i)
		if len(sel) < n {
			r.finish(&k)
			sel = append(sel, k)
			siftUp(sel, len(sel)-1, r.cmpP)
			continue
		}
		if cmpHead(&k, &sel[0]) > 0 {
			continue // loses at rules 1-5 already: skip the timestamps
		}
		r.finish(&k)
		if r.cmpP(&k, &sel[0]) < 0 {
			sel[0] = k
			siftDown(sel, 0, r.cmpP)
		}
	}
	sortKeys(sel, r.cmpP)
	r.completeRun(sel, candidates, ranks)
	r.orderRuns(sel)

	out := make([]*corev1.Pod, n)
	for i := range sel {
		out[i] = sel[i].pod
	}
	return out
}

// completeRun fixes the one place where the first n pods in P order can differ from the first n in
// the final order: when the last selected pod belongs to a run that continues past the cut, the run
// is reordered by rules 7 and 8 before being cut. sel is sorted by P and is the P-prefix of the
// candidates; afterwards its last run holds the run's best members under cmpRest.
func (r *ranker) completeRun(sel []key, candidates []*corev1.Pod, ranks []int) {
	b := sel[len(sel)-1]
	if b.head&1 == 0 || !r.inRunGroup(&b) {
		return
	}
	s := len(sel) - 1
	for s > 0 && r.sameRun(&sel[s-1], &b) {
		s--
	}

	// The run ends at the first pod of the group, in P order, with another ready instant.
	var stop key
	haveStop, more := false, false
	for i, p := range candidates {
		k, ok := r.groupMember(p, ranks, i, &b)
		if !ok {
			continue
		}
		if k.ready.sameInstant(&b.ready) {
			more = true
		} else if !haveStop || r.cmpP(&k, &stop) < 0 {
			stop, haveStop = k, true
		}
	}
	if !more {
		return
	}

	run := sel[s:]
	for i := len(run)/2 - 1; i >= 0; i-- {
		siftDown(run, i, r.cmpRest)
	}
	for i, p := range candidates {
		k, ok := r.groupMember(p, ranks, i, &b)
		if !ok || !k.ready.sameInstant(&b.ready) || (haveStop && r.cmpP(&k, &stop) > 0) {
			continue
		}
		if r.cmpRest(&k, &run[0]) < 0 {
			run[0] = k
			siftDown(run, 0, r.cmpRest)
		}
	}
}

// groupMember returns the key of candidate i when it is in b's run group and after b in P order.
// Cheap checks come first: most candidates differ from b in rank or in rules 1-4.
func (r *ranker) groupMember(p *corev1.Pod, ranks []int, i int, b *key) (key, bool) {
	if p == nil || rankAt(ranks, i) != b.rank {
		return key{}, false
	}
	k := r.head(p, b.rank, i)
	if cmpHead(&k, b) != 0 {
		return key{}, false
	}
	r.finish(&k)
	return k, r.sameGroup(&k, b) && r.cmpP(&k, b) > 0
}

func rankAt(ranks []int, i int) int {
	if i < len(ranks) {
		return ranks[i]
	}
	return 0
}

// siftUp and siftDown maintain a max-heap: h[0] is the key that comes last under c.
func siftUp(h []key, i int, c func(a, b *key) int) {
	for i > 0 {
		parent := (i - 1) / 2
		if c(&h[i], &h[parent]) <= 0 {
			return
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

func siftDown(h []key, i int, c func(a, b *key) int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && c(&h[r], &h[l]) > 0 {
			m = r
		}
		if c(&h[m], &h[i]) <= 0 {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}
