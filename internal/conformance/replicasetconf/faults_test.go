package replicasetconf

import (
	"math/rand/v2"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/reckon-k8s/reckon/internal/conformance/harness"
	"github.com/reckon-k8s/reckon/workload"
)

// failureRate is the share of generated scenarios (and chain steps) whose
// store drifts or refuses writes.
const failureRate = 0.2

// The failure kinds a scenario can exercise; a full run must reach each.
var failureKinds = []string{
	"create-internal-error", "create-quota-exceeded", "create-namespace-terminating",
	"delete-internal-error", "delete-gone", "delete-not-found",
	"claim-internal-error", "claim-gone", "claim-recreated",
	"status-conflict-retried", "status-conflict-twice", "status-internal-error", "status-stale-informer",
}

// newStore returns the API server of sc: its objects as sc.Drift has
// them, refusing the writes of sc.Faults.
func (sc *scenario) newStore() *harness.Store {
	objs := harness.Objects(harness.Objects(nil, sc.allReplicaSets()...), sc.Pods...)
	subject := harness.Subject{Kind: "ReplicaSet", Namespace: sc.RS.Namespace, Name: sc.RS.Name}
	return harness.NewStore(sc.Now, subject, sc.Drift, sc.Faults, objs...)
}

// addFailures makes sc, with probability rate, a scenario whose API
// server drifted from the informers or refuses some writes: one failure
// kind (sometimes two) among those reckon's plan for sc gives a chance to
// happen, each aimed at a write the plan makes. The plan only picks the
// targets: the store refuses the same writes whoever sends them.
func addFailures(sc *scenario, r *rand.Rand, rate float64) {
	if r.Float64() >= rate {
		return
	}
	plan, err := runReckon(sc)
	if err != nil {
		return // the comparison reports it
	}
	var creates, victims int
	var claimed, released []workload.Write
	status := false
	for _, s := range plan.Steps {
		for _, w := range s.Writes {
			switch w.Verb {
			case workload.Create:
				creates++
			case workload.Delete:
				victims++
			case workload.Patch:
				claimed = append(claimed, w)
				if strings.Contains(string(w.PatchData), `"$patch":"delete"`) {
					released = append(released, w)
				}
			case workload.UpdateStatus:
				status = true
			}
		}
	}
	forced, owned := forcedVictims(sc, victims)
	nth := func(n int) int { return 1 + r.IntN(n) }
	createFault := func(reason string, rest bool) func() {
		return func() {
			k := nth(creates)
			f := harness.Fault{Verb: workload.Create, Resource: "pods", Nth: k, Reason: reason}
			if rest {
				f.Times = creates - k + 1
			}
			sc.Faults = append(sc.Faults, f)
		}
	}
	kinds := []harness.FailureKind{
		{Name: "create-internal-error", Applies: creates > 0, Add: createFault(harness.InternalError, false)},
		{Name: "create-quota-exceeded", Applies: creates > 0, Add: createFault(harness.QuotaExceeded, r.IntN(2) == 0)},
		{Name: "create-namespace-terminating", Applies: creates > 0, Add: createFault(harness.NamespaceTerminating, true)},
		{Name: "delete-internal-error", Applies: len(forced) > 0, Add: func() {
			p := forced[r.IntN(len(forced))]
			sc.Faults = append(sc.Faults, harness.Fault{Verb: workload.Delete, Resource: "pods", Name: p.Name, Nth: 1, Reason: harness.InternalError})
		}},
		{Name: "delete-not-found", Applies: len(forced) > 0, Add: func() {
			p := forced[r.IntN(len(forced))]
			sc.Faults = append(sc.Faults, harness.Fault{Verb: workload.Delete, Resource: "pods", Name: p.Name, Nth: 1, Reason: harness.NotFound})
		}},
		{Name: "delete-gone", Applies: len(owned) > 0, Add: func() {
			p := owned[r.IntN(len(owned))]
			sc.Drift = append(sc.Drift, harness.Drift{Kind: harness.Gone, Resource: "pods", Namespace: p.Namespace, Name: p.Name})
		}},
		{Name: "claim-internal-error", Applies: len(claimed) > 0, Add: func() {
			w := claimed[r.IntN(len(claimed))]
			sc.Faults = append(sc.Faults, harness.Fault{Verb: workload.Patch, Resource: "pods", Name: w.Target.Name, Nth: 1, Reason: harness.InternalError})
		}},
		{Name: "claim-gone", Applies: len(released) > 0, Add: func() {
			w := released[r.IntN(len(released))]
			sc.Drift = append(sc.Drift, harness.Drift{Kind: harness.Gone, Resource: "pods", Namespace: w.Target.Namespace, Name: w.Target.Name})
		}},
		{Name: "claim-recreated", Applies: len(claimed) > 0, Add: func() {
			w := claimed[r.IntN(len(claimed))]
			sc.Drift = append(sc.Drift, harness.Drift{Kind: harness.Recreated, Resource: "pods", Namespace: w.Target.Namespace, Name: w.Target.Name})
		}},
		{Name: "status-conflict-retried", Applies: status, Add: func() {
			sc.Faults = append(sc.Faults, harness.Fault{Verb: workload.UpdateStatus, Resource: "replicasets", Name: sc.RS.Name, Nth: 1, Reason: harness.Conflict})
		}},
		{Name: "status-conflict-twice", Applies: status, Add: func() {
			sc.Faults = append(sc.Faults, harness.Fault{Verb: workload.UpdateStatus, Resource: "replicasets", Name: sc.RS.Name, Nth: 1, Times: 2, Reason: harness.Conflict})
		}},
		{Name: "status-internal-error", Applies: status, Add: func() {
			sc.Faults = append(sc.Faults, harness.Fault{Verb: workload.UpdateStatus, Resource: "replicasets", Name: sc.RS.Name, Nth: 1 + r.IntN(2), Reason: harness.InternalError})
		}},
		{Name: "status-stale-informer", Applies: status, Add: func() {
			d := harness.Drift{Kind: harness.Newer, Resource: "replicasets", Namespace: sc.RS.Namespace, Name: sc.RS.Name}
			if r.IntN(2) == 0 {
				d.Replicas = new(int32(r.IntN(6)))
			}
			sc.Drift = append(sc.Drift, d)
		}},
	}
	sc.Kinds = append(sc.Kinds, harness.PickFailures(r, kinds)...)
}

// forcedVictims returns the pods every deletion upstream's ranking allows
// deletes when n pods go: those strictly before every pod kept, under a
// ranking that is a strict weak ordering. A fault aimed at such a pod hits
// upstream's deletions whatever its unstable sort does with ties. owned
// are those of them that rs already controls (not adopted in this sync).
func forcedVictims(sc *scenario, n int) (forced, owned []*corev1.Pod) {
	if n == 0 {
		return nil, nil
	}
	cands, orphan, ranks := candidates(sc)
	pick := func(i int) {
		forced = append(forced, cands[i])
		if !orphan[i] {
			owned = append(owned, cands[i])
		}
	}
	if n >= len(cands) {
		for i := range cands {
			pick(i)
		}
		return forced, owned
	}
	m := len(cands)
	less := lessMatrix(sc, cands, ranks)
	if !strictWeak(less) {
		return nil, nil
	}
	// Keeping i would keep every pod after it too (a valid choice keeps
	// no pod strictly before one it deletes): impossible when m-n or more
	// pods are strictly after i.
	for i := range m {
		after := 0
		for j := range m {
			if less[i][j] {
				after++
			}
		}
		if after >= m-n {
			pick(i)
		}
	}
	return forced, owned
}
