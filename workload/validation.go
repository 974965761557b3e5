package workload

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/reckon-k8s/reckon/selector"
)

// ValidateReplicaSet reports what the API server's ReplicaSet validation
// (pkg/apis/apps/validation ValidateReplicaSet, v1.36) would reject among the
// fields the ReplicaSet planner reads, with upstream's paths and wording:
//
//  1. metadata: name (DNS-1123 subdomain) and namespace (DNS-1123 label)
//     required, labels, annotations and owner references well formed;
//  2. spec.replicas and spec.minReadySeconds not negative;
//  3. spec.selector required, valid and non-empty;
//  4. spec.template.metadata.labels valid and matched by the selector;
//  5. spec.template.spec.restartPolicy Always, activeDeadlineSeconds unset.
//
// Fields the API server defaults are read as their defaults when unset (a
// nil spec.replicas is 1, an empty restartPolicy is Always), since upstream
// validates after defaulting.
// The rest of the pod template (containers, volumes, ...) is the API
// server's to check: the planner copies it without reading it. A nil rs
// gives one Required error.
func ValidateReplicaSet(rs *appsv1.ReplicaSet) field.ErrorList {
	if rs == nil {
		return field.ErrorList{field.Required(field.NewPath("replicaSet"), "")}
	}
	errs := apimachineryvalidation.ValidateObjectMeta(&rs.ObjectMeta, true, apimachineryvalidation.NameIsDNSSubdomain, field.NewPath("metadata"))
	spec := field.NewPath("spec")
	if rs.Spec.Replicas != nil {
		errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(*rs.Spec.Replicas), spec.Child("replicas"))...)
	}
	errs = append(errs, apimachineryvalidation.ValidateNonnegativeField(int64(rs.Spec.MinReadySeconds), spec.Child("minReadySeconds"))...)
	errs = append(errs, validatePodTemplateOwner(rs.Spec.Selector, &rs.Spec.Template, spec)...)
	return errs
}

// validatePodTemplateOwner checks what every pod-owning workload's spec
// shares: the selector and the template it must select (upstream's
// ValidateReplicaSetSpec selector part and ValidatePodTemplateSpecForReplicaSet).
func validatePodTemplateOwner(ls *metav1.LabelSelector, template *corev1.PodTemplateSpec, spec *field.Path) field.ErrorList {
	var errs field.ErrorList
	selPath := spec.Child("selector")
	if ls == nil {
		errs = append(errs, field.Required(selPath, ""))
	} else {
		errs = append(errs, metav1validation.ValidateLabelSelector(ls, metav1validation.LabelSelectorValidationOptions{}, selPath)...)
		if len(ls.MatchLabels)+len(ls.MatchExpressions) == 0 {
			errs = append(errs, field.Invalid(selPath, ls, "empty selector is invalid for deployment"))
		}
	}
	tpl := spec.Child("template")
	errs = append(errs, metav1validation.ValidateLabels(template.Labels, tpl.Child("metadata", "labels"))...)
	sel, selErrs := selector.FromLabelSelector(ls, selPath)
	if len(selErrs) > 0 {
		errs = append(errs, field.Invalid(selPath, ls, "invalid label selector"))
	} else if !sel.Empty() && !sel.Matches(template.Labels) {
		errs = append(errs, field.Invalid(tpl.Child("metadata", "labels"), template.Labels, "`selector` does not match template `labels`"))
	}
	// An empty restartPolicy is what the API server defaults to Always
	// before it validates.
	if rp := template.Spec.RestartPolicy; rp != "" && rp != corev1.RestartPolicyAlways {
		errs = append(errs, field.NotSupported(tpl.Child("spec", "restartPolicy"), rp, []string{string(corev1.RestartPolicyAlways)}))
	}
	if template.Spec.ActiveDeadlineSeconds != nil {
		errs = append(errs, field.Forbidden(tpl.Child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in ReplicaSet is not Supported"))
	}
	return errs
}
