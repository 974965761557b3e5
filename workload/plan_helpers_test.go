package workload_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/reckon-k8s/reckon/rollout"
	"github.com/reckon-k8s/reckon/workload"
)

// failer is what the helpers need of *testing.T and *rapid.T.
type failer interface {
	Helper()
	Fatalf(format string, args ...any)
}

func isRelease(w workload.Write) bool {
	return w.Verb == workload.Patch && bytes.Contains(w.PatchData, []byte(`"$patch":"delete"`))
}

// summary renders the pod writes of a ReplicaSet plan compactly, so that
// expectations read as what upstream does: "adopt pod1", "release pod2",
// "create", "delete pod3". The status write is left out: see rsStatus.
func summary(p workload.Plan) []string {
	var out []string
	for _, w := range p.Writes() {
		switch {
		case isRelease(w):
			out = append(out, "release "+w.Target.Name)
		case w.Verb == workload.Patch:
			out = append(out, "adopt "+w.Target.Name)
		case w.Verb == workload.Create:
			out = append(out, "create")
		case w.Verb == workload.Delete:
			out = append(out, "delete "+w.Target.Name)
		}
	}
	return out
}

// rsStatus returns the status a ReplicaSet plan writes (its update-status
// write, never a fallback's) and whether it writes one.
func rsStatus(p workload.Plan) (appsv1.ReplicaSetStatus, bool) {
	for _, w := range p.Writes() {
		if w.Verb == workload.UpdateStatus {
			return w.Object.(*appsv1.ReplicaSet).Status, true
		}
	}
	return appsv1.ReplicaSetStatus{}, false
}

func mustRSStatus(t failer, p workload.Plan) appsv1.ReplicaSetStatus {
	t.Helper()
	st, ok := rsStatus(p)
	if !ok {
		t.Fatalf("the plan writes no status:\n%s", p)
	}
	return st
}

// statusWrites returns the Deployments a Deployment plan's update-status
// writes send, in order.
func statusWrites(p workload.Plan) []*appsv1.Deployment {
	var out []*appsv1.Deployment
	for _, w := range p.Writes() {
		if w.Verb == workload.UpdateStatus {
			out = append(out, w.Object.(*appsv1.Deployment))
		}
	}
	return out
}

// lastStatus is the status the last update-status write of p sends, or the
// observed one if p writes none: what the Deployment holds once every write
// of p went through.
func lastStatus(p workload.Plan, d *appsv1.Deployment) appsv1.DeploymentStatus {
	if ws := statusWrites(p); len(ws) > 0 {
		return ws[len(ws)-1].Status
	}
	return d.Status
}

// describe renders a Deployment plan one line per write, in order, each
// write's events indented below it ("  event Reason message") and the
// events of a step without a write of their own before the step's writes
// ("event Reason message"). A write computed from an earlier write's
// answer (Precondition.FromPrevious) says so.
func describe(p workload.Plan) []string {
	var out []string
	for _, s := range p.Steps {
		for _, e := range s.Events {
			out = append(out, "event "+e.Reason+" "+e.Message)
		}
		for _, w := range s.Writes {
			line := describeWrite(w)
			if w.Precondition.FromPrevious {
				line += " (from previous)"
			}
			out = append(out, line)
			for _, e := range w.Events {
				out = append(out, "  event "+e.Reason+" "+e.Message)
			}
		}
	}
	return out
}

func describeWrite(w workload.Write) string {
	switch o := w.Object.(type) {
	case *appsv1.ReplicaSet:
		if w.Verb == workload.Create {
			return fmt.Sprintf("create %s %d rev=%s", o.Name, *o.Spec.Replicas, o.Annotations[rollout.RevisionAnnotation])
		}
		return fmt.Sprintf("update %s %d", o.Name, *o.Spec.Replicas)
	case *appsv1.Deployment:
		if w.Verb == workload.UpdateStatus {
			return "status " + statusLine(o.Status)
		}
		return "update deployment"
	}
	switch {
	case isRelease(w):
		return "release " + w.Target.Name
	case w.Verb == workload.Patch:
		return "adopt " + w.Target.Name
	case w.Verb == workload.Delete:
		return "delete " + w.Target.Name
	}
	return w.String()
}

// statusLine is replicas/updated/ready/available/unavailable and the
// conditions by type.
func statusLine(s appsv1.DeploymentStatus) string {
	var conds []string
	for _, c := range s.Conditions {
		conds = append(conds, fmt.Sprintf("%s=%s/%s", c.Type, c.Status, c.Reason))
	}
	sort.Strings(conds)
	return fmt.Sprintf("%d/%d/%d/%d/%d %s", s.Replicas, s.UpdatedReplicas, s.ReadyReplicas, s.AvailableReplicas, s.UnavailableReplicas, strings.Join(conds, " "))
}

// requireFieldErrors fails unless err is an *InvalidError whose field
// errors each name a field path and are found by errors.As: the only kind
// of error a planner may return.
func requireFieldErrors(t failer, err error) {
	t.Helper()
	var ie *workload.InvalidError
	if !errors.As(err, &ie) || len(ie.Errors) == 0 {
		t.Fatalf("error is not an InvalidError with field errors: %T %v", err, err)
	}
	var fe *field.Error
	if !errors.As(err, &fe) || fe != ie.Errors[0] {
		t.Fatalf("errors.As does not find the first field error of %v", err)
	}
	for _, e := range ie.Errors {
		if e.Field == "" {
			t.Fatalf("error without a field path: %v", e)
		}
		if !errors.Is(err, e) {
			t.Fatalf("errors.Is does not find %v", e)
		}
	}
}

