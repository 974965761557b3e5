package rollout

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func ios(s string) *intstr.IntOrString { v := intstr.FromString(s); return &v }
func ioi(i int32) *intstr.IntOrString  { v := intstr.FromInt32(i); return &v }

// rolling returns a RollingUpdate Deployment; nil fenceposts stay nil.
func rolling(replicas int32, surge, unavailable *intstr.IntOrString) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "d", Namespace: "ns"},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Strategy: appsv1.DeploymentStrategy{
				Type:          appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: surge, MaxUnavailable: unavailable},
			},
		},
	}
}

func recreateD(replicas int32) *appsv1.Deployment {
	return &appsv1.Deployment{Spec: appsv1.DeploymentSpec{
		Replicas: &replicas,
		Strategy: appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType},
	}}
}

// Expectations follow deploymentutil.ResolveFenceposts: surge rounds up,
// unavailable rounds down (math.Ceil / math.Floor of p*total/100), nil is 0,
// both 0 makes unavailable 1. The first five rows give the same results
// when run through upstream's deploymentutil.ResolveFenceposts (v1.36.3).
func TestResolveFenceposts(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		surge, unavailable     *intstr.IntOrString
		desired                int32
		wantSurge, wantUnavail int32
		wantErr                bool
	}{
		{"25%/25% of 1", ios("25%"), ios("25%"), 1, 1, 0, false},
		{"25%/25% of 3", ios("25%"), ios("25%"), 3, 1, 0, false},
		{"25%/25% of 10", ios("25%"), ios("25%"), 10, 3, 2, false},
		{"0 and 1% of 2: both zero, unavailable 1", ioi(0), ios("1%"), 2, 0, 1, false},
		{"100%/0 of 0: both zero", ios("100%"), ioi(0), 0, 0, 1, false},
		{"integers as is", ioi(3), ioi(2), 10, 3, 2, false},
		{"integers above desired not clamped", ioi(7), ioi(9), 2, 7, 9, false},
		{"surge above 100%", ios("150%"), ioi(0), 4, 6, 0, false},
		{"nil is zero", nil, nil, 5, 0, 1, false},
		{"nil surge", nil, ios("40%"), 5, 0, 2, false},
		{"1% of 10 rounds: up for surge", ios("1%"), ios("1%"), 10, 1, 0, false},
		{"invalid surge", ios("abc%"), ioi(1), 3, 0, 0, true},
		{"invalid unavailable", ioi(1), ios("25"), 3, 0, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, u, err := ResolveFenceposts(tc.surge, tc.unavailable, tc.desired)
			if s != tc.wantSurge || u != tc.wantUnavail || (err != nil) != tc.wantErr {
				t.Errorf("ResolveFenceposts = %d, %d, %v; want %d, %d, error %v", s, u, err, tc.wantSurge, tc.wantUnavail, tc.wantErr)
			}
		})
	}
}

// Expectations follow intstr.GetScaledValueFromIntOrPercent.
func TestScaledValue(t *testing.T) {
	for _, tc := range []struct {
		v       *intstr.IntOrString
		total   int
		roundUp bool
		want    int
		wantErr bool
	}{
		{ios("25%"), 3, true, 1, false},
		{ios("25%"), 3, false, 0, false},
		{ioi(4), 3, false, 4, false},
		{ios("abc%"), 3, true, 0, true},
		{ios("5"), 3, true, 0, true},
		{nil, 3, true, 0, true},
	} {
		got, err := ScaledValue(tc.v, tc.total, tc.roundUp)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("ScaledValue(%v, %d, %v) = %d, %v", tc.v, tc.total, tc.roundUp, got, err)
		}
	}
}

// Expectations follow deploymentutil.MaxSurge, MaxUnavailable and
// MinAvailable; nil fenceposts read as the API default 25%.
func TestMaxSurgeMaxUnavailableMinAvailable(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		d                       *appsv1.Deployment
		surge, unavailable, min int32
	}{
		{"defaults 25%/25% of 10", rolling(10, nil, nil), 3, 2, 8},
		{"no rollingUpdate reads as defaults", func() *appsv1.Deployment { d := rolling(4, nil, nil); d.Spec.Strategy.RollingUpdate = nil; return d }(), 1, 1, 3},
		{"empty type reads as RollingUpdate", func() *appsv1.Deployment { d := rolling(4, nil, nil); d.Spec.Strategy.Type = ""; return d }(), 1, 1, 3},
		{"unavailable clamped to replicas", rolling(3, ioi(1), ioi(5)), 1, 3, 0},
		{"zero replicas: unavailable 0", rolling(0, ioi(2), ioi(2)), 2, 0, 0},
		{"both zero resolves unavailable to 1", rolling(10, ioi(0), ios("1%")), 0, 1, 9},
		{"invalid counts as 0", rolling(10, ios("x"), ioi(1)), 0, 0, 10},
		{"recreate has no fenceposts", recreateD(5), 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := MaxSurge(tc.d); got != tc.surge {
				t.Errorf("MaxSurge = %d, want %d", got, tc.surge)
			}
			if got := MaxUnavailable(tc.d); got != tc.unavailable {
				t.Errorf("MaxUnavailable = %d, want %d", got, tc.unavailable)
			}
			if got := MinAvailable(tc.d); got != tc.min {
				t.Errorf("MinAvailable = %d, want %d", got, tc.min)
			}
		})
	}
	if MaxSurge(nil) != 0 || MaxUnavailable(nil) != 0 || MinAvailable(nil) != 0 {
		t.Error("nil Deployment should have no fenceposts")
	}
}
