package api

import (
	"strings"
	"testing"
)

// Lengths count characters, not bytes: a name may be in any script.
func TestLengthsCountCharacters(t *testing.T) {
	name := strings.Repeat("é", MaxNameLength) // 2 bytes each
	if fe := ValidateName("name", name); fe != nil {
		t.Errorf("%d characters refused: %v", MaxNameLength, fe)
	}
	if fe := ValidateName("name", name+"é"); fe == nil {
		t.Errorf("%d characters accepted", MaxNameLength+1)
	}
	if fe := ValidateDescription("description", "\xff\xfe"); fe == nil {
		t.Error("invalid UTF-8 accepted")
	}
}
