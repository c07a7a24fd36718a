#!/usr/bin/env bash
# release-check: proves, offline, that a release can be built and that both
# ways of getting the emulator work.
#
# 1. `goreleaser check` validates .goreleaser.yml.
# 2. A snapshot release for this platform only (a copy of the config narrowed
#    to GOOS/GOARCH; signing and publishing skipped), then the artifacts are
#    checked: the provider's Registry zip, SHA256SUMS and manifest keep the
#    Registry's shape and the checksums list no emulator archive; the emulator
#    has its own archive holding the binary.
# 3. `go install MODULE/internal/emulator/cmd/rocketchat-emulator@VERSION` from
#    outside the module: the working tree is served as a version by a file://
#    module proxy, exactly as proxy.golang.org would serve a tag. (A main
#    package under internal/ is installable: the internal rule restricts
#    imports, and go install imports nothing.)
# Needs: GORELEASER (the goreleaser command), BUILD, VERSION.
set -euo pipefail
: "${GORELEASER:?}" "${BUILD:?}" "${VERSION:?}"
MODULE=$(go list -m)
GOOS=$(go env GOOS)
GOARCH=$(go env GOARCH)
fail() { echo "release-check: $*" >&2; exit 1; }

echo "== goreleaser check"
$GORELEASER check

echo "== snapshot release for ${GOOS}/${GOARCH}"
mkdir -p "$BUILD"
cfg="$BUILD/goreleaser-single-target.yml"
sed -e "s/&goos \[.*\]/\&goos [${GOOS}]/" -e "s/&goarch \[.*\]/\&goarch [${GOARCH}]/" .goreleaser.yml > "$cfg"
grep -q "&goos \[${GOOS}\]" "$cfg" || fail "could not narrow the platforms of .goreleaser.yml (the &goos anchor moved?)"
$GORELEASER release --config "$cfg" --snapshot --clean --skip=sign,publish,before

echo "== artifacts"
ls dist/*.zip dist/*.tar.gz dist/*SHA256SUMS
sums=(dist/terraform-provider-rocketchat_*_SHA256SUMS)
[ -f "${sums[0]}" ] || fail "no terraform-provider-rocketchat_VERSION_SHA256SUMS"
ver=${sums[0]#dist/terraform-provider-rocketchat_}; ver=${ver%_SHA256SUMS}
pzip="terraform-provider-rocketchat_${ver}_${GOOS}_${GOARCH}.zip"
ezip="rocketchat-emulator_${ver}_${GOOS}_${GOARCH}.tar.gz"
[ -f "dist/$ezip" ] && [ "$GOOS" = windows ] && fail "windows emulator archive should be a zip"
[ "$GOOS" = windows ] && ezip="rocketchat-emulator_${ver}_${GOOS}_${GOARCH}.zip"
[ -f "dist/$pzip" ] || fail "missing the provider's Registry archive $pzip"
# The manifest is a release asset (release.extra_files) listed in the checksums;
# it is uploaded from the repository, not written to dist/: verify it from there.
cp terraform-registry-manifest.json "dist/terraform-provider-rocketchat_${ver}_manifest.json"
[ -f "dist/$ezip" ] || fail "missing the emulator archive $ezip"
grep -q "  $pzip\$" "${sums[0]}" || fail "$pzip is not in ${sums[0]}"
grep -q "_manifest.json\$" "${sums[0]}" || fail "the manifest is not in ${sums[0]}"
! grep -q rocketchat-emulator "${sums[0]}" || fail "the Registry's checksums list an emulator archive"
grep -qx "terraform-provider-rocketchat_v${ver}\(.exe\)\?" <<<"$(unzip -Z1 "dist/$pzip")" || fail "$pzip does not hold terraform-provider-rocketchat_v${ver}"
if [[ $ezip == *.tar.gz ]]; then list=$(tar -tzf "dist/$ezip"); else list=$(unzip -Z1 "dist/$ezip"); fi
grep -qx "rocketchat-emulator\(.exe\)\?" <<<"$list" || fail "$ezip does not hold the rocketchat-emulator binary"
grep -qx "examples/emulator/estate.json" <<<"$list" || fail "$ezip does not hold the example seed"
(cd dist && sha256sum -c "$(basename "${sums[0]}")") || fail "checksums do not match"

# A version of its own per run: the module cache keeps what it downloaded
# under a version for good, so reusing one would install a stale tree.
gover="v${VERSION}-releasecheck.$(date -u +%Y%m%d%H%M%S)"
echo "== go install ${MODULE}/internal/emulator/cmd/rocketchat-emulator@${gover}"
proxy="$BUILD/goproxy"
moddir="$proxy/${MODULE}/@v"
rm -rf "$proxy" && mkdir -p "$moddir"
tree=$(git stash create 2>/dev/null || true)   # the working tree, uncommitted changes included
git archive --format=zip --prefix="${MODULE}@${gover}/" -o "$moddir/${gover}.zip" "${tree:-HEAD}"
cp go.mod "$moddir/${gover}.mod"
printf '{"Version":"%s","Time":"%s"}\n' "$gover" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$moddir/${gover}.info"
echo "$gover" > "$moddir/list"
gobin="$BUILD/go-install-bin"
rm -rf "$gobin"
# Outside the module (its go.mod must not be the main module), with the real
# proxy behind ours for the dependencies; our unpublished module skips the sum DB.
(cd "$BUILD" && GOBIN="$gobin" GOPROXY="file://$proxy,$(go env GOPROXY)" GONOSUMDB="$MODULE" GOFLAGS=-buildvcs=false \
  go install "${MODULE}/internal/emulator/cmd/rocketchat-emulator@${gover}")
# Drop this run's copy of the module from the module cache again.
modcache=$(go env GOMODCACHE)
chmod -R u+w "$modcache/${MODULE}@${gover}" 2>/dev/null || true
rm -rf "$modcache/${MODULE}@${gover}" "$modcache/cache/download/${MODULE}/@v/${gover}".*
help=$("$gobin/rocketchat-emulator" -help 2>&1 || true)   # -help exits 2 by design
grep -q -- "-seed" <<<"$help" || fail "the go-installed emulator does not run"
echo "release-check: OK (provider ${pzip}, emulator ${ezip}, go install @${gover})"
