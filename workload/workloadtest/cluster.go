// Package workloadtest is a deterministic in-memory cluster for testing and
// simulating controllers built on package workload, the way
// net/http/httptest serves HTTP handlers and raft's rafttest runs raft
// nodes.
//
// A [Cluster] stores objects with the API server's semantics where
// controllers meet them: resourceVersions and Conflicts for stale writes,
// names generated from generateName, UIDs, creation timestamps,
// generations bumped by spec changes, the status subresource (a status
// write keeps the stored spec and labels, an update keeps the stored
// status), strategic-merge patches with a UID precondition, graceful pod
// deletion, and garbage collection of dependents through owner
// references. It is a [workload.Server], so [workload.Apply] applies a plan
// to it exactly as it would to a real API server, and the Sync methods
// plan and apply one controller sync in one call.
//
// Nothing moves by itself: time advances only through [Cluster.Advance],
// and pods go through their lifecycle by the explicit rules of the
// cluster's fields (scheduling onto Nodes, ReadyAfter, NeverReady,
// GracePeriod). Stored objects are replaced, never edited, when they
// change, so a slice listed earlier stays a consistent snapshot, and every
// object returned is the stored one: callers must not modify it.
//
// What it does not model: admission (quota, webhooks), validation beyond
// immutable UIDs, defaulting beyond the fields listed on [Default], watch
// and informer lag (a write is visible to the next list at once, so
// controller expectations are always satisfied), the kubelet's probes and
// restarts, and scheduling beyond "least loaded node".
package workloadtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/reckon-k8s/reckon/workload"
)

// Cluster is a simulated cluster. Its exported fields are the rules pods
// follow; change them between steps. A Cluster is not safe for concurrent
// use: to apply plans with [workload.Applier.Parallel], put a lock in front
// of it.
type Cluster struct {
	// Namespace is where objects without a namespace are stored.
	Namespace string
	// Nodes are the nodes new pods are scheduled onto, the least loaded
	// first (ties by name order in this slice).
	Nodes []string
	// ReadyAfter is how long after its creation a scheduled pod becomes
	// Running and Ready, unless its first container's image is NeverReady.
	ReadyAfter time.Duration
	// NeverReady lists images whose pods run but never become ready.
	NeverReady map[string]bool
	// GracePeriod is how long a deleted scheduled pod stays terminating
	// when its spec sets no terminationGracePeriodSeconds.
	GracePeriod time.Duration

	now     time.Time
	objects map[key]workload.Object
	seq     int                // names and UIDs
	added   map[types.UID]bool // UIDs of objects seeded with Add, never handed out
	rv      int                // resourceVersions
	events  []RecordedEvent
	log     []Entry   // what the current sync did
	subject objectRef // the object whose sync records events
}

type key struct {
	resource        schema.GroupResource
	namespace, name string
}

type objectRef struct {
	Kind, Namespace, Name string
}

// A RecordedEvent is an event a controller recorded, with the object it is
// about.
type RecordedEvent struct {
	Kind, Namespace, Name string // the object synced
	workload.Event
}

func (e RecordedEvent) String() string {
	return fmt.Sprintf("%s %s/%s: %s", strings.ToLower(e.Kind), e.Namespace, e.Name, e.Event)
}

// New returns an empty cluster at now, with namespace "default", one node
// "node-1", pods that become ready as soon as time advances, and the
// default 30s grace period.
func New(now time.Time) *Cluster {
	return &Cluster{
		Namespace:   "default",
		Nodes:       []string{"node-1"},
		NeverReady:  map[string]bool{},
		GracePeriod: 30 * time.Second,
		now:         now,
		objects:     map[key]workload.Object{},
	}
}

// Now is the cluster's time.
func (c *Cluster) Now() time.Time { return c.now }

// Events returns every event recorded so far, oldest first.
func (c *Cluster) Events() []RecordedEvent { return slices.Clone(c.events) }

// resourceOf maps a typed object to its resource.
func resourceOf(obj workload.Object) (schema.GroupVersionResource, error) {
	k, err := kindFor(obj)
	return k.resource, err
}

func (c *Cluster) keyOf(res schema.GroupVersionResource, namespace, name string) key {
	if namespace == "" {
		namespace = c.Namespace
	}
	return key{res.GroupResource(), namespace, name}
}

const nameChars = "bcdfghjklmnpqrstvwxz2456789"

// next returns a fresh 5-character name suffix in the API server's alphabet
// and a UID, both derived from a sequence so that runs repeat. A UID of an
// object seeded with Add is never handed out again.
func (c *Cluster) next() (suffix string, uid types.UID) {
	for {
		c.seq++
		h := fnv.New32a()
		fmt.Fprintf(h, "%d", c.seq)
		v := h.Sum32()
		b := make([]byte, 5)
		for i := range b {
			b[i] = nameChars[v%uint32(len(nameChars))]
			v /= uint32(len(nameChars))
		}
		uid = types.UID(fmt.Sprintf("uid-%04d", c.seq))
		if !c.added[uid] {
			return string(b), uid
		}
	}
}

