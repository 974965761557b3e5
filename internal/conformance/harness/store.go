package harness

import (
	"fmt"
	"sync"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	clienttesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/record"

	"github.com/reckon-k8s/reckon/workload"
	"github.com/reckon-k8s/reckon/workload/workloadtest"
)

// A Store is the API server both sides of a comparison write to: a
// workloadtest.Cluster (resourceVersions and Conflicts, generated names,
// UIDs, the status subresource, strategic-merge patches with their UID
// precondition, graceful deletion, garbage collection), seeded with the
// scenario's objects as stored, behind a lock. It logs every write and
// every event in the order they reach it, and refuses the writes its
// Faults name.
//
// Upstream's controller reaches it through a client-go fake clientset
// whose reactor is [Store.React] and an event recorder from
// [Store.Recorder]; reckon's plan through workload.Applier with
// [Store.Applier]. Two stores seeded alike and sent the same writes answer
// them alike: names, UIDs and resourceVersions come from the cluster's
// deterministic sequences.
type Store struct {
	mu      sync.Mutex
	cluster *workloadtest.Cluster
	faults  []Fault
	hits    []int // per fault, the matching calls seen so far
	log     []Entry
	segment int // the concurrent segment being sent (reckon's side), 0 outside one
	segs    int
	subject Subject
	odd     []string
}

// Subject is the object a sync is about: events must name it.
type Subject struct {
	Kind, Namespace, Name string
}

// An Entry of a store's log is a write (Call) or an event.
type Entry struct {
	Call  *Call
	Event *workload.Event
}

// A Call is one write as it reached the store, and its outcome.
type Call struct {
	Verb      workload.Verb
	Resource  string // pods, replicasets, deployments
	Namespace string // from the request path
	Name      string // empty for a create by generateName
	// Object is the body of a create, update or update-status, as sent
	// (with the request's namespace filled in where it had none, as the
	// API server does).
	Object    workload.Object
	PatchType types.PatchType
	Patch     []byte
	// Options of a delete: its preconditions and propagation policy.
	Options metav1.DeleteOptions

	// Err is the store's refusal, nil if the write was made.
	Err error
	// Result is what the store returned (nil for a delete or a refusal).
	Result workload.Object
	// Segment numbers the concurrent step reckon's applier sent the call
	// in (0: sent alone); upstream's calls carry 0.
	Segment int
}

// NewStore returns a store at now holding a copy of each object exactly as
// given, or as the first of drifts naming it has it (see Drifted), and
// refusing the writes faults name. Its cluster schedules no pod (a real
// API server leaves spec.nodeName to the scheduler).
func NewStore(now time.Time, subject Subject, drifts []Drift, faults []Fault, objs ...workload.Object) *Store {
	c := workloadtest.New(now)
	c.Nodes = nil
	for _, o := range Drifted(drifts, objs...) {
		if err := c.Add(o); err != nil {
			panic(err)
		}
	}
	return &Store{cluster: c, faults: faults, hits: make([]int, len(faults)), subject: subject}
}

// Cluster is the store's cluster, for reading its state after the sync.
func (s *Store) Cluster() *workloadtest.Cluster { return s.cluster }

// Log returns what reached the store, in order.
func (s *Store) Log() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Entry(nil), s.log...)
}

// Odd lists the calls and events the harness did not expect (a verb or
// resource it does not serve, an event about another object).
func (s *Store) Odd() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.odd...)
}

func (s *Store) oddf(format string, args ...any) {
	s.odd = append(s.odd, fmt.Sprintf(format, args...))
}

var resources = map[string]schema.GroupVersionResource{
	"pods":        corev1.SchemeGroupVersion.WithResource("pods"),
	"replicasets": appsv1.SchemeGroupVersion.WithResource("replicasets"),
	"deployments": appsv1.SchemeGroupVersion.WithResource("deployments"),
}

func copyObject(o workload.Object) workload.Object {
	if o == nil {
		return nil
	}
	return o.DeepCopyObject().(workload.Object)
}

