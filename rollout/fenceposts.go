package rollout

import (
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// defaultFencepost is the API server's default for a nil maxSurge or
// maxUnavailable of a RollingUpdate Deployment (SetDefaults_Deployment).
var defaultFencepost = intstr.FromString("25%")

// ScaledValue resolves an int-or-percent against total: an integer is
// returned as is, a percentage "p%" becomes p*total/100 rounded up or down.
// It is apimachinery's [intstr.GetScaledValueFromIntOrPercent], which the
// Deployment controller uses for maxSurge (rounded up) and maxUnavailable
// (rounded down): a nil v or a string that is not a percentage is an error.
func ScaledValue(v *intstr.IntOrString, total int, roundUp bool) (int, error) {
	return intstr.GetScaledValueFromIntOrPercent(v, total, roundUp)
}

// ResolveFenceposts resolves maxSurge (rounded up) and maxUnavailable
// (rounded down) against desired replicas in one step, as upstream's
// deploymentutil.ResolveFenceposts: a nil value counts as 0, and when both
// resolve to 0 maxUnavailable becomes 1, so that a rollout can always make
// progress (validation forbids both being 0 explicitly, but "1%" of 10 rounds
// down to 0). The results are not clamped to desired.
func ResolveFenceposts(maxSurge, maxUnavailable *intstr.IntOrString, desired int32) (surge, unavailable int32, err error) {
	zero := intstr.FromInt32(0)
	s, err := intstr.GetScaledValueFromIntOrPercent(intstr.ValueOrDefault(maxSurge, zero), int(desired), true)
	if err != nil {
		return 0, 0, err
	}
	u, err := intstr.GetScaledValueFromIntOrPercent(intstr.ValueOrDefault(maxUnavailable, zero), int(desired), false)
	if err != nil {
		return 0, 0, err
	}
	if s == 0 && u == 0 {
		u = 1
	}
	return int32(s), int32(u), nil
}

// MaxSurge is how many pods above spec.replicas a rolling Deployment may
// run: the resolved fencepost for RollingUpdate, 0 for any other strategy
// (deploymentutil.MaxSurge). It is not clamped: maxSurge may exceed 100%.
// An invalid value counts as 0, as upstream leaves it to validation.
func MaxSurge(d *appsv1.Deployment) int32 {
	if d == nil || !isRollingUpdate(d) {
		return 0
	}
	surge, unavailable := fenceposts(d)
	s, _, _ := ResolveFenceposts(surge, unavailable, DeploymentReplicas(d))
	return s
}

// MaxUnavailable is how many of spec.replicas a rolling Deployment may have
// unavailable: the resolved fencepost clamped to spec.replicas, 0 for any
// other strategy or with 0 replicas (deploymentutil.MaxUnavailable). An
// invalid value counts as 0.
func MaxUnavailable(d *appsv1.Deployment) int32 {
	if d == nil || !isRollingUpdate(d) || DeploymentReplicas(d) == 0 {
		return 0
	}
	surge, unavailable := fenceposts(d)
	_, u, _ := ResolveFenceposts(surge, unavailable, DeploymentReplicas(d))
	return min(u, DeploymentReplicas(d))
}

// MinAvailable is spec.replicas - [MaxUnavailable] for a rolling Deployment and
// 0 for any other strategy (deploymentutil.MinAvailable).
func MinAvailable(d *appsv1.Deployment) int32 {
	if d == nil || !isRollingUpdate(d) {
		return 0
	}
	return DeploymentReplicas(d) - MaxUnavailable(d)
}

// isRollingUpdate reads an empty strategy type as RollingUpdate, the API
// server's default.
func isRollingUpdate(d *appsv1.Deployment) bool {
	t := d.Spec.Strategy.Type
	return t == appsv1.RollingUpdateDeploymentStrategyType || t == ""
}

// fenceposts returns d's maxSurge and maxUnavailable with the API server's
// defaults for nil values.
func fenceposts(d *appsv1.Deployment) (surge, unavailable *intstr.IntOrString) {
	surge, unavailable = &defaultFencepost, &defaultFencepost
	if ru := d.Spec.Strategy.RollingUpdate; ru != nil {
		if ru.MaxSurge != nil {
			surge = ru.MaxSurge
		}
		if ru.MaxUnavailable != nil {
			unavailable = ru.MaxUnavailable
		}
	}
	return surge, unavailable
}
