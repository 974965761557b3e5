package deploymentconf

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/reckon-k8s/reckon/internal/conformance/harness"
	"github.com/reckon-k8s/reckon/workload"
)

// failureRate is the share of generated scenarios (and chain steps) whose
// store drifts or refuses writes.
const failureRate = 0.2

// The failure kinds a scenario can exercise; a full run must reach each.
var failureKinds = []string{
	"rs-create-internal-error", "rs-create-quota-exceeded", "rs-create-namespace-terminating", "rs-create-already-exists",
	"rs-update-conflict", "rs-update-internal-error", "rs-delete-gone", "rs-delete-internal-error",
	"status-conflict", "status-internal-error", "rollback-update-conflict",
	"claim-internal-error", "claim-release-gone", "claim-recreated",
}

func failureOutcomes() []string {
	var out []string
	for _, k := range failureKinds {
		out = append(out, "failure="+k)
	}
	return out
}

// newStore returns the API server of sc: its objects as sc.Drift has
// them, refusing the writes of sc.Faults.
func (sc *scenario) newStore() *harness.Store {
	objs := harness.Objects(harness.Objects([]workload.Object{sc.Deployment}, sc.ReplicaSets...), sc.Pods...)
	subject := harness.Subject{Kind: "Deployment", Namespace: sc.Deployment.Namespace, Name: sc.Deployment.Name}
	return harness.NewStore(sc.Now, subject, sc.Drift, sc.Faults, objs...)
}

