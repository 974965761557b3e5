package kubectl_test

import (
	"fmt"
	"maps"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/reckon-k8s/reckon/rollout"
	"github.com/reckon-k8s/reckon/rollout/kubectl"
)

// nginx returns the Deployment of the Kubernetes documentation's walkthrough,
// updated to the bad image nginx:1.161, and its three ReplicaSets.
func nginx() (*appsv1.Deployment, []*appsv1.ReplicaSet) {
	template := func(image string) corev1.PodTemplateSpec {
		return corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "nginx"}},
			Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: image}}},
		}
	}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "nginx-deployment", Namespace: "default", UID: "d1", Generation: 3,
			Annotations: map[string]string{rollout.RevisionAnnotation: "3"}},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To[int32](3),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}},
			Template: template("nginx:1.161"),
		},
		Status: appsv1.DeploymentStatus{ObservedGeneration: 3, Replicas: 4, UpdatedReplicas: 1, ReadyReplicas: 3,
			AvailableReplicas: 3, UnavailableReplicas: 1, Conditions: []appsv1.DeploymentCondition{
				{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionTrue, Reason: rollout.MinimumReplicasAvailable},
				{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue, Reason: rollout.ReplicaSetUpdatedReason},
			}},
	}
	var rss []*appsv1.ReplicaSet
	for i, r := range []struct{ hash, image, cause string }{
		{"66b6c48dd5", "nginx:1.14.2", ""},
		{"559d658b74", "nginx:1.16.1", "kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1"},
		{"1989198191", "nginx:1.161", "kubectl set image deployment/nginx-deployment nginx=nginx:1.161"},
	} {
		t := template(r.image)
		t.Labels[rollout.PodTemplateHashLabel] = r.hash
		rs := &appsv1.ReplicaSet{
			ObjectMeta: metav1.ObjectMeta{
				Name: "nginx-deployment-" + r.hash, Namespace: "default", UID: types.UID("rs" + r.hash),
				CreationTimestamp: metav1.NewTime(time.Date(2026, 1, 1, 0, i, 0, 0, time.UTC)),
				Labels:            maps.Clone(t.Labels),
				Annotations:       map[string]string{rollout.RevisionAnnotation: fmt.Sprint(i + 1)},
				OwnerReferences:   []metav1.OwnerReference{*metav1.NewControllerRef(d, appsv1.SchemeGroupVersion.WithKind("Deployment"))},
			},
			Spec:   appsv1.ReplicaSetSpec{Replicas: ptr.To[int32](3), Template: t},
			Status: appsv1.ReplicaSetStatus{Replicas: 3},
		}
		if r.cause != "" {
			rs.Annotations[rollout.ChangeCauseAnnotation] = r.cause
		}
		rss = append(rss, rs)
	}
	rss[2].Spec.Replicas, rss[2].Status.Replicas = ptr.To[int32](1), 1
	rss[0].Spec.Replicas, rss[0].Status.Replicas = ptr.To[int32](0), 0
	return d, rss
}

// `kubectl rollout status` while the new ReplicaSet's only pod cannot pull
// its image, then once the progress deadline has passed.
func ExampleStatus() {
	d, _ := nginx()
	msg, done, err := kubectl.Status(d, 0)
	fmt.Printf("%q %v %v\n", msg, done, err)

	d.Status.Conditions[1] = appsv1.DeploymentCondition{Type: appsv1.DeploymentProgressing,
		Status: corev1.ConditionFalse, Reason: rollout.TimedOutReason}
	msg, done, err = kubectl.Status(d, 0)
	fmt.Printf("%q %v %v\n", msg, done, err)
	// Output:
	// "Waiting for deployment \"nginx-deployment\" rollout to finish: 1 out of 3 new replicas have been updated...\n" false <nil>
	// "" false deployment "nginx-deployment" exceeded its progress deadline
}

// `kubectl rollout history deployment/nginx-deployment`.
func ExampleHistory() {
	d, rss := nginx()
	entries, err := kubectl.History(d, rss)
	if err != nil {
		panic(err)
	}
	fmt.Print(kubectl.FormatHistory(entries))
	fmt.Println(entries[1].ReplicaSet, entries[1].Template.Spec.Containers[0].Image)
	// Output:
	// REVISION  CHANGE-CAUSE
	// 1         <none>
	// 2         kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1
	// 3         kubectl set image deployment/nginx-deployment nginx=nginx:1.161
	// nginx-deployment-559d658b74 nginx:1.16.1
}

// `kubectl rollout undo deployment/nginx-deployment`: back to revision 2's
// template. The controller then reuses that ReplicaSet as revision 4.
// Undoing again to the same revision is skipped.
func ExampleUndo() {
	d, rss := nginx()
	undone, skipped, err := kubectl.Undo(d, rss, 0)
	if err != nil {
		panic(err)
	}
	fmt.Println(undone.Spec.Template.Spec.Containers[0].Image, undone.Spec.Template.Labels, skipped)
	fmt.Println(undone.Annotations)

	_, skipped, err = kubectl.Undo(undone, rss, 2)
	fmt.Println(skipped, err)

	d.Spec.Paused = true
	_, _, err = kubectl.Undo(d, rss, 0)
	fmt.Println(err)
	// Output:
	// nginx:1.16.1 map[app:nginx] false
	// map[deployment.kubernetes.io/revision:3 kubernetes.io/change-cause:kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1]
	// true <nil>
	// you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again
}

// The Replicas field and the end of `kubectl describe deployment
// nginx-deployment` during the bad-image rollout.
func ExampleDescribeConditions() {
	d, rss := nginx()
	fmt.Println("Replicas:", kubectl.ReplicasLine(d))
	text, err := kubectl.DescribeConditions(d, rss)
	if err != nil {
		panic(err)
	}
	fmt.Print(text)
	// Output:
	// Replicas: 3 desired | 1 updated | 4 total | 3 available | 1 unavailable
	// Conditions:
	//   Type           Status  Reason
	//   ----           ------  ------
	//   Available      True    MinimumReplicasAvailable
	//   Progressing    True    ReplicaSetUpdated
	// OldReplicaSets:  nginx-deployment-66b6c48dd5 (0/0 replicas created), nginx-deployment-559d658b74 (3/3 replicas created)
	// NewReplicaSet:   nginx-deployment-1989198191 (1/1 replicas created)
}
