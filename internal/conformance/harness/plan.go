package harness

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/reckon-k8s/reckon/workload"
)

// CheckPlan checks what the plan contract promises of every write of p
// (fallbacks included) that the store cannot see: a create names its
// object's name and no precondition; an update or update-status names its
// object and, unless computed from an earlier write's result
// (FromPrevious, which needs an earlier write to the same target), carries
// its precondition's resourceVersion; a patch and a delete name an
// observed object's UID; only status writes are retried; events have a
// type.
func CheckPlan(p workload.Plan) error {
	written := map[workload.Target]bool{}
	var check func(steps []workload.Step, where string) error
	check = func(steps []workload.Step, where string) error {
		for i, s := range steps {
			for _, e := range s.Events {
				if err := checkEvent(e); err != nil {
					return fmt.Errorf("%sstep %d: %v", where, i, err)
				}
			}
			for j, w := range s.Writes {
				if err := checkWrite(w, written); err != nil {
					return fmt.Errorf("%sstep %d write %d (%s): %v", where, i, j, w, err)
				}
				for _, e := range append(append([]workload.Event(nil), w.Events...), w.OnError.Events...) {
					if err := checkEvent(e); err != nil {
						return fmt.Errorf("%sstep %d write %d (%s): %v", where, i, j, w, err)
					}
				}
				if w.OnError.Resume && len(w.OnError.Fallback) > 0 {
					return fmt.Errorf("%sstep %d write %d (%s): resumes and has a fallback", where, i, j, w)
				}
				if err := check(w.OnError.Fallback, fmt.Sprintf("%sstep %d write %d fallback: ", where, i, j)); err != nil {
					return err
				}
				if err := check(w.OnError.ResumeWith, fmt.Sprintf("%sstep %d write %d resumed: ", where, i, j)); err != nil {
					return err
				}
			}
			for _, w := range s.Writes {
				written[w.Target] = true
			}
		}
		return nil
	}
	return check(p.Steps, "")
}

func checkEvent(e workload.Event) error {
	if e.Type != corev1.EventTypeNormal && e.Type != corev1.EventTypeWarning || e.Reason == "" {
		return fmt.Errorf("event %q has no type or reason", e)
	}
	return nil
}

func checkWrite(w workload.Write, written map[workload.Target]bool) error {
	t, pre := w.Target, w.Precondition
	if t.Namespace == "" {
		return fmt.Errorf("no namespace")
	}
	if w.Retries != 0 && w.Verb != workload.UpdateStatus {
		return fmt.Errorf("retries on a %s", w.Verb)
	}
	switch w.Verb {
	case workload.Create:
		if w.Object == nil || w.Object.GetName() != t.Name || t.UID != "" || pre != (workload.Precondition{}) || w.Object.GetResourceVersion() != "" {
			return fmt.Errorf("a create must name its object's name, no UID and no precondition")
		}
	case workload.Update, workload.UpdateStatus:
		if w.Object == nil || w.Object.GetName() != t.Name || w.Object.GetUID() != t.UID || t.UID == "" {
			return fmt.Errorf("an update must name its object and its UID")
		}
		if pre.FromPrevious {
			if !written[t] {
				return fmt.Errorf("computed from an earlier write's result, but no earlier write has this target")
			}
		} else if pre.ResourceVersion == "" || pre.ResourceVersion != w.Object.GetResourceVersion() {
			return fmt.Errorf("precondition resourceVersion %q, object's %q", pre.ResourceVersion, w.Object.GetResourceVersion())
		}
	case workload.Patch:
		if t.Name == "" || t.UID == "" || w.PatchType == "" || len(w.PatchData) == 0 || w.Object != nil {
			return fmt.Errorf("a patch must name an observed object and carry a patch type and body")
		}
	case workload.Delete:
		if t.Name == "" || t.UID == "" || w.Object != nil {
			return fmt.Errorf("a delete must name an observed object")
		}
	default:
		return fmt.Errorf("unknown verb %q", w.Verb)
	}
	return nil
}
