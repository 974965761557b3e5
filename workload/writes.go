package workload

import (
	"encoding/json"
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/reckon-k8s/reckon/rollout"
	"github.com/reckon-k8s/reckon/selector"
)

// The resources the planners write.
var (
	podsResource        = corev1.SchemeGroupVersion.WithResource("pods")
	replicaSetsResource = appsv1.SchemeGroupVersion.WithResource("replicasets")
	deploymentsResource = appsv1.SchemeGroupVersion.WithResource("deployments")
)

func targetOf(res schema.GroupVersionResource, obj metav1.Object) Target {
	return Target{Resource: res, Namespace: obj.GetNamespace(), Name: obj.GetName(), UID: obj.GetUID()}
}

// claimWrites are the patches of upstream's ControllerRefManager for a
// claim: every adoption, then every release. Upstream makes them one after
// another but goes on after a failure and fails the sync at the end, so
// they form one step. An object that is gone is no failure; nor is a
// release the API server refuses as invalid (the object lost its reference
// or was recreated under another UID).
func claimWrites[T metav1.Object](res schema.GroupVersionResource, owner selector.Owner, c selector.Claim[T]) []Write {
	ws := make([]Write, 0, len(c.Adopt)+len(c.Release))
	ref := owner.ControllerRef()
	for _, o := range c.Adopt {
		ws = append(ws, Write{
			Verb:         Patch,
			Target:       targetOf(res, o),
			Precondition: Precondition{UID: o.GetUID()},
			PatchType:    types.StrategicMergePatchType,
			PatchData:    adoptPatch(ref, o.GetUID()),
			OnError:      OnError{Ignore: []ErrorKind{NotFound}},
		})
	}
	for _, o := range c.Release {
		ws = append(ws, Write{
			Verb:         Patch,
			Target:       targetOf(res, o),
			Precondition: Precondition{UID: o.GetUID()},
			PatchType:    types.StrategicMergePatchType,
			PatchData:    releasePatch(o.GetUID(), owner.UID),
			OnError:      OnError{Ignore: []ErrorKind{NotFound, Invalid}},
		})
	}
	return ws
}

// adoptPatch is the strategic-merge patch upstream sends to adopt an
// object: it adds the controller reference and pins the object's UID.
func adoptPatch(ref metav1.OwnerReference, uid types.UID) []byte {
	type meta struct {
		OwnerReferences []metav1.OwnerReference `json:"ownerReferences"`
		UID             types.UID               `json:"uid"`
	}
	b, _ := json.Marshal(struct {
		Metadata meta `json:"metadata"`
	}{meta{[]metav1.OwnerReference{ref}, uid}})
	return b
}

// releasePatch is the strategic-merge patch upstream sends to release an
// object from the owner with UID owner.
func releasePatch(uid, owner types.UID) []byte {
	type ref struct {
		Patch string    `json:"$patch"`
		UID   types.UID `json:"uid"`
	}
	type meta struct {
		UID             types.UID `json:"uid"`
		OwnerReferences []ref     `json:"ownerReferences"`
	}
	b, _ := json.Marshal(struct {
		Metadata meta `json:"metadata"`
	}{meta{uid, []ref{{"delete", owner}}}})
	return b
}

// describe says in a few words what a write changes, for Write.String.
func describe(w Write) string {
	switch o := w.Object.(type) {
	case *appsv1.ReplicaSet:
		if w.Verb == UpdateStatus {
			s := o.Status
			return fmt.Sprintf("replicas %d, ready %d, available %d", s.Replicas, s.ReadyReplicas, s.AvailableReplicas)
		}
		return fmt.Sprintf("replicas %d", rollout.ReplicaSetReplicas(o))
	case *appsv1.Deployment:
		if w.Verb == UpdateStatus {
			s := o.Status
			return fmt.Sprintf("replicas %d, updated %d, ready %d, available %d", s.Replicas, s.UpdatedReplicas, s.ReadyReplicas, s.AvailableReplicas)
		}
	case *corev1.Pod:
		if w.Verb == Create && o.Name == "" {
			return "generateName " + o.GenerateName
		}
	}
	if w.Verb == Patch {
		return describePatch(w.PatchData)
	}
	if w.Propagation != "" {
		return "propagation " + string(w.Propagation)
	}
	return ""
}

// describePatch names an ownership patch: "adopt by <kind> <name>" or
// "release".
func describePatch(data []byte) string {
	var p struct {
		Metadata struct {
			OwnerReferences []struct {
				Patch string `json:"$patch"`
				Kind  string `json:"kind"`
				Name  string `json:"name"`
			} `json:"ownerReferences"`
		} `json:"metadata"`
	}
	if json.Unmarshal(data, &p) != nil || len(p.Metadata.OwnerReferences) != 1 {
		return string(data)
	}
	r := p.Metadata.OwnerReferences[0]
	if r.Patch == "delete" {
		return "release"
	}
	return "adopt by " + strings.ToLower(r.Kind) + " " + r.Name
}
