// Package reqlog holds the entry of the emulator's request log: what the
// emulator records of each /v1 request and what its console shows. It sits
// below both so they share one definition.
package reqlog

import "time"

// Entry is one /v1 request as the request log keeps it. It holds no token,
// header or body: only what a failing CI job needs to see which request went
// wrong and why. Every string is bounded (method and route come from fixed
// sets, field names are truncated).
type Entry struct {
	// Time is when the request arrived.
	Time time.Time `json:"time"`
	// Org is the organization of the request's token; empty when the token
	// was missing or unknown.
	Org string `json:"org,omitempty"`
	// Method is the HTTP method, or "OTHER" for a non-standard one.
	Method string `json:"method"`
	// Route is the matched route pattern ("/v1/workspaces/{workspace_id}"), never
	// the raw path; empty when no route matched.
	Route  string `json:"route,omitempty"`
	Status int    `json:"status"`
	// Dropped is true when an injected fault closed the connection without an answer.
	Dropped   bool    `json:"dropped,omitempty"`
	LatencyMS float64 `json:"latency_ms"`
	// RequestID is the answer's X-Request-Id (and a problem's request_id).
	RequestID string `json:"request_id"`
	// Problem summarises an error answer. It is never changed once the
	// entry is recorded, so copies of an entry may share it.
	Problem *Problem `json:"problem,omitempty"`
}

// Problem is the summary of a problem answer: its type, title and the fields
// and rules it names (not the messages, which may quote input).
type Problem struct {
	Type   string      `json:"type"`
	Title  string      `json:"title"`
	Errors []FieldRule `json:"errors,omitempty"`
}

// FieldRule is one violated rule of a problem.
type FieldRule struct {
	Field string `json:"field"`
	Rule  string `json:"rule"`
}
