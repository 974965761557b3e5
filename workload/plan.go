package workload

import (
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// A Plan is one sync of an upstream controller, written down instead of
// performed: the writes it makes, in order, grouped into steps, the events
// it records and what it asks of its work queue. Every planner returns a
// Plan; the package documentation gives the rules for applying one, and
// [Apply] follows them.
type Plan struct {
	// Steps run in order. A step is reached only when every write of every
	// earlier step succeeded (or failed in a way the write tolerates).
	Steps []Step

	// Requeue is what the sync asks of the work queue when every write
	// succeeded (or a failed one resumed the sync). After a failed write
	// the sync ends with a rate-limited requeue instead, or none for an
	// error OnError.Forget lists.
	Requeue Requeue
}

// A Step is a run of writes that upstream sends without waiting for one
// another: the pod creations of one slow-start batch, the pod deletions of
// one sync, the adoptions and releases of a claim. Each write of a step is
// attempted whatever happens to the others, so they may be sent
// concurrently; most steps hold one write.
type Step struct {
	// Events are recorded when the sync reaches the step, before its
	// writes: upstream records them without a write of their own (for
	// example a rollback warning before the Deployment update that clears
	// the rollback request).
	Events []Event

	// Writes are the step's writes; empty for a step that only records
	// events.
	Writes []Write
}

// A Verb is the kind of request a [Write] makes.
type Verb string

// The requests a plan makes, as the API server names them.
const (
	Create       Verb = "create"
	Update       Verb = "update"
	UpdateStatus Verb = "update-status" // PUT on the status subresource
	Patch        Verb = "patch"
	Delete       Verb = "delete"
)

// Object is what a write sends: a typed Kubernetes object from k8s.io/api,
// such as *corev1.Pod or *appsv1.ReplicaSet.
type Object interface {
	metav1.Object
	runtime.Object
}

// A Target names the object a write acts on.
type Target struct {
	Resource  schema.GroupVersionResource // e.g. apps/v1 replicasets
	Namespace string
	// Name is empty for a create whose object carries generateName: the API
	// server picks the name.
	Name string
	// UID is the UID of the object observed; empty for a create.
	UID types.UID
}

func (t Target) String() string {
	name := t.Name
	if name == "" {
		name = "*"
	}
	return fmt.Sprintf("%s %s/%s", singular(t.Resource.Resource), t.Namespace, name)
}

// singular turns a resource name into the word kubectl prints for its kind.
func singular(resource string) string {
	return strings.TrimSuffix(resource, "s")
}

// A Precondition is what a write was computed from, so that the API server
// refuses it with a Conflict if the object changed since, exactly as it
// refuses upstream's write.
type Precondition struct {
	// ResourceVersion is the resourceVersion of the copy the write was
	// computed from: an observed object's, or empty for a create. An
	// Update or UpdateStatus carries it in Object's metadata too.
	ResourceVersion string

	// FromPrevious says upstream computed the write from the object the API
	// server returned for the plan's previous write to the same Target, not
	// from the observed copy: the write carries the resourceVersion that
	// write returned, which only the caller learns. ResourceVersion is then
	// the observed one the chain started from.
	FromPrevious bool

	// UID is a UID precondition: for a Patch it is in the patch body (the
	// API server refuses a patch that would change the object's UID); for a
	// Delete it goes into the delete options' preconditions. Empty when
	// upstream sends none.
	UID types.UID
}

// A Write is one request to the API server.
type Write struct {
	Verb         Verb
	Target       Target
	Precondition Precondition

	// Object is the body of a Create, Update or UpdateStatus: a new object
	// owned by the plan, never an alias of an input.
	Object Object

	// PatchType and PatchData are the body of a Patch, byte for byte what
	// upstream sends.
	PatchType types.PatchType
	PatchData []byte

	// Propagation is a Delete's propagation policy; empty leaves it to the
	// API server's default for the resource, as upstream does.
	Propagation metav1.DeletionPropagation

	// Retries is how many times upstream reads the object again and resends
	// an UpdateStatus that failed, with the same status on the fresh copy
	// (its status-update retry loops); 0 for no retry.
	Retries int

	// Events are recorded once the write succeeded. In a create whose
	// Object has generateName, NamePlaceholder stands for the name the API
	// server chose.
	Events []Event

	// OnError is what upstream does when the write fails.
	OnError OnError
}

// NamePlaceholder stands, in the events of a create, for the name the API
// server gave the created object; ErrorPlaceholder stands, in what upstream
// does after a failed write, for the text of the API server's error. Use
// [Event.Expand] and [Write.Expand] to substitute them.
const (
	NamePlaceholder  = "{{name}}"
	ErrorPlaceholder = "{{error}}"
)

// OnError is what upstream does when a write fails. Unless the error is of a
// kind listed in Ignore, Abort or Forget, upstream records Events, then
// either runs Fallback and ends the sync (after the rest of the failed
// write's step, which is attempted regardless) with a rate-limited
// requeue, or, with Resume, goes on with ResumeWith.
type OnError struct {
	// Ignore lists the errors upstream takes as success: no event, and the
	// sync goes on as if the write had been made.
	Ignore []ErrorKind
	// Abort lists the errors that end the sync at once: no event, no
	// fallback, a rate-limited requeue.
	Abort []ErrorKind
	// Forget lists the errors that end the sync at once with no requeue at
	// all: upstream's worker forgets the key (the Deployment controller,
	// for a create refused because the namespace is terminating).
	Forget []ErrorKind
	// Events are recorded after the failure; ErrorPlaceholder stands for
	// the error's text.
	Events []Event
	// Fallback is what upstream still writes and records after the
	// failure (a ReplicaSet's ReplicaFailure condition, a Deployment's
	// FailedRSCreate condition), with ErrorPlaceholder for the error's
	// text. Its steps all run, whatever happens to their writes.
	Fallback []Step
	// Resume says upstream takes the failure in its stride: after Events
	// (and the rest of the failed write's step) the sync goes on with the
	// steps of ResumeWith in place of the rest of the plan, and ends as a
	// plan that ran to its end (Plan.Requeue) unless one of them fails.
	// Fallback is then unused. (The Deployment controller does this when
	// scaling down an old ReplicaSet fails during a rolling update: the
	// other scale-downs are skipped, the rest of the sync happens.)
	Resume     bool
	ResumeWith []Step
}

// An ErrorKind classifies an API error the way upstream's handling of it
// does.
type ErrorKind string

// The error kinds upstream handles apart from other failures.
const (
	// NotFound: the object is gone (apierrors.IsNotFound).
	NotFound ErrorKind = "NotFound"
	// AlreadyExists: a create found the name taken (apierrors.IsAlreadyExists).
	AlreadyExists ErrorKind = "AlreadyExists"
	// Invalid: the API server refused the body (apierrors.IsInvalid), for
	// example a release patch whose UID no longer matches.
	Invalid ErrorKind = "Invalid"
	// NamespaceTerminating: a create refused because its namespace is being
	// deleted (a status cause of corev1.NamespaceTerminatingCause).
	NamespaceTerminating ErrorKind = "NamespaceTerminating"
)

// A Requeue is when the work queue hands the object back to its controller.
type Requeue struct {
	// After is a delayed requeue (the queue's AddAfter); 0 for none.
	After time.Duration
	// RateLimited is a requeue with back-off (AddRateLimited): upstream's
	// sync returned an error although every write succeeded (a ReplicaSet
	// name collision, a pod template without labels). After is 0 then.
	RateLimited bool
}

// An Event is one event upstream records on the object it syncs, with its
// type, reason and message.
type Event struct {
	Type    string // corev1.EventTypeNormal or corev1.EventTypeWarning
	Reason  string
	Message string
}

func (e Event) String() string {
	return e.Type + " " + e.Reason + " " + e.Message
}

// Expand returns e with NamePlaceholder replaced by name and
// ErrorPlaceholder by the text of err (when err is not nil).
func (e Event) Expand(name string, err error) Event {
	e.Message = expand(e.Message, name, err)
	return e
}

func expand(s, name string, err error) string {
	if name != "" {
		s = strings.ReplaceAll(s, NamePlaceholder, name)
	}
	if err != nil {
		s = strings.ReplaceAll(s, ErrorPlaceholder, err.Error())
	}
	return s
}

// Writes returns the writes of every step, in order.
func (p Plan) Writes() []Write {
	var ws []Write
	for _, s := range p.Steps {
		ws = append(ws, s.Writes...)
	}
	return ws
}

// String lists the plan one line per event and write, in order, the way
// transcripts print it.
func (p Plan) String() string {
	var b strings.Builder
	for _, s := range p.Steps {
		for _, e := range s.Events {
			fmt.Fprintf(&b, "event: %s\n", e)
		}
		for _, w := range s.Writes {
			fmt.Fprintln(&b, w)
			for _, e := range w.Events {
				fmt.Fprintf(&b, "  then event: %s\n", e)
			}
		}
	}
	switch {
	case p.Requeue.RateLimited:
		b.WriteString("requeue rate-limited\n")
	case p.Requeue.After > 0:
		fmt.Fprintf(&b, "requeue after %s\n", p.Requeue.After)
	}
	return b.String()
}

// String describes the write in one line: verb, target, what it changes
// and its precondition.
func (w Write) String() string {
	var b strings.Builder
	b.WriteString(string(w.Verb))
	b.WriteByte(' ')
	b.WriteString(w.Target.String())
	if d := describe(w); d != "" {
		b.WriteString(" (")
		b.WriteString(d)
		b.WriteByte(')')
	}
	switch {
	case w.Precondition.FromPrevious:
		b.WriteString(" [rv: previous write]")
	case w.Precondition.ResourceVersion != "":
		fmt.Fprintf(&b, " [rv %s]", w.Precondition.ResourceVersion)
	}
	return b.String()
}
