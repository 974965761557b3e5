package harness

import (
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/workload"
)

// A Fault makes a store refuse writes: from the Nth write (counting from 1)
// with its verb and resource, and its name unless Name is empty, Times of
// them (0 counts as 1) fail with an API error of Reason. Counting by
// arrival is enough where writes are concurrent: upstream's concurrent
// writes of one step are pod creates of one template, all alike, and a
// fault on one of its concurrent deletes names the pod.
//
// A fault is the same on both sides of a comparison, and is saved with a
// regression case.
type Fault struct {
	Verb     workload.Verb `json:"verb"`
	Resource string        `json:"resource"`
	Name     string        `json:"name,omitempty"`
	Nth      int           `json:"nth"`
	Times    int           `json:"times,omitempty"`
	Reason   string        `json:"reason"`
}

// The reasons a Fault can give, each an error as the API server words it.
const (
	InternalError        = "InternalError"        // etcd timed out
	QuotaExceeded        = "QuotaExceeded"        // ResourceQuota admission: Forbidden
	Conflict             = "Conflict"             // a stale resourceVersion
	NotFound             = "NotFound"             // the object is gone
	AlreadyExists        = "AlreadyExists"        // the name is taken
	NamespaceTerminating = "NamespaceTerminating" // NamespaceLifecycle admission: Forbidden with its cause
)

func (f Fault) String() string {
	name := f.Name
	if name == "" {
		name = "*"
	}
	times := ""
	if f.Times > 1 {
		times = fmt.Sprintf(" ×%d", f.Times)
	}
	return fmt.Sprintf("%s %s %s #%d%s: %s", f.Verb, f.Resource, name, f.Nth, times, f.Reason)
}

// err is the error f makes a store answer c with.
func (f Fault) err(c *Call) error {
	gr := resources[c.Resource].GroupResource()
	name := c.Name
	switch f.Reason {
	case InternalError:
		return apierrors.NewInternalError(errors.New("etcdserver: request timed out"))
	case QuotaExceeded:
		return apierrors.NewForbidden(gr, name, fmt.Errorf("exceeded quota: compute-quota, requested: %s=1, used: %s=10, limited: %s=10", c.Resource, c.Resource, c.Resource))
	case Conflict:
		return apierrors.NewConflict(gr, name, errors.New("the object has been modified; please apply your changes to the latest version and try again"))
	case NotFound:
		return apierrors.NewNotFound(gr, name)
	case AlreadyExists:
		return apierrors.NewAlreadyExists(gr, name)
	case NamespaceTerminating:
		err := apierrors.NewForbidden(gr, name, fmt.Errorf("unable to create new content in namespace %s because it is being terminated", c.Namespace))
		err.ErrStatus.Details.Causes = append(err.ErrStatus.Details.Causes, metav1.StatusCause{
			Type:    corev1.NamespaceTerminatingCause,
			Message: fmt.Sprintf("namespace %s is being terminated", c.Namespace),
			Field:   "metadata.namespace",
		})
		return err
	}
	panic("conformance harness: unknown fault reason " + f.Reason)
}

// fault returns the error a fault makes the store answer c with, nil if
// none applies. The caller holds the lock.
func (s *Store) fault(c *Call) error {
	var out error
	for i, f := range s.faults {
		if f.Verb != c.Verb || f.Resource != c.Resource || (f.Name != "" && f.Name != c.Name) {
			continue
		}
		s.hits[i]++
		if n := s.hits[i]; out == nil && n >= f.Nth && n < f.Nth+max(f.Times, 1) {
			out = f.err(c)
		}
	}
	return out
}

// Fired reports, per fault, whether it refused a write.
func (s *Store) Fired() []bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]bool, len(s.faults))
	for i, f := range s.faults {
		out[i] = s.hits[i] >= f.Nth
	}
	return out
}
