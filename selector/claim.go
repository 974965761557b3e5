package selector

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

// Owner identifies a controller that claims objects (a ReplicaSet claiming pods, a Deployment
// claiming ReplicaSets, a StatefulSet claiming ControllerRevisions, ...).
type Owner struct {
	APIVersion, Kind, Name, Namespace string
	UID                               types.UID
	// Deleting reports that the owner has a deletionTimestamp. A deleting owner adopts and
	// releases nothing.
	Deleting bool
}

// ControllerRef returns the owner reference that makes o the controller of an object, as
// metav1.NewControllerRef builds it: Controller and BlockOwnerDeletion are true. This is the
// reference an adoption adds.
func (o Owner) ControllerRef() metav1.OwnerReference {
	return metav1.OwnerReference{
		APIVersion:         o.APIVersion,
		Kind:               o.Kind,
		Name:               o.Name,
		UID:                o.UID,
		Controller:         ptr.To(true),
		BlockOwnerDeletion: ptr.To(true),
	}
}

// Claim is the outcome of ClaimObjects: which objects the owner controls after the claim and which
// ownership changes that takes. Objects in none of the lists are ignored by the owner.
type Claim[T metav1.Object] struct {
	// Claimed lists the objects the owner controls: those it already controlled that still match,
	// and the orphans in Adopt (upstream counts an adoption that succeeds as claimed).
	Claimed []T
	// Adopt lists the orphans the owner must adopt by merging Owner.ControllerRef() into their
	// owner references by UID (upstream sends a strategic merge patch: a reference with the
	// owner's UID is replaced, otherwise the new one is put first). Every entry is also in Claimed.
	Adopt []T
	// Release lists the objects the owner controls but that no longer match: the owner must remove
	// every reference with its UID from them. They are not in Claimed.
	Release []T
}

// ClaimObjects splits objs the way upstream's BaseControllerRefManager.ClaimObject
// (k8s.io/kubernetes/pkg/controller/controller_ref_manager.go) decides for each object, as a pure
// function; match reports whether an object is selected (the owner's selector, plus any filter the
// controller adds, such as StatefulSet's name check). For each object:
//
//  1. controlled by another controller (its controller reference has another UID): ignored;
//  2. controlled by owner and matching: claimed, even when the object or the owner is being deleted;
//  3. controlled by owner and not matching: released, unless owner is being deleted (then ignored);
//  4. orphan (no controller reference): ignored if owner is being deleted, if it does not match, if
//     it is being deleted itself, or if owner is namespaced and the object is in another namespace;
//     otherwise adopted (and claimed).
//
// Ownership is decided by UID alone, as upstream does. match is called at most once per object and
// only where upstream calls it. Each list keeps the input order; entries equal to T's zero value
// (nil pointers, nil interfaces) are skipped. objs and its objects are never modified.
//
// Upstream also checks, once before the first adoption, that the owner still exists with the same
// UID and is not being deleted (an uncached GET); that is I/O and is left to the caller, which
// expresses its result through Owner.Deleting or by not adopting.
func ClaimObjects[T metav1.Object](owner Owner, objs []T, match func(T) bool) Claim[T] {
	// Usually nearly every candidate is claimed: size for that once rather
	// than growing the slice through a hundred thousand appends.
	c := Claim[T]{Claimed: make([]T, 0, len(objs))}
	for _, obj := range objs {
		if absent(obj) {
			continue
		}
		if ref := controllerOf(obj); ref != nil {
			switch {
			case ref.UID != owner.UID: // rule 1
			case match(obj): // rule 2
				c.Claimed = append(c.Claimed, obj)
			case !owner.Deleting: // rule 3
				c.Release = append(c.Release, obj)
			}
			continue
		}
		// Rule 4, in upstream's order of checks (match is not called for a deleting owner).
		if owner.Deleting || !match(obj) || obj.GetDeletionTimestamp() != nil ||
			(owner.Namespace != "" && owner.Namespace != obj.GetNamespace()) {
			continue
		}
		c.Claimed = append(c.Claimed, obj)
		c.Adopt = append(c.Adopt, obj)
	}
	return c
}

// controllerOf returns the first owner reference marked as controller, like
// metav1.GetControllerOfNoCopy, without copying.
func controllerOf(obj metav1.Object) *metav1.OwnerReference {
	refs := obj.GetOwnerReferences()
	for i := range refs {
		if refs[i].Controller != nil && *refs[i].Controller {
			return &refs[i]
		}
	}
	return nil
}

// absent reports whether obj cannot be read: it equals T's zero value (a nil pointer when T is a
// pointer type, a nil interface when T is an interface), or reading its metadata faults, as it does
// for a nil pointer held in an interface or a struct embedding a nil *ObjectMeta. No reflection is
// needed.
func absent[T metav1.Object](obj T) bool {
	return isZero(obj) || faults(obj)
}

// isZero compares obj with T's zero value. The comparison panics only when T is a non-comparable
// struct type, whose values are never nil pointers; that panic is recovered as "not zero".
func isZero[T any](obj T) (zero bool) {
	defer func() {
		if recover() != nil {
			zero = false
		}
	}()
	var z T
	return any(obj) == any(z)
}

// faults reports whether reading obj's metadata panics.
func faults(obj metav1.Object) (faulted bool) {
	defer func() {
		if recover() != nil {
			faulted = true
		}
	}()
	obj.GetNamespace()
	obj.GetOwnerReferences()
	obj.GetDeletionTimestamp()
	return false
}
