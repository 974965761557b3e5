package workload

import (
	"encoding/json"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// An Action is one write a plan asks the caller to make. The concrete types
// are CreatePod, DeletePod, Adopt, Release, CreateReplicaSet,
// UpdateReplicaSet, DeleteReplicaSet, UpdateDeployment and
// UpdateDeploymentStatus; a plan lists them in the order upstream issues them. Upstream sends the creations (and the deletions) of
// one sync concurrently, so a caller may apply a run of actions of the same
// type in any order or in parallel.
type Action interface {
	fmt.Stringer
	action()
}

// ObjectRef names an object a plan acts on without aliasing it.
type ObjectRef struct {
	Kind      string
	Namespace string
	Name      string
	UID       types.UID
}

func (r ObjectRef) String() string {
	return fmt.Sprintf("%s %s/%s", strings.ToLower(r.Kind), r.Namespace, r.Name)
}

func refTo(kind string, obj metav1.Object) ObjectRef {
	return ObjectRef{Kind: kind, Namespace: obj.GetNamespace(), Name: obj.GetName(), UID: obj.GetUID()}
}

// CreatePod asks for a pod to be created. Pod is a new object owned by the
// plan (built from the owner's template as upstream's GetPodFromTemplate
// builds it): it has GenerateName set and Name empty, so the API server picks
// the name.
type CreatePod struct {
	Pod *corev1.Pod
}

// Event is the event upstream records once the create succeeded and the API
// server has named the pod: SuccessfulCreate "Created pod: <name>".
func (a CreatePod) Event(name string) Event {
	return Event{Type: corev1.EventTypeNormal, Reason: "SuccessfulCreate", Message: "Created pod: " + name}
}

func (a CreatePod) String() string {
	return fmt.Sprintf("create pod %s/%s*", a.Pod.Namespace, a.Pod.GenerateName)
}

// DeletePod asks for a pod to be deleted. Pod points at the observed pod the
// plan chose (it is never modified); a NotFound answer from the API server
// counts as success, as upstream treats it.
type DeletePod struct {
	Pod *corev1.Pod
}

func (a DeletePod) String() string {
	return fmt.Sprintf("delete pod %s/%s", a.Pod.Namespace, a.Pod.Name)
}

// Adopt asks for an orphan to be given a controller reference to Owner, the
// way upstream's ControllerRefManager adopts: a strategic-merge patch that
// adds the reference and pins the object's UID (see Patch).
type Adopt struct {
	Object ObjectRef
	Owner  metav1.OwnerReference
}

// Patch returns the strategic-merge patch upstream sends to adopt Object.
func (a Adopt) Patch() []byte {
	type meta struct {
		OwnerReferences []metav1.OwnerReference `json:"ownerReferences"`
		UID             types.UID               `json:"uid"`
	}
	b, _ := json.Marshal(struct {
		Metadata meta `json:"metadata"`
	}{meta{[]metav1.OwnerReference{a.Owner}, a.Object.UID}})
	return b
}

func (a Adopt) String() string {
	return fmt.Sprintf("adopt %s into %s %s", a.Object, strings.ToLower(a.Owner.Kind), a.Owner.Name)
}

// Release asks for the controller reference to OwnerUID to be removed from
// Object, which no longer matches its owner's selector (see Patch).
type Release struct {
	Object   ObjectRef
	OwnerUID types.UID
}

// Patch returns the strategic-merge patch upstream sends to release Object.
func (a Release) Patch() []byte {
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
	}{meta{a.Object.UID, []ref{{"delete", a.OwnerUID}}}})
	return b
}

func (a Release) String() string {
	return fmt.Sprintf("release %s", a.Object)
}

func (CreatePod) action() {}
func (DeletePod) action() {}
func (Adopt) action()     {}
func (Release) action()   {}

// Event is an event upstream records on the object it reconciles, with the
// same type, reason and message.
type Event struct {
	Type    string // corev1.EventTypeNormal or corev1.EventTypeWarning
	Reason  string
	Message string
}

func (e Event) String() string {
	return fmt.Sprintf("%s %s %s", e.Type, e.Reason, e.Message)
}
