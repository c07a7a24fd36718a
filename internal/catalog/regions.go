package catalog

// Region is a data-hosting location a workspace can be ordered in.
type Region struct {
	Name        string
	DisplayName string
	// HostingProvider runs the workspace (the sub-processors list names OVH and AWS).
	HostingProvider string
	// DataLocation is the country where the workspace's data is hosted.
	DataLocation string
	// Premium marks the published subset of regions open to the Premium tier.
	Premium bool
}

// DefaultRegion is the only region of the Standard tier, offered by every
// tier, and the region of a plan whose order names none.
const DefaultRegion = "us-east"

// RegionOrDefault is the region of a plan ordered with region: DefaultRegion
// when it names none. The provider's schema default, the emulator's API and
// its seeds all take the default from here.
func RegionOrDefault(region string) string {
	if region == "" {
		return DefaultRegion
	}
	return region
}

// BackupProcessor processes backups and analytics for every workspace.
const BackupProcessor = "MongoDB Cloud"

// Regions is every region this cloud offers; Dedicated may use any of them.
var Regions = []Region{
	{Name: "us-east", DisplayName: "US East (Virginia)", HostingProvider: "AWS", DataLocation: "United States", Premium: true},
	{Name: "us-west", DisplayName: "US West (Oregon)", HostingProvider: "AWS", DataLocation: "United States", Premium: true},
	{Name: "eu-central", DisplayName: "EU Central (Frankfurt)", HostingProvider: "AWS", DataLocation: "Germany", Premium: true},
	{Name: "eu-west", DisplayName: "EU West (Gravelines)", HostingProvider: "OVH", DataLocation: "France", Premium: true},
	{Name: "ca-east", DisplayName: "Canada East (Beauharnois)", HostingProvider: "OVH", DataLocation: "Canada", Premium: true},
	{Name: "ap-southeast", DisplayName: "Asia Pacific (Singapore)", HostingProvider: "AWS", DataLocation: "Singapore", Premium: true},
	{Name: "eu-north", DisplayName: "EU North (Warsaw)", HostingProvider: "OVH", DataLocation: "Poland"},
	{Name: "sa-east", DisplayName: "South America (Sao Paulo)", HostingProvider: "AWS", DataLocation: "Brazil"},
	{Name: "ap-south", DisplayName: "Asia Pacific (Mumbai)", HostingProvider: "AWS", DataLocation: "India"},
	{Name: "ap-northeast", DisplayName: "Asia Pacific (Tokyo)", HostingProvider: "AWS", DataLocation: "Japan"},
	{Name: "af-south", DisplayName: "Africa (Cape Town)", HostingProvider: "AWS", DataLocation: "South Africa"},
}

// RegionNames lists every region's name.
func RegionNames() []string {
	names := make([]string, len(Regions))
	for i, r := range Regions {
		names[i] = r.Name
	}
	return names
}

// LookupRegion returns the region by name.
func LookupRegion(name string) (Region, bool) {
	for _, r := range Regions {
		if r.Name == name {
			return r, true
		}
	}
	return Region{}, false
}

// AllowsRegion reports whether the tier may be ordered in the region.
func (t TierSpec) AllowsRegion(name string) bool {
	r, ok := LookupRegion(name)
	if !ok {
		return false
	}
	switch t.Name {
	case Standard:
		return r.Name == DefaultRegion
	case Premium:
		return r.Premium
	default:
		return true
	}
}

// RegionsFor lists the names of the regions the tier may use.
func RegionsFor(t TierSpec) []string {
	var out []string
	for _, r := range Regions {
		if t.AllowsRegion(r.Name) {
			out = append(out, r.Name)
		}
	}
	return out
}

// TiersIn lists the names of the tiers allowed in a region.
func TiersIn(region string) []string {
	var out []string
	for _, t := range Tiers {
		if t.AllowsRegion(region) {
			out = append(out, string(t.Name))
		}
	}
	return out
}
