package pods

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

// t0 is the "now" of most tests.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type opt func(*corev1.Pod)

// mkPod returns a scheduled, running, not ready pod with UID "uid-<name>" created at t0-1h;
// options change one aspect each.
func mkPod(name string, opts ...opt) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:              name,
			Namespace:         "ns",
			UID:               types.UID("uid-" + name),
			CreationTimestamp: metav1.NewTime(t0.Add(-time.Hour)),
		},
		Spec:   corev1.PodSpec{NodeName: "node-1"},
		Status: corev1.PodStatus{Phase: corev1.PodRunning},
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

func onNode(n string) opt { return func(p *corev1.Pod) { p.Spec.NodeName = n } }

func phase(ph corev1.PodPhase) opt { return func(p *corev1.Pod) { p.Status.Phase = ph } }

func uid(u string) opt { return func(p *corev1.Pod) { p.UID = types.UID(u) } }

func created(t time.Time) opt {
	return func(p *corev1.Pod) { p.CreationTimestamp = metav1.NewTime(t) }
}

func deleted(t time.Time) opt {
	return func(p *corev1.Pod) { p.DeletionTimestamp = ptr.To(metav1.NewTime(t)) }
}

// cond appends a condition of the given type and status, last transition at t.
func cond(typ corev1.PodConditionType, st corev1.ConditionStatus, t time.Time) opt {
	return func(p *corev1.Pod) {
		p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{
			Type: typ, Status: st, LastTransitionTime: metav1.NewTime(t),
		})
	}
}

// readySince makes the pod ready since t (a zero t leaves lastTransitionTime unset).
func readySince(t time.Time) opt { return cond(corev1.PodReady, corev1.ConditionTrue, t) }

func cost(v string) opt {
	return func(p *corev1.Pod) {
		if p.Annotations == nil {
			p.Annotations = map[string]string{}
		}
		p.Annotations[corev1.PodDeletionCost] = v
	}
}

// restartCounts sets one container status per count.
func restartCounts(counts ...int32) opt {
	return func(p *corev1.Pod) {
		for i, c := range counts {
			p.Status.ContainerStatuses = append(p.Status.ContainerStatuses,
				corev1.ContainerStatus{Name: "c" + string(rune('0'+i)), RestartCount: c})
		}
	}
}

// initContainer adds an init container (restartable: restartPolicy Always) and its status.
func initContainer(name string, restartable bool, restartCount int32) opt {
	return func(p *corev1.Pod) {
		c := corev1.Container{Name: name}
		if restartable {
			c.RestartPolicy = ptr.To(corev1.ContainerRestartPolicyAlways)
		}
		p.Spec.InitContainers = append(p.Spec.InitContainers, c)
		p.Status.InitContainerStatuses = append(p.Status.InitContainerStatuses,
			corev1.ContainerStatus{Name: name, RestartCount: restartCount})
	}
}

func names(ps []*corev1.Pod) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}
