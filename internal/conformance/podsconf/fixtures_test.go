package podsconf

import (
	"math"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// hashFixture is one template of the recorded TemplateHash vectors. The same templates, built by
// the same code, are in rollout/hash_test.go of the root module; keep the two in step.
type hashFixture struct {
	name string
	tmpl *corev1.PodTemplateSpec
}

// collisionCounts are the counts every fixture is hashed with; nil means no count.
var collisionCounts = []*int32{nil, ptr.To[int32](0), ptr.To[int32](1), ptr.To[int32](2),
	ptr.To[int32](math.MaxInt32), ptr.To[int32](-1)}

func hashFixtures() []hashFixture {
	nginx := &corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "nginx"}},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{
				Name:                     "nginx",
				Image:                    "nginx:1.14.2",
				Ports:                    []corev1.ContainerPort{{ContainerPort: 80, Protocol: corev1.ProtocolTCP}},
				TerminationMessagePath:   "/dev/termination-log",
				TerminationMessagePolicy: corev1.TerminationMessageReadFile,
				ImagePullPolicy:          corev1.PullIfNotPresent,
			}},
			RestartPolicy:                 corev1.RestartPolicyAlways,
			TerminationGracePeriodSeconds: ptr.To[int64](30),
			DNSPolicy:                     corev1.DNSClusterFirst,
			SecurityContext:               &corev1.PodSecurityContext{},
			SchedulerName:                 corev1.DefaultSchedulerName,
		},
	}
	withHashLabel := nginx.DeepCopy()
	withHashLabel.Labels["pod-template-hash"] = "559d658b74"

	maps := &corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{
		Labels:      map[string]string{"tier": "frontend", "app": "guestbook", "z": "", "a.example.com/x": "1"},
		Annotations: map[string]string{"kubectl.kubernetes.io/restartedAt": "2026-03-01T12:00:00Z", "b": "2", "a": "1"},
	}}

	resources := &corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "api"}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name:  "api",
			Image: "registry.example.com/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
			Resources: corev1.ResourceRequirements{
				Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("128Mi")},
				Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1"), corev1.ResourceMemory: resource.MustParse("1Gi")},
			},
			Env: []corev1.EnvVar{{Name: "MODE", Value: "prod"}, {Name: "POD", ValueFrom: &corev1.EnvVarSource{
				FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.name"}}}},
			ReadinessProbe: &corev1.Probe{
				ProbeHandler:  corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromString("http")}},
				PeriodSeconds: 5,
			},
		}}},
	}

	times := &corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{
			Labels:                     map[string]string{"app": "t"},
			CreationTimestamp:          metav1.NewTime(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)),
			DeletionTimestamp:          ptr.To(metav1.NewTime(time.Date(2026, 3, 1, 12, 30, 0, 500, time.FixedZone("CET", 3600)))),
			DeletionGracePeriodSeconds: ptr.To[int64](0),
		},
	}

	return []hashFixture{
		{"empty", &corev1.PodTemplateSpec{}},
		{"nginx", nginx},
		{"nginx with pod-template-hash label", withHashLabel},
		{"labels and annotations", maps},
		{"resources", resources},
		{"times", times},
	}
}