// The API server's name generation (k8s.io/apiserver storage/names and the
// generic registry's RetryGenerateName): a generateName prefix is cut to
// 58 characters before the 5 random ones are appended, and a create whose
// generated name is taken is retried with another name, 8 attempts in all.
const (
	maxGeneratedNameLength = 63 - 5
	generateNameAttempts   = 8
)

func (c *Cluster) bumpRV(obj workload.Object) {
	c.rv++
	obj.SetResourceVersion(strconv.Itoa(c.rv))
}

// Get returns the stored object at t, or a NotFound error.
func (c *Cluster) Get(t workload.Target) (workload.Object, error) {
	k := c.keyOf(t.Resource, t.Namespace, t.Name)
	obj, ok := c.objects[k]
	if !ok {
		return nil, apierrors.NewNotFound(k.resource, t.Name)
	}
	return obj, nil
}

// Create stores a copy of obj as the API server would: a name generated
// from generateName when the name is empty (the prefix cut to 58
// characters, another name tried when one is taken), a UID, the creation timestamp,
// generation 1, a resourceVersion, the defaults of [Default]; a new pod is
// Pending and scheduled at once onto the least loaded node. A taken name is
// AlreadyExists.
func (c *Cluster) Create(obj workload.Object) (workload.Object, error) {
	res, err := resourceOf(obj)
	if err != nil {
		return nil, err
	}
	obj = obj.DeepCopyObject().(workload.Object)
	if obj.GetNamespace() == "" {
		obj.SetNamespace(c.Namespace)
	}
	suffix, uid := c.next()
	if obj.GetName() == "" {
		if obj.GetGenerateName() == "" {
			return nil, apierrors.NewInvalid(schema.GroupKind{Group: res.Group, Kind: kindOf(obj)}, "", field.ErrorList{field.Required(field.NewPath("metadata", "name"), "name or generateName is required")})
		}
		base := obj.GetGenerateName()
		if len(base) > maxGeneratedNameLength {
			base = base[:maxGeneratedNameLength]
		}
		obj.SetName(base + suffix)
		for i := 1; i < generateNameAttempts && c.objects[c.keyOf(res, obj.GetNamespace(), obj.GetName())] != nil; i++ {
			suffix, uid = c.next()
			obj.SetName(base + suffix)
		}
	}
	k := c.keyOf(res, obj.GetNamespace(), obj.GetName())
	if _, exists := c.objects[k]; exists {
		return nil, apierrors.NewAlreadyExists(k.resource, obj.GetName())
	}
	obj.SetUID(uid)
	obj.SetCreationTimestamp(metav1.NewTime(c.now))
	obj.SetGeneration(1)
	obj.SetDeletionTimestamp(nil)
	Default(obj)
	if p, ok := obj.(*corev1.Pod); ok {
		p.Status = corev1.PodStatus{Phase: corev1.PodPending}
		if p.Spec.NodeName == "" {
			p.Spec.NodeName = c.leastLoadedNode()
		}
	}
	c.bumpRV(obj)
	c.objects[k] = obj
	return obj, nil
}

// Add stores a copy of obj as given (name, UID, resourceVersion,
// timestamps, status), with the defaults of [Default] applied as the API
// server had applied them when it stored it, as if the cluster had held it
// all along: for seeding a cluster with observed state. Later writes get
// resourceVersions above any numeric one added, and later creates never get
// an added object's UID.
func (c *Cluster) Add(obj workload.Object) error {
	res, err := resourceOf(obj)
	if err != nil {
		return err
	}
	obj = obj.DeepCopyObject().(workload.Object)
	if obj.GetNamespace() == "" {
		obj.SetNamespace(c.Namespace)
	}
	Default(obj)
	if n, err := strconv.Atoi(obj.GetResourceVersion()); err == nil && n > c.rv {
		c.rv = n
	}
	if c.added == nil {
		c.added = map[types.UID]bool{}
	}
	c.added[obj.GetUID()] = true
	c.objects[c.keyOf(res, obj.GetNamespace(), obj.GetName())] = obj
	return nil
}

// Update replaces the stored object with obj as a PUT does: obj's UID and
// resourceVersion, if set, must be the stored ones (else Conflict); the
// stored status is kept; the generation goes up when the spec changed (for
// a Deployment, also when the annotations changed).
func (c *Cluster) Update(obj workload.Object) (workload.Object, error) {
	return c.update(obj, false)
}