// do sends c to the cluster, unless a fault refuses it, logs it and
// returns a copy of the result.
func (s *Store) do(c *Call) (workload.Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.Segment = s.segment
	s.log = append(s.log, Entry{Call: c})
	if c.Object != nil {
		// The API server takes the namespace from the request path and
		// refuses a body naming another one.
		switch ns := c.Object.GetNamespace(); {
		case ns == "":
			c.Object.SetNamespace(c.Namespace)
		case ns != c.Namespace:
			c.Err = apierrors.NewBadRequest("the namespace of the provided object does not match the namespace sent on the request")
			return nil, c.Err
		}
	}
	if err := s.fault(c); err != nil {
		c.Err = err
		return nil, err
	}
	obj, err := s.send(c)
	c.Err = err
	if err != nil {
		return nil, err
	}
	c.Result = obj // the cluster replaces stored objects, never edits them
	return copyObject(obj), nil
}

func (s *Store) send(c *Call) (workload.Object, error) {
	target := workload.Target{Resource: resources[c.Resource], Namespace: c.Namespace, Name: c.Name}
	switch c.Verb { // the cluster stores copies
	case workload.Create:
		return s.cluster.Create(c.Object)
	case workload.Update:
		return s.cluster.Update(c.Object)
	case workload.UpdateStatus:
		return s.cluster.UpdateStatus(c.Object)
	case workload.Patch:
		return s.cluster.Patch(target, c.PatchType, c.Patch)
	case workload.Delete:
		var uid types.UID
		if p := c.Options.Preconditions; p != nil {
			if p.UID != nil {
				uid = *p.UID
			}
			if p.ResourceVersion != nil {
				cur, err := s.cluster.Get(target)
				if err != nil {
					return nil, err
				}
				if cur.GetResourceVersion() != *p.ResourceVersion {
					return nil, apierrors.NewConflict(target.Resource.GroupResource(), c.Name,
						fmt.Errorf("Precondition failed: ResourceVersion in precondition: %s, ResourceVersion in object meta: %s", *p.ResourceVersion, cur.GetResourceVersion()))
				}
			}
		}
		var propagation metav1.DeletionPropagation
		if c.Options.PropagationPolicy != nil {
			propagation = *c.Options.PropagationPolicy
		}
		return nil, s.cluster.Delete(target, uid, propagation)
	}
	return nil, fmt.Errorf("conformance harness: the store does not serve %s", c.Verb)
}

// get reads the stored object, unlogged: upstream reads where reckon does
// not (the fresh read before an adoption).
func (s *Store) get(resource, namespace, name string) (workload.Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	obj, err := s.cluster.Get(workload.Target{Resource: resources[resource], Namespace: namespace, Name: name})
	if err != nil {
		return nil, err
	}
	return copyObject(obj), nil
}

// React is a client-go fake clientset reactor serving every call from the
// store: gets, creates, updates (of the object and of its status
// subresource), patches and deletes of pods, ReplicaSets and Deployments.
// Anything else is refused and noted in Odd.
func (s *Store) React(action clienttesting.Action) (bool, runtime.Object, error) {
	res, sub, ns := action.GetResource().Resource, action.GetSubresource(), action.GetNamespace()
	if _, ok := resources[res]; !ok || (sub != "" && sub != "status") {
		return s.refuse(action)
	}
	c := &Call{Resource: res, Namespace: ns}
	// Switch on the verb: the action interfaces overlap by method set.
	switch action.GetVerb() {
	case "get":
		obj, err := s.get(res, ns, action.(clienttesting.GetAction).GetName())
		if err != nil {
			return true, nil, err
		}
		return true, obj, nil
	case "create":
		if sub != "" {
			return s.refuse(action)
		}
		c.Verb = workload.Create // the fake clientset hands its reactors a copy of the action
		c.Object = action.(clienttesting.CreateAction).GetObject().(workload.Object)
		c.Name = c.Object.GetName()
	case "update":
		c.Verb = workload.Update
		if sub == "status" {
			c.Verb = workload.UpdateStatus
		}
		c.Object = action.(clienttesting.UpdateAction).GetObject().(workload.Object)
		c.Name = c.Object.GetName()
	case "patch":
		if sub != "" {
			return s.refuse(action)
		}
		a := action.(clienttesting.PatchAction)
		c.Verb, c.Name, c.PatchType, c.Patch = workload.Patch, a.GetName(), a.GetPatchType(), append([]byte(nil), a.GetPatch()...)
	case "delete":
		if sub != "" {
			return s.refuse(action)
		}
		a := action.(clienttesting.DeleteAction)
		opts := a.GetDeleteOptions()
		c.Verb, c.Name, c.Options = workload.Delete, a.GetName(), *opts.DeepCopy()
	default:
		return s.refuse(action)
	}
	obj, err := s.do(c)
	if err != nil {
		return true, nil, err
	}
	if obj == nil {
		return true, nil, nil
	}
	return true, obj, nil
}

