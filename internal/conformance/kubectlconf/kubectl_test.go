package kubectlconf

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/klog/v2"
	cmdutil "k8s.io/kubectl/pkg/cmd/util"
	"k8s.io/kubectl/pkg/describe"
	"k8s.io/kubectl/pkg/polymorphichelpers"

	"github.com/reckon-k8s/reckon/rollout"
	"github.com/reckon-k8s/reckon/rollout/kubectl"
)

var (
	flagSeed  = flag.Uint64("kubectlconf.seed", 1, "seed of the generated cases")
	flagCases = flag.Int("kubectlconf.cases", 3000, "number of generated cases per test")
	flagCase  = flag.Int("kubectlconf.case", -1, "run only this case index")
)

var deploymentKind = schema.GroupKind{Group: "apps", Kind: "Deployment"}

func TestMain(m *testing.M) {
	// kubectl's history viewer warns through klog about unparsable revisions.
	klog.LogToStderr(false)
	klog.SetOutput(io.Discard)
	m.Run()
}

// forEachCase runs check on every generated case, naming seed and index on
// failure so that -kubectlconf.seed and -kubectlconf.case replay it.
func forEachCase(t *testing.T, check func(t *testing.T, w world)) {
	t.Helper()
	for i := 0; i < *flagCases; i++ {
		if *flagCase >= 0 && i != *flagCase {
			continue
		}
		w := generate(rand.New(rand.NewPCG(*flagSeed, uint64(i))))
		ok := t.Run("", func(t *testing.T) {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("panic: %v", p)
				}
			}()
			check(t, w)
		})
		if !ok {
			t.Fatalf("case failed: -kubectlconf.seed=%d -kubectlconf.case=%d\n%s", *flagSeed, i, w)
		}
	}
}

// world is one generated case: a Deployment and the ReplicaSets of its
// namespace (and of another one).
type world struct {
	d               *appsv1.Deployment
	rss             []*appsv1.ReplicaSet
	toRevision      int64
	invalidSelector bool // kubectl's error wording for it differs (see kubectl.History)
}

func (w world) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "toRevision=%d\ndeployment: %+v\n", w.toRevision, w.d)
	for _, rs := range w.rss {
		fmt.Fprintf(&b, "rs: %+v\n", rs)
	}
	return b.String()
}

func (w world) objects() []runtime.Object {
	objs := []runtime.Object{w.d.DeepCopy()}
	for _, rs := range w.rss {
		objs = append(objs, rs.DeepCopy())
	}
	return objs
}

var (
	images = []string{"nginx:1.14.2", "nginx:1.16.1", "nginx:1.161"}
	base   = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
)

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

func genTemplate(r *rand.Rand) corev1.PodTemplateSpec {
	t := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: pick(r, images...)}}},
	}
	switch r.IntN(8) {
	case 0:
		t.Labels = nil
	case 1:
		t.Labels["tier"] = "front"
	}
	if r.IntN(5) == 0 {
		// Equal quantities in different forms compare equal in kubectl.
		t.Spec.Containers[0].Resources.Requests = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(pick(r, "500m", "0.5", "1"))}
	}
	if r.IntN(6) == 0 {
		t.Annotations = map[string]string{rollout.ChangeCauseAnnotation: pick(r, "template cause", "")}
	}
	return t
}

// genAnnotations draws from the skip-list keys, the change cause and others.
func genAnnotations(r *rand.Rand, who string) map[string]string {
	if r.IntN(6) == 0 {
		return nil
	}
	pool := []struct{ k, v string }{
		{corev1.LastAppliedConfigAnnotation, "{" + who + "}"},
		{rollout.RevisionHistoryAnnotation, "1,2"},
		{rollout.DesiredReplicasAnnotation, "3"},
		{rollout.MaxReplicasAnnotation, "4"},
		{rollout.RollbackToAnnotation, "1"},
		{rollout.ChangeCauseAnnotation, who + " cause"},
		{rollout.ChangeCauseAnnotation, ""},
		{"team", who},
		{"note", "x"},
	}
	a := map[string]string{}
	for _, kv := range pool {
		if r.IntN(3) == 0 {
			a[kv.k] = kv.v
		}
	}
	return a
}

