package jsonlog

import "flag"

// update rewrites the golden files under testdata/ instead of comparing with
// them: go test -run TestName -update.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")
