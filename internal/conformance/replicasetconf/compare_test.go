package replicasetconf

import (
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/kubernetes/pkg/controller"

	"github.com/reckon-k8s/reckon/workload"
)

// runReckon plans the same sync with reckon, handing it the informer's
// lists in a shuffled order.
func runReckon(sc *scenario) (workload.Plan, error) {
	r := rand.New(rand.NewPCG(sc.OrderSeed, 1))
	pods := slices.Clone(sc.Pods)
	r.Shuffle(len(pods), func(i, j int) { pods[i], pods[j] = pods[j], pods[i] })
	rss := slices.Clone(sc.ReplicaSets)
	if sc.SelfInReplicaSets {
		rss = append(rss, sc.RS)
	}
	r.Shuffle(len(rss), func(i, j int) { rss[i], rss[j] = rss[j], rss[i] })
	return workload.PlanReplicaSet(sc.RS, workload.ReplicaSetState{Pods: pods, ReplicaSets: rss, ExpectationsPending: sc.ExpectationsPending}, sc.Now)
}

// candidates returns the pods upstream ranks for deletion, in the order
// groups its informer hands them over (the pods it controls, then the
// orphans it adopts), with their co-location ranks, as replica_set.go
// computes them: the active pods upstream's owner index returns for the
// ReplicaSet (controlled by it by kind, name and UID, or orphans of its
// namespace) that its selector matches, and for each the number of active
// pods on its node among the pods selected by every ReplicaSet sharing its
// controller (getIndirectlyRelatedPods, getPodsRankedByRelatedPodsOnSameNode).
func candidates(sc *scenario) (pods []*corev1.Pod, orphan []bool, ranks []int) {
	rs := sc.RS
	sel := mustSelector(rs)
	key := controller.PodControllerIndexKey(rs.Namespace, &metav1.OwnerReference{Kind: "ReplicaSet", Name: rs.Name, UID: rs.UID})
	var owned, orphans []*corev1.Pod
	for _, p := range sc.Pods {
		if p.Namespace != rs.Namespace || !controller.IsPodActive(p) || !sel.Matches(labels.Set(p.Labels)) {
			continue
		}
		switch ctl := metav1.GetControllerOf(p); {
		case ctl == nil:
			orphans = append(orphans, p)
		case controller.PodControllerIndexKey(p.Namespace, ctl) == key:
			owned = append(owned, p)
		}
	}
	pods = append(owned, orphans...)
	orphan = make([]bool, len(pods))
	for i := len(owned); i < len(pods); i++ {
		orphan[i] = true
	}
	onNode := map[string]int{}
	if ctl := metav1.GetControllerOf(rs); ctl != nil {
		seen := map[types.UID]bool{}
		for _, other := range sc.allReplicaSets() {
			if c := metav1.GetControllerOf(other); c == nil || c.UID != ctl.UID {
				continue
			}
			s := mustSelector(other)
			for _, p := range sc.Pods {
				if p.Namespace != other.Namespace || !s.Matches(labels.Set(p.Labels)) || seen[p.UID] {
					continue
				}
				seen[p.UID] = true
				if controller.IsPodActive(p) {
					onNode[p.Spec.NodeName]++
				}
			}
		}
	}
	ranks = make([]int, len(pods))
	for i, p := range pods {
		ranks[i] = onNode[p.Spec.NodeName]
	}
	return pods, orphan, ranks
}

