package workload_test

import (
	"errors"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/reckon-k8s/reckon/workload"
)

// Expectations follow pkg/apis/apps/validation ValidateDeploymentSpec,
// ValidateDeploymentStrategy and ValidateRollingUpdateDeployment (paths and
// messages as the API server reports them).
func TestValidateDeployment(t *testing.T) {
	surge := func(v intstr.IntOrString) depOpt {
		return func(d *appsv1.Deployment) { d.Spec.Strategy.RollingUpdate.MaxSurge = &v }
	}
	unavailable := func(v intstr.IntOrString) depOpt {
		return func(d *appsv1.Deployment) { d.Spec.Strategy.RollingUpdate.MaxUnavailable = &v }
	}
	for _, tc := range []struct {
		name string
		opts []depOpt
		want []string // each a substring of one error, in order
	}{
		{"valid", nil, nil},
		{"maxSurge not a percentage", []depOpt{surge(intstr.FromString("abc%"))},
			[]string{`spec.strategy.rollingUpdate.maxSurge: Invalid value: "abc%": a valid percent string must be a numeric string followed by an ending '%'`}},
		{"maxUnavailable negative", []depOpt{unavailable(intstr.FromInt32(-1))},
			[]string{"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"}},
		{"both zero", []depOpt{surge(intstr.FromInt32(0)), unavailable(intstr.FromString("0%"))},
			[]string{"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0"}},
		{"1% is not zero even if it resolves to 0", []depOpt{surge(intstr.FromInt32(0)), unavailable(intstr.FromString("1%"))}, nil},
		{"an invalid string counts as zero", []depOpt{surge(intstr.FromString("x")), unavailable(intstr.FromInt32(0))},
			[]string{"spec.strategy.rollingUpdate.maxSurge: Invalid value: \"x\"", "may not be 0 when `maxSurge` is 0"}},
		{"maxUnavailable above 100%", []depOpt{unavailable(intstr.FromString("101%"))},
			[]string{`spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "101%": must not be greater than 100%`}},
		{"maxSurge above 100% is fine", []depOpt{surge(intstr.FromString("200%"))}, nil},
		{"Recreate with rollingUpdate", []depOpt{func(d *appsv1.Deployment) { d.Spec.Strategy.Type = appsv1.RecreateDeploymentStrategyType }},
			[]string{"spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"}},
		{"unknown strategy", []depOpt{func(d *appsv1.Deployment) { d.Spec.Strategy.Type = "Canary" }},
			[]string{`spec.strategy: Unsupported value: {"type":"Canary","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}}: supported values: "Recreate", "RollingUpdate"`}},
		{"unset fenceposts read as 25%", []depOpt{func(d *appsv1.Deployment) { d.Spec.Strategy = appsv1.DeploymentStrategy{} }}, nil},
		{"negative replicas", []depOpt{func(d *appsv1.Deployment) { d.Spec.Replicas = new(int32(-1)) }},
			[]string{"spec.replicas: Invalid value: -1: must be greater than or equal to 0"}},
		{"negative revisionHistoryLimit", []depOpt{func(d *appsv1.Deployment) { d.Spec.RevisionHistoryLimit = new(int32(-1)) }},
			[]string{"spec.revisionHistoryLimit: Invalid value: -1"}},
		{"progress deadline not above minReadySeconds", []depOpt{func(d *appsv1.Deployment) { d.Spec.MinReadySeconds = 600 }},
			[]string{"spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"}},
		{"unset progress deadline reads as 600", []depOpt{func(d *appsv1.Deployment) { d.Spec.ProgressDeadlineSeconds, d.Spec.MinReadySeconds = nil, 700 }},
			[]string{"spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"}},
		{"selector not matching the template", []depOpt{func(d *appsv1.Deployment) { d.Spec.Template.Labels = map[string]string{"app": "other"} }},
			[]string{"spec.template.metadata.labels: Invalid value: {\"app\":\"other\"}: `selector` does not match template `labels`"}},
		// A nil selector selects nothing (LabelSelectorAsSelector), so the
		// template does not match it either.
		{"no selector", []depOpt{func(d *appsv1.Deployment) { d.Spec.Selector = nil }},
			[]string{"spec.selector: Required value", "spec.template.metadata.labels: Invalid value"}},
		{"bad name", []depOpt{func(d *appsv1.Deployment) { d.Name = "Web_1" }}, []string{`metadata.name: Invalid value: "Web_1"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := workload.ValidateDeployment(dep("web", 3, "nginx", tc.opts...))
			if len(errs) != len(tc.want) {
				t.Fatalf("errors %v, want %d", errs, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(errs[i].Error(), w) {
					t.Errorf("error %d = %q, want it to contain %q", i, errs[i].Error(), w)
				}
			}
		})
	}
	if errs := workload.ValidateDeployment(nil); len(errs) != 1 || errs[0].Type != field.ErrorTypeRequired {
		t.Errorf("nil: %v", errs)
	}
}

// PlanDeployment refuses what ValidateDeployment refuses, with every error
// a field error found by errors.As, and plans nothing.
func TestPlanDeploymentRejectsInvalid(t *testing.T) {
	d := dep("web", 3, "nginx", withFenceposts(intstr.FromString("abc%"), intstr.FromInt32(1)))
	plan, err := workload.PlanDeployment(d, workload.DeploymentState{}, dnow)
	if err == nil || !strings.Contains(err.Error(), "spec.strategy.rollingUpdate.maxSurge") || !strings.HasPrefix(err.Error(), `Deployment "web" is invalid: `) {
		t.Fatalf("err = %v", err)
	}
	requireFieldErrors(t, err)
	var fe *field.Error
	if !errors.As(err, &fe) || fe.Field != "spec.strategy.rollingUpdate.maxSurge" || fe.Type != field.ErrorTypeInvalid {
		t.Errorf("errors.As: %v", fe)
	}
	if len(plan.Steps) != 0 || plan.Requeue != (workload.Requeue{}) {
		t.Errorf("plan for an invalid Deployment: %+v", plan)
	}
	if _, err := workload.PlanDeployment(nil, workload.DeploymentState{}, dnow); err == nil {
		t.Error("nil Deployment accepted")
	} else {
		requireFieldErrors(t, err)
	}
}

// The Recreate strategy waits for the old pods to end: with no pods
// observed (nil, not an empty list) PlanDeployment cannot tell, and says
// so rather than guessing. RollingUpdate never reads pods.
func TestPlanDeploymentRecreateNeedsPods(t *testing.T) {
	d := dep("web", 3, "nginx", recreate)
	_, err := workload.PlanDeployment(d, workload.DeploymentState{}, dnow)
	requireFieldErrors(t, err)
	var fe *field.Error
	if !errors.As(err, &fe) || fe.Field != "observed.pods" || fe.Type != field.ErrorTypeRequired {
		t.Fatalf("err = %v", err)
	}
	if _, err := workload.PlanDeployment(d, workload.DeploymentState{Pods: []*corev1.Pod{}}, dnow); err != nil {
		t.Fatalf("no pods observed: %v", err)
	}
	if _, err := workload.PlanDeployment(dep("web", 3, "nginx"), workload.DeploymentState{}, dnow); err != nil {
		t.Fatalf("RollingUpdate without pods: %v", err)
	}
}

// Expectations follow ValidateDeploymentUpdate: spec.selector is immutable.
func TestValidateDeploymentUpdate(t *testing.T) {
	old := dep("web", 3, "nginx")
	old.ResourceVersion = "1"
	d := old.DeepCopy()
	d.Spec.Template.Spec.Containers[0].Image = "nginx:2"
	if errs := workload.ValidateDeploymentUpdate(d, old); len(errs) != 0 {
		t.Errorf("template change: %v", errs)
	}
	d.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web", "tier": "x"}}
	d.Spec.Template.Labels["tier"] = "x"
	errs := workload.ValidateDeploymentUpdate(d, old)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "spec.selector: Invalid value") || !strings.Contains(errs[0].Error(), "field is immutable") {
		t.Errorf("selector change: %v", errs)
	}
	if errs := workload.ValidateDeploymentUpdate(d, nil); len(errs) != 1 {
		t.Errorf("nil old: %v", errs)
	}
}
