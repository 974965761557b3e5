package workload_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/reckon-k8s/reckon/internal/transcript"
	"github.com/reckon-k8s/reckon/rollout/kubectl"
	"github.com/reckon-k8s/reckon/workload/workloadtest"
)

// TestDeploymentTranscripts replays testdata/deployment/*.txt, the
// walkthroughs of the Kubernetes Deployment documentation (rolling update,
// bad image and rollback, proportional scaling, pause/resume, rollover) on
// a workloadtest cluster, whose API-server semantics refuse a write from a
// stale copy as kube-apiserver does. Commands, besides those of the
// ReplicaSet transcripts (nodes, ready-after, advance, get):
//
//	never-ready IMAGE                  pods of IMAGE run but never become ready
//	deployment NAME replicas=N image=I [app=L] [strategy=Recreate] [maxSurge=V] [maxUnavailable=V]
//	           [progressDeadlineSeconds=S] [minReadySeconds=S] [revisionHistoryLimit=N]
//	                                   create a Deployment (API-server defaults applied)
//	set-image NAME IMAGE               kubectl set image
//	set-resources NAME cpu=Q memory=Q  kubectl set resources (limits)
//	change-cause NAME TEXT...          kubectl annotate kubernetes.io/change-cause
//	scale NAME N                       kubectl scale
//	pause NAME | resume NAME           kubectl rollout pause / resume
//	undo NAME [to-revision=N]          kubectl rollout undo
//	sync NAME                          one Deployment sync, applied: every request sent (with the API
//	                                   server's error, if any), every event recorded, what the work
//	                                   queue is asked
//	sync-rs                            one sync of every ReplicaSet, applied
//	rollout NAME [rounds=N]            rounds of {sync NAME; sync-rs; advance 1s} until a round sends
//	                                   nothing (at most N, default 30); successful status writes are
//	                                   not printed, refused ones are
//	describe NAME                      kubectl describe's Replicas line and Conditions
//	status NAME                        kubectl rollout status (one poll)
//	history NAME                       kubectl rollout history
func TestDeploymentTranscripts(t *testing.T) {
	runTranscripts(t, "testdata/deployment", runDeploymentCommand)
}

func runDeploymentCommand(c *workloadtest.Cluster, cmd transcript.Command) (string, error) {
	arg := func(i int) string {
		if i < len(cmd.Positional) {
			return cmd.Positional[i]
		}
		return ""
	}
	edit := func(f func(d *appsv1.Deployment)) (string, error) {
		d, err := c.EditDeployment(arg(0), f)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("deployment.apps/%s edited (generation %d)", d.Name, d.Generation), nil
	}
	switch cmd.Name {
	case "never-ready":
		c.NeverReady[arg(0)] = true
		return "ok", nil
	case "deployment":
		d, err := deploymentFromCommand(cmd)
		if err != nil {
			return "", err
		}
		if _, err := c.Create(d); err != nil {
			return "", err
		}
		return fmt.Sprintf("deployment.apps/%s created", d.Name), nil
	case "set-image":
		return edit(func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = arg(1) })
	case "set-resources":
		limits := corev1.ResourceList{}
		for k, v := range cmd.Args {
			q, err := resource.ParseQuantity(v)
			if err != nil {
				return "", err
			}
			limits[corev1.ResourceName(k)] = q
		}
		return edit(func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Resources.Limits = limits })
	case "change-cause":
		return edit(func(d *appsv1.Deployment) {
			if d.Annotations == nil {
				d.Annotations = map[string]string{}
			}
			// the rest of the line, verbatim: it may hold '='
			d.Annotations["kubernetes.io/change-cause"] = strings.SplitN(cmd.Line, " ", 3)[2]
		})
	case "scale":
		n, err := strconv.Atoi(arg(1))
		if err != nil {
			return "", err
		}
		return edit(func(d *appsv1.Deployment) { d.Spec.Replicas = new(int32(n)) })
	case "pause", "resume":
		return edit(func(d *appsv1.Deployment) { d.Spec.Paused = cmd.Name == "pause" })
	case "undo":
		d := c.Deployment(arg(0))
		if d == nil {
			return "", fmt.Errorf("deployment %q not found", arg(0))
		}
		var to int64
		if v, ok := cmd.Arg("to-revision"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return "", err
			}
			to = n
		}
		undone, skipped, err := kubectl.Undo(d, c.ReplicaSets(), to)
		if err != nil {
			return "", err
		}
		if skipped {
			return fmt.Sprintf("deployment.apps/%s skipped rollback", d.Name), nil
		}
		if _, err := c.Update(undone); err != nil {
			return "", err
		}
		return fmt.Sprintf("deployment.apps/%s rolled back", d.Name), nil
	case "sync":
		s, err := c.SyncDeployment(arg(0))
		if err != nil {
			return "", err
		}
		return strings.Join(append(s.Lines(), requeueLines(s.Result.Requeue)...), "\n"), nil
	case "sync-rs":
		lines, err := c.SyncReplicaSets()
		return strings.Join(lines, "\n"), err
	case "rollout":
		rounds := 30
		if v, ok := cmd.Arg("rounds"); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				return "", err
			}
			rounds = n
		}
		return rolloutRounds(c, arg(0), rounds)
	case "describe":
		d := c.Deployment(arg(0))
		if d == nil {
			return "", fmt.Errorf("deployment %q not found", arg(0))
		}
		conds, err := kubectl.DescribeConditions(d, c.ReplicaSets())
		if err != nil {
			return "", err
		}
		return "Replicas: " + kubectl.ReplicasLine(d) + "\n" + conds, nil
	case "status":
		d := c.Deployment(arg(0))
		if d == nil {
			return "", fmt.Errorf("deployment %q not found", arg(0))
		}
		msg, done, err := kubectl.Status(d, 0)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s(done=%v)", msg, done), nil
	case "history":
		d := c.Deployment(arg(0))
		if d == nil {
			return "", fmt.Errorf("deployment %q not found", arg(0))
		}
		h, err := kubectl.History(d, c.ReplicaSets())
		if err != nil {
			return "", err
		}
		return kubectl.FormatHistory(h), nil
	case "get":
		if arg(0) == "deploy" {
			return c.GetDeployments(), nil
		}
	}
	return runReplicaSetCommand(c, cmd)
}

