package harness

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/reckon-k8s/reckon/workload"
)

// A Drift is a way the API server's copy of an object differs from the
// informers' copy (informers lag behind the server): the object was
// deleted (gone), deleted and created again under the same name
// (recreated: another UID, no owner), written since (newer: another
// resourceVersion; for a ReplicaSet with Replicas set, also another
// spec.replicas and generation), or created and not yet seen (unseen:
// Object, which the informers do not hold). Like a Fault it is the same on
// both sides of a comparison and is saved with a regression case.
type Drift struct {
	Kind      string             `json:"kind"`
	Resource  string             `json:"resource"`
	Namespace string             `json:"namespace"`
	Name      string             `json:"name"`
	Replicas  *int32             `json:"replicas,omitempty"`
	Object    *appsv1.ReplicaSet `json:"object,omitempty"`
}

// The kinds of drift.
const (
	Gone      = "gone"
	Recreated = "recreated"
	Newer     = "newer"
	Unseen    = "unseen"
)

// Drifted returns what the API server holds where the informers hold objs:
// each object as the first drift naming it has it, then the unseen ones.
func Drifted(drifts []Drift, objs ...workload.Object) []workload.Object {
	out := make([]workload.Object, 0, len(objs))
	for _, o := range objs {
		d := driftOf(drifts, resourceOfObject(o), o.GetNamespace(), o.GetName())
		switch {
		case d == nil:
			out = append(out, o)
		case d.Kind == Newer:
			c := copyObject(o)
			c.SetResourceVersion(newerRV(o.GetResourceVersion()))
			if rs, ok := c.(*appsv1.ReplicaSet); ok && d.Replicas != nil {
				rs.Spec.Replicas = new(*d.Replicas)
				rs.Generation++
			}
			out = append(out, c)
		case d.Kind == Recreated:
			c := copyObject(o)
			c.SetUID(types.UID(string(o.GetUID()) + "-2"))
			c.SetResourceVersion(newerRV(o.GetResourceVersion()))
			c.SetOwnerReferences(nil)
			out = append(out, c)
		}
	}
	for _, d := range drifts {
		if d.Kind == Unseen && d.Object != nil {
			out = append(out, d.Object)
		}
	}
	return out
}

func driftOf(drifts []Drift, resource, namespace, name string) *Drift {
	for i, d := range drifts {
		if d.Resource == resource && d.Namespace == namespace && d.Name == name {
			return &drifts[i]
		}
	}
	return nil
}

// resourceOfObject is the resource of o: "pods" for a Pod.
func resourceOfObject(o workload.Object) string {
	return strings.ToLower(kindOf(o)) + "s"
}

// CopyDrifts returns a deep copy of drifts.
func CopyDrifts(drifts []Drift) []Drift {
	if drifts == nil {
		return nil
	}
	out := make([]Drift, len(drifts))
	for i, d := range drifts {
		out[i] = d
		if d.Replicas != nil {
			out[i].Replicas = new(*d.Replicas)
		}
		if d.Object != nil {
			out[i].Object = d.Object.DeepCopy()
		}
	}
	return out
}

// newerRV is a resourceVersion later than rv, as numbers.
func newerRV(rv string) string {
	n, _ := strconv.Atoi(rv)
	return strconv.Itoa(n + 100000)
}

// A FailureKind is one way a scenario's store can drift from the informers
// or refuse writes.
type FailureKind struct {
	Name    string
	Applies bool   // the scenario's plan gives it a chance to happen
	Add     func() // adds its drift or faults to the scenario
}

// PickFailures adds one of the kinds that apply (two, three times in ten),
// chosen with r, and returns their names.
func PickFailures(r *rand.Rand, kinds []FailureKind) []string {
	kinds = slices.DeleteFunc(slices.Clone(kinds), func(k FailureKind) bool { return !k.Applies })
	r.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	n := 1
	if r.Float64() < 0.3 {
		n = 2
	}
	var names []string
	for _, k := range kinds[:min(n, len(kinds))] {
		k.Add()
		names = append(names, k.Name)
	}
	return names
}

// Objects appends xs to objs.
func Objects[T workload.Object](objs []workload.Object, xs ...T) []workload.Object {
	for _, x := range xs {
		objs = append(objs, x)
	}
	return objs
}