// acceptDeletes decides whether reckon's deleted set rk, which differs
// from upstream's up, is one upstream could also have chosen.
//
// Upstream sorts the candidates with sort.Sort, which is not stable,
// using controller.ActivePodsWithRanks.Less, and deletes the first n. Its
// input order comes from its informer's index: the pods it controls in Go
// map order, then the orphans it adopts in Go map order. So the choice
// among pods Less cannot tell apart is not fixed, and that is the only
// freedom upstream has. rk is accepted when upstream's own sort.Sort, run
// on an input order the informer can produce (any order of the controlled
// pods, then any order of the orphans), deletes exactly rk. The orders
// tried: within each group a topological order of Less that puts rk's pods
// first (both of sort.Sort's algorithms return an input that has no
// inversion unchanged, and insertion sort, used up to 12 pods, is stable),
// then seeded shuffles. Two cases:
//
//   - Less is a strict weak ordering on the candidates (the usual case):
//     rk must first keep no pod strictly before one it deletes; the search
//     then settles which of the tied pods upstream can pick ("tie
//     accepted"). Note that a tie between a controlled pod and an adopted
//     orphan is not free when insertion sort runs: the controlled pod comes
//     first.
//   - Less is not a strict weak ordering (rules 6-8 are not transitive when
//     ready times tie exactly within one log2 bucket): sort.Sort's contract
//     does not apply, and the result is whatever its algorithm makes of the
//     input order ("cycle accepted" when the search finds rk).
//
// Less is used at the sync's now: the shifted scenario's Now is within
// driftMargin of upstream's metav1.Now(), and the harness checked that no
// log2 bucket differs between the two.
func acceptDeletes(sc *scenario, up, rk []string) (ok, cycle bool, why string) {
	if len(up) != len(rk) {
		return false, false, "different counts"
	}
	cands, orphan, ranks := candidates(sc)
	idx := map[string]int{}
	for i, p := range cands {
		idx[p.Namespace+"/"+p.Name] = i
	}
	inSet := func(names []string) ([]bool, bool) {
		in := make([]bool, len(cands))
		for _, n := range names {
			i, ok := idx[n]
			if !ok {
				return nil, false
			}
			in[i] = true
		}
		return in, true
	}
	upIn, ok1 := inSet(up)
	rkIn, ok2 := inSet(rk)
	if !ok1 {
		return false, false, "harness: upstream deleted a pod that is not a candidate"
	}
	if !ok2 {
		return false, false, "reckon deleted a pod that is not a candidate"
	}
	now := metav1.NewTime(sc.Now)
	m := len(cands)
	less := lessMatrix(sc, cands, ranks)
	valid := func(in []bool) bool {
		for s := range m {
			for c := range m {
				if in[s] && !in[c] && less[c][s] {
					return false
				}
			}
		}
		return true
	}
	swo := strictWeak(less)
	if swo {
		if !valid(upIn) {
			return false, false, "harness: upstream's own choice is not valid under Less"
		}
		if !valid(rkIn) {
			return false, false, "reckon keeps a pod that upstream ranks strictly before one it deletes"
		}
	}

	var owned, orphans []int
	for i := range m {
		if orphan[i] {
			orphans = append(orphans, i)
		} else {
			owned = append(owned, i)
		}
	}
	deletes := func(order []int) bool {
		s := controller.ActivePodsWithRanks{Now: now}
		for _, i := range order {
			s.Pods = append(s.Pods, cands[i])
			s.Rank = append(s.Rank, ranks[i])
		}
		sort.Sort(s)
		got := make([]string, 0, len(rk))
		for _, p := range s.Pods[:len(rk)] {
			got = append(got, p.Namespace+"/"+p.Name)
		}
		sort.Strings(got)
		return slices.Equal(got, rk)
	}
	found := deletes(append(topological(owned, less, rkIn), topological(orphans, less, rkIn)...))
	if !found {
		// The listing order PlanReplicaSet documents for small candidate
		// sets (controlled pods, then adopted ones, each by name): one the
		// informer can produce, and the one reckon sorts.
		byName := func(ix []int) []int {
			out := slices.Clone(ix)
			slices.SortFunc(out, func(a, b int) int { return strings.Compare(cands[a].Name, cands[b].Name) })
			return out
		}
		found = deletes(append(byName(owned), byName(orphans)...))
	}
	r := rand.New(rand.NewPCG(uint64(m), 7))
	attempts := 2000
	if m > 60 {
		attempts = 200
	}
	for range attempts {
		if found {
			break
		}
		r.Shuffle(len(owned), func(i, j int) { owned[i], owned[j] = owned[j], owned[i] })
		r.Shuffle(len(orphans), func(i, j int) { orphans[i], orphans[j] = orphans[j], orphans[i] })
		found = deletes(append(slices.Clone(owned), orphans...))
	}
	switch {
	case found:
		return true, !swo, ""
	case swo:
		return false, false, "reckon picks among tied pods, but upstream's sort picks its choice for none of the input orders its informer can produce that were tried"
	}
	return false, false, "Less is not a strict weak ordering here, and upstream's sort deletes reckon's choice for none of the input orders its informer can produce that were tried"
}

// lessMatrix is upstream's ranking for deletion (ActivePodsWithRanks.Less
// at sc.Now) between every two candidates.
func lessMatrix(sc *scenario, cands []*corev1.Pod, ranks []int) [][]bool {
	ranked := controller.ActivePodsWithRanks{Pods: cands, Rank: ranks, Now: metav1.NewTime(sc.Now)}
	less := make([][]bool, len(cands))
	for i := range less {
		less[i] = make([]bool, len(cands))
		for j := range less[i] {
			less[i][j] = ranked.Less(i, j)
		}
	}
	return less
}

// topological orders idx so that, where it can, nothing comes after an
// element it is Less than, taking preferred elements first whenever one is
// free. On a cycle it breaks the cycle at the first remaining element
// (preferred first).
func topological(idx []int, less [][]bool, prefer []bool) []int {
	rest := slices.Clone(idx)
	out := make([]int, 0, len(idx))
	for len(rest) > 0 {
		pick := -1
		for k, i := range rest {
			free := true
			for _, j := range rest {
				if j != i && less[j][i] {
					free = false
					break
				}
			}
			if free && (pick == -1 || prefer[i] && !prefer[rest[pick]]) {
				pick = k
			}
		}
		if pick == -1 {
			pick = max(0, slices.IndexFunc(rest, func(i int) bool { return prefer[i] }))
		}
		out = append(out, rest[pick])
		rest = slices.Delete(rest, pick, pick+1)
	}
	return out
}

// strictWeak reports whether less is a strict weak ordering: irreflexive,
// transitive, and with transitive incomparability.
func strictWeak(less [][]bool) bool {
	m := len(less)
	for i := range m {
		if less[i][i] {
			return false
		}
		for j := range m {
			if less[i][j] && less[j][i] {
				return false
			}
			for k := range m {
				if less[i][j] && less[j][k] && !less[i][k] {
					return false
				}
				incIJ := !less[i][j] && !less[j][i]
				incJK := !less[j][k] && !less[k][j]
				if incIJ && incJK && (less[i][k] || less[k][i]) {
					return false
				}
			}
		}
	}
	return true
}