func (s *Store) refuse(action clienttesting.Action) (bool, runtime.Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.oddf("%s %s/%s", action.GetVerb(), action.GetResource().Resource, action.GetSubresource())
	return true, nil, fmt.Errorf("conformance harness: unexpected call %s %s/%s", action.GetVerb(), action.GetResource().Resource, action.GetSubresource())
}

// record logs an event about obj (nil: the subject).
func (s *Store) record(obj runtime.Object, e workload.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if obj != nil {
		m, err := meta.Accessor(obj)
		kind := obj.GetObjectKind().GroupVersionKind().Kind
		if kind == "" {
			kind = kindOf(obj)
		}
		if err != nil || kind != s.subject.Kind || m.GetNamespace() != s.subject.Namespace || m.GetName() != s.subject.Name {
			s.oddf("event %s about %s %v", e, kind, obj)
		}
	}
	s.log = append(s.log, Entry{Event: &e})
}

func kindOf(obj runtime.Object) string {
	switch obj.(type) {
	case *appsv1.ReplicaSet:
		return "ReplicaSet"
	case *appsv1.Deployment:
		return "Deployment"
	case *corev1.Pod:
		return "Pod"
	}
	return fmt.Sprintf("%T", obj)
}

// Recorder returns an event recorder logging events in the store's log,
// synchronously (upstream's own recorder hands them to a goroutine).
func (s *Store) Recorder() record.EventRecorder { return recorder{s} }

type recorder struct{ s *Store }

func (r recorder) Event(obj runtime.Object, eventtype, reason, message string) {
	r.s.record(obj, workload.Event{Type: eventtype, Reason: reason, Message: message})
}

func (r recorder) Eventf(obj runtime.Object, eventtype, reason, messageFmt string, args ...any) {
	r.Event(obj, eventtype, reason, fmt.Sprintf(messageFmt, args...))
}

func (r recorder) AnnotatedEventf(obj runtime.Object, _ map[string]string, eventtype, reason, messageFmt string, args ...any) {
	r.Eventf(obj, eventtype, reason, messageFmt, args...)
}

// Applier returns a workload.Applier sending a plan's writes to the store,
// the writes of each concurrent step one after another, each call marked
// with its step (Call.Segment).
func (s *Store) Applier() workload.Applier {
	return workload.Applier{Server: server{s}, Parallel: s.parallel}
}

func (s *Store) parallel(n int, do func(int)) {
	s.mu.Lock()
	s.segs++
	s.segment = s.segs
	s.mu.Unlock()
	for i := range n {
		do(i)
	}
	s.mu.Lock()
	s.segment = 0
	s.mu.Unlock()
}

// server is the store as a workload.Server.
type server struct{ s *Store }

func (v server) Send(w workload.Write) (workload.Object, error) {
	c := &Call{Verb: w.Verb, Resource: w.Target.Resource.Resource, Namespace: w.Target.Namespace, Name: w.Target.Name}
	if resources[c.Resource] != w.Target.Resource {
		v.s.mu.Lock()
		v.s.oddf("write to %v", w.Target.Resource)
		v.s.mu.Unlock()
	}
	switch w.Verb {
	case workload.Create, workload.Update, workload.UpdateStatus:
		c.Object = copyObject(w.Object)
		if c.Object != nil {
			c.Name = c.Object.GetName()
		}
	case workload.Patch:
		c.PatchType, c.Patch = w.PatchType, append([]byte(nil), w.PatchData...)
	case workload.Delete:
		if uid := w.Precondition.UID; uid != "" {
			c.Options.Preconditions = &metav1.Preconditions{UID: &uid}
		}
		if p := w.Propagation; p != "" {
			c.Options.PropagationPolicy = &p
		}
	}
	return v.s.do(c)
}

func (v server) Get(t workload.Target) (workload.Object, error) {
	return v.s.get(t.Resource.Resource, t.Namespace, t.Name)
}

func (v server) Record(e workload.Event) { v.s.record(nil, e) }
