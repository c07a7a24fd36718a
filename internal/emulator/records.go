package emulator

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"

	"github.com/rocketchat/terraform-provider-rocketchat/internal/emulator/store"
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
	s.countDecoded(1)
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, err
	}
	return v, nil
}

// orgRecs reads one organization's records of a kind through the index, in
// creation order: it decodes what the organization holds, nothing else.
func orgRecs[T any](s *Server, kind, org string) ([]*T, error) {
	ids := s.store.IDs(store.OrgGroup(kind, org))
	out := make([]*T, 0, len(ids))
	for _, id := range ids {
		v, err := getRec[T](s, kind, id)
		if err != nil {
			return nil, err
		}
		if v != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// decodeAll decodes raw records.
func decodeAll[T any](s *Server, raws [][]byte) ([]*T, error) {
	s.countDecoded(len(raws))
	out := make([]*T, len(raws))
	for i, raw := range raws {
		out[i] = new(T)
		if err := json.Unmarshal(raw, out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// countDecoded counts records decoded (store.IndexedStore.Decoded); a seed's
// scratch server counts them for the server it works for too, so a test sees
// every record a seed or restore reads.
func (s *Server) countDecoded(n int) {
	s.store.Decoded.Add(int64(n))
	if s.parent != nil {
		s.parent.countDecoded(n)
	}
}