// rolloutRounds plays the controllers until the cluster is quiet: each
// round syncs the Deployment, then every ReplicaSet, then lets a second
// pass. A round that sends nothing, not even a status write, ends the
// rollout. Status writes the API server accepts are not printed; refused
// writes are, whatever they are: the sync ended there and is retried in
// the next round.
func rolloutRounds(c *workloadtest.Cluster, name string, rounds int) (string, error) {
	var out []string
	for i := 1; i <= rounds; i++ {
		ds, err := c.SyncDeployment(name)
		if err != nil {
			return strings.Join(out, "\n"), err
		}
		rl, err := c.SyncReplicaSets()
		if err != nil {
			return strings.Join(out, "\n"), err
		}
		var changes []string
		for _, l := range ds.Lines() {
			if shownInRollout(l) {
				changes = append(changes, l)
			}
		}
		for _, l := range rl {
			if _, rest, _ := strings.Cut(l, ": "); shownInRollout(rest) { // rl: "<replicaset>: <line>"
				changes = append(changes, l)
			}
		}
		c.Advance(time.Second)
		if len(ds.Log)+len(rl) == 0 {
			out = append(out, fmt.Sprintf("round %d: quiet", i))
			return strings.Join(out, "\n"), nil
		}
		for _, l := range changes {
			out = append(out, fmt.Sprintf("round %d: %s", i, l))
		}
	}
	out = append(out, fmt.Sprintf("still busy after %d rounds", rounds))
	return strings.Join(out, "\n"), nil
}

// shownInRollout tells whether a rollout round prints a line of a sync's
// log: every event and every request but a status write the API server
// accepted. workloadtest appends the API server's error to a refused
// request after ": ", which no request's own description holds.
func shownInRollout(line string) bool {
	if strings.HasPrefix(line, "event: ") {
		return true
	}
	return strings.Contains(line, ": ") || !strings.HasPrefix(line, "update-status ")
}

func deploymentFromCommand(cmd transcript.Command) (*appsv1.Deployment, error) {
	app := cmd.Args["app"]
	if app == "" {
		app = "nginx"
	}
	labels := map[string]string{"app": app}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: cmd.Positional[0], Labels: map[string]string{"app": app}},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name: app, Image: cmd.Args["image"],
					Ports: []corev1.ContainerPort{{ContainerPort: 80}},
				}}},
			},
		},
	}
	ints := map[string]**int32{
		"replicas": &d.Spec.Replicas, "progressDeadlineSeconds": &d.Spec.ProgressDeadlineSeconds,
		"revisionHistoryLimit": &d.Spec.RevisionHistoryLimit,
	}
	for k, p := range ints {
		if v, ok := cmd.Arg(k); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, err
			}
			*p = new(int32(n))
		}
	}
	if v, ok := cmd.Arg("minReadySeconds"); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, err
		}
		d.Spec.MinReadySeconds = int32(n)
	}
	if v, ok := cmd.Arg("strategy"); ok {
		d.Spec.Strategy.Type = appsv1.DeploymentStrategyType(v)
	}
	for k, field := range map[string]func(*appsv1.RollingUpdateDeployment) **intstr.IntOrString{
		"maxSurge":       func(r *appsv1.RollingUpdateDeployment) **intstr.IntOrString { return &r.MaxSurge },
		"maxUnavailable": func(r *appsv1.RollingUpdateDeployment) **intstr.IntOrString { return &r.MaxUnavailable },
	} {
		if v, ok := cmd.Arg(k); ok {
			if d.Spec.Strategy.RollingUpdate == nil {
				d.Spec.Strategy.RollingUpdate = &appsv1.RollingUpdateDeployment{}
			}
			*field(d.Spec.Strategy.RollingUpdate) = new(intstr.Parse(v))
		}
	}
	return d, nil
}