// requireWellFormed fails unless every write of p, fallbacks included,
// follows the contract's rules for its shape (write-target,
// write-precondition, write-body, event-with-write, requeue): what a client
// needs to send it is there, and nothing contradicts itself. observed are
// the objects the planner was given, by UID, for the preconditions.
func requireWellFormed(t failer, p workload.Plan, observed map[types.UID]workload.Object) {
	t.Helper()
	if p.Requeue.RateLimited && p.Requeue.After != 0 {
		t.Fatalf("requeue both rate-limited and after %v", p.Requeue.After)
	}
	written := map[workload.Target]bool{}
	var check func(steps []workload.Step, fallback bool)
	check = func(steps []workload.Step, fallback bool) {
		for _, s := range steps {
			requireEvents(t, s.Events, false)
			for _, w := range s.Writes {
				requireWellFormedWrite(t, w, observed, fallback, written)
				requireEvents(t, w.Events, w.Verb == workload.Create && w.Target.Name == "")
				requireEvents(t, w.OnError.Events, false)
				check(w.OnError.Fallback, true)
			}
			for _, w := range s.Writes {
				written[w.Target] = true
			}
		}
	}
	check(p.Steps, false)
}

func requireWellFormedWrite(t failer, w workload.Write, observed map[types.UID]workload.Object, fallback bool, written map[workload.Target]bool) {
	t.Helper()
	tg := w.Target
	if tg.Resource.Resource == "" || tg.Resource.Version == "" || tg.Namespace == "" {
		t.Fatalf("%v: incomplete target %+v", w, tg)
	}
	if w.Precondition.FromPrevious && (fallback || !written[tg]) {
		t.Fatalf("%v: FromPrevious without an earlier write to %v", w, tg)
	}
	if w.Retries < 0 || (w.Retries > 0 && w.Verb != workload.UpdateStatus) {
		t.Fatalf("%v: %d retries", w, w.Retries)
	}
	switch w.Verb {
	case workload.Create:
		if w.Object == nil || tg.UID != "" || w.Object.GetUID() != "" || w.Object.GetResourceVersion() != "" ||
			tg.Name != w.Object.GetName() || (tg.Name == "") == (w.Object.GetGenerateName() == "") || w.Object.GetNamespace() != tg.Namespace {
			t.Fatalf("%v: create of %+v", w, w.Object)
		}
	case workload.Update, workload.UpdateStatus:
		if w.Object == nil || w.Object.GetName() != tg.Name || w.Object.GetNamespace() != tg.Namespace || w.Object.GetUID() != tg.UID {
			t.Fatalf("%v: body names %s/%s %s, target %+v", w, w.Object.GetNamespace(), w.Object.GetName(), w.Object.GetUID(), tg)
		}
		if rv := w.Object.GetResourceVersion(); rv != w.Precondition.ResourceVersion {
			t.Fatalf("%v: body carries resourceVersion %q, precondition %q", w, rv, w.Precondition.ResourceVersion)
		}
		if o, ok := observed[tg.UID]; ok && !w.Precondition.FromPrevious && o.GetResourceVersion() != w.Precondition.ResourceVersion {
			t.Fatalf("%v: precondition %q, observed copy at %q", w, w.Precondition.ResourceVersion, o.GetResourceVersion())
		}
	case workload.Patch:
		if w.Object != nil || w.PatchType != types.StrategicMergePatchType || !json.Valid(w.PatchData) || w.Precondition.UID != tg.UID {
			t.Fatalf("%v: patch %s %s, precondition %+v", w, w.PatchType, w.PatchData, w.Precondition)
		}
		var body struct {
			Metadata struct {
				UID types.UID `json:"uid"`
			} `json:"metadata"`
		}
		if json.Unmarshal(w.PatchData, &body) != nil || body.Metadata.UID != tg.UID {
			t.Fatalf("%v: patch body pins UID %q, target %q", w, body.Metadata.UID, tg.UID)
		}
	case workload.Delete:
		if w.Object != nil || len(w.PatchData) != 0 || tg.Name == "" {
			t.Fatalf("%v: delete with a body or without a name", w)
		}
	default:
		t.Fatalf("%v: verb %q", w, w.Verb)
	}
	if _, ok := observed[tg.UID]; w.Verb != workload.Create && tg.UID != "" && !ok && !w.Precondition.FromPrevious {
		t.Fatalf("%v: target UID %s was not observed", w, tg.UID)
	}
	for _, k := range slices.Concat(w.OnError.Ignore, w.OnError.Abort) {
		if k == "" {
			t.Fatalf("%v: empty error kind", w)
		}
	}
}

func requireEvents(t failer, es []workload.Event, mayNamePlaceholder bool) {
	t.Helper()
	for _, e := range es {
		if (e.Type != corev1.EventTypeNormal && e.Type != corev1.EventTypeWarning) || e.Reason == "" || e.Message == "" {
			t.Fatalf("event %+v", e)
		}
		if !mayNamePlaceholder && strings.Contains(e.Message, workload.NamePlaceholder) {
			t.Fatalf("event %q names an object no create names", e)
		}
	}
}

// observedOf indexes what a planner was given by UID, for
// requireWellFormed.
func observedOf(d *appsv1.Deployment, rss []*appsv1.ReplicaSet, ps []*corev1.Pod) map[types.UID]workload.Object {
	m := map[types.UID]workload.Object{}
	if d != nil {
		m[d.UID] = d
	}
	for _, rs := range rss {
		if rs != nil {
			m[rs.UID] = rs
		}
	}
	for _, p := range ps {
		if p != nil {
			m[p.UID] = p
		}
	}
	return m
}
