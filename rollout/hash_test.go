package rollout

import (
	"hash/fnv"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
	"pgregory.net/rapid"
)

// templateHashVectors were recorded by running the real upstream function,
// k8s.io/kubernetes@v1.36.3 controller.ComputeHash (with k8s.io/api v0.36.3), on hashFixtures() and
// collisionCounts: a throwaway test in the nested module printed
// controller.ComputeHash(fixture, count) for every pair, run with
//
//	cd internal/conformance && go test ./podsconf/ -run TestTmpPrintVectors -v -count=1
//
// and its output was pasted here. count "-" is a nil collision count. podsconf's
// TestTemplateHashFixtures recomputes them with upstream on every run.
var templateHashVectors = []struct{ fixture, count, want string }{
	{"empty", "-", "85748b7f68"},
	{"empty", "0", "777dfcd544"},
	{"empty", "1", "b54bc767c"},
	{"empty", "2", "65cc779bc4"},
	{"empty", "2147483647", "579d8f8ff6"},
	{"empty", "-1", "86946576b8"},
	{"nginx", "-", "6c5f67b5f7"},
	{"nginx", "0", "5c649576f"},
	{"nginx", "1", "6f4479b5f6"},
	{"nginx", "2", "77497cb5f9"},
	{"nginx", "2147483647", "6d86f9d86f"},
	{"nginx", "-1", "868b64c897"},
	{"nginx with pod-template-hash label", "-", "5f5b76456f"},
	{"nginx with pod-template-hash label", "0", "7fcbc54749"},
	{"nginx with pod-template-hash label", "1", "685448cdc6"},
	{"nginx with pod-template-hash label", "2", "6d594bcdc9"},
	{"nginx with pod-template-hash label", "2147483647", "746ff44857"},
	{"nginx with pod-template-hash label", "-1", "5b6bb957df"},
	{"labels and annotations", "-", "b9f84f689"},
	{"labels and annotations", "0", "bbf86fc7"},
	{"labels and annotations", "1", "6cf968cd7b"},
	{"labels and annotations", "2", "76446bcd7f"},
	{"labels and annotations", "2147483647", "65747d9b69"},
	{"labels and annotations", "-1", "7977b78b8f"},
	{"resources", "-", "7d65d7f868"},
	{"resources", "0", "77fdc9c884"},
	{"resources", "1", "bc48969cc"},
	{"resources", "2", "667c559454"},
	{"resources", "2147483647", "b6bfd6f84"},
	{"resources", "-1", "795dc45656"},
	{"times", "-", "559bbc4bc8"},
	{"times", "0", "855655c454"},
	{"times", "1", "57d7d5658c"},
	{"times", "2", "fcdcf6588"},
	{"times", "2147483647", "75b6bb6df8"},
	{"times", "-1", "6c4f88b66"},
}

func TestTemplateHashRecordedVectors(t *testing.T) {
	fixtures := map[string]*corev1.PodTemplateSpec{}
	for _, f := range hashFixtures() {
		fixtures[f.name] = f.tmpl
	}
	for _, v := range templateHashVectors {
		t.Run(v.fixture+"/"+v.count, func(t *testing.T) {
			var cc *int32
			if v.count != "-" {
				n, err := strconv.ParseInt(v.count, 10, 32)
				if err != nil {
					t.Fatal(err)
				}
				cc = ptr.To(int32(n))
			}
			tmpl := fixtures[v.fixture]
			before := tmpl.DeepCopy()
			if got := TemplateHash(tmpl, cc); got != v.want {
				t.Errorf("TemplateHash = %q, want %q (upstream)", got, v.want)
			}
			if !reflect.DeepEqual(before, tmpl) {
				t.Errorf("template modified")
			}
		})
	}
}

// A nil template, on which upstream panics, hashes like an empty one.
func TestTemplateHashNilTemplate(t *testing.T) {
	for _, cc := range collisionCounts {
		if got, want := TemplateHash(nil, cc), TemplateHash(&corev1.PodTemplateSpec{}, cc); got != want {
			t.Errorf("TemplateHash(nil, %v) = %q, want %q", cc, got, want)
		}
	}
}

// TestSafeEncode checks the digit mapping of apimachinery's rand.SafeEncodeString
// (alphanums[int(r) % 27] with alphanums "bcdfghjklmnpqrstvwxz2456789"), reasoned from its source.
func TestSafeEncode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0123456789", "456789bcdf"},
		{"2917498828", "6f5c8fdd6d"},
		{"4294967295", "86f8fbc6f9"},
		{"7", "c"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := safeEncode([]byte(tt.in)); got != tt.want {
			t.Errorf("safeEncode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Map insertion order never matters: the dump sorts keys.
func TestTemplateHashMapOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		keys := rapid.SliceOfNDistinct(rapid.StringMatching(`[a-z]{1,3}`), 0, 8, rapid.ID[string]).Draw(t, "keys")
		perm := rapid.Permutation(keys).Draw(t, "perm")
		a := &corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{}}}
		b := &corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{}}}
		for i, k := range keys {
			a.Labels[k] = strconv.Itoa(i)
		}
		for _, k := range perm {
			for i, k2 := range keys {
				if k2 == k {
					b.Labels[k] = strconv.Itoa(i)
				}
			}
		}
		if TemplateHash(a, nil) != TemplateHash(b, nil) {
			t.Fatalf("hash depends on map insertion order")
		}
	})
}

// FuzzTemplateHash checks that TemplateHash never panics and always returns 1 to 10 characters of
// the safe alphabet, the same for the same input.
func FuzzTemplateHash(f *testing.F) {
	f.Add("app", "nginx", "nginx:1.14.2", "100m", int32(0), true)
	f.Add("", "", "", "", int32(-1), false)
	f.Fuzz(func(t *testing.T, k, v, image, cpu string, count int32, hasCount bool) {
		tmpl := &corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{k: v}},
			Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: k, Image: image}}},
		}
		if q, err := resource.ParseQuantity(cpu); err == nil {
			tmpl.Spec.Containers[0].Resources.Requests = corev1.ResourceList{corev1.ResourceCPU: q}
		}
		var cc *int32
		if hasCount {
			cc = &count
		}
		h := TemplateHash(tmpl, cc)
		if len(h) < 1 || len(h) > 10 || strings.Trim(h, safeAlphabet) != "" {
			t.Fatalf("bad hash %q", h)
		}
		if again := TemplateHash(tmpl, cc); again != h {
			t.Fatalf("hash not deterministic: %q then %q", h, again)
		}
	})
}

func BenchmarkTemplateHash(b *testing.B) {
	tmpl := hashFixtures()[1].tmpl
	b.ReportAllocs()
	for b.Loop() {
		TemplateHash(tmpl, ptr.To[int32](1))
	}
}

// hashFixture is one template of the recorded vectors. The same templates, built by the same code,
// are in internal/conformance/podsconf/fixtures_test.go, which checks them against upstream on
// every run; keep the two in step.
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

// fnvWrite is FNV-32a: the same sums as hash/fnv on any bytes.
func TestFNVWrite(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.String().Draw(t, "s")
		h := fnv.New32a()
		h.Write([]byte(s))
		if got := fnvWrite(fnvOffset32, s); got != h.Sum32() {
			t.Fatalf("fnvWrite(%q) = %d, hash/fnv %d", s, got, h.Sum32())
		}
	})
}
