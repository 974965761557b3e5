package deploymentconf

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/reckon-k8s/reckon/internal/conformance/harness"
	"github.com/reckon-k8s/reckon/workload"
)

// A drift is a way the API server's copy of an object differs from the
// informers' (which lag behind it): the ReplicaSet was deleted (gone),
// deleted and created again under the same name (recreated: another UID),
// created and not yet seen (unseen: Object), or the object was written
// since (newer: another resourceVersion).
type drift struct {
	Kind      string             `json:"kind"`
	Resource  string             `json:"resource"`
	Namespace string             `json:"namespace"`
	Name      string             `json:"name"`
	Object    *appsv1.ReplicaSet `json:"object,omitempty"`
}

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

func (sc *scenario) driftOf(resource, namespace, name string) *drift {
	for i, d := range sc.Drift {
		if d.Resource == resource && d.Namespace == namespace && d.Name == name {
			return &sc.Drift[i]
		}
	}
	return nil
}

func newerRV(rv string) string {
	n, _ := strconv.Atoi(rv)
	return strconv.Itoa(n + 100000)
}

// newStore returns the API server of sc: its objects as sc.Drift has
// them, refusing the writes of sc.Faults.
func (sc *scenario) newStore() *harness.Store {
	var objs []workload.Object
	d := sc.Deployment
	if dr := sc.driftOf("deployments", d.Namespace, d.Name); dr != nil && dr.Kind == "newer" {
		d = d.DeepCopy()
		d.ResourceVersion = newerRV(d.ResourceVersion)
	}
	objs = append(objs, d)
	for _, rs := range sc.ReplicaSets {
		switch dr := sc.driftOf("replicasets", rs.Namespace, rs.Name); {
		case dr == nil:
			objs = append(objs, rs)
		case dr.Kind == "newer":
			c := rs.DeepCopy()
			c.ResourceVersion = newerRV(rs.ResourceVersion)
			objs = append(objs, c)
		case dr.Kind == "recreated":
			c := rs.DeepCopy()
			c.UID = types.UID(string(rs.UID) + "-2")
			c.ResourceVersion = newerRV(rs.ResourceVersion)
			c.OwnerReferences = nil
			objs = append(objs, c)
		}
	}
	for _, dr := range sc.Drift {
		if dr.Kind == "unseen" {
			objs = append(objs, dr.Object)
		}
	}
	for _, p := range sc.Pods {
		objs = append(objs, p)
	}
	subject := harness.Subject{Kind: "Deployment", Namespace: sc.Deployment.Namespace, Name: sc.Deployment.Name}
	return harness.NewStore(sc.Now, subject, sc.Faults, objs...)
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
	kinds := []struct {
		name string
		ok   bool
		add  func()
	}{
		{"rs-create-internal-error", len(creates) > 0, createFault(harness.InternalError)},
		{"rs-create-quota-exceeded", len(creates) > 0, createFault(harness.QuotaExceeded)},
		{"rs-create-namespace-terminating", len(creates) > 0, createFault(harness.NamespaceTerminating)},
		{"rs-create-already-exists", len(creates) > 0, func() {
			rs := pick(creates).Object.(*appsv1.ReplicaSet).DeepCopy()
			rs.UID = types.UID("unseen-" + rs.Name)
			rs.ResourceVersion = "100"
			rs.Generation = 1
			rs.CreationTimestamp = metav1.NewTime(sc.Now.Add(-time.Second).Truncate(time.Second))
			sc.Drift = append(sc.Drift, drift{Kind: "unseen", Resource: "replicasets", Namespace: rs.Namespace, Name: rs.Name, Object: rs})
		}},
		{"rs-update-conflict", len(updates) > 0, func() {
			w := pick(updates)
			sc.Drift = append(sc.Drift, drift{Kind: "newer", Resource: "replicasets", Namespace: w.Target.Namespace, Name: w.Target.Name})
		}},
		{"rs-update-internal-error", len(updates) > 0, func() {
			fault(workload.Update, "replicasets", pick(updates).Target.Name, 1, harness.InternalError)
		}},
		{"rs-delete-gone", len(deletes) > 0, func() {
			w := pick(deletes)
			sc.Drift = append(sc.Drift, drift{Kind: "gone", Resource: "replicasets", Namespace: w.Target.Namespace, Name: w.Target.Name})
		}},
		{"rs-delete-internal-error", len(deletes) > 0, func() {
			fault(workload.Delete, "replicasets", pick(deletes).Target.Name, 1, harness.InternalError)
		}},
		{"status-conflict", status+rollback > 0, func() {
			sc.Drift = append(sc.Drift, drift{Kind: "newer", Resource: "deployments", Namespace: d.Namespace, Name: d.Name})
		}},
		{"status-internal-error", status > 0, func() {
			fault(workload.UpdateStatus, "deployments", d.Name, 1+r.IntN(status), harness.InternalError)
		}},
		{"rollback-update-conflict", rollback > 0, func() {
			fault(workload.Update, "deployments", d.Name, 1, harness.Conflict)
		}},
		{"claim-internal-error", len(claims) > 0, func() {
			fault(workload.Patch, "replicasets", pick(claims).Target.Name, 1, harness.InternalError)
		}},
		{"claim-release-gone", len(releases) > 0, func() {
			w := pick(releases)
			sc.Drift = append(sc.Drift, drift{Kind: "gone", Resource: "replicasets", Namespace: w.Target.Namespace, Name: w.Target.Name})
		}},
		{"claim-recreated", len(claims) > 0, func() {
			w := pick(claims)
			sc.Drift = append(sc.Drift, drift{Kind: "recreated", Resource: "replicasets", Namespace: w.Target.Namespace, Name: w.Target.Name})
		}},
	}
	kinds = slices.DeleteFunc(kinds, func(k struct {
		name string
		ok   bool
		add  func()
	}) bool {
		return !k.ok
	})
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
