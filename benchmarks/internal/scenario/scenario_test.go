package scenario

import (
	"slices"
	"testing"
)

func TestSelect(t *testing.T) {
	all := []string{"zap", "zapslog", "jsonlog/zap Compact", "zerolog", "zerolog slog"}
	id := func(s string) string { return s }
	for _, c := range []struct {
		filter string
		want   []string
	}{
		{"", all},
		{"zap", []string{"zap"}}, // an exact name wins
		{"ZERO", []string{"zerolog", "zerolog slog"}}, // else a substring, any case
		{"slog, jsonlog", []string{"zapslog", "jsonlog/zap Compact", "zerolog slog"}},
	} {
		got, err := Select(all, id, c.filter)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("Select(%q) = %q, %v; want %q", c.filter, got, err, c.want)
		}
	}
	if _, err := Select(all, id, "zap,nothing"); err == nil {
		t.Error("Select with an entry that selects nothing: no error")
	}
}

func TestNamesAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rows {
		if seen[r.Name] {
			t.Errorf("row %q twice", r.Name)
		}
		seen[r.Name] = true
	}
	for _, s := range Scenarios {
		if seen[s.Name] {
			t.Errorf("name %q twice", s.Name)
		}
		seen[s.Name] = true
	}
	if !seen[Baseline] {
		t.Errorf("baseline %q is not a row", Baseline)
	}
}
