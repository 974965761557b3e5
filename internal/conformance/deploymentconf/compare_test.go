package deploymentconf

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/reckon-k8s/reckon/workload"
)

// outcome is one sync described comparably: upstream's calls and reckon's
// plan both reduce to it.
type outcome struct {
	claims  []string // "<namespace>/<name> <patch>", sorted: upstream patches in informer order
	writes  []written
	events  []string // "<type> <reason> <message>"
	requeue bool     // rate-limited requeue (a requeue within a second, or a sync error)
	after   time.Duration
	// status is the Deployment status after the sync (the last one
	// written, or the observed one).
	status appsv1.DeploymentStatus
}

// written is one write other than a claim. Exactly one of the object
// fields is set, by verb.
type written struct {
	verb        string                   // create, update, delete, update-deployment, update-status
	rs          *appsv1.ReplicaSet       // create, update: the object sent
	d           *appsv1.Deployment       // update-deployment: the object sent
	status      *appsv1.DeploymentStatus // update-status
	annotations map[string]string        // update-status: the Deployment's annotations sent with it
	ref         string                   // delete: namespace/name
}

func (w written) String() string {
	switch w.verb {
	case "create", "update":
		return fmt.Sprintf("%s replicaset %s/%s (replicas %d)", w.verb, w.rs.Namespace, w.rs.Name, valueOr(w.rs.Spec.Replicas, -1))
	case "delete":
		return "delete replicaset " + w.ref
	case "update-deployment":
		return "update deployment " + w.d.Name
	default:
		return fmt.Sprintf("update status (replicas %d, updated %d, ready %d, available %d)", w.status.Replicas, w.status.UpdatedReplicas, w.status.ReadyReplicas, w.status.AvailableReplicas)
	}
}

// upstreamOutcome reduces what upstream did. Condition times it stamped
// from the wall clock become sc.Now, the instant reckon is given.
func upstreamOutcome(sc *scenario, run *upstreamRun) (outcome, error) {
	var o outcome
	if len(run.unexpected) > 0 {
		return o, fmt.Errorf("upstream made calls the fake API server does not serve: %v", run.unexpected)
	}
	if run.adds > 0 || len(run.addAfter) > 1 {
		return o, fmt.Errorf("upstream queued the key %d times plainly and %d times delayed", run.adds, len(run.addAfter))
	}
	for _, p := range run.claims {
		if p.patchType != types.StrategicMergePatchType {
			return o, fmt.Errorf("claim patch of type %s", p.patchType)
		}
		o.claims = append(o.claims, p.namespace+"/"+p.name+" "+p.body)
	}
	sort.Strings(o.claims)
	o.status = sc.Deployment.Status
	for _, w := range run.writes {
		out := written{verb: w.verb}
		switch w.verb {
		case "create", "update":
			out.rs = w.rs
		case "delete":
			if !reflect.DeepEqual(w.options, metav1.DeleteOptions{}) {
				return o, fmt.Errorf("upstream deleted %s with options %+v, which the comparison ignores", w.name, w.options)
			}
			out.ref = w.namespace + "/" + w.name
		case "update-deployment":
			d := w.d.DeepCopy()
			run.normalizeStamps(&d.Status, sc.Now)
			out.d = d
		case "update-status":
			d := w.d.DeepCopy()
			run.normalizeStamps(&d.Status, sc.Now)
			// The API server keeps only status and metadata but labels
			// from a status write; reckon models the status and the
			// annotations. Anything else upstream changed would be lost.
			rest, in := d.DeepCopy(), sc.Deployment.DeepCopy()
			rest.Status, in.Status = appsv1.DeploymentStatus{}, appsv1.DeploymentStatus{}
			rest.Annotations, in.Annotations = nil, nil
			if !equality.Semantic.DeepEqual(rest, in) {
				return o, fmt.Errorf("upstream's status write changes more than status and annotations: %s", strings.Join(diffObjects(in, rest), "; "))
			}
			out.status, out.annotations = &d.Status, d.Annotations
			o.status = d.Status
		}
		o.writes = append(o.writes, out)
	}
	o.events = run.events
	o.requeue = run.rateLimited > 0 || run.err != nil
	if len(run.addAfter) == 1 {
		// requeueStuckDeployment measures from the Progressing condition
		// of the in-memory Deployment, which is the last status written
		// (every change to it is written at once) or the observed one. If
		// upstream stamped it during this sync, it measured from the wall
		// clock's instant rather than now: take the difference out.
		after := run.addAfter[0]
		last := sc.Deployment.Status
		for _, w := range run.writes {
			if w.verb == "update-status" {
				last = w.d.Status
			}
		}
		for _, c := range last.Conditions {
			if c.Type == appsv1.DeploymentProgressing && run.isSyncStamp(c.LastUpdateTime.Time) {
				after -= c.LastUpdateTime.Time.Round(0).Sub(sc.Now)
			}
		}
		o.after = after
	}
	return o, nil
}

