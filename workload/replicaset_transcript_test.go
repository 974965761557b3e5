package workload_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/internal/transcript"
	"github.com/reckon-k8s/reckon/workload"
	"github.com/reckon-k8s/reckon/workload/workloadtest"
)

// TestReplicaSetTranscripts replays testdata/replicaset/*.txt, the
// ReplicaSet walkthrough of the Kubernetes documentation (bare pods pod1
// and pod2 adopted, surplus pods deleted, ...) on a workloadtest cluster.
// Commands:
//
//	nodes N1 N2 ...                    set the nodes pods are scheduled onto
//	ready-after DURATION               how long a new pod takes to become ready
//	pod NAME labels=k=v,... [image=I]  create a bare pod
//	replicaset NAME replicas=N selector=k=v,... [labels=k=v,...] [image=I] [minReadySeconds=S]
//	                                   create or update a ReplicaSet
//	sync NAME                          plan one sync and apply it: every request
//	                                   sent (with the API server's error, if any)
//	                                   and event recorded, then the ReplicaSet's
//	                                   status as stored ("unchanged" if it is)
//	                                   and what the work queue is asked
//	advance DURATION                   let time pass (pods start, terminating pods go)
//	label POD k=v,...                  replace a pod's labels
//	delete POD                         delete a pod gracefully
//	ready POD true|false               set a pod's readiness
//	get pods | get rs                  print like kubectl
func TestReplicaSetTranscripts(t *testing.T) {
	runTranscripts(t, "testdata/replicaset", runReplicaSetCommand)
}

// runTranscripts replays every transcript of dir on a fresh workloadtest
// cluster, printing a command's error as its output.
func runTranscripts(t *testing.T, dir string, do func(*workloadtest.Cluster, transcript.Command) (string, error)) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts in %s: %v", dir, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			c := workloadtest.New(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
			transcript.Run(t, f, func(cmd transcript.Command) string {
				out, err := do(c, cmd)
				if err != nil {
					return "error: " + err.Error()
				}
				return out
			})
		})
	}
}

func runReplicaSetCommand(c *workloadtest.Cluster, cmd transcript.Command) (string, error) {
	arg := func(i int) string {
		if i < len(cmd.Positional) {
			return cmd.Positional[i]
		}
		return ""
	}
	switch cmd.Name {
	case "nodes":
		c.Nodes = cmd.Positional
		return "ok", nil
	case "ready-after":
		d, err := time.ParseDuration(arg(0))
		c.ReadyAfter = d
		return "ok", err
	case "pod":
		image, _ := cmd.Arg("image")
		p, err := c.Apply(&corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: arg(0), Labels: parseLabels(cmd.Args["labels"])},
			Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "main", Image: image}}},
		})
		if err != nil {
			return "", err
		}
		return "pod/" + p.GetName() + " created", nil
	case "replicaset":
		rs, err := replicaSetFromCommand(c, cmd)
		if err != nil {
			return "", err
		}
		stored, err := c.Apply(rs)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("replicaset.apps/%s applied (generation %d)", stored.GetName(), stored.GetGeneration()), nil
	case "sync":
		before := c.ReplicaSet(arg(0))
		s, err := c.SyncReplicaSet(arg(0))
		if err != nil {
			return "", err
		}
		lines := s.Lines()
		switch after := c.ReplicaSet(arg(0)); {
		case after == nil:
			lines = append(lines, "status: gone")
		case after.ResourceVersion == before.ResourceVersion:
			lines = append(lines, "status: unchanged")
		default:
			lines = append(lines, "status: "+replicaSetStatusLine(after.Status))
		}
		return strings.Join(append(lines, requeueLines(s.Result.Requeue)...), "\n"), nil
	case "advance":
		d, err := time.ParseDuration(arg(0))
		if err != nil {
			return "", err
		}
		c.Advance(d)
		return "now " + c.Now().Format(time.TimeOnly), nil
	case "label":
		return "pod/" + arg(0) + " labeled", c.UpdatePod(arg(0), func(p *corev1.Pod) { p.Labels = parseLabels(arg(1)) })
	case "delete":
		return "pod \"" + arg(0) + "\" deleted", c.DeletePod(arg(0))
	case "ready":
		ready, err := strconv.ParseBool(arg(1))
		if err != nil {
			return "", err
		}
		return "ok", c.SetReady(arg(0), ready)
	case "get":
		switch arg(0) {
		case "pods":
			return c.GetPods(), nil
		case "rs":
			return c.GetReplicaSets(), nil
		}
	}
	return "", fmt.Errorf("unknown command %q", cmd.Line)
}

// requeueLines says what a sync asks of its work queue, if anything.
func requeueLines(r workload.Requeue) []string {
	switch {
	case r.RateLimited:
		return []string{"requeue rate-limited"}
	case r.After > 0:
		return []string{"requeue after " + r.After.String()}
	}
	return nil
}

// replicaSetStatusLine prints a ReplicaSet status on one line.
func replicaSetStatusLine(st appsv1.ReplicaSetStatus) string {
	term := "nil"
	if st.TerminatingReplicas != nil {
		term = fmt.Sprint(*st.TerminatingReplicas)
	}
	s := fmt.Sprintf("replicas=%d fullyLabeled=%d ready=%d available=%d terminating=%s observedGeneration=%d",
		st.Replicas, st.FullyLabeledReplicas, st.ReadyReplicas, st.AvailableReplicas, term, st.ObservedGeneration)
	for _, c := range st.Conditions {
		s += fmt.Sprintf(" condition=%s:%s:%s", c.Type, c.Status, c.Reason)
	}
	return s
}

func replicaSetFromCommand(c *workloadtest.Cluster, cmd transcript.Command) (*appsv1.ReplicaSet, error) {
	name := cmd.Positional[0]
	rs := c.ReplicaSet(name)
	if rs == nil {
		rs = &appsv1.ReplicaSet{
			ObjectMeta: metav1.ObjectMeta{Name: name},
			Spec: appsv1.ReplicaSetSpec{
				Replicas: new(int32(1)),
				Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{
					RestartPolicy: corev1.RestartPolicyAlways,
					Containers:    []corev1.Container{{Name: "main", Image: "nginx"}},
				}},
			},
		}
	} else {
		rs = rs.DeepCopy()
	}
	if v, ok := cmd.Arg("replicas"); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, err
		}
		rs.Spec.Replicas = new(int32(n))
	}
	if v, ok := cmd.Arg("selector"); ok {
		rs.Spec.Selector = &metav1.LabelSelector{MatchLabels: parseLabels(v)}
		rs.Spec.Template.Labels = parseLabels(v)
	}
	if v, ok := cmd.Arg("labels"); ok {
		rs.Spec.Template.Labels = parseLabels(v)
	}
	if v, ok := cmd.Arg("image"); ok {
		rs.Spec.Template.Spec.Containers[0].Image = v
	}
	if v, ok := cmd.Arg("minReadySeconds"); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, err
		}
		rs.Spec.MinReadySeconds = int32(n)
	}
	return rs, nil
}

func parseLabels(s string) map[string]string {
	if s == "" {
		return nil
	}
	m := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}
