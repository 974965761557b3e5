package workload

import (
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ValidateDeployment reports what the API server's Deployment validation
// (pkg/apis/apps/validation ValidateDeployment, v1.36) would reject among the
// fields the Deployment planner reads, with upstream's paths and wording:
//
//  1. metadata: name (DNS-1123 subdomain) and namespace required, labels,
//     annotations and owner references well formed;
//  2. spec.replicas, spec.minReadySeconds and spec.revisionHistoryLimit not
//     negative;
//  3. spec.selector required, valid and non-empty; template labels valid
//     and matched by it; restartPolicy Always; no activeDeadlineSeconds;
//  4. spec.strategy: type Recreate (then rollingUpdate must be unset) or
//     RollingUpdate; maxUnavailable and maxSurge each a non-negative integer
//     or a percentage ("abc%" and -1 are invalid), not both zero (0 and "0%"
//     count as zero, "1%" does not, nor does anything invalid but a numeric
//     string), maxUnavailable at most 100%;
//  5. spec.progressDeadlineSeconds not negative and greater than
//     spec.minReadySeconds.
//
// Fields the API server defaults are read as their defaults when unset
// (replicas 1, strategy RollingUpdate with 25%/25%, progressDeadlineSeconds
// 600), since upstream validates after defaulting. The rest of the pod
// template is the API server's to check. A nil d gives one Required error.
func ValidateDeployment(d *appsv1.Deployment) field.ErrorList {
	if d == nil {
		return field.ErrorList{field.Required(field.NewPath("deployment"), "")}
	}
	errs := apimachineryvalidation.ValidateObjectMeta(&d.ObjectMeta, true, apimachineryvalidation.NameIsDNSSubdomain, field.NewPath("metadata"))
	return append(errs, validateDeploymentSpec(&d.Spec, field.NewPath("spec"))...)
}

// ValidateDeploymentUpdate reports what the API server's
// ValidateDeploymentUpdate would reject when old is replaced by d: the
// metadata update rules (name, namespace, uid, creationTimestamp immutable,
// ...), d's spec as ValidateDeployment checks it, and spec.selector, which
// is immutable in apps/v1. A nil d or old gives one Required error.
func ValidateDeploymentUpdate(d, old *appsv1.Deployment) field.ErrorList {
	switch {
	case d == nil:
		return field.ErrorList{field.Required(field.NewPath("deployment"), "")}
	case old == nil:
		return field.ErrorList{field.Required(field.NewPath("oldDeployment"), "")}
	}
	spec := field.NewPath("spec")
	errs := apimachineryvalidation.ValidateObjectMetaUpdate(&d.ObjectMeta, &old.ObjectMeta, field.NewPath("metadata"))
	errs = append(errs, validateDeploymentSpec(&d.Spec, spec)...)
	return append(errs, apimachineryvalidation.ValidateImmutableField(d.Spec.Selector, old.Spec.Selector, spec.Child("selector"))...)
}

// validateDeploymentSpec is upstream's ValidateDeploymentSpec, restricted as
// ValidateDeployment says.
func validateDeploymentSpec(spec *appsv1.DeploymentSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if spec.Replicas != nil {
		errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(*spec.Replicas), path.Child("replicas"))...)
	}
	errs = append(errs, validatePodTemplateOwner(spec.Selector, &spec.Template, path)...)
	errs = append(errs, validateDeploymentStrategy(&spec.Strategy, path.Child("strategy"))...)
	errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(spec.MinReadySeconds), path.Child("minReadySeconds"))...)
	if spec.RevisionHistoryLimit != nil {
		errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(*spec.RevisionHistoryLimit), path.Child("revisionHistoryLimit"))...)
	}
	deadline := int32(600)
	if spec.ProgressDeadlineSeconds != nil {
		deadline = *spec.ProgressDeadlineSeconds
	}
	errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(deadline), path.Child("progressDeadlineSeconds"))...)
	if deadline <= spec.MinReadySeconds {
		errs = append(errs, field.Invalid(path.Child("progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds"))
	}
	return errs
}

// validateDeploymentStrategy is upstream's ValidateDeploymentStrategy and
// ValidateRollingUpdateDeployment.
func validateDeploymentStrategy(strategy *appsv1.DeploymentStrategy, path *field.Path) field.ErrorList {
	switch strategy.Type {
	case appsv1.RecreateDeploymentStrategyType:
		if strategy.RollingUpdate != nil {
			return field.ErrorList{field.Forbidden(path.Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'")}
		}
		return nil
	case appsv1.RollingUpdateDeploymentStrategyType, "":
	default:
		return field.ErrorList{field.NotSupported(path, *strategy, []string{string(appsv1.RecreateDeploymentStrategyType), string(appsv1.RollingUpdateDeploymentStrategyType)})}
	}
	maxSurge, maxUnavailable := intstr.FromString("25%"), intstr.FromString("25%")
	if ru := strategy.RollingUpdate; ru != nil {
		if ru.MaxSurge != nil {
			maxSurge = *ru.MaxSurge
		}
		if ru.MaxUnavailable != nil {
			maxUnavailable = *ru.MaxUnavailable
		}
	}
	path = path.Child("rollingUpdate")
	errs := validateIntOrPercent(maxUnavailable, path.Child("maxUnavailable"))
	errs = append(errs, validateIntOrPercent(maxSurge, path.Child("maxSurge"))...)
	if intOrPercentValue(maxUnavailable) == 0 && intOrPercentValue(maxSurge) == 0 {
		errs = append(errs, field.Invalid(path.Child("maxUnavailable"), maxUnavailable, "may not be 0 when `maxSurge` is 0"))
	}
	if v, ok := percentValue(maxUnavailable); ok && v > 100 {
		errs = append(errs, field.Invalid(path.Child("maxUnavailable"), maxUnavailable, "must not be greater than 100%"))
	}
	return errs
}

// validateIntOrPercent is upstream's ValidatePositiveIntOrPercent.
func validateIntOrPercent(v intstr.IntOrString, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch v.Type {
	case intstr.String:
		for _, msg := range validation.IsValidPercent(v.StrVal) {
			errs = append(errs, field.Invalid(path, v, msg))
		}
	case intstr.Int:
		errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(v.IntValue()), path)...)
	default:
		errs = append(errs, field.Invalid(path, v, "must be an integer or percentage (e.g '5%%')"))
	}
	return errs
}

// percentValue is upstream's getPercentValue: the number of a valid
// percentage (0 if it overflows an int, as strconv.Atoi leaves it).
func percentValue(v intstr.IntOrString) (int, bool) {
	if v.Type != intstr.String || len(validation.IsValidPercent(v.StrVal)) != 0 {
		return 0, false
	}
	n, _ := strconv.Atoi(v.StrVal[:len(v.StrVal)-1])
	return n, true
}

// intOrPercentValue is upstream's getIntOrPercentValue: a percentage's
// number, else IntValue (which reads an invalid string as 0 unless it is a
// plain number).
func intOrPercentValue(v intstr.IntOrString) int {
	if n, ok := percentValue(v); ok {
		return n
	}
	return v.IntValue()
}