// runReckon plans sc with workload.PlanDeployment, giving it the
// ReplicaSets and pods in an order of its own (sc.OrderSeed), and checks
// that it leaves its inputs alone. perturb, if not nil, changes reckon's
// copy of the scenario first (TestHarnessDetectsDifferences).
func runReckon(sc *scenario, perturb func(*scenario)) (workload.DeploymentPlan, error) {
	in := sc.deepCopy()
	if perturb != nil {
		perturb(in)
	}
	r := rand.New(rand.NewPCG(sc.OrderSeed, 1))
	r.Shuffle(len(in.ReplicaSets), func(i, j int) { in.ReplicaSets[i], in.ReplicaSets[j] = in.ReplicaSets[j], in.ReplicaSets[i] })
	r.Shuffle(len(in.Pods), func(i, j int) { in.Pods[i], in.Pods[j] = in.Pods[j], in.Pods[i] })
	pristine := in.deepCopy()
	plan, err := workload.PlanDeployment(in.Deployment, workload.DeploymentState{ReplicaSets: in.ReplicaSets, Pods: in.Pods}, in.Now)
	if err != nil {
		return plan, fmt.Errorf("reckon rejected the scenario: %v", err)
	}
	if !reflect.DeepEqual(in, pristine) {
		return plan, fmt.Errorf("reckon modified its inputs")
	}
	return plan, nil
}

// reckonOutcome reduces a plan.
func reckonOutcome(sc *scenario, plan workload.DeploymentPlan) (outcome, error) {
	var o outcome
	o.status = sc.Deployment.Status
	wroteStatus := false
	for i, a := range plan.Actions {
		var claim string
		switch a := a.(type) {
		case workload.Adopt:
			claim = a.Object.Namespace + "/" + a.Object.Name + " " + string(a.Patch())
		case workload.Release:
			claim = a.Object.Namespace + "/" + a.Object.Name + " " + string(a.Patch())
		case workload.CreateReplicaSet:
			o.writes = append(o.writes, written{verb: "create", rs: a.ReplicaSet})
		case workload.UpdateReplicaSet:
			o.writes = append(o.writes, written{verb: "update", rs: a.ReplicaSet})
		case workload.DeleteReplicaSet:
			o.writes = append(o.writes, written{verb: "delete", ref: a.ReplicaSet.Namespace + "/" + a.ReplicaSet.Name})
		case workload.UpdateDeployment:
			o.writes = append(o.writes, written{verb: "update-deployment", d: a.Deployment})
		case workload.UpdateDeploymentStatus:
			o.writes = append(o.writes, written{verb: "update-status", status: &a.Status, annotations: a.Annotations})
			o.status = a.Status
			wroteStatus = true
		default:
			return o, fmt.Errorf("plan action %d is a %T, which a Deployment sync never issues", i, a)
		}
		if claim != "" {
			if len(o.writes) > 0 {
				return o, fmt.Errorf("plan action %d (%s) claims after other writes; upstream claims first", i, a)
			}
			o.claims = append(o.claims, claim)
		}
	}
	sort.Strings(o.claims)
	if wroteStatus != plan.WriteStatus {
		return o, fmt.Errorf("plan.WriteStatus is %v but the plan has %v status writes", plan.WriteStatus, wroteStatus)
	}
	if !equality.Semantic.DeepEqual(plan.Status, o.status) {
		return o, fmt.Errorf("plan.Status is not the last status written (or the observed one): %s", strings.Join(diffObjects(o.status, plan.Status), "; "))
	}
	for _, e := range plan.Events {
		o.events = append(o.events, e.Type+" "+e.Reason+" "+e.Message)
	}
	o.requeue, o.after = plan.Requeue, plan.RequeueAfter
	return o, nil
}

