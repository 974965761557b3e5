package replicasetconf

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/kubernetes/pkg/controller"

	"github.com/reckon-k8s/reckon/internal/conformance/harness"
	"github.com/reckon-k8s/reckon/workload"
)

// A drift is a way the API server's copy of an object differs from the
// informers' (which lag behind it): the pod was deleted (gone), deleted
// and created again under the same name (recreated: another UID), or the
// ReplicaSet was written since (newer: another resourceVersion, with
// spec.replicas changed when Replicas is set).
type drift struct {
	Kind      string `json:"kind"`
	Resource  string `json:"resource"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Replicas  *int32 `json:"replicas,omitempty"`
}

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
	var objs []workload.Object
	for _, rs := range sc.allReplicaSets() {
		switch d := sc.driftOf("replicasets", rs.Namespace, rs.Name); {
		case d == nil:
			objs = append(objs, rs)
		case d.Kind == "newer":
			c := rs.DeepCopy()
			c.ResourceVersion = newerRV(rs.ResourceVersion)
			if d.Replicas != nil {
				c.Spec.Replicas = new(*d.Replicas)
				c.Generation++
			}
			objs = append(objs, c)
		}
	}
	for _, p := range sc.Pods {
		switch d := sc.driftOf("pods", p.Namespace, p.Name); {
		case d == nil:
			objs = append(objs, p)
		case d.Kind == "recreated":
			c := p.DeepCopy()
			c.UID = types.UID(string(p.UID) + "-2")
			c.ResourceVersion = newerRV(p.ResourceVersion)
			c.OwnerReferences = nil
			objs = append(objs, c)
		}
	}
	subject := harness.Subject{Kind: "ReplicaSet", Namespace: sc.RS.Namespace, Name: sc.RS.Name}
	return harness.NewStore(sc.Now, subject, sc.Faults, objs...)
}

func newerRV(rv string) string {
	n, _ := strconv.Atoi(rv)
	return strconv.Itoa(n + 100000)
}

func (sc *scenario) driftOf(resource, namespace, name string) *drift {
	for i, d := range sc.Drift {
		if d.Resource == resource && d.Namespace == namespace && d.Name == name {
			return &sc.Drift[i]
		}
	}
	return nil
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
	type kind struct {
		name string
		ok   bool
		add  func()
	}
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
	kinds := []kind{
		{"create-internal-error", creates > 0, createFault(harness.InternalError, false)},
		{"create-quota-exceeded", creates > 0, createFault(harness.QuotaExceeded, r.IntN(2) == 0)},
		{"create-namespace-terminating", creates > 0, createFault(harness.NamespaceTerminating, true)},
		{"delete-internal-error", len(forced) > 0, func() {
			p := forced[r.IntN(len(forced))]
			sc.Faults = append(sc.Faults, harness.Fault{Verb: workload.Delete, Resource: "pods", Name: p.Name, Nth: 1, Reason: harness.InternalError})
		}},
		{"delete-not-found", len(forced) > 0, func() {
			p := forced[r.IntN(len(forced))]
			sc.Faults = append(sc.Faults, harness.Fault{Verb: workload.Delete, Resource: "pods", Name: p.Name, Nth: 1, Reason: harness.NotFound})
		}},
		{"delete-gone", len(owned) > 0, func() {
			p := owned[r.IntN(len(owned))]
			sc.Drift = append(sc.Drift, drift{Kind: "gone", Resource: "pods", Namespace: p.Namespace, Name: p.Name})
		}},
		{"claim-internal-error", len(claimed) > 0, func() {
			w := claimed[r.IntN(len(claimed))]
			sc.Faults = append(sc.Faults, harness.Fault{Verb: workload.Patch, Resource: "pods", Name: w.Target.Name, Nth: 1, Reason: harness.InternalError})
		}},
		{"claim-gone", len(released) > 0, func() {
			w := released[r.IntN(len(released))]
			sc.Drift = append(sc.Drift, drift{Kind: "gone", Resource: "pods", Namespace: w.Target.Namespace, Name: w.Target.Name})
		}},
		{"claim-recreated", len(claimed) > 0, func() {
			w := claimed[r.IntN(len(claimed))]
			sc.Drift = append(sc.Drift, drift{Kind: "recreated", Resource: "pods", Namespace: w.Target.Namespace, Name: w.Target.Name})
		}},
		{"status-conflict-retried", status, func() {
			sc.Faults = append(sc.Faults, harness.Fault{Verb: workload.UpdateStatus, Resource: "replicasets", Name: sc.RS.Name, Nth: 1, Reason: harness.Conflict})
		}},
		{"status-conflict-twice", status, func() {
			sc.Faults = append(sc.Faults, harness.Fault{Verb: workload.UpdateStatus, Resource: "replicasets", Name: sc.RS.Name, Nth: 1, Times: 2, Reason: harness.Conflict})
		}},
		{"status-internal-error", status, func() {
			sc.Faults = append(sc.Faults, harness.Fault{Verb: workload.UpdateStatus, Resource: "replicasets", Name: sc.RS.Name, Nth: 1 + r.IntN(2), Reason: harness.InternalError})
		}},
		{"status-stale-informer", status, func() {
			d := drift{Kind: "newer", Resource: "replicasets", Namespace: sc.RS.Namespace, Name: sc.RS.Name}
			if r.IntN(2) == 0 {
				d.Replicas = new(int32(r.IntN(6)))
			}
			sc.Drift = append(sc.Drift, d)
		}},
	}
	kinds = slices.DeleteFunc(kinds, func(k kind) bool { return !k.ok })
	if len(kinds) == 0 {
		return
	}
	r.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	n := 1
	if r.Float64() < 0.3 {
		n = 2
	}
	for _, k := range kinds[:min(n, len(kinds))] {
		k.add()
		sc.Kinds = append(sc.Kinds, k.name)
	}
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
	ranked := controller.ActivePodsWithRanks{Pods: cands, Rank: ranks, Now: metav1.NewTime(sc.Now)}
	m := len(cands)
	less := make([][]bool, m)
	for i := range less {
		less[i] = make([]bool, m)
		for j := range less[i] {
			less[i][j] = ranked.Less(i, j)
		}
	}
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