func genRevision(r *rand.Rand, a map[string]string) map[string]string {
	switch r.IntN(10) {
	case 0:
		return a
	case 1:
		v := pick(r, "x", "", "-1", "99999999999999999999")
		if a == nil {
			a = map[string]string{}
		}
		a[rollout.RevisionAnnotation] = v
	default:
		if a == nil {
			a = map[string]string{}
		}
		a[rollout.RevisionAnnotation] = strconv.Itoa(1 + r.IntN(5))
	}
	return a
}

func genConditions(r *rand.Rand) []appsv1.DeploymentCondition {
	pool := []appsv1.DeploymentCondition{
		{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionTrue, Reason: "MinimumReplicasAvailable"},
		{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionFalse, Reason: "MinimumReplicasUnavailable"},
		{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue, Reason: "NewReplicaSetAvailable"},
		{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue, Reason: "ReplicaSetUpdated"},
		{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse, Reason: "ProgressDeadlineExceeded"},
		{Type: appsv1.DeploymentReplicaFailure, Status: corev1.ConditionTrue, Reason: "FailedCreate"},
		{Type: "X", Status: corev1.ConditionUnknown, Reason: "esc\x1b[31m\rcr"},
		{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue, Reason: "tab\tinside"},
	}
	var cs []appsv1.DeploymentCondition
	for n := r.IntN(4); n > 0; n-- {
		c := pick(r, pool...)
		c.LastUpdateTime = metav1.NewTime(base)
		cs = append(cs, c)
	}
	return cs
}

func generate(r *rand.Rand) world {
	var w world
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{
			Name: "web", Namespace: "ns", UID: "uid-web",
			Generation:        r.Int64N(4),
			CreationTimestamp: metav1.NewTime(base),
		},
		Spec: appsv1.DeploymentSpec{
			Template: genTemplate(r),
			Paused:   r.IntN(5) == 0,
		},
		Status: appsv1.DeploymentStatus{
			ObservedGeneration:  r.Int64N(4),
			Replicas:            r.Int32N(7),
			UpdatedReplicas:     r.Int32N(7),
			AvailableReplicas:   r.Int32N(7),
			UnavailableReplicas: r.Int32N(7),
			Conditions:          genConditions(r),
		},
	}
	if r.IntN(8) != 0 {
		d.Spec.Replicas = ptr(r.Int32N(7))
	}
	switch r.IntN(20) {
	case 0:
		d.Spec.Selector = nil
	case 1:
		d.Spec.Selector = &metav1.LabelSelector{}
	case 2:
		d.Spec.Selector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: metav1.LabelSelectorOpIn, Values: []string{"web", "api"}}}}
	case 3:
		d.Spec.Selector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Bogus"}}}
		w.invalidSelector = true
	default:
		d.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
	}
	d.Annotations = genAnnotations(r, "deploy")
	if r.IntN(4) != 0 {
		d.Annotations = genRevision(r, d.Annotations)
	}
	w.d = d

	for i := range r.IntN(7) {
		rs := &appsv1.ReplicaSet{
			ObjectMeta: metav1.ObjectMeta{
				Name:              fmt.Sprintf("web-%c%d", 'a'+r.IntN(3), i),
				Namespace:         "ns",
				UID:               types.UID(fmt.Sprintf("uid-rs-%d", i)),
				CreationTimestamp: metav1.NewTime(base.Add(time.Duration(r.IntN(4)) * time.Second)),
			},
			Spec: appsv1.ReplicaSetSpec{Replicas: ptr(r.Int32N(4))},
			Status: appsv1.ReplicaSetStatus{
				Replicas: r.Int32N(4),
			},
		}
		if r.IntN(10) == 0 {
			rs.Namespace = "other"
		}
		if r.IntN(3) == 0 {
			rs.Spec.Template = *d.Spec.Template.DeepCopy()
		} else {
			rs.Spec.Template = genTemplate(r)
		}
		hash := fmt.Sprintf("h%d", i)
		if rs.Spec.Template.Labels == nil {
			rs.Spec.Template.Labels = map[string]string{}
		}
		rs.Spec.Template.Labels[appsv1.DefaultDeploymentUniqueLabelKey] = hash
		rs.Labels = map[string]string{}
		for k, v := range rs.Spec.Template.Labels {
			rs.Labels[k] = v
		}
		if r.IntN(10) == 0 {
			rs.Labels = map[string]string{"app": "other"}
		}
		switch r.IntN(10) {
		case 0:
		case 1:
			rs.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: "x", UID: "uid-other", Controller: ptr(true)}}
		case 2:
			rs.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: d.Name, UID: d.UID}}
		default:
			rs.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: d.Name, UID: d.UID, Controller: ptr(true)}}
		}
		rs.Annotations = genRevision(r, genAnnotations(r, "rs"+strconv.Itoa(i)))
		w.rss = append(w.rss, rs)
	}
	w.toRevision = int64(r.IntN(8)) - 1
	if w.toRevision > 5 {
		w.toRevision = 0
	}
	return w
}

