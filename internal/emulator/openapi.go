package emulator

import _ "embed"

//go:embed openapi.yaml
var openAPIDocument []byte

// OpenAPIDocument returns the OpenAPI 3 description of the /v1 API (also
// served at GET /openapi.yaml).
func OpenAPIDocument() []byte { return append([]byte(nil), openAPIDocument...) }
