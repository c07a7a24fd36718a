package catalog

import (
	"fmt"
	"strings"
)

// MatrixRow is one capability of the tier matrix: a label and one cell per
// tier of Tiers, in order. Text between backticks is code (a name or value).
type MatrixRow struct {
	Label string
	Cells []string
}

// MatrixMarkdown renders the tier rules matrix for the docs, so the page is
// generated from the catalog rather than typed.
func MatrixMarkdown() string {
	var b strings.Builder
	b.WriteString("| capability |")
	for _, t := range Tiers {
		fmt.Fprintf(&b, " %s (`%s`) |", t.DisplayName, t.Name)
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(Tiers)) + "\n")
	for _, r := range Matrix() {
		b.WriteString("| " + r.Label + " |")
		for _, c := range r.Cells {
			b.WriteString(" " + c + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Matrix is what each tier allows, one row per capability (the docs' tier
// rules page and the emulator's console show it).
func Matrix() []MatrixRow {
	var rows []MatrixRow
	row := func(label string, cell func(TierSpec) string) {
		r := MatrixRow{Label: label, Cells: make([]string, 0, len(Tiers))}
		for _, t := range Tiers {
			r.Cells = append(r.Cells, cell(t))
		}
		rows = append(rows, r)
	}
	capCell := func(v int64, unit string) string {
		if v == NoCap {
			return "no fixed cap (quoted)"
		}
		return fmt.Sprintf("%d %s", v, unit)
	}
	row("infrastructure", func(t TierSpec) string { return t.Infrastructure })
	row("regions", func(t TierSpec) string { return "`" + strings.Join(RegionsFor(t), "`, `") + "`" })
	row("software versions", func(t TierSpec) string { return t.VersionPolicy })
	row("availability target", func(t TierSpec) string { return t.Availability })
	row("support coverage", func(t TierSpec) string { return t.Support })
	row("provisioning", func(t TierSpec) string {
		switch t.Provisioning {
		case ProvisionDelayed:
			return fmt.Sprintf("delayed (emulator default %s)", t.ProvisioningDelay)
		case ProvisionManual:
			return "manual approval (quoted delivery)"
		}
		return "immediate (on demand)"
	})
	row("`max_users`", func(t TierSpec) string { return capCell(t.MaxUsers, "users") })
	row("`max_storage_gb`", func(t TierSpec) string { return capCell(t.MaxStorageGB, "GB") })
	row("`omnichannel_conversations_per_month`", func(t TierSpec) string {
		return capCell(t.MaxOmnichannelConversationsMonth, "per month")
	})
	row("static IPs", func(t TierSpec) string {
		if t.StaticIPKind == StaticIPNone {
			return "no"
		}
		return fmt.Sprintf("%s, at most %d per workspace", t.StaticIPKind, t.StaticIPQuota)
	})
	row("firewall rules per workspace", func(t TierSpec) string { return quotaCell(t.FirewallRuleQuota) })
	row("custom domains per workspace", func(t TierSpec) string { return quotaCell(t.CustomDomainQuota) })
	for _, f := range Features {
		if f.Name == FeatureStaticIPs {
			continue // shown above with its kind and quota
		}
		row(f.Description+" (`"+string(f.Name)+"`)", func(t TierSpec) string {
			if t.Allows(f.Name) {
				return "yes"
			}
			return "no"
		})
	}
	return rows
}

func quotaCell(q int) string {
	if q == 0 {
		return "no"
	}
	return fmt.Sprintf("at most %d", q)
}