// UpdateStatus writes obj's status as a PUT on the status subresource:
// the resourceVersion must match as for Update; the stored spec and labels
// are kept, every other metadata change is taken (for pods, owner
// references are kept too).
func (c *Cluster) UpdateStatus(obj workload.Object) (workload.Object, error) {
	return c.update(obj, true)
}

func (c *Cluster) update(obj workload.Object, status bool) (workload.Object, error) {
	res, err := resourceOf(obj)
	if err != nil {
		return nil, err
	}
	k := c.keyOf(res, obj.GetNamespace(), obj.GetName())
	old, ok := c.objects[k]
	if !ok {
		return nil, apierrors.NewNotFound(k.resource, obj.GetName())
	}
	if uid := obj.GetUID(); uid != "" && uid != old.GetUID() {
		// The UID of a PUT's body is a precondition, checked first
		// (rest.DefaultUpdatedObjectInfo, storage.Preconditions).
		return nil, apierrors.NewConflict(k.resource, obj.GetName(), fmt.Errorf("Precondition failed: UID in precondition: %s, UID in object meta: %s", uid, old.GetUID()))
	}
	if rv := obj.GetResourceVersion(); rv != "" && rv != old.GetResourceVersion() {
		return nil, conflict(k, obj.GetName())
	}
	obj = obj.DeepCopyObject().(workload.Object)
	obj.SetNamespace(k.namespace)
	obj.SetUID(old.GetUID())
	obj.SetCreationTimestamp(old.GetCreationTimestamp())
	obj.SetGeneration(old.GetGeneration())
	obj.SetDeletionTimestamp(old.GetDeletionTimestamp())
	kd, _ := kindFor(obj)
	if status {
		kd.keepSpec(obj, old)
	} else {
		Default(obj)
		kd.keepStatus(obj, old)
		if kd.specChanged(obj, old) {
			obj.SetGeneration(old.GetGeneration() + 1)
		}
	}
	c.bumpRV(obj)
	c.objects[k] = obj
	return obj, nil
}

func conflict(k key, name string) error {
	return apierrors.NewConflict(k.resource, name, errors.New("the object has been modified; please apply your changes to the latest version and try again"))
}

// Patch applies a strategic-merge patch to the stored object at t. A patch
// that would change the object's UID (the UID precondition the
// ControllerRefManager's patches carry) is Invalid.
func (c *Cluster) Patch(t workload.Target, pt types.PatchType, data []byte) (workload.Object, error) {
	k := c.keyOf(t.Resource, t.Namespace, t.Name)
	old, ok := c.objects[k]
	if !ok {
		return nil, apierrors.NewNotFound(k.resource, t.Name)
	}
	if pt != types.StrategicMergePatchType {
		return nil, apierrors.NewBadRequest("workloadtest applies strategic-merge patches only, not " + string(pt))
	}
	orig, err := json.Marshal(old)
	if err != nil {
		return nil, err
	}
	patched, err := strategicpatch.StrategicMergePatch(orig, data, old)
	if err != nil {
		return nil, apierrors.NewBadRequest(err.Error())
	}
	obj := old.DeepCopyObject().(workload.Object)
	if err := json.Unmarshal(patched, obj); err != nil {
		return nil, apierrors.NewBadRequest(err.Error())
	}
	if obj.GetUID() != old.GetUID() {
		return nil, apierrors.NewInvalid(schema.GroupKind{Group: k.resource.Group, Kind: kindOf(old)}, t.Name,
			field.ErrorList{field.Invalid(field.NewPath("metadata", "uid"), obj.GetUID(), "field is immutable")})
	}
	return c.update(obj, false)
}

// Delete deletes the stored object at t. A scheduled pod that has not
// finished is deleted gracefully: it gets a deletion timestamp its grace
// period ahead and goes when time reaches it. Anything else goes at once,
// and the garbage collector then deletes its dependents (propagation
// Background or Foreground: both at once here) or orphans them (Orphan).
// A UID precondition that does not match is a Conflict.
func (c *Cluster) Delete(t workload.Target, uid types.UID, propagation metav1.DeletionPropagation) error {
	k := c.keyOf(t.Resource, t.Namespace, t.Name)
	old, ok := c.objects[k]
	if !ok {
		return apierrors.NewNotFound(k.resource, t.Name)
	}
	if uid != "" && uid != old.GetUID() {
		return apierrors.NewConflict(k.resource, t.Name, fmt.Errorf("Precondition failed: UID in precondition: %s, UID in object meta: %s", uid, old.GetUID()))
	}
	if old.GetDeletionTimestamp() != nil {
		return nil
	}
	if p, ok := old.(*corev1.Pod); ok && p.Spec.NodeName != "" && p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed {
		grace := int64(c.GracePeriod / time.Second)
		if p.Spec.TerminationGracePeriodSeconds != nil {
			grace = *p.Spec.TerminationGracePeriodSeconds
		}
		if grace > 0 {
			d := p.DeepCopy()
			d.DeletionTimestamp = &metav1.Time{Time: c.now.Add(time.Duration(grace) * time.Second)}
			d.DeletionGracePeriodSeconds = new(grace)
			c.bumpRV(d)
			c.objects[k] = d
			return nil
		}
	}
	c.remove(k, propagation)
	return nil
}

