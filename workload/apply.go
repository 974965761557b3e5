package workload

import (
	"errors"
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// A Server is what [Apply] sends a plan's writes to: an API client, a
// fake, a simulator ([github.com/reckon-k8s/reckon/workload/workloadtest]
// is one). Apply calls it from one goroutine unless [Applier.Parallel]
// says otherwise, in which case Send must be safe for concurrent use.
type Server interface {
	// Send makes one write. w is ready to send: preconditions resolved,
	// placeholders expanded. It returns the object the API server returned
	// (nil for a Delete) or the API server's error.
	Send(w Write) (Object, error)
	// Get reads the current state of a target, for the status writes that
	// upstream retries on a fresh copy ([Write.Retries]).
	Get(t Target) (Object, error)
	// Record records an event on the object being synced.
	Record(e Event)
}

// An Applier applies plans to a Server the way upstream's sync makes its
// writes.
type Applier struct {
	Server Server
	// Parallel, if set, runs do(0), ..., do(n-1) concurrently and returns
	// when all have returned; Apply uses it for the writes of one step, as
	// upstream sends them from concurrent goroutines. Nil sends them one
	// after another, which gives the same outcome.
	Parallel func(n int, do func(i int))
}

// A Result is how an applied plan ended.
type Result struct {
	// Err is the first error that ended the sync (in the order of the
	// plan), nil if the sync ran to its end.
	Err error
	// Requeue is what the controller's work queue must do next: the plan's
	// Requeue if the sync ran to its end, a rate-limited requeue otherwise
	// (none after an error the failed write's OnError.Forget lists).
	Requeue Requeue
}

// Apply applies p to a.Server and returns how the sync ended; see
// [Applier.Apply].
func Apply(p Plan, s Server) Result {
	return Applier{Server: s}.Apply(p)
}

// Apply applies p as the package documentation's apply loop says: steps in
// order, the writes of a step all attempted, events recorded with the write
// that causes them, the sync ended by the first failed step (after the
// failed write's fallback) or, if that write resumes, continued with its
// OnError.ResumeWith.
func (a Applier) Apply(p Plan) Result {
	if a.Server == nil {
		return Result{Err: errNoServer, Requeue: Requeue{RateLimited: true}}
	}
	rvs := map[Target]string{}
	for steps := p.Steps; len(steps) > 0; {
		end := a.step(steps[0], rvs, nil)
		switch {
		case end.resume:
			steps = end.resumeWith
		case end.err != nil && end.forget:
			return Result{Err: end.err}
		case end.err != nil:
			return Result{Err: end.err, Requeue: Requeue{RateLimited: true}}
		default:
			steps = steps[1:]
		}
	}
	return Result{Requeue: p.Requeue}
}

// stepEnd is how a step ended.
type stepEnd struct {
	err        error  // the error that ends the sync, nil if it goes on
	forget     bool   // err ends it with no requeue
	resume     bool   // a failed write resumes the sync:
	resumeWith []Step // it goes on with these in place of the rest of the plan
}

// step runs one step. cause is the error a fallback step runs for (nil in
// the main line). It returns how the step ends the sync, after running the
// fallback of the first write that failed, or that the sync resumes.
func (a Applier) step(step Step, rvs map[Target]string, cause error) stepEnd {
	for _, e := range step.Events {
		a.Server.Record(e.Expand("", cause))
	}
	writes := make([]Write, len(step.Writes))
	for i, w := range step.Writes {
		writes[i] = w.Expand("", cause)
		if w.Precondition.FromPrevious {
			writes[i] = writes[i].withResourceVersion(rvs[w.Target])
		}
	}
	results := make([]Object, len(writes))
	errs := make([]error, len(writes))
	send := func(i int) { results[i], errs[i] = a.send(writes[i]) }
	if a.Parallel != nil && len(writes) > 1 {
		a.Parallel(len(writes), send)
	} else {
		for i := range writes {
			send(i)
		}
	}
	var end stepEnd
	var fallback []Step
	for i, w := range writes {
		err := errs[i]
		switch {
		case err == nil:
			name := ""
			if results[i] != nil {
				name = results[i].GetName()
				rvs[w.Target] = results[i].GetResourceVersion()
			}
			for _, e := range w.Events {
				a.Server.Record(e.Expand(name, nil))
			}
		case w.OnError.ignores(err):
		case slices.Contains(w.OnError.Forget, KindOf(err)):
			if end.err == nil && !end.resume {
				end.err, end.forget = err, true
			}
		case w.OnError.aborts(err):
			if end.err == nil && !end.resume {
				end.err = err
			}
		default:
			for _, e := range w.OnError.Events {
				a.Server.Record(e.Expand("", err))
			}
			switch {
			case end.err != nil || end.resume:
			case w.OnError.Resume:
				end.resume, end.resumeWith = true, w.OnError.ResumeWith
			default:
				end.err, fallback = err, w.OnError.Fallback
			}
		}
	}
	if end.err != nil {
		for _, fb := range fallback {
			_ = a.step(fb, rvs, end.err) // upstream goes on whatever its fallback writes meet
		}
	}
	return end
}

// send makes one write, retrying a status write on a fresh copy as upstream
// does.
func (a Applier) send(w Write) (Object, error) {
	obj, err := a.Server.Send(w)
	for i := 0; err != nil && i < w.Retries; i++ {
		fresh, getErr := a.Server.Get(w.Target)
		if getErr != nil {
			return nil, getErr
		}
		w = w.withStatusOn(fresh)
		obj, err = a.Server.Send(w)
	}
	return obj, err
}

func (o OnError) ignores(err error) bool { return slices.Contains(o.Ignore, KindOf(err)) }
func (o OnError) aborts(err error) bool  { return slices.Contains(o.Abort, KindOf(err)) }

// KindOf classifies an API error for [OnError]; it returns "" for an error
// of no listed kind.
func KindOf(err error) ErrorKind {
	switch {
	case err == nil:
		return ""
	case apierrors.HasStatusCause(err, corev1.NamespaceTerminatingCause):
		return NamespaceTerminating
	case apierrors.IsNotFound(err):
		return NotFound
	case apierrors.IsAlreadyExists(err):
		return AlreadyExists
	case apierrors.IsInvalid(err):
		return Invalid
	}
	return ""
}

// Expand returns w with NamePlaceholder and ErrorPlaceholder replaced in its
// events and, for ErrorPlaceholder, in the condition messages of its
// object's status, where upstream writes an error's text. The object is
// copied if anything in it changes.
func (w Write) Expand(name string, err error) Write {
	w.Events = expandEvents(w.Events, name, err)
	if err == nil || w.Object == nil {
		return w
	}
	switch o := w.Object.(type) {
	case *appsv1.ReplicaSet:
		if i := slices.IndexFunc(o.Status.Conditions, func(c appsv1.ReplicaSetCondition) bool { return hasPlaceholder(c.Message) }); i >= 0 {
			c := o.DeepCopy()
			c.Status.Conditions[i].Message = expand(c.Status.Conditions[i].Message, "", err)
			w.Object = c
		}
	case *appsv1.Deployment:
		if i := slices.IndexFunc(o.Status.Conditions, func(c appsv1.DeploymentCondition) bool { return hasPlaceholder(c.Message) }); i >= 0 {
			c := o.DeepCopy()
			c.Status.Conditions[i].Message = expand(c.Status.Conditions[i].Message, "", err)
			w.Object = c
		}
	}
	return w
}

func hasPlaceholder(s string) bool { return strings.Contains(s, ErrorPlaceholder) }

func expandEvents(es []Event, name string, err error) []Event {
	if len(es) == 0 || (name == "" && err == nil) {
		return es
	}
	out := make([]Event, len(es))
	for i, e := range es {
		out[i] = e.Expand(name, err)
	}
	return out
}

// withResourceVersion returns w carrying rv as its object's resourceVersion.
func (w Write) withResourceVersion(rv string) Write {
	if w.Object != nil {
		c := w.Object.DeepCopyObject().(Object)
		c.SetResourceVersion(rv)
		w.Object = c
	}
	return w
}

// withStatusOn returns w sending w's status on fresh, upstream's retry of a
// status update on a copy read again.
func (w Write) withStatusOn(fresh Object) Write {
	switch o := w.Object.(type) {
	case *appsv1.ReplicaSet:
		if f, ok := fresh.(*appsv1.ReplicaSet); ok {
			c := f.DeepCopy()
			c.Status = *o.Status.DeepCopy()
			w.Object = c
			return w
		}
	case *appsv1.Deployment:
		if f, ok := fresh.(*appsv1.Deployment); ok {
			c := f.DeepCopy()
			c.Status = *o.Status.DeepCopy()
			w.Object = c
			return w
		}
	}
	return w.withResourceVersion(fresh.GetResourceVersion())
}

// errNoServer is returned by Apply when it has nowhere to send writes.
var errNoServer = errors.New("workload: Applier has no Server")
