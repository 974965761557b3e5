package pods

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/utils/ptr"
)

// Expected values are reasoned from upstream k8s.io/kubernetes@v1.36.3 pkg/controller/controller_utils.go:
// validateControllerRef, getPodsPrefix (ValidatePodName = NameIsDNSSubdomain with prefix=true),
// GetPodFromTemplate and createPods. internal/conformance/podsconf compares with GetPodFromTemplate.

func controllerRef(name string) *metav1.OwnerReference {
	return &metav1.OwnerReference{
		APIVersion: "apps/v1", Kind: "ReplicaSet", Name: name, UID: "rs-uid",
		Controller: ptr.To(true), BlockOwnerDeletion: ptr.To(true),
	}
}

func rsNamed(name string) *appsv1.ReplicaSet {
	return &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "prod"}}
}

func TestFromTemplate(t *testing.T) {
	tmpl := &corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{
			Name:        "ignored",
			Labels:      map[string]string{"tier": "frontend"},
			Annotations: map[string]string{"a": "b"},
			Finalizers:  []string{"example.com/f"},
		},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "nginx", Args: []string{"x"}}}},
	}
	before := tmpl.DeepCopy()
	ref := controllerRef("frontend")
	got, err := FromTemplate(tmpl, rsNamed("frontend"), ref)
	if err != nil {
		t.Fatal(err)
	}
	want := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName:    "frontend-",
			Namespace:       "prod",
			Labels:          map[string]string{"tier": "frontend"},
			Annotations:     map[string]string{"a": "b"},
			Finalizers:      []string{"example.com/f"},
			OwnerReferences: []metav1.OwnerReference{*controllerRef("frontend")},
		},
		Spec: tmpl.Spec,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}

	// Nothing is shared with the inputs.
	got.Labels["tier"] = "x"
	got.Annotations["a"] = "x"
	got.Finalizers[0] = "x"
	got.Spec.Containers[0].Args[0] = "y"
	*got.OwnerReferences[0].Controller = false
	if diff := cmp.Diff(before, tmpl); diff != "" {
		t.Errorf("template aliased by the result (-before +after)\n%s", diff)
	}
	if !*ref.Controller {
		t.Errorf("controllerRef aliased by the result")
	}
}

func TestFromTemplateEmptyMaps(t *testing.T) {
	tmpl := &corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"a": "b"}}}
	got, err := FromTemplate(tmpl, rsNamed("rs"), controllerRef("rs"))
	if err != nil {
		t.Fatal(err)
	}
	// Upstream always makes the annotation map and finalizer slice.
	if got.Annotations == nil || len(got.Annotations) != 0 || got.Finalizers == nil || len(got.Finalizers) != 0 {
		t.Errorf("annotations %#v, finalizers %#v: want empty, non-nil", got.Annotations, got.Finalizers)
	}
}

func TestFromTemplateGenerateName(t *testing.T) {
	a253, a254 := strings.Repeat("a", 253), strings.Repeat("a", 254)
	tests := []struct{ parent, want string }{
		{"frontend", "frontend-"},
		{"a", "a-"},
		// maskTrailingDash checks name[:len-1]+"a" for a prefix of len+1 characters, so a 253-character
		// name still gets its dash (254 characters); 254 characters do not.
		{a253, a253 + "-"},
		{a254, a254},
		{"Frontend", "Frontend"}, // not a DNS subdomain
		{"web.v2", "web.v2-"},    // dots are fine in a subdomain
		{"web_1", "web_1"},
		// maskTrailingDash drops the dash and the character before it: "x.-" is checked as "xa".
		{"x.", "x.-"},
		{"", ""}, // "-" is masked to itself and rejected
	}
	tmpl := &corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"a": "b"}}}
	for _, tt := range tests {
		t.Run(tt.parent, func(t *testing.T) {
			got, err := FromTemplate(tmpl, rsNamed(tt.parent), controllerRef(tt.parent))
			if err != nil {
				t.Fatal(err)
			}
			if got.GenerateName != tt.want {
				t.Errorf("generateName = %q, want %q", got.GenerateName, tt.want)
			}
		})
	}
}

