package sim

import "encoding/json"

// equalJSON compares two API values the way the API server decides whether
// a spec changed: by their serialized form.
func equalJSON(a, b any) bool {
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(x) == string(y)
}