// remove drops the object at k and lets the garbage collector act on its
// dependents.
func (c *Cluster) remove(k key, propagation metav1.DeletionPropagation) {
	old := c.objects[k]
	delete(c.objects, k)
	for _, dk := range slices.SortedFunc(maps.Keys(c.objects), compareKeys) {
		dep, ok := c.objects[dk]
		if !ok || dep.GetNamespace() != old.GetNamespace() {
			continue
		}
		refs := dep.GetOwnerReferences()
		i := slices.IndexFunc(refs, func(r metav1.OwnerReference) bool { return r.UID == old.GetUID() })
		if i < 0 {
			continue
		}
		rest := slices.Delete(slices.Clone(refs), i, i+1)
		if propagation == metav1.DeletePropagationOrphan || c.anyOwnerExists(dep.GetNamespace(), rest) {
			d := dep.DeepCopyObject().(workload.Object)
			d.SetOwnerReferences(rest)
			c.bumpRV(d)
			c.objects[dk] = d
			continue
		}
		res, _ := resourceOf(dep)
		_ = c.Delete(workload.Target{Resource: res, Namespace: dep.GetNamespace(), Name: dep.GetName()}, "", metav1.DeletePropagationBackground)
	}
}

func (c *Cluster) anyOwnerExists(namespace string, refs []metav1.OwnerReference) bool {
	for _, obj := range c.objects {
		if obj.GetNamespace() != namespace {
			continue
		}
		for _, r := range refs {
			if r.UID == obj.GetUID() {
				return true
			}
		}
	}
	return false
}

func compareKeys(a, b key) int {
	if c := strings.Compare(a.resource.String(), b.resource.String()); c != 0 {
		return c
	}
	if c := strings.Compare(a.namespace, b.namespace); c != 0 {
		return c
	}
	return strings.Compare(a.name, b.name)
}

func kindOf(obj workload.Object) string {
	if k, err := kindFor(obj); err == nil {
		return k.name
	}
	return fmt.Sprintf("%T", obj)
}

// Send makes one write of a plan; see [workload.Server].
func (c *Cluster) Send(w workload.Write) (workload.Object, error) {
	var obj workload.Object
	var err error
	switch w.Verb {
	case workload.Create:
		obj, err = c.Create(w.Object)
	case workload.Update:
		obj, err = c.Update(w.Object)
	case workload.UpdateStatus:
		obj, err = c.UpdateStatus(w.Object)
	case workload.Patch:
		obj, err = c.Patch(w.Target, w.PatchType, w.PatchData)
	case workload.Delete:
		err = c.Delete(w.Target, w.Precondition.UID, w.Propagation)
	default:
		err = fmt.Errorf("workloadtest: unknown verb %q", w.Verb)
	}
	sent := w
	c.log = append(c.log, Entry{Write: &sent, Result: obj, Err: err})
	return obj, err
}

// Record records an event about the object being synced.
func (c *Cluster) Record(e workload.Event) {
	c.events = append(c.events, RecordedEvent{Kind: c.subject.Kind, Namespace: c.subject.Namespace, Name: c.subject.Name, Event: e})
	c.log = append(c.log, Entry{Event: &e})
}

var _ workload.Server = (*Cluster)(nil)

// An Entry is one thing that happened during a sync: a write sent, with
// what the API server answered, or an event recorded.
type Entry struct {
	Write  *workload.Write // the write sent; nil for an event
	Result workload.Object // what the cluster returned for a successful write (nil for a delete)
	Err    error           // the cluster's error for a refused write
	Event  *workload.Event // the event recorded; nil for a write
}

// String prints a write the way kubectl would name its object (a created
// pod under the name the cluster gave it), followed by the error if it was
// refused, or "event: " and the event.
func (e Entry) String() string {
	if e.Event != nil {
		return "event: " + e.Event.String()
	}
	w := *e.Write
	line := w.String()
	if w.Verb == workload.Create && e.Result != nil && w.Target.Name == "" {
		w.Target.Name = e.Result.GetName()
		line = string(w.Verb) + " " + w.Target.String()
	}
	if e.Err != nil {
		line += ": " + e.Err.Error()
	}
	return line
}