func TestFromTemplateErrors(t *testing.T) {
	labeled := &corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"a": "b"}}}
	withRef := func(f func(*metav1.OwnerReference)) *metav1.OwnerReference {
		r := controllerRef("rs")
		f(r)
		return r
	}
	tests := []struct {
		name     string
		template *corev1.PodTemplateSpec
		parent   metav1.Object
		ref      *metav1.OwnerReference
		field    string
		detail   string
	}{
		{"nil ref", labeled, rsNamed("rs"), nil, "controllerRef", "controllerRef is nil"},
		{"no apiVersion", labeled, rsNamed("rs"), withRef(func(r *metav1.OwnerReference) { r.APIVersion = "" }),
			"controllerRef.apiVersion", "controllerRef has empty APIVersion"},
		{"no kind", labeled, rsNamed("rs"), withRef(func(r *metav1.OwnerReference) { r.Kind = "" }),
			"controllerRef.kind", "controllerRef has empty Kind"},
		{"controller unset", labeled, rsNamed("rs"), withRef(func(r *metav1.OwnerReference) { r.Controller = nil }),
			"controllerRef.controller", "controllerRef.Controller is not set to true"},
		{"controller false", labeled, rsNamed("rs"), withRef(func(r *metav1.OwnerReference) { r.Controller = ptr.To(false) }),
			"controllerRef.controller", "controllerRef.Controller is not set to true"},
		{"blockOwnerDeletion false", labeled, rsNamed("rs"), withRef(func(r *metav1.OwnerReference) { r.BlockOwnerDeletion = ptr.To(false) }),
			"controllerRef.blockOwnerDeletion", "controllerRef.BlockOwnerDeletion is not set"},
		{"nil parent", labeled, nil, controllerRef("rs"), "parent", "parentObject does not have ObjectMeta"},
		{"typed nil parent", labeled, (*appsv1.ReplicaSet)(nil), controllerRef("rs"), "parent", "parentObject does not have ObjectMeta"},
		{"nil template", nil, rsNamed("rs"), controllerRef("rs"), "template", ""},
		{"no labels", &corev1.PodTemplateSpec{}, rsNamed("rs"), controllerRef("rs"),
			"template.metadata.labels", "unable to create pods, no labels"},
		{"ref checked before labels", &corev1.PodTemplateSpec{}, rsNamed("rs"), nil, "controllerRef", "controllerRef is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod, err := FromTemplate(tt.template, tt.parent, tt.ref)
			if pod != nil {
				t.Errorf("got a pod with an error")
			}
			var fe *field.Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *field.Error", err)
			}
			if fe.Field != tt.field || fe.Detail != tt.detail {
				t.Errorf("error on %q (%q), want %q (%q)", fe.Field, fe.Detail, tt.field, tt.detail)
			}
		})
	}
}

// FuzzFromTemplate checks that FromTemplate never panics and that a pod it returns carries the
// template's labels and a generateName derived from the parent's name.
func FuzzFromTemplate(f *testing.F) {
	f.Add("frontend", "prod", "tier", "web", "a", true)
	f.Add("", "", "", "", "", false)
	f.Fuzz(func(t *testing.T, name, ns, lk, lv, finalizer string, controller bool) {
		tmpl := &corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Finalizers: []string{finalizer}}}
		if lk != "" {
			tmpl.Labels = map[string]string{lk: lv}
		}
		ref := controllerRef(name)
		ref.Controller = ptr.To(controller)
		parent := &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}}
		pod, err := FromTemplate(tmpl, parent, ref)
		if (err == nil) != (lk != "" && controller) {
			t.Fatalf("err = %v with label key %q, controller %v", err, lk, controller)
		}
		if err != nil {
			return
		}
		if pod.GenerateName != name && pod.GenerateName != name+"-" {
			t.Fatalf("generateName %q from parent %q", pod.GenerateName, name)
		}
		if pod.Labels[lk] != lv || pod.Namespace != ns || len(pod.OwnerReferences) != 1 {
			t.Fatalf("unexpected pod %#v", pod.ObjectMeta)
		}
	})
}