// addFailures makes sc, with probability rate, a scenario whose API server
// drifted from the informers or refuses some writes: one failure kind
// (sometimes two) among those reckon's plan for sc gives a chance to
// happen, each aimed at a write the plan makes. The plan only picks the
// targets: the store refuses the same writes whoever sends them.
func addFailures(sc *scenario, r *rand.Rand, rate float64) {
	if r.Float64() >= rate {
		return
	}
	plan, err := runReckon(sc, nil)
	if err != nil {
		return // the comparison reports it
	}
	var creates, updates, deletes, adopts, releases, claims []workload.Write
	var status, rollback int
	for _, s := range plan.Steps {
		for _, w := range s.Writes {
			switch {
			case w.Verb == workload.Create:
				creates = append(creates, w)
			case w.Verb == workload.Update && w.Target.Resource.Resource == "replicasets" && !w.Precondition.FromPrevious:
				updates = append(updates, w)
			case w.Verb == workload.Update:
				if w.Target.Resource.Resource == "deployments" {
					rollback++
				}
			case w.Verb == workload.Delete:
				deletes = append(deletes, w)
			case w.Verb == workload.Patch:
				claims = append(claims, w)
				if strings.Contains(string(w.PatchData), `"$patch":"delete"`) {
					releases = append(releases, w)
				} else {
					adopts = append(adopts, w)
				}
			case w.Verb == workload.UpdateStatus:
				status++
			}
		}
	}
	// Upstream drops an object whose adoption finds it gone from what it
	// claimed, which changes every later decision of the sync: a plan
	// cannot follow (see doc.go), so no failure makes an adoption NotFound.
	adopted := func(name string) bool {
		return slices.ContainsFunc(adopts, func(w workload.Write) bool { return w.Target.Name == name })
	}
	deletes = slices.DeleteFunc(deletes, func(w workload.Write) bool { return adopted(w.Target.Name) })
	// A create of a name the informer holds is planned to be refused with
	// AlreadyExists (see doc.go): it must neither be refused otherwise (a
	// plan states one fallback for every other refusal, for a hash
	// collision the collision's) nor find the name free.
	taken := func(w workload.Write) bool { return sc.replicaSet(w.Target.Namespace, w.Target.Name) != nil }
	releases = slices.DeleteFunc(releases, func(w workload.Write) bool {
		return slices.ContainsFunc(creates, func(c workload.Write) bool { return c.Target.Name == w.Target.Name })
	})
	creates = slices.DeleteFunc(creates, taken)
	pick := func(ws []workload.Write) workload.Write { return ws[r.IntN(len(ws))] }
	fault := func(verb workload.Verb, resource, name string, nth int, reason string) {
		sc.Faults = append(sc.Faults, harness.Fault{Verb: verb, Resource: resource, Name: name, Nth: nth, Reason: reason})
	}
	createFault := func(reason string) func() {
		return func() { fault(workload.Create, "replicasets", pick(creates).Target.Name, 1, reason) }
	}
	d := sc.Deployment
	kinds := []harness.FailureKind{
		{Name: "rs-create-internal-error", Applies: len(creates) > 0, Add: createFault(harness.InternalError)},
		{Name: "rs-create-quota-exceeded", Applies: len(creates) > 0, Add: createFault(harness.QuotaExceeded)},
		{Name: "rs-create-namespace-terminating", Applies: len(creates) > 0, Add: createFault(harness.NamespaceTerminating)},
		{Name: "rs-create-already-exists", Applies: len(creates) > 0, Add: func() {
			rs := pick(creates).Object.(*appsv1.ReplicaSet).DeepCopy()
			rs.UID = types.UID("unseen-" + rs.Name)
			rs.ResourceVersion = "100"
			rs.Generation = 1
			rs.CreationTimestamp = metav1.NewTime(sc.Now.Add(-time.Second).Truncate(time.Second))
			sc.Drift = append(sc.Drift, harness.Drift{Kind: harness.Unseen, Resource: "replicasets", Namespace: rs.Namespace, Name: rs.Name, Object: rs})
		}},
		{Name: "rs-update-conflict", Applies: len(updates) > 0, Add: func() {
			w := pick(updates)
			sc.Drift = append(sc.Drift, harness.Drift{Kind: harness.Newer, Resource: "replicasets", Namespace: w.Target.Namespace, Name: w.Target.Name})
		}},
		{Name: "rs-update-internal-error", Applies: len(updates) > 0, Add: func() {
			fault(workload.Update, "replicasets", pick(updates).Target.Name, 1, harness.InternalError)
		}},
		{Name: "rs-delete-gone", Applies: len(deletes) > 0, Add: func() {
			w := pick(deletes)
			sc.Drift = append(sc.Drift, harness.Drift{Kind: harness.Gone, Resource: "replicasets", Namespace: w.Target.Namespace, Name: w.Target.Name})
		}},
		{Name: "rs-delete-internal-error", Applies: len(deletes) > 0, Add: func() {
			fault(workload.Delete, "replicasets", pick(deletes).Target.Name, 1, harness.InternalError)
		}},
		{Name: "status-conflict", Applies: status+rollback > 0, Add: func() {
			sc.Drift = append(sc.Drift, harness.Drift{Kind: harness.Newer, Resource: "deployments", Namespace: d.Namespace, Name: d.Name})
		}},
		{Name: "status-internal-error", Applies: status > 0, Add: func() {
			fault(workload.UpdateStatus, "deployments", d.Name, 1+r.IntN(status), harness.InternalError)
		}},
		{Name: "rollback-update-conflict", Applies: rollback > 0, Add: func() {
			fault(workload.Update, "deployments", d.Name, 1, harness.Conflict)
		}},
		{Name: "claim-internal-error", Applies: len(claims) > 0, Add: func() {
			fault(workload.Patch, "replicasets", pick(claims).Target.Name, 1, harness.InternalError)
		}},
		{Name: "claim-release-gone", Applies: len(releases) > 0, Add: func() {
			w := pick(releases)
			sc.Drift = append(sc.Drift, harness.Drift{Kind: harness.Gone, Resource: "replicasets", Namespace: w.Target.Namespace, Name: w.Target.Name})
		}},
		{Name: "claim-recreated", Applies: len(claims) > 0, Add: func() {
			w := pick(claims)
			sc.Drift = append(sc.Drift, harness.Drift{Kind: harness.Recreated, Resource: "replicasets", Namespace: w.Target.Namespace, Name: w.Target.Name})
		}},
	}
	sc.Kinds = append(sc.Kinds, harness.PickFailures(r, kinds)...)
}
