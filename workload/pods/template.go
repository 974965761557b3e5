package pods

import (
	"reflect"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/utils/ptr"
)

// FromTemplate returns the pod a controller creates from template on behalf of parent, owned
// through ref. It reproduces upstream RealPodControl.CreatePods (pkg/controller/controller_utils.go)
// up to the API call: validateControllerRef, then GetPodFromTemplate, then the refusal to create a
// pod without labels. The pod has:
//
//   - generateName "<parent name>-", or the bare parent name when that prefix is not a valid pod
//     name prefix (too long, say), as upstream's getPodsPrefix decides;
//   - the parent's namespace (upstream passes it to the API call rather than setting it);
//   - copies of the template's labels, annotations and finalizers (the annotation map and the
//     finalizer slice are non-nil even when empty, as upstream's are) and a deep copy of its spec;
//   - a copy of ref as its only owner reference.
//
// Errors name the offending argument as a field path and carry upstream's wording: ref must be
// non-nil with apiVersion and kind set and controller and blockOwnerDeletion true (as
// metav1.NewControllerRef makes it); parent and template must be non-nil; the template must have
// at least one label ("unable to create pods, no labels"). Nothing passed in is modified or
// aliased by the result.
func FromTemplate(template *corev1.PodTemplateSpec, parent metav1.Object, ref *metav1.OwnerReference) (*corev1.Pod, error) {
	if err := validateControllerRef(ref); err != nil {
		return nil, err
	}
	if isNil(parent) {
		return nil, field.Required(field.NewPath("parent"), "parentObject does not have ObjectMeta")
	}
	if template == nil {
		return nil, field.Required(field.NewPath("template"), "")
	}
	if len(template.Labels) == 0 {
		return nil, field.Required(field.NewPath("template", "metadata", "labels"), "unable to create pods, no labels")
	}

	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName:    podNamePrefix(parent.GetName()),
			Namespace:       parent.GetNamespace(),
			Labels:          make(map[string]string, len(template.Labels)),
			Annotations:     make(map[string]string, len(template.Annotations)),
			Finalizers:      make([]string, len(template.Finalizers)),
			OwnerReferences: []metav1.OwnerReference{*ref.DeepCopy()},
		},
		Spec: *template.Spec.DeepCopy(),
	}
	for k, v := range template.Labels {
		pod.Labels[k] = v
	}
	for k, v := range template.Annotations {
		pod.Annotations[k] = v
	}
	copy(pod.Finalizers, template.Finalizers)
	return pod, nil
}

// validateControllerRef is upstream's validateControllerRef with field paths.
func validateControllerRef(ref *metav1.OwnerReference) *field.Error {
	p := field.NewPath("controllerRef")
	switch {
	case ref == nil:
		return field.Required(p, "controllerRef is nil")
	case ref.APIVersion == "":
		return field.Required(p.Child("apiVersion"), "controllerRef has empty APIVersion")
	case ref.Kind == "":
		return field.Required(p.Child("kind"), "controllerRef has empty Kind")
	case ref.Controller == nil || !*ref.Controller:
		return field.Invalid(p.Child("controller"), ptr.Deref(ref.Controller, false), "controllerRef.Controller is not set to true")
	case ref.BlockOwnerDeletion == nil || !*ref.BlockOwnerDeletion:
		return field.Invalid(p.Child("blockOwnerDeletion"), ptr.Deref(ref.BlockOwnerDeletion, false), "controllerRef.BlockOwnerDeletion is not set")
	}
	return nil
}

// podNamePrefix is upstream's getPodsPrefix: ValidatePodName(name+"-", prefix=true), which is
// NameIsDNSSubdomain with its maskTrailingDash quirk (a trailing dash and the character before it
// are replaced by "a" before checking).
func podNamePrefix(name string) string {
	prefix := name + "-"
	masked := prefix
	if len(masked) > 1 && strings.HasSuffix(masked, "-") {
		masked = masked[:len(masked)-2] + "a"
	}
	if len(validation.IsDNS1123Subdomain(masked)) != 0 {
		return name
	}
	return prefix
}

// isNil reports whether o is nil or a typed nil pointer, on which GetName would panic.
func isNil(o metav1.Object) bool {
	if o == nil {
		return true
	}
	v := reflect.ValueOf(o)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