func ptr[T any](v T) *T { return &v }

// requireOutcomes fails when a full run never produced one of the kubectl
// outcomes named by prefix: the generator must reach every branch.
func requireOutcomes(t *testing.T, outcomes map[string]int, prefixes ...string) {
	if *flagCase >= 0 || *flagCases < 1000 || t.Failed() {
		return
	}
	for _, p := range prefixes {
		n := 0
		for k, v := range outcomes {
			if strings.HasPrefix(k, p) {
				n += v
			}
		}
		if n == 0 {
			t.Errorf("no case produced kubectl outcome %q", p)
		}
		t.Logf("%5d cases: %s", n, p)
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// TestStatusMatchesKubectl compares reckon's kubectl.Status with kubectl's
// DeploymentStatusViewer.Status for every revision argument 0..3.
func TestStatusMatchesKubectl(t *testing.T) {
	viewer, err := polymorphichelpers.StatusViewerFor(deploymentKind)
	if err != nil {
		t.Fatal(err)
	}
	forEachCase(t, func(t *testing.T, w world) {
		m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(w.d)
		if err != nil {
			t.Fatal(err)
		}
		for rev := int64(0); rev <= 3; rev++ {
			wantMsg, wantDone, wantErr := viewer.Status(&unstructured.Unstructured{Object: m}, rev)
			msg, done, err := kubectl.Status(w.d, rev)
			if msg != wantMsg || done != wantDone || errString(err) != errString(wantErr) {
				t.Errorf("revision %d: Status = %q, %v, %v; kubectl %q, %v, %v", rev, msg, done, err, wantMsg, wantDone, wantErr)
			}
		}
	})
}

// TestHistoryMatchesKubectl compares reckon's kubectl.History and
// FormatHistory with kubectl's DeploymentHistoryViewer.ViewHistory and
// GetHistory.
func TestHistoryMatchesKubectl(t *testing.T) {
	outcomes := map[string]int{}
	defer requireOutcomes(t, outcomes, "REVISION", "No rollout history", "failed to retrieve")
	forEachCase(t, func(t *testing.T, w world) {
		c := fake.NewSimpleClientset(w.objects()...)
		viewer, err := polymorphichelpers.HistoryViewerFor(deploymentKind, c)
		if err != nil {
			t.Fatal(err)
		}
		want, wantErr := viewer.ViewHistory(w.d.Namespace, w.d.Name, 0)
		outcomes[want+errString(wantErr)]++
		wantMap, wantMapErr := viewer.GetHistory(w.d.Namespace, w.d.Name)
		entries, err := kubectl.History(w.d, w.rss)
		if (err != nil) != (wantErr != nil) || (wantErr != nil) != (wantMapErr != nil) ||
			(!w.invalidSelector && errString(err) != errString(wantErr)) {
			t.Fatalf("History error %v; kubectl ViewHistory %v, GetHistory %v", err, wantErr, wantMapErr)
		}
		if err != nil {
			return
		}
		if got := kubectl.FormatHistory(entries); got != want {
			t.Errorf("FormatHistory =\n%q\nkubectl\n%q", got, want)
		}
		if len(entries) != len(wantMap) {
			t.Fatalf("History has %d revisions, kubectl %d", len(entries), len(wantMap))
		}
		for _, e := range entries {
			rs, ok := wantMap[e.Number].(*appsv1.ReplicaSet)
			if !ok {
				t.Fatalf("revision %d missing in kubectl's history", e.Number)
			}
			if rs.Name != e.ReplicaSet || !equality.Semantic.DeepEqual(rs.Spec.Template, e.Template) {
				t.Errorf("revision %d: ReplicaSet %s template %+v; kubectl %s %+v", e.Number, e.ReplicaSet, e.Template, rs.Name, rs.Spec.Template)
			}
		}
	})
}

// TestUndoMatchesKubectl compares reckon's kubectl.Undo with kubectl's
// DeploymentRollbacker: its printed result or error, and the Deployment the
// fake API server stores after the patch.
func TestUndoMatchesKubectl(t *testing.T) {
	outcomes := map[string]int{}
	defer requireOutcomes(t, outcomes, "rolled back", "skipped rollback", "you cannot rollback", "unable to find", "no rollout history", "failed to retrieve")
	forEachCase(t, func(t *testing.T, w world) {
		c := fake.NewSimpleClientset(w.objects()...)
		rb, err := polymorphichelpers.RollbackerFor(deploymentKind, c)
		if err != nil {
			t.Fatal(err)
		}
		result, wantErr := rb.Rollback(w.d.DeepCopy(), nil, w.toRevision, cmdutil.DryRunNone)
		outcomes[result+errString(wantErr)]++
		before := w.d.DeepCopy()
		got, skipped, err := kubectl.Undo(w.d, w.rss, w.toRevision)
		if !equality.Semantic.DeepEqual(before, w.d) {
			t.Fatalf("Undo modified its input")
		}
		if wantErr != nil {
			if err == nil || (!w.invalidSelector && err.Error() != wantErr.Error()) {
				t.Fatalf("Undo error %v; kubectl %v", err, wantErr)
			}
			return
		}
		if err != nil {
			t.Fatalf("Undo error %v; kubectl %q", err, result)
		}
		stored, getErr := c.AppsV1().Deployments(w.d.Namespace).Get(context.Background(), w.d.Name, metav1.GetOptions{})
		if getErr != nil {
			t.Fatal(getErr)
		}
		switch result {
		case "rolled back":
			if skipped {
				t.Fatalf("Undo skipped; kubectl rolled back")
			}
		case fmt.Sprintf("skipped rollback (current template already matches revision %d)", w.toRevision):
			if !skipped {
				t.Fatalf("Undo rolled back; kubectl %q", result)
			}
		default:
			t.Fatalf("unexpected kubectl result %q", result)
		}
		stored.ResourceVersion, got.ResourceVersion = "", ""
		stored.TypeMeta, got.TypeMeta = metav1.TypeMeta{}, metav1.TypeMeta{}
		if !equality.Semantic.DeepEqual(got, stored) {
			t.Errorf("Undo =\n%+v\nkubectl stored\n%+v", got, stored)
		}
	})
}

// newDescriber builds kubectl's DeploymentDescriber on a fake clientset; its
// client field is unexported and only the REST-config constructor sets it.
func newDescriber(c kubernetes.Interface) *describe.DeploymentDescriber {
	dd := &describe.DeploymentDescriber{}
	f := reflect.ValueOf(dd).Elem().FieldByName("client")
	reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Set(reflect.ValueOf(c))
	return dd
}

// TestDescribeMatchesKubectl compares ReplicasLine with the Replicas field
// and DescribeConditions with the end of kubectl describe's output (exactly
// when the Deployment has conditions; word for word otherwise, since the
// ReplicaSet lines then align with the pod template above them).
func TestDescribeMatchesKubectl(t *testing.T) {
	forEachCase(t, func(t *testing.T, w world) {
		if w.d.Spec.Replicas == nil {
			return // kubectl describe dereferences spec.replicas
		}
		dd := newDescriber(fake.NewSimpleClientset(w.objects()...))
		out, wantErr := dd.Describe(w.d.Namespace, w.d.Name, describe.DescriberSettings{})
		tail, err := kubectl.DescribeConditions(w.d, w.rss)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("DescribeConditions error %v; kubectl %v", err, wantErr)
		}
		if err != nil {
			return
		}
		var replicas string
		for _, line := range strings.Split(out, "\n") {
			if v, ok := strings.CutPrefix(line, "Replicas:"); ok {
				replicas = strings.TrimLeft(v, " ")
				break
			}
		}
		if got := kubectl.ReplicasLine(w.d); got != replicas {
			t.Errorf("ReplicasLine = %q; kubectl %q", got, replicas)
		}
		if len(w.d.Status.Conditions) > 0 {
			i := strings.Index(out, "\nConditions:\n")
			if i < 0 || out[i+1:] != tail {
				t.Errorf("DescribeConditions =\n%s\nkubectl describe:\n%s", tail, out)
			}
			return
		}
		want := ""
		if i := strings.Index(out, "\nOldReplicaSets:"); i >= 0 {
			want = out[i+1:]
		}
		if strings.Join(strings.Fields(tail), " ") != strings.Join(strings.Fields(want), " ") {
			t.Errorf("DescribeConditions =\n%s\nkubectl describe:\n%s", tail, out)
		}
	})
}
