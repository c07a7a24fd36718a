package emulator

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
)

// marshal encodes v as compact JSON without HTML escaping and without the
// trailing newline of json.Encoder.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// newID returns prefix + "-" + 16 random hex digits.
func newID(prefix string) string {
	return prefix + "-" + randomHex(8)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// getRec reads one record; nil when absent.
func getRec[T any](s *Server, kind, id string) (*T, error) {
	if id == "" {
		return nil, nil
	}
	raw, ok, err := s.store.Get(kind, id)
	if err != nil || !ok {
		return nil, err
	}
	s.store.Decoded.Add(1)
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, err
	}
	return v, nil
}

// listRecs reads every record of a kind that keep accepts (nil keeps all).
// It decodes the whole kind, every organization's: requests use the index
// (groupRecs, page) instead; this is for admin work across organizations.
func listRecs[T any](s *Server, kind string, keep func(*T) bool) ([]*T, error) {
	raws, err := s.store.List(kind)
	if err != nil {
		return nil, err
	}
	s.store.Decoded.Add(int64(len(raws)))
	out := make([]*T, 0, len(raws))
	for _, raw := range raws {
		v := new(T)
		if err := json.Unmarshal(raw, v); err != nil {
			return nil, err
		}
		if keep == nil || keep(v) {
			out = append(out, v)
		}
	}
	return out, nil
}