// compareOutcomes lists every difference between upstream's outcome and
// reckon's. Each difference starts with a short label and a colon (the
// failure signature is made of the labels).
func compareOutcomes(up, rk outcome) []string {
	var diffs []string
	if !slices.Equal(up.claims, rk.claims) {
		diffs = append(diffs, fmt.Sprintf("claims: upstream %q, reckon %q", up.claims, rk.claims))
	}
	for i := range max(len(up.writes), len(rk.writes)) {
		switch {
		case i >= len(up.writes):
			diffs = append(diffs, fmt.Sprintf("extra %s: reckon's write %d (%s) is not upstream's", rk.writes[i].verb, i, rk.writes[i]))
		case i >= len(rk.writes):
			diffs = append(diffs, fmt.Sprintf("missing %s: upstream's write %d (%s) is not in the plan", up.writes[i].verb, i, up.writes[i]))
		default:
			if d := compareWrites(up.writes[i], rk.writes[i]); d != "" {
				diffs = append(diffs, fmt.Sprintf("%s %d: %s", up.writes[i].verb, i, d))
			}
		}
	}
	if !slices.Equal(up.events, rk.events) {
		diffs = append(diffs, fmt.Sprintf("events: upstream %q, reckon %q", up.events, rk.events))
	}
	if up.requeue != rk.requeue {
		diffs = append(diffs, fmt.Sprintf("requeue: upstream %v, reckon %v", up.requeue, rk.requeue))
	}
	if up.after != rk.after {
		diffs = append(diffs, fmt.Sprintf("requeueAfter: upstream %v, reckon %v", up.after, rk.after))
	}
	return diffs
}

// compareWrites describes how two writes differ ("" if they do not).
// Objects are compared as the API server would see them
// (equality.Semantic: a nil and an empty map or slice are the same on the
// wire).
func compareWrites(up, rk written) string {
	if up.verb != rk.verb {
		return fmt.Sprintf("upstream %s, reckon %s", up, rk)
	}
	var a, b any
	switch up.verb {
	case "create", "update":
		a, b = up.rs, rk.rs
	case "delete":
		a, b = up.ref, rk.ref
	case "update-deployment":
		a, b = up.d, rk.d
	default:
		type statusWrite struct {
			Status      *appsv1.DeploymentStatus
			Annotations map[string]string
		}
		a, b = statusWrite{up.status, up.annotations}, statusWrite{rk.status, rk.annotations}
	}
	if equality.Semantic.DeepEqual(a, b) {
		return ""
	}
	return strings.Join(diffObjects(a, b), "; ")
}

// diffObjects lists the JSON paths where a (upstream) and b (reckon)
// differ, with both values.
func diffObjects(a, b any) []string {
	var out []string
	ja, jb := toJSON(a), toJSON(b)
	walkDiff("", ja, jb, &out)
	if len(out) == 0 {
		out = append(out, fmt.Sprintf("no difference in JSON (below its precision?): upstream %+v, reckon %+v", a, b))
	}
	if len(out) > 12 {
		out = append(out[:12], fmt.Sprintf("... %d more", len(out)-12))
	}
	return out
}

func toJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return out
}

func walkDiff(path string, a, b any, out *[]string) {
	ma, aok := a.(map[string]any)
	mb, bok := b.(map[string]any)
	if aok && bok {
		keys := map[string]bool{}
		for k := range ma {
			keys[k] = true
		}
		for k := range mb {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			walkDiff(path+"."+k, ma[k], mb[k], out)
		}
		return
	}
	sa, aok := a.([]any)
	sb, bok := b.([]any)
	if aok && bok && len(sa) == len(sb) {
		for i := range sa {
			walkDiff(fmt.Sprintf("%s[%d]", path, i), sa[i], sb[i], out)
		}
		return
	}
	if !reflect.DeepEqual(a, b) {
		if path == "" {
			path = "."
		}
		*out = append(*out, fmt.Sprintf("%s upstream %s reckon %s", path, shortJSON(a), shortJSON(b)))
	}
}

// eventReasons lists the reasons of events, for the outcome counts.
func eventReason(e string) string {
	f := strings.Fields(e)
	if len(f) < 2 {
		return e
	}
	return f[0] + " " + f[1]
}

// shortJSON renders v as JSON, eliding the middle of long values.
func shortJSON(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 120 {
		return fmt.Sprintf("%s...(%d bytes)...%s", b[:60], len(b)-100, b[len(b)-40:])
	}
	return string(b)
}
