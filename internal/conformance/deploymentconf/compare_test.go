package deploymentconf

import (
	"fmt"
	"math/rand/v2"
	"reflect"

	"github.com/reckon-k8s/reckon/workload"
)

// runReckon plans sc with workload.PlanDeployment, giving it the
// ReplicaSets and pods in an order of its own (sc.OrderSeed), and checks
// that it leaves its inputs alone. perturb, if not nil, changes reckon's
// copy of the scenario first (TestHarnessDetectsDifferences).
func runReckon(sc *scenario, perturb func(*scenario)) (workload.Plan, error) {
	in := sc.deepCopy()
	if perturb != nil {
		perturb(in)
	}
	r := rand.New(rand.NewPCG(sc.OrderSeed, 1))
	r.Shuffle(len(in.ReplicaSets), func(i, j int) { in.ReplicaSets[i], in.ReplicaSets[j] = in.ReplicaSets[j], in.ReplicaSets[i] })
	r.Shuffle(len(in.Pods), func(i, j int) { in.Pods[i], in.Pods[j] = in.Pods[j], in.Pods[i] })
	pristine := in.deepCopy()
	plan, err := workload.PlanDeployment(in.Deployment, workload.DeploymentState{ReplicaSets: in.ReplicaSets, Pods: in.Pods}, in.Now)
	if err != nil {
		return plan, fmt.Errorf("reckon rejected the scenario: %v", err)
	}
	if !reflect.DeepEqual(in, pristine) {
		return plan, fmt.Errorf("reckon modified its inputs")
	}
	return plan, nil
}
